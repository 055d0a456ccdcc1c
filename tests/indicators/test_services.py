"""Saving, submitting, approving, returning, reopening and locking reports."""

from decimal import Decimal

import pytest
from django.db import connection

from briefing.models.organisations import Organisation, RoleCode
from indicators import services, workflow
from indicators.models import Event, Status, Submission, Value
from tests.conftest import make_user
from tests.indicators.conftest import org, period, stored

FULL = {
    "DVC_TONG": 1200,
    "DVC_MUC34": 600,
    "DVC_MUC34_HS": 300,
    "NDXP": 1,
    "LGSP": 1,
    "BLUEZONE": 350000,
    "THUE_BAO": 1000000,
    "CDS_XA": 1,
    "DO_THI_TM": 0,
    "IOC": 0,
}


def submit(actor, label="Q3/2020", raw=None, **extra):
    return services.report_save(
        actor=actor,
        organisation=actor.organisation,
        period=period(label),
        owner_unit=org("CUC-THH"),
        raw_values=raw or FULL,
        submit=True,
        **extra,
    )


def test_a_department_submits_and_the_owner_unit_approves(people):
    report = submit(people["province"])
    assert report.status == Status.SUBMITTED and report.submitted_by == people["province"]
    assert Value.objects.filter(submission=report).count() == len(FULL)
    approved = services.report_approve(submission_id=report.pk, actor=people["officer"])
    assert approved.status == Status.APPROVED and approved.decided_by == people["officer"]
    assert list(report.events.values_list("action", flat=True)) == ["submit", "approve"]


def test_an_approved_report_is_locked(people):
    report = submit(people["province"])
    services.report_approve(submission_id=report.pk, actor=people["officer"])
    before = stored()
    with pytest.raises(services.ReportInvalid) as caught:
        submit(people["province"], raw=FULL | {"DVC_TONG": 1300})
    assert "không thể sửa" in caught.value.entries[0].errors[0].message
    assert Value.objects.get(submission=report, element__code="DVC_TONG").value == 1200
    assert stored() == before


def test_reopening_needs_the_owner_unit_and_a_reason_and_is_recorded(people):
    report = submit(people["province"])
    services.report_approve(submission_id=report.pk, actor=people["officer"])
    before = stored()
    with pytest.raises(services.ReportError):
        services.report_reopen(submission_id=report.pk, actor=people["officer"], note=" ")
    with pytest.raises(services.ReportError):
        services.report_reopen(submission_id=report.pk, actor=people["other_unit"], note="Sai")
    with pytest.raises(services.ReportError):
        services.report_reopen(submission_id=report.pk, actor=people["province"], note="Sai")
    assert Submission.objects.get(pk=report.pk).status == Status.APPROVED
    assert stored() == before
    services.report_reopen(
        submission_id=report.pk, actor=people["officer"], note="Số liệu DVC chưa khớp"
    )
    event = Event.objects.get(submission=report, action="reopen")
    assert (event.actor, event.note) == (people["officer"], "Số liệu DVC chưa khớp")
    corrected = submit(people["province"], raw=FULL | {"DVC_TONG": 1300})
    assert corrected.status == Status.SUBMITTED


def test_returning_needs_a_comment_and_lets_the_department_correct(people):
    report = submit(people["province"])
    before = stored()
    with pytest.raises(services.ReportError):
        services.report_return(submission_id=report.pk, actor=people["officer"], note="")
    assert stored() == before
    services.report_return(submission_id=report.pk, actor=people["officer"], note="Kiểm tra lại")
    assert Submission.objects.get(pk=report.pk).status == Status.RETURNED
    assert submit(people["province"]).status == Status.SUBMITTED


def test_a_submitted_report_cannot_be_edited_until_returned(people):
    submit(people["province"])
    before = stored()
    with pytest.raises(services.ReportInvalid):
        submit(people["province"], raw=FULL | {"IOC": 1})
    assert stored() == before


def test_another_unit_cannot_approve(people):
    report = submit(people["province"])
    before = stored()
    with pytest.raises(services.ReportError):
        services.report_approve(submission_id=report.pk, actor=people["other_unit"])
    assert Submission.objects.get(pk=report.pk).status == Status.SUBMITTED
    assert stored() == before


def test_a_department_reports_only_for_itself(people):
    with pytest.raises(services.ReportError):
        services.report_save(
            actor=people["province"],
            organisation=org("T63-30"),
            period=period("Q3/2020"),
            owner_unit=org("CUC-THH"),
            raw_values=FULL,
            submit=True,
        )
    assert not Submission.objects.exists() and not Event.objects.exists()


def test_one_bad_value_stores_nothing(people):
    with pytest.raises(services.ReportInvalid) as caught:
        submit(people["province"], raw=FULL | {"THUE_BAO": -5})
    assert [i.element for i in caught.value.entries[0].errors] == ["THUE_BAO"]
    assert not Submission.objects.exists() and not Value.objects.exists()
    assert not Event.objects.exists()


def test_a_big_change_needs_a_comment_to_submit(people):
    first = submit(people["province"], label="Q2/2020")
    services.report_approve(submission_id=first.pk, actor=people["officer"])
    jump = FULL | {"BLUEZONE": 900000}
    before = stored()
    with pytest.raises(services.ReportInvalid) as caught:
        submit(people["province"], raw=jump)
    assert caught.value.needs_confirmation_only
    assert [w.element for w in caught.value.entries[0].warnings] == ["BLUEZONE"]
    assert not Submission.objects.filter(period=period("Q3/2020")).exists()
    assert stored() == before
    report = submit(people["province"], raw=jump, comment="Chiến dịch cài đặt tháng 8")
    assert report.warning_comment == "Chiến dịch cài đặt tháng 8"
    assert Value.objects.get(submission=report, element__code="BLUEZONE").value == Decimal(900000)


def test_a_big_change_never_blocks_saving_a_draft(people):
    # The warning asks for an explanation when the report is sent, not while the
    # department is still typing: a draft with the same jump is stored as it is.
    first = submit(people["province"], label="Q2/2020")
    services.report_approve(submission_id=first.pk, actor=people["officer"])
    draft = services.report_save(
        actor=people["province"],
        organisation=people["province"].organisation,
        period=period("Q3/2020"),
        owner_unit=org("CUC-THH"),
        raw_values=FULL | {"BLUEZONE": 900000},
        submit=False,
    )
    assert draft.status == Status.DRAFT
    assert draft.warning_comment == ""
    assert Value.objects.get(submission=draft, element__code="BLUEZONE").value == Decimal(900000)


def test_a_locked_period_takes_no_values_and_reopening_needs_the_office(people):
    p = period("Q3/2020")
    before = stored()
    with pytest.raises(services.ReportError):
        services.period_lock(period_id=p.pk, actor=people["officer"])
    assert stored() == before
    services.period_lock(period_id=p.pk, actor=people["office"])
    before = stored()
    with pytest.raises(services.ReportError):
        submit(people["province"])
    with pytest.raises(services.ReportError):
        services.period_reopen(period_id=p.pk, actor=people["office"], note="")
    assert stored() == before
    services.period_reopen(period_id=p.pk, actor=people["office"], note="Bổ sung số liệu")
    assert submit(people["province"]).status == Status.SUBMITTED
    assert list(Event.objects.filter(submission=None).values_list("action", flat=True)) == [
        "lock",
        "unlock",
    ]


def test_saving_and_deciding_lock_the_period_and_the_reports_not_the_organisations(people):
    """A plain FOR UPDATE over the reports' default ordering locked the organisations
    and the period too, in an order that deadlocked a save against an approval (a 500
    under load). Another transaction holding both organisations' rows must not stop
    either action."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    report = submit(people["province"])
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM briefing_organisation WHERE code IN ('T63-37', 'CUC-THH') "
                "FOR UPDATE"
            )
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        services.report_return(submission_id=report.pk, actor=people["officer"], note="Bổ sung")
        submit(people["province"])
        services.report_approve(submission_id=report.pk, actor=people["officer"])
    finally:
        other.rollback()
        other.close()
    report.refresh_from_db()
    assert report.status == Status.APPROVED


class TestSignOff:
    """An indicator report goes to the owner unit with the department leader's
    signature, unless the department lets its officers send."""

    def test_an_officer_saves_and_the_leaders_are_asked_to_sign(self, people):
        officer = make_user(RoleCode.PROVINCE_OFFICER)
        report = submit(officer)
        assert report.status == Status.DRAFT
        assert list(report.events.values_list("action", flat=True)) == ["ask_signature"]
        [note] = people["province"].notifications.all()  # the department's leader
        assert "Q3/2020" in note.text or report.period.label in note.text
        assert not people["officer"].notifications.exists()  # the owner unit: not yet
        assert workflow.available_actions(officer, report) == {"save", "ask_signature"}
        assert "submit" in workflow.available_actions(people["province"], report)
        sent = submit(people["province"])
        assert sent.status == Status.SUBMITTED and sent.submitted_by == people["province"]

    def test_an_officer_may_not_submit_through_the_table(self, people):
        officer = make_user(RoleCode.PROVINCE_OFFICER)
        report = submit(officer)
        with pytest.raises(services.ReportError):
            workflow.check_actor(workflow.TRANSITIONS["submit"], officer, report)

    def test_with_the_setting_the_officer_sends(self, people):
        officer = make_user(RoleCode.PROVINCE_OFFICER)
        Organisation.objects.filter(pk=officer.organisation_id).update(officers_may_send=True)
        officer.organisation.refresh_from_db()
        assert submit(officer).status == Status.SUBMITTED
