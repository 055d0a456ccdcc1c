"""Who may open each URL of the portal: the rules table of the access matrix.

RULES has one entry per URL pattern (the admin's as one family), keyed by the route as
written in the urls modules. Each entry is one or more Cases: a concrete URL, filled
from the world's objects (tests/security/world.py), with the outcome expected for
every role on GET and on POST. A pattern without an entry fails
test_every_url_pattern_has_a_rule: a new page cannot ship without saying who may open it.

Outcomes: a status code; LOGIN (302 to the sign-in page); REDIRECT (302 elsewhere);
ADMIN_LOGIN (302 to the back office's sign-in, which refuses a signed-in non-admin);
or a set of statuses when either is right. A Case that writes may name the `state` it
changes and the roles `changed_by` whose POST may change it: the POST of every other
role must leave it as it was, whatever its status code.

Roles (world.py): the anonymous visitor and an inactive account (its session counts
for nothing), the office coordinator, the officer and leader of the own unit, the
officer and leader of the own department, the system administrator, an officer of
another department and one of another unit.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from briefing.models.api_tokens import ApiToken
from briefing.models.sessions import BriefingDocument, ProgressUpdate
from indicators.models import Indicator, ReportingPeriod, Submission
from proposals.models import Answer, Recommendation, Subscription
from tests.security.world import (
    ANONYMOUS,
    INACTIVE,
    OFFICE,
    OTHER_DEPARTMENT,
    OTHER_UNIT,
    PROVINCE_LEADER,
    PROVINCE_OFFICER,
    ROLES,
    SYSTEM_ADMIN,
    UNIT_LEADER,
    UNIT_OFFICER,
)

LOGIN = "302 to the sign-in page"
REDIRECT = "302 to a page other than the sign-in page"
ADMIN_LOGIN = "302 to the back office's sign-in page"

GROUPS = {
    "anonymous": {ANONYMOUS, INACTIVE},
    "own_unit": {UNIT_OFFICER, UNIT_LEADER},
    "own_department": {PROVINCE_OFFICER, PROVINCE_LEADER},
    "ministry": {OFFICE, UNIT_OFFICER, UNIT_LEADER, OTHER_UNIT},
    "province": {PROVINCE_OFFICER, PROVINCE_LEADER, OTHER_DEPARTMENT},
    "staff": {OFFICE, UNIT_OFFICER, UNIT_LEADER, OTHER_UNIT}
    | {PROVINCE_OFFICER, PROVINCE_LEADER, OTHER_DEPARTMENT},
    "signed_in": set(ROLES) - {ANONYMOUS, INACTIVE},
}


def outcomes(anonymous=LOGIN, others=403, **given) -> dict:
    """Expected outcome per role: `anonymous` for the anonymous visitor and the inactive
    account, `others` for every other role, except the roles or GROUPS named in
    `given` (groups first, then single roles, so a role overrides its group)."""
    result = dict.fromkeys(ROLES, others)
    result.update(dict.fromkeys(GROUPS["anonymous"], anonymous))
    for name in sorted(given, key=lambda n: n not in GROUPS):
        for role in GROUPS.get(name, {name}):
            result[role] = given[name]
    return result


def everyone(status) -> dict:
    return outcomes(anonymous=status, others=status)


@dataclass(frozen=True)
class Case:
    url: str  # a template filled with World.ids
    get: dict
    post: dict
    data: dict = field(default_factory=dict)  # what the POST sends
    json: bool = False  # POST `data` as JSON (the API's write endpoints)
    state: object = None  # ids -> what a POST may change
    changed_by: frozenset = frozenset()


def same(expected: dict, url: str, **extra) -> Case:
    """A page that answers POST as it answers GET (no method check: it shows itself)."""
    return Case(url, expected, expected, **extra)


def get_only(expected: dict, url: str) -> Case:
    """A page behind require_GET (or a read-only API view): POST is 405 for everyone."""
    return Case(url, expected, everyone(405))


def public(url: str) -> Case:
    return same(everyone(200), url)


def _rec_status(key):
    return lambda ids: Recommendation.objects.get(pk=ids[key]).status


def _submission_status(ids):
    return Submission.objects.get(pk=ids["submission"]).status


def _q3_locked(ids):
    return ReportingPeriod.objects.by_label("Q3/2020").is_locked


def _document_kept(ids):
    return BriefingDocument.objects.filter(pk=ids["document"]).exists()


def _progress_count(ids):
    return ProgressUpdate.objects.filter(task_id=ids["task"]).count()


def _answer_text(ids):
    answer = Answer.objects.filter(recommendation_id=ids["accepted"]).first()
    return answer and answer.text


def _threshold(ids):
    return Indicator.objects.get(code="DVCTT_MUC34").provisional_below


def _publish_at(ids):
    return Recommendation.objects.get(pk=ids["drafted"]).publish_at


def _confirmed(ids):
    return Subscription.objects.get(token=ids["subscription_token"]).confirmed_at


def _token_revoked(ids):
    return ApiToken.objects.get(pk=ids["api_token"]).revoked_at is not None


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def _next_week() -> str:
    return (timezone.localtime() + datetime.timedelta(days=7)).strftime("%d/%m/%Y 08:00")


STAFF_PAGE = outcomes(staff=200)  # ministry and provincial roles; the admin alone: 403
OFFICE_ONLY = outcomes(**{OFFICE: 200})
OFFICE_OR_ADMIN = outcomes(**{OFFICE: 200, SYSTEM_ADMIN: 200})
PROVINCE_ONLY = outcomes(province=200)
MINISTRY_OR_ADMIN = outcomes(ministry=200, **{SYSTEM_ADMIN: 200})
# The owner unit and the office load values for every entity, a department for itself.
ENTRY_FOR = outcomes(province=200, own_unit=200, **{OFFICE: 200})


def _office_post(get_status=405, post=400) -> tuple[dict, dict]:
    """An office-only action behind role_required then require_POST."""
    return outcomes(**{OFFICE: get_status}), outcomes(**{OFFICE: post})


# Who may open a recommendation of the own department assigned to the own unit (the
# world's "accepted"; "drafted", being answered, with the department's file
# "question_file" and the unit's answer file "draft_answer_file").
REC_DETAIL = outcomes(
    own_unit=200, own_department=200, **{OFFICE: 200, OTHER_DEPARTMENT: 404, OTHER_UNIT: 404}
)
# Submitted, not yet assigned: the units do not see it yet.
REC_SUBMITTED = outcomes(
    own_unit=404, own_department=403, **{OTHER_DEPARTMENT: 404, OTHER_UNIT: 404}
)
OFFICE_ON_SUBMITTED = (REC_SUBMITTED | {OFFICE: 200}, REC_SUBMITTED | {OFFICE: 400})

WEBHOOK_MANAGERS = outcomes(**{PROVINCE_LEADER: 200, SYSTEM_ADMIN: 200})
WEBHOOK_UNKNOWN = outcomes(**{PROVINCE_LEADER: 404, SYSTEM_ADMIN: 404})

RULES = {
    "": public("/"),
    "start/": same(outcomes(signed_in=REDIRECT), "/start/"),
    "workspace/": same(outcomes(signed_in=200), "/workspace/"),
    # Each person's own notifications: another's (or none) is a 404 for everyone.
    "notifications/": same(outcomes(signed_in=200), "/notifications/"),
    "notifications/<int:pk>/": same(outcomes(signed_in=404), "/notifications/999999/"),
    "notifications/read-all/": Case(
        "/notifications/read-all/", everyone(405), outcomes(signed_in=REDIRECT)
    ),
    "notifications/settings/": same(outcomes(signed_in=200), "/notifications/settings/"),
    "organisations/": same(OFFICE_OR_ADMIN, "/organisations/"),
    # --- recommendations (staff) ------------------------------------------------------
    "proposals/": same(STAFF_PAGE, "/proposals/"),
    "proposals/new/": Case("/proposals/new/", PROVINCE_ONLY, outcomes(province=400)),
    "proposals/export.xlsx": same(STAFF_PAGE, "/proposals/export.xlsx"),
    # Several submitted ones at once: the office alone (an empty selection is a 400).
    "proposals/bulk-accept/": Case(
        "/proposals/bulk-accept/", outcomes(staff=405), outcomes(staff=403, **{OFFICE: 400})
    ),
    # The similar ones of a text being written: what each may know of (POST only).
    "proposals/similar/": Case("/proposals/similar/", outcomes(staff=405), STAFF_PAGE),
    "proposals/import/": Case("/proposals/import/", PROVINCE_ONLY, outcomes(province=400)),
    "proposals/import/template.xlsx": same(PROVINCE_ONLY, "/proposals/import/template.xlsx"),
    # The office registers letters, calls and the national portal's file.
    "proposals/intake/": Case("/proposals/intake/", OFFICE_ONLY, outcomes(**{OFFICE: 400})),
    "proposals/intake/import/": Case(
        "/proposals/intake/import/", OFFICE_ONLY, outcomes(**{OFFICE: 400})
    ),
    "proposals/intake/template.xlsx": same(OFFICE_ONLY, "/proposals/intake/template.xlsx"),
    "proposals/<int:pk>/": same(REC_DETAIL, "/proposals/{drafted}/"),
    "proposals/<int:pk>/edit/": Case(
        "/proposals/{draft}/edit/",
        # A draft: the department's own; the units see nothing of it.
        outcomes(own_department=200, own_unit=404, **{OTHER_DEPARTMENT: 404, OTHER_UNIT: 404}),
        outcomes(own_department=400, own_unit=404, **{OTHER_DEPARTMENT: 404, OTHER_UNIT: 404}),
    ),
    "proposals/<int:pk>/accept/": Case("/proposals/{submitted}/accept/", *OFFICE_ON_SUBMITTED),
    "proposals/<int:pk>/duplicate/": Case(
        "/proposals/{submitted}/duplicate/", *OFFICE_ON_SUBMITTED
    ),
    # Assigned to the own unit, not answered yet: its members write the answer.
    "proposals/<int:pk>/answer/": Case(
        "/proposals/{accepted}/answer/",
        REC_DETAIL | {OFFICE: 403, PROVINCE_OFFICER: 403, PROVINCE_LEADER: 403},
        REC_DETAIL
        | {OFFICE: 403, PROVINCE_OFFICER: 403, PROVINCE_LEADER: 403}
        | {UNIT_OFFICER: REDIRECT, UNIT_LEADER: REDIRECT},
        data={"text": "Cục Tin học hóa trả lời: đã có hướng dẫn.", "version": "0"},
        state=_answer_text,
        changed_by=frozenset({UNIT_OFFICER, UNIT_LEADER}),
    ),
    "proposals/<int:pk>/schedule/": Case(
        "/proposals/{drafted}/schedule/",
        outcomes(staff=405),
        REC_DETAIL
        | {UNIT_OFFICER: 403, UNIT_LEADER: 403}
        | {OFFICE: REDIRECT, PROVINCE_OFFICER: 403, PROVINCE_LEADER: 403},
        data={"publish_at": _next_week()},
        state=_publish_at,
        changed_by=frozenset({OFFICE}),
    ),
    "proposals/<int:pk>/do/<slug:action>/": Case(
        "/proposals/{submitted}/do/return/",
        REC_SUBMITTED | {OFFICE: 200},
        # The department may not return its own recommendation: the service refuses
        # (a message on the recommendation's page), the form is not offered on GET.
        REC_SUBMITTED | {OFFICE: REDIRECT, PROVINCE_OFFICER: REDIRECT, PROVINCE_LEADER: REDIRECT},
        data={"note": "Đề nghị Sở bổ sung số liệu."},
        state=_rec_status("submitted"),
        changed_by=frozenset({OFFICE}),
    ),
    "proposals/attachments/<int:pk>/": [
        same(REC_DETAIL, "/proposals/attachments/{question_file}/"),
        # The unit's answer file: not the department's to read before approval.
        same(
            REC_DETAIL | {PROVINCE_OFFICER: 404, PROVINCE_LEADER: 404},
            "/proposals/attachments/{draft_answer_file}/",
        ),
    ],
    # --- webhooks: a department's leaders, and the system administrator ---------------
    # (another organisation's endpoint is a 404: tests/proposals/test_webhook_views.py)
    "proposals/webhooks/": same(WEBHOOK_MANAGERS, "/proposals/webhooks/"),
    "proposals/webhooks/new/": Case(
        "/proposals/webhooks/new/",
        WEBHOOK_MANAGERS,
        outcomes(**{PROVINCE_LEADER: 400, SYSTEM_ADMIN: 400}),
    ),
    "proposals/webhooks/<int:pk>/": same(WEBHOOK_UNKNOWN, "/proposals/webhooks/999999/"),
    **{
        f"proposals/webhooks/<int:pk>/{action}/": Case(
            f"/proposals/webhooks/999999/{action}/", everyone(405), WEBHOOK_UNKNOWN
        )
        for action in ("rotate", "enable", "test", "delete")
    },
    # --- published answers (public) --------------------------------------------------
    "answers/": public("/answers/"),
    "answers/feed/": public("/answers/feed/"),
    "answers/export.csv": public("/answers/export.csv"),
    "answers/export.json": public("/answers/export.json"),
    "answers/export.xlsx": public("/answers/export.xlsx"),
    "answers/subscribe/": public("/answers/subscribe/"),
    "answers/subscribe/sent/": public("/answers/subscribe/sent/"),
    # The 43-character token in the e-mail's link is what authorises.
    "answers/subscribe/<str:token>/confirm/": Case(
        "/answers/subscribe/{subscription_token}/confirm/",
        everyone(200),
        everyone(200),
        state=_confirmed,
        changed_by=frozenset(ROLES),
    ),
    "answers/subscribe/<str:token>/cancel/": public(
        "/answers/subscribe/{subscription_token}/cancel/"
    ),
    # Recommendations from the public: the form, and pages behind the sender's token
    # (an unknown one is a 404 for everyone; tests/proposals/test_ask.py has the rest).
    "answers/ask/": Case("/answers/ask/", everyone(200), everyone(400)),
    "answers/ask/sent/": public("/answers/ask/sent/"),
    "answers/ask/<str:token>/confirm/": same(everyone(404), "/answers/ask/no-such-token/confirm/"),
    "answers/track/<str:token>/": same(everyone(404), "/answers/track/no-such-token/"),
    "answers/track/<str:token>/withdraw/": Case(
        "/answers/track/no-such-token/withdraw/", everyone(405), everyone(404)
    ),
    "answers/track/<str:token>/erase/": Case(
        "/answers/track/no-such-token/erase/", everyone(405), everyone(404)
    ),
    "answers/<str:code>/": public("/answers/{published_code}/"),
    "answers/<str:code>/rate/": Case(
        "/answers/{published_code}/rate/", everyone(405), everyone(400)
    ),
    "answers/<str:code>/files/<int:pk>/": [
        public("/answers/{published_code}/files/{published_file}/"),
        # A file of another recommendation, or one not published, is no file of it.
        same(everyone(404), "/answers/{published_code}/files/{question_file}/"),
    ],
    # --- indicators -------------------------------------------------------------------
    "indicators/": public("/indicators/"),
    "indicators/export.<str:fmt>": public("/indicators/export.csv"),
    "indicators/report/": same(PROVINCE_ONLY, "/indicators/report/"),
    # The department's own report (any department: the URL names no organisation).
    "indicators/report/<str:period_slug>/<str:unit_code>/": Case(
        "/indicators/report/Q3-2020/CUC-THH/",
        PROVINCE_ONLY,
        # Ninh Bình's report is submitted: no more changes (409); Hải Dương saves a draft.
        outcomes(own_department=409, **{OTHER_DEPARTMENT: REDIRECT}),
        data={"DVC_TONG": "1300", "save": "1"},
    ),
    "indicators/report/<str:period_slug>/<str:unit_code>/template.xlsx": same(
        ENTRY_FOR, "/indicators/report/Q3-2020/CUC-THH/template.xlsx"
    ),
    "indicators/report/<str:period_slug>/<str:unit_code>/upload/": Case(
        "/indicators/report/Q3-2020/CUC-THH/upload/",
        ENTRY_FOR,
        outcomes(province=400, own_unit=400, **{OFFICE: 400}),
    ),
    "indicators/review/": same(MINISTRY_OR_ADMIN, "/indicators/review/"),
    "indicators/periods/": same(OFFICE_ONLY, "/indicators/periods/"),
    # GET: the confirmation page of locking; the POST locks once confirmed.
    "indicators/periods/<str:slug>/<str:action>/": Case(
        "/indicators/periods/Q3-2020/lock/",
        *_office_post(get_status=200, post=REDIRECT),
        data={"confirmed": "1"},
        state=_q3_locked,
        changed_by=frozenset({OFFICE}),
    ),
    # Ninh Bình's submitted report to Cục Tin học hóa.
    "indicators/reports/<int:pk>/": same(
        outcomes(
            own_department=200,
            own_unit=200,
            **{OFFICE: 200, SYSTEM_ADMIN: 200, OTHER_DEPARTMENT: 404, OTHER_UNIT: 404},
        ),
        "/indicators/reports/{submission}/",
    ),
    "indicators/reports/<int:pk>/<str:action>/": Case(
        "/indicators/reports/{submission}/approve/",
        # GET: the confirmation page of approving, for the owner unit only.
        outcomes(
            own_department=403,
            own_unit=200,
            **{OFFICE: 403, SYSTEM_ADMIN: 403, OTHER_DEPARTMENT: 404, OTHER_UNIT: 404},
        ),
        # Whoever may read the report is sent back to it; only the owner unit decides.
        outcomes(
            own_department=REDIRECT,
            own_unit=REDIRECT,
            **{OFFICE: REDIRECT, SYSTEM_ADMIN: REDIRECT, OTHER_DEPARTMENT: 404, OTHER_UNIT: 404},
        ),
        data={"confirmed": "1"},
        state=_submission_status,
        changed_by=frozenset({UNIT_OFFICER, UNIT_LEADER}),
    ),
    "indicators/staff/": same(MINISTRY_OR_ADMIN, "/indicators/staff/"),
    # A department sees its own figures; the ministry every department's.
    "indicators/staff/entities/<int:pk>/": same(
        MINISTRY_OR_ADMIN | {PROVINCE_OFFICER: 200, PROVINCE_LEADER: 200, OTHER_DEPARTMENT: 404},
        "/indicators/staff/entities/{entity}/",
    ),
    # Only the owner unit sets when its figure is provisional.
    "indicators/staff/<str:code>/": Case(
        "/indicators/staff/DVCTT_MUC34/",
        MINISTRY_OR_ADMIN,
        outcomes(own_unit=REDIRECT),
        data={"provisional_below": "75"},
        state=_threshold,
        changed_by=frozenset({UNIT_OFFICER, UNIT_LEADER}),
    ),
    "indicators/<str:code>/export.<str:fmt>": public("/indicators/DVCTT_MUC34/export.csv"),
    "indicators/<str:code>/": public("/indicators/DVCTT_MUC34/"),
    # --- briefings ----------------------------------------------------------------------
    "briefings/": public("/briefings/"),
    "briefings/<int:year>-q<int:quarter>/": get_only(everyone(200), "/briefings/2020-q3/"),
    "briefings/<int:year>-q<int:quarter>/report.pdf": get_only(
        everyone(200), "/briefings/2020-q3/report.pdf"
    ),
    # The official documents (issue #16): public like the briefing page.
    **{
        f"briefings/<int:year>-q<int:quarter>/{name}": get_only(
            everyone(200), f"/briefings/2020-q3/{name}"
        )
        for name in (
            "report.docx",
            "report.html",
            "conclusions.pdf",
            "conclusions.docx",
            "conclusions.html",
        )
    },
    # The office gives a document its number, signer and recipients (empty POST: 400).
    "briefings/<int:year>-q<int:quarter>/particulars/<str:kind>/": Case(
        "/briefings/2020-q3/particulars/report/", everyone(405), outcomes(**{OFFICE: 400})
    ),
    "briefings/<int:year>-q<int:quarter>/report.xlsx": get_only(
        everyone(200), "/briefings/2020-q3/report.xlsx"
    ),
    "briefings/<int:year>-q<int:quarter>/rollup/": Case(
        "/briefings/2020-q3/rollup/", everyone(405), outcomes(**{OFFICE: REDIRECT})
    ),
    "briefings/rollup/<str:run_id>/": get_only(everyone(200), "/briefings/rollup/{rollup_run}/"),
    "briefings/new/": Case("/briefings/new/", OFFICE_ONLY, outcomes(**{OFFICE: 400})),
    "briefings/<int:year>-q<int:quarter>/edit/": Case(
        "/briefings/2020-q3/edit/", OFFICE_ONLY, outcomes(**{OFFICE: 400})
    ),
    "briefings/<int:year>-q<int:quarter>/documents/": Case(
        "/briefings/2020-q3/documents/", *_office_post()
    ),
    # Presentations are for everyone who reads the briefing page: everyone.
    "briefings/<int:year>-q<int:quarter>/documents/<int:pk>/": get_only(
        everyone(200), "/briefings/2020-q3/documents/{document}/"
    ),
    "briefings/<int:year>-q<int:quarter>/documents/<int:pk>/delete/": Case(
        "/briefings/2020-q3/documents/{document}/delete/",
        *_office_post(post=REDIRECT),
        state=_document_kept,
        changed_by=frozenset({OFFICE}),
    ),
    "briefings/<int:year>-q<int:quarter>/conclusions/": Case(
        "/briefings/2020-q3/conclusions/", *_office_post()
    ),
    "briefings/<int:year>-q<int:quarter>/tasks/": Case(
        "/briefings/2020-q3/tasks/", *_office_post()
    ),
    # A task assigned to the own unit: its members and the office report progress; for
    # everyone else the form does not exist (404, the anonymous visitor included).
    "briefings/tasks/<int:task_id>/progress/": Case(
        "/briefings/tasks/{task}/progress/",
        everyone(405),
        outcomes(anonymous=404, others=404, own_unit=REDIRECT, **{OFFICE: REDIRECT}),
        data={"text": "Đã ban hành hướng dẫn.", "status": "in_progress", "date": _today()},
        state=_progress_count,
        changed_by=frozenset({OFFICE, UNIT_OFFICER, UNIT_LEADER}),
    ),
    # --- API ----------------------------------------------------------------------------
    "api/v1/answers/": get_only(everyone(200), "/api/v1/answers/"),
    "api/v1/answers/<str:code>/": get_only(everyone(200), "/api/v1/answers/{published_code}/"),
    "api/v1/indicators/": get_only(everyone(200), "/api/v1/indicators/"),
    # Only an organisation's token opens these (tests/api/): a session is no token.
    "api/v1/indicators/reports/": Case(
        "/api/v1/indicators/reports/", everyone(401), everyone(401), data={}, json=True
    ),
    "api/v1/recommendations/": Case(
        "/api/v1/recommendations/", everyone(401), everyone(401), data={}, json=True
    ),
    "api/v1/recommendations/<str:code>/": Case(
        "/api/v1/recommendations/{published_code}/", everyone(401), everyone(401)
    ),
    "api/v1/briefings/<str:quarter>/": get_only(everyone(200), "/api/v1/briefings/2020-q3/"),
    "api/v1/indicators/<str:code>/figures/": get_only(
        everyone(200), "/api/v1/indicators/DVCTT_MUC34/figures/"
    ),
    "api/schema/": get_only(everyone(200), "/api/schema/"),
    "api/docs/": public("/api/docs/"),
    # --- accounts and the platform ------------------------------------------------------
    # An organisation's leaders and the system administrator manage its tokens; its
    # officers are refused, other organisations' staff find nothing.
    "accounts/api-token/": same(
        outcomes(**{PROVINCE_LEADER: REDIRECT, UNIT_LEADER: REDIRECT, SYSTEM_ADMIN: REDIRECT}),
        "/accounts/api-token/",
    ),
    "organisations/<int:organisation_id>/api-tokens/": Case(
        "/organisations/{department}/api-tokens/",
        outcomes(others=404, **{PROVINCE_OFFICER: 403, PROVINCE_LEADER: 200, SYSTEM_ADMIN: 200}),
        outcomes(others=404, **{PROVINCE_OFFICER: 403, PROVINCE_LEADER: 400, SYSTEM_ADMIN: 400}),
    ),
    "organisations/<int:organisation_id>/api-tokens/<int:token_id>/revoke/": Case(
        "/organisations/{department}/api-tokens/{api_token}/revoke/",
        everyone(405),
        outcomes(
            others=404,
            **{PROVINCE_OFFICER: 403, PROVINCE_LEADER: REDIRECT, SYSTEM_ADMIN: REDIRECT},
        ),
        state=_token_revoked,
        changed_by=frozenset({PROVINCE_LEADER, SYSTEM_ADMIN}),
    ),
    "accounts/login/": same(outcomes(anonymous=200, signed_in=REDIRECT), "/accounts/login/"),
    "accounts/logout/": Case("/accounts/logout/", everyone(405), everyone(REDIRECT)),
    "accounts/password/": same(outcomes(signed_in=200), "/accounts/password/"),
    # --- the own account and its second factor (any signed-in person) -----------------
    "accounts/": same(outcomes(signed_in=200), "/accounts/"),
    # A department's leader sets whether its officers send to the Ministry themselves.
    "accounts/sign-off/": Case(
        "/accounts/sign-off/",
        everyone(405),
        outcomes(**{PROVINCE_LEADER: REDIRECT}),
        data={"officers_may_send": "on"},
    ),
    "accounts/sign-out-other-devices/": Case(
        "/accounts/sign-out-other-devices/", everyone(405), outcomes(signed_in=REDIRECT)
    ),
    # The idle timer's question: whoever asks learns only whether they are signed in.
    "accounts/session/": public("/accounts/session/"),
    # Verified already (tests/conftest.py gives the second factor at sign-in): onwards.
    "accounts/two-factor/": same(outcomes(signed_in=REDIRECT), "/accounts/two-factor/"),
    # Enrolment: those who have an app (the ministry's, by the tests' sign-in) go to
    # their account page; a department's officer, without one, may enrol.
    "accounts/two-factor/setup/": same(
        outcomes(signed_in=REDIRECT, province=200), "/accounts/two-factor/setup/"
    ),
    "accounts/two-factor/recovery-codes/": Case(
        "/accounts/two-factor/recovery-codes/",
        outcomes(signed_in=REDIRECT),
        # New codes for those verified with an app; nothing to renew for the others.
        outcomes(signed_in=REDIRECT, province=404),
    ),
    # Required for the ministry and the administrators; a department without an app
    # has nothing to turn off.
    "accounts/two-factor/turn-off/": Case(
        "/accounts/two-factor/turn-off/", everyone(405), outcomes(signed_in=404)
    ),
    "accounts/two-factor/reset/<int:user_id>/": Case(
        "/accounts/two-factor/reset/{unit_officer}/",
        outcomes(**{SYSTEM_ADMIN: 200}),
        outcomes(**{SYSTEM_ADMIN: 200}),  # no reason given: the form again
    ),
    # The security log: the office and the system administrators read it.
    "security-log/": same(OFFICE_OR_ADMIN, "/security-log/"),
    "security-log.csv": same(OFFICE_OR_ADMIN, "/security-log.csv"),
    "language/<str:code>/": same(everyone(REDIRECT), "/language/en/?next=/answers/"),
    "visits.json": public("/visits.json"),
    # Up or down for everyone; only the details are for administrators.
    "healthz": same(everyone({200, 503}), "/healthz"),
    "sitemap.xml": public("/sitemap.xml"),
    "sitemap-<section>.xml": [
        public(f"/sitemap-{section}.xml")
        for section in ("pages", "answers", "indicators", "briefings")
    ],
    "robots.txt": public("/robots.txt"),
    # The back office: system administrators only.
    "admin/": [
        same(outcomes(anonymous=ADMIN_LOGIN, others=ADMIN_LOGIN, **{SYSTEM_ADMIN: 200}), url)
        for url in ("/admin/", "/admin/briefing/user/", "/admin/briefing/user/{user}/change/")
    ],
}


def cases(route: str) -> list[Case]:
    rule = RULES[route]
    return rule if isinstance(rule, list) else [rule]
