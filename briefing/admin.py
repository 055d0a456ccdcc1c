from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from briefing import roles
from briefing.models import Organisation, Role, User


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
        # Roles are fixed by code (briefing/roles.py); only who holds them is data.
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


# --- Briefings ------------------------------------------------------------------------

from briefing.models import (  # noqa: E402  (kept beside the admin classes that use them)
    BriefingDocument,
    BriefingSession,
    Conclusion,
    FollowUpTask,
    ProgressUpdate,
    ReportSnapshot,
)


class BriefingDocumentInline(admin.TabularInline):
    model = BriefingDocument
    extra = 0
    autocomplete_fields = ["presenter"]


class ConclusionInline(admin.StackedInline):
    model = Conclusion
    extra = 0


@admin.register(BriefingSession)
class BriefingSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "quarter", "date", "form", "chair"]
    list_filter = ["year", "form"]
    autocomplete_fields = ["participants"]
    inlines = [BriefingDocumentInline, ConclusionInline]


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    readonly_fields = ["author", "organisation", "created_at"]


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(admin.ModelAdmin):
    list_display = ["__str__", "conclusion", "deadline", "status"]
    list_filter = ["status", "conclusion__session"]
    list_select_related = ["conclusion__session"]
    autocomplete_fields = ["assignees"]
    inlines = [ProgressUpdateInline]


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(admin.ModelAdmin):
    """Read-only: a report version is computed, never typed in."""

    list_display = ["__str__", "created_at", "status"]
    list_filter = ["year", "quarter", "status"]
    readonly_fields = [
        "session",
        "year",
        "quarter",
        "version",
        "created_at",
        "fingerprint",
        "data",
        "status",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
