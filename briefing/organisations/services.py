"""Writes of organisations and users: one function per business action."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from briefing.models.organisations import Organisation, Role, RoleCode, User
from briefing.organisations import roles


@transaction.atomic
def user_upsert(
    *,
    username: str,
    organisation: Organisation | None,
    role_codes: Iterable[str],
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
) -> User:
    """Create the user or bring an existing one to exactly this state."""
    role_codes = sorted(set(role_codes))
    errors = roles.role_errors(role_codes, organisation)
    if errors:
        raise ValidationError(errors)
    user, _created = User.objects.update_or_create(
        username=username,
        defaults={
            "organisation": organisation,
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "job_title": job_title,
            "is_active": True,
            # The back office is for system administrators only, and for them whole.
            "is_staff": RoleCode.SYSTEM_ADMIN in role_codes,
            "is_superuser": RoleCode.SYSTEM_ADMIN in role_codes,
        },
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    user.roles.set(Role.objects.filter(code__in=role_codes))
    return user


@transaction.atomic
def sign_off_set(*, actor, officers_may_send: bool) -> Organisation:
    """A department's leader chooses whether its officers send to the Ministry
    themselves; the change is kept in the organisation's history, with who made it."""
    if not roles.may_set_sign_off(actor):
        raise ValidationError(_("Only a leader of the department can change this."))
    organisation = Organisation.objects.select_for_update().get(pk=actor.organisation_id)
    if organisation.officers_may_send != officers_may_send:
        organisation.officers_may_send = officers_may_send
        organisation._history_user = actor
        organisation._change_reason = "officers_may_send"
        organisation.save(update_fields=["officers_may_send"])
    return organisation
