"""Every role check of the portal lives here.

Views, templates and services ask these functions, never `user.roles` directly, so that
what a role may do can be read in one place.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from briefing.models.organisations import Organisation, OrganisationKind, RoleCode

# Which kind of organisation each role belongs to. The coordinator role is narrower
# still: it belongs to the Ministry Office only.
ROLE_ORGANISATION_KINDS = {
    RoleCode.OFFICE_COORDINATOR: {OrganisationKind.MINISTRY_UNIT},
    RoleCode.UNIT_OFFICER: {OrganisationKind.MINISTRY_UNIT},
    RoleCode.UNIT_LEADER: {OrganisationKind.MINISTRY_UNIT},
    # "Provincial" roles also cover the IT agencies of other ministries, which submit
    # recommendations and report indicators the same way.
    RoleCode.PROVINCE_OFFICER: {OrganisationKind.PROVINCE, OrganisationKind.CENTRAL_AGENCY},
    RoleCode.PROVINCE_LEADER: {OrganisationKind.PROVINCE, OrganisationKind.CENTRAL_AGENCY},
    RoleCode.SYSTEM_ADMIN: set(OrganisationKind),
}

MINISTRY_ROLES = {RoleCode.OFFICE_COORDINATOR, RoleCode.UNIT_OFFICER, RoleCode.UNIT_LEADER}
PROVINCE_ROLES = {RoleCode.PROVINCE_OFFICER, RoleCode.PROVINCE_LEADER}


def role_codes(user) -> frozenset[str]:
    """The user's role codes, read once per request object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_role_codes", None)
    if cached is None:
        remember_role_codes(user, user.roles.values_list("code", flat=True))
    return user._role_codes


def remember_role_codes(user, codes) -> None:
    """Set the role codes read with the user (the sign-in backend reads them in the
    user's own query), so that role_codes() does not read them again."""
    cached = frozenset(codes)
    if user.is_superuser:
        cached |= {RoleCode.SYSTEM_ADMIN}
    user._role_codes = cached


def has_role(user, *roles: str) -> bool:
    return bool(role_codes(user) & set(roles))


def is_system_admin(user) -> bool:
    return has_role(user, RoleCode.SYSTEM_ADMIN)


def is_office_coordinator(user) -> bool:
    return has_role(user, RoleCode.OFFICE_COORDINATOR)


def is_ministry_staff(user) -> bool:
    return has_role(user, *MINISTRY_ROLES)


def is_province_staff(user) -> bool:
    return has_role(user, *PROVINCE_ROLES)


def signs_for_department(user, organisation: Organisation | None) -> bool:
    """Whether `user` sends their department's recommendations and indicator reports to
    the Ministry: its leaders do; its officers too when it lets them
    (Organisation.officers_may_send)."""
    if organisation is None or not is_province_staff(user):
        return False
    if user.organisation_id != organisation.pk:
        return False
    return has_role(user, RoleCode.PROVINCE_LEADER) or organisation.officers_may_send


def may_set_sign_off(user) -> bool:
    """A department's leaders choose whether its officers may send."""
    return has_role(user, RoleCode.PROVINCE_LEADER) and user.organisation_id is not None


def may_manage_api_tokens(user, organisation: Organisation | None) -> bool:
    """An organisation's leaders make and revoke its API tokens; a system administrator
    those of any organisation."""
    if organisation is None:
        return False
    if is_system_admin(user):
        return True
    return (
        has_role(user, RoleCode.PROVINCE_LEADER, RoleCode.UNIT_LEADER)
        and user.organisation_id == organisation.pk
    )


def may_manage_webhooks(user) -> bool:
    """A department's leaders register the addresses its systems are told at of changes
    to its recommendations (proposals.webhooks); a system administrator anyone's."""
    return is_system_admin(user) or (
        has_role(user, RoleCode.PROVINCE_LEADER) and user.organisation_id is not None
    )


def role_errors(roles: Iterable[str], organisation: Organisation | None) -> list[str]:
    """Why these roles cannot be held by a member of `organisation` (empty if they can)."""
    errors = []
    labels = dict(RoleCode.choices)
    for code in roles:
        if code == RoleCode.SYSTEM_ADMIN:
            continue
        if organisation is None:
            errors.append(_("The role “%(role)s” needs an organisation.") % {"role": labels[code]})
            continue
        if organisation.kind not in ROLE_ORGANISATION_KINDS[code]:
            errors.append(
                _("The role “%(role)s” does not fit an organisation of kind “%(kind)s”.")
                % {"role": labels[code], "kind": organisation.get_kind_display()}
            )
        elif (
            code == RoleCode.OFFICE_COORDINATOR
            and organisation.code != Organisation.MINISTRY_OFFICE_CODE
        ):
            errors.append(_("Only members of the Ministry Office can be coordinators."))
    return errors


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    # Occasional pages, in the menu's "More" group so the menu stays on one line.
    secondary: bool = False

    @property
    def url(self) -> str:
        return reverse(self.url_name)


# The signed-in navigation, in display order. Each item lists the roles that see it.
_ALL_STAFF = frozenset(MINISTRY_ROLES | PROVINCE_ROLES)
NAVIGATION = [
    NavItem(_("My workspace"), "workspace", _ALL_STAFF),
    NavItem(_("Recommendations"), "proposals:list", _ALL_STAFF),
    NavItem(_("Indicator reports"), "indicators:report_index", frozenset(PROVINCE_ROLES)),
    NavItem(_("Indicator review"), "indicators:staff", frozenset(MINISTRY_ROLES)),
    NavItem(
        _("Organisations"),
        "organisation_list",
        frozenset({RoleCode.OFFICE_COORDINATOR, RoleCode.SYSTEM_ADMIN}),
        secondary=True,
    ),
    NavItem(
        _("Security log"),
        "security_log",
        frozenset({RoleCode.OFFICE_COORDINATOR, RoleCode.SYSTEM_ADMIN}),
        secondary=True,
    ),
    NavItem(_("Administration"), "admin:index", frozenset({RoleCode.SYSTEM_ADMIN}), secondary=True),
    NavItem(_("System status"), "healthz", frozenset({RoleCode.SYSTEM_ADMIN}), secondary=True),
]


def navigation(user) -> list[NavItem]:
    codes = role_codes(user)
    return [item for item in NAVIGATION if item.roles & codes]


def navigation_menu(user) -> tuple[list[NavItem], list[NavItem]]:
    """The menu's own links and its "More" group. Someone with only occasional pages
    (a system administrator) sees them as links: a group of everything helps no one."""
    items = navigation(user)
    primary = [item for item in items if not item.secondary]
    if not primary:
        return items, []
    return primary, [item for item in items if item.secondary]


def start_url(user) -> str:
    """Where the user lands after signing in: the back office for a system
    administrator with no other role, the role's workspace for everyone else."""
    if is_system_admin(user) and not (is_ministry_staff(user) or is_province_staff(user)):
        return reverse("admin:index")
    return reverse("workspace")


def role_required(*roles: str):
    """View decorator: anonymous users go to sign in, users without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
