from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from proposals.models import Answer, Attachment, Event, Field, Recommendation, Subscription


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name"]
    list_display_links = ["code"]
    search_fields = ["code", "name"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["part", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    fields = ["created_at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    can_delete = False


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "status", "submitting_organisation", "responsible_unit"]
    list_filter = ["status", "field", "channel", "period_year", "period_quarter"]
    list_select_related = ["submitting_organisation", "responsible_unit"]
    search_fields = ["code", "title"]
    raw_id_fields = [
        "submitting_organisation",
        "responsible_unit",
        "duplicate_of",
        "handler",
        "submitted_by",
    ]
    readonly_fields = ["status"]
    inlines = [AttachmentInline, EventInline]


@admin.register(Answer)
class AnswerAdmin(SimpleHistoryAdmin):
    list_display = ["recommendation", "drafted_by", "approved_by", "version"]
    raw_id_fields = ["recommendation", "drafted_by", "approved_by"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Personal data: the back office (system administrators) only."""

    list_display = ["email", "field", "created_at", "confirmed_at"]
    list_filter = ["field", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    fields = ["email", "field", "created_at", "confirmed_at"]
    readonly_fields = ["created_at", "confirmed_at"]
