"""Who may report, review and see what in indicators. Views and services ask here.

Built on briefing.roles: a provincial department (or a ministry's IT agency) reports
for itself; the members of the owner unit review its indicators; ministry staff see
every entity's figures; the public sees approved national figures only.
"""

from django.http import Http404

from briefing.models.organisations import Organisation, OrganisationKind, RoleCode
from briefing.organisations import roles
from indicators.models import Submission

REPORTING_KINDS = (OrganisationKind.PROVINCE, OrganisationKind.CENTRAL_AGENCY)


def is_unit_member(user, unit_id: int | None) -> bool:
    return (
        unit_id is not None
        and roles.has_role(user, RoleCode.UNIT_OFFICER, RoleCode.UNIT_LEADER)
        and user.organisation_id == unit_id
    )


def may_set_provisional_threshold(user, indicator) -> bool:
    """The owner unit decides what coverage makes its figures final."""
    return is_unit_member(user, indicator.owner_unit_id)


def may_report_for(user, organisation: Organisation) -> bool:
    """The department's own officers and leaders report its values."""
    return (
        roles.is_province_staff(user)
        and organisation.kind in REPORTING_KINDS
        and user.organisation_id == organisation.pk
    )


def signs_for(user, organisation: Organisation) -> bool:
    """The department's leaders send its reports; its officers too when it lets them
    (Organisation.officers_may_send)."""
    return may_report_for(user, organisation) and roles.signs_for_department(user, organisation)


def may_enter_for_others(user, owner_unit: Organisation) -> bool:
    """The owner unit and the Ministry Office may load values for any entity (e.g. from
    a consolidated Excel file); what they load still waits for review."""
    return roles.is_office_coordinator(user) or is_unit_member(user, owner_unit.pk)


def may_report(user) -> bool:
    organisation = getattr(user, "organisation", None)
    return organisation is not None and may_report_for(user, organisation)


def may_review(user, submission: Submission) -> bool:
    return is_unit_member(user, submission.owner_unit_id)


def may_manage_periods(user) -> bool:
    return roles.is_office_coordinator(user)


def may_see_staff_dashboard(user) -> bool:
    return roles.is_ministry_staff(user) or roles.is_system_admin(user)


def visible_submissions(user):
    base = Submission.objects.all()
    if roles.is_office_coordinator(user) or roles.is_system_admin(user):
        return base
    org_id = getattr(user, "organisation_id", None)
    if org_id is None:
        return base.none()
    if roles.has_role(user, RoleCode.UNIT_OFFICER, RoleCode.UNIT_LEADER):
        # A unit sees the reports made to it, once they have been sent.
        return base.filter(owner_unit_id=org_id).exclude(status="draft")
    if roles.is_province_staff(user):
        return base.filter(organisation_id=org_id)
    return base.none()


def get_submission_for_user(user, pk: int) -> Submission:
    """The submission, or 404 when it does not exist or the user may not see it."""
    try:
        return (
            visible_submissions(user)
            .select_related("organisation", "period", "owner_unit")
            .get(pk=pk)
        )
    except Submission.DoesNotExist:
        raise Http404 from None


def visible_entities(user):
    """Reporting entities whose figures the user may open one by one."""
    base = Organisation.objects.filter(kind__in=REPORTING_KINDS)
    if may_see_staff_dashboard(user):
        return base
    if roles.is_province_staff(user) and user.organisation_id:
        return base.filter(pk=user.organisation_id)
    return base.none()


def get_entity_for_user(user, pk: int) -> Organisation:
    try:
        return visible_entities(user).get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None
