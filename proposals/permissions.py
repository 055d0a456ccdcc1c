"""Who may see and act on which recommendation. Views and the workflow ask here."""

from django.db.models import Q
from django.http import Http404

from briefing.models.organisations import RoleCode
from briefing.organisations import roles
from proposals.models import PUBLIC_SOURCE_KINDS, Recommendation, Status, WebhookEndpoint


def visible_recommendations(user):
    """Recommendations the user may open: the office sees all, a unit what it is
    responsible for or cooperates on, a department what it sent."""
    base = Recommendation.objects.all()
    if roles.is_office_coordinator(user):
        # A question from the public reaches the office once its sender confirmed it.
        return base.exclude(status=Status.DRAFT, source_kind__in=PUBLIC_SOURCE_KINDS)
    org_id = getattr(user, "organisation_id", None)
    if org_id is None:
        return base.none()
    if roles.has_role(user, RoleCode.UNIT_OFFICER, RoleCode.UNIT_LEADER):
        # A unit sees a recommendation once it has been assigned to it.
        return base.filter(
            Q(responsible_unit_id=org_id) | Q(cooperating_units__id=org_id),
            status__in=[
                Status.ACCEPTED,
                Status.ANSWER_DRAFTED,
                Status.ANSWER_APPROVED,
                Status.PUBLISHED,
            ],
        ).distinct()
    if roles.is_province_staff(user):
        return base.filter(submitting_organisation_id=org_id)
    return base.none()


def get_recommendation_for_user(user, pk: int) -> Recommendation:
    """The recommendation, or 404 when it does not exist or the user may not see it."""
    try:
        # The submitting organisation is read by nearly every page of one.
        return visible_recommendations(user).select_related("submitting_organisation").get(pk=pk)
    except Recommendation.DoesNotExist:
        raise Http404 from None


def is_submitter(user, rec: Recommendation) -> bool:
    return (
        roles.is_province_staff(user)
        and rec.submitting_organisation_id is not None
        and rec.submitting_organisation_id == user.organisation_id
    )


def may_send_for(user, organisation) -> bool:
    """Whether `user` signs what their department sends to the Ministry."""
    return roles.signs_for_department(user, organisation)


def may_submit(user, rec: Recommendation) -> bool:
    """Sending to the Ministry is the department's signature (docs/recommendations.md)."""
    return is_submitter(user, rec) and may_send_for(user, rec.submitting_organisation)


def may_ask_signature(user, rec: Recommendation) -> bool:
    """An officer who may not send asks the department's leaders to sign and send."""
    return is_submitter(user, rec) and not may_send_for(user, rec.submitting_organisation)


def is_office(user, rec: Recommendation | None = None) -> bool:
    return roles.is_office_coordinator(user)


def is_responsible_member(user, rec: Recommendation) -> bool:
    return (
        roles.has_role(user, RoleCode.UNIT_OFFICER, RoleCode.UNIT_LEADER)
        and rec.responsible_unit_id is not None
        and rec.responsible_unit_id == user.organisation_id
    )


def is_responsible_leader(user, rec: Recommendation) -> bool:
    return roles.has_role(user, RoleCode.UNIT_LEADER) and is_responsible_member(user, rec)


def may_revise(user, rec: Recommendation) -> bool:
    return is_office(user) or is_responsible_member(user, rec)


def may_see_history(user) -> bool:
    """The change history of recommendations and answers is for ministry staff."""
    return roles.is_ministry_staff(user) or roles.is_system_admin(user)


def may_create(user) -> bool:
    return roles.is_province_staff(user) and user.organisation_id is not None


def nobody(user, rec: Recommendation | None = None) -> bool:
    """Steps the portal takes for a sender without an account (workflow `system`)."""
    return False


def is_public_intake(user, rec: Recommendation) -> bool:
    """The Ministry Office registers what the public sent by letter, phone or e-mail."""
    return roles.is_office_coordinator(user) and rec.source_kind in PUBLIC_SOURCE_KINDS


def sees_sender_contact(user) -> bool:
    """The sender's name and contact are for the office, which replies and triages."""
    return roles.is_office_coordinator(user)


def webhook_endpoints_for(user):
    if roles.is_system_admin(user):
        return WebhookEndpoint.objects.all()
    if roles.may_manage_webhooks(user):
        return WebhookEndpoint.objects.filter(organisation_id=user.organisation_id)
    return WebhookEndpoint.objects.none()


def get_webhook_endpoint_for_user(user, pk: int) -> WebhookEndpoint:
    """The endpoint, or 404 when it is another organisation's."""
    try:
        return webhook_endpoints_for(user).select_related("organisation").get(pk=pk)
    except WebhookEndpoint.DoesNotExist:
        raise Http404 from None
