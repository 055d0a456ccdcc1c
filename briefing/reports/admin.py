from django.contrib import admin

from briefing.models.reports import ReportSnapshot


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
