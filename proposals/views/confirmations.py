"""What the confirmation page of a recommendation's action says (workflow.Transition
with `confirm`): what will happen and who will see it, in the words of the person about
to act."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from briefing.platform.confirm import Confirmation
from proposals.models import Recommendation, Status


def _sender(rec: Recommendation) -> str:
    if rec.submitting_organisation_id:
        return rec.submitting_organisation.name
    return _("The sender")


def _submit(rec: Recommendation) -> tuple[list, list]:
    happens = [
        _("Recommendation %(code)s is sent to the Ministry Office in the name of %(organisation)s.")
        % {"code": rec.code, "organisation": _sender(rec)},
        _(
            "You can no longer edit it. Until the Ministry Office handles it, "
            "you can only withdraw it."
        ),
    ]
    if rec.status == Status.RETURNED:
        happens.append(_("Your clarification below goes with it."))
    audience = [
        _("The Ministry Office: it is e-mailed and finds it in its list to triage."),
        _(
            "The ministry unit the office assigns it to; the public reads only the answer, "
            "once it is published."
        ),
    ]
    return happens, audience


def _approve(rec: Recommendation) -> tuple[list, list]:
    unit = rec.responsible_unit.name if rec.responsible_unit_id else ""
    if rec.publish_at and rec.publish_at > timezone.now():
        when = _(
            "It is published on the public portal on %(time)s, the time the Ministry Office set."
        ) % {"time": date_format(timezone.localtime(rec.publish_at), "SHORT_DATETIME_FORMAT")}
    else:
        when = _("It is published on the public portal at once.")
    happens = [
        _("The answer to %(code)s is approved in the name of %(unit)s.")
        % {"code": rec.code, "unit": unit},
        when,
        _(
            "After that its text and files change only by revising the published answer; "
            "the public keeps reading it until a new version is approved."
        ),
    ]
    audience = [
        _("Everyone: the answer is public on the portal."),
        _("%(sender)s, the Ministry Office and the subscribers of its field are e-mailed.")
        % {"sender": _sender(rec)},
    ]
    return happens, audience


def _reject(rec: Recommendation) -> tuple[list, list]:
    happens = [
        _("Recommendation %(code)s is closed as out of scope, with the reason below.")
        % {"code": rec.code},
        _("This cannot be undone: to be handled, it must be sent again as a new recommendation."),
    ]
    audience = [
        _("%(sender)s is e-mailed the reason and reads it on the recommendation's page.")
        % {"sender": _sender(rec)},
        _("Nothing is published on the public portal."),
    ]
    return happens, audience


def _publish(rec: Recommendation) -> tuple[list, list]:
    happens = [
        _("The answer to %(code)s is published on the public portal now.") % {"code": rec.code},
        _("The published text and files are frozen; a later change needs a revision."),
    ]
    audience = [
        _("Everyone: the answer is public on the portal."),
        _("%(sender)s and the subscribers of its field are e-mailed.") % {"sender": _sender(rec)},
    ]
    return happens, audience


TEXTS = {"submit": _submit, "approve": _approve, "reject": _reject, "publish": _publish}


def recommendation_confirmation(rec: Recommendation, transition, form) -> Confirmation:
    happens, audience = TEXTS[transition.action](rec)
    return Confirmation(
        happens=happens,
        audience=audience,
        button=_("Confirm: %(action)s") % {"action": transition.label},
        cancel_url=reverse("proposals:detail", args=[rec.pk]),
        form=form,
        key=transition.action,
        danger=transition.action == "reject",
    )
