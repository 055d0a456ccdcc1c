from django.contrib import admin

from briefing.models.sessions import (
    BriefingDocument,
    BriefingSession,
    Conclusion,
    FollowUpTask,
    ProgressUpdate,
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
