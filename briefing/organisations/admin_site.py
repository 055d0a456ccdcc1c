"""The back office: only system administrators may enter."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from briefing.organisations import roles


class BriefingAdminSite(admin.AdminSite):
    site_header = _("Briefing portal administration")
    site_title = _("Briefing portal administration")
    index_title = _("Back office")

    def has_permission(self, request):
        return (
            request.user.is_active and request.user.is_staff and roles.is_system_admin(request.user)
        )

    def login(self, request, extra_context=None):
        # A signed-in officer without the role gets a plain "forbidden" page in the
        # portal's layout, not a second sign-in form that invites another password.
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied
        return super().login(request, extra_context)
