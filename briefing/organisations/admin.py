from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from briefing.models.organisations import Organisation, OrganisationName, Role, User
from briefing.organisations import roles, two_factor
from briefing.organisations.selectors import organisation_names_forget
from briefing.platform.public_cache import public_cache_clear

# django-otp's own admin pages show each device's secret (and a QR code of it): whoever
# reads them could copy someone's authenticator. Devices are managed by their holders;
# a system administrator only resets them (the link on the user's page).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


def _names_changed() -> None:
    """A name shows on cached public pages and in every header: after the change
    commits, the names are read again and every cached public page is stale."""
    organisation_names_forget()
    public_cache_clear()


class OrganisationNameInline(admin.TabularInline):
    """A new name from a date on: the pages about earlier dates keep the old one."""

    model = OrganisationName
    fields = ["valid_from", "name", "short_name", "name_en", "source"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "short_name",
        "kind",
        "valid_from",
        "valid_to",
        "successor",
        "officers_may_send",
    ]
    list_filter = ["kind", "valid_to", "officers_may_send"]
    search_fields = ["code", "name", "short_name", "admin_code"]
    list_select_related = ["successor"]
    autocomplete_fields = ["successor"]
    inlines = [OrganisationNameInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        transaction.on_commit(_names_changed)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(_names_changed)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__"]

    def has_add_permission(self, request):
        # Roles are fixed by code (briefing/organisations/roles.py); only who holds them is data.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PortalUserChangeForm(UserChangeForm):
    def clean(self):
        cleaned = super().clean()
        codes = [role.code for role in cleaned.get("roles") or []]
        errors = roles.role_errors(codes, cleaned.get("organisation"))
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    form = PortalUserChangeForm
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["roles", "organisation__kind", "is_active", "is_staff"]
    list_select_related = ["organisation"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["roles", "groups", "user_permissions"]
    fieldsets = UserAdmin.fieldsets + (
        (_("Organisation and roles"), {"fields": ("organisation", "job_title", "roles")}),
        (_("Two-factor sign-in"), {"fields": ("two_factor_status",)}),
    )
    readonly_fields = ["two_factor_status"]

    @admin.display(description=_("Second factor"))
    def two_factor_status(self, obj):
        if obj.pk is None:
            return "—"
        if two_factor.has_device(obj):
            status = _("Authenticator app set up")
        elif two_factor.is_required(obj):
            status = _("Not set up yet: set up at the next sign-in")
        else:
            status = _("Not used (optional for this account)")
        return format_html(
            '{} · <a href="{}">{}</a>',
            status,
            reverse("two_factor_reset", args=[obj.pk]),
            _("Reset the second factor"),
        )
