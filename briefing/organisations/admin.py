from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from briefing.models.organisations import Organisation, Role, User
from briefing.organisations import roles


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "kind", "valid_from", "valid_to", "successor"]
    list_filter = ["kind", "valid_to"]
    search_fields = ["code", "name", "short_name", "admin_code"]
    list_select_related = ["successor"]
    autocomplete_fields = ["successor"]


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
    )
