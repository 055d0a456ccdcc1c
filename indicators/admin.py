from django.contrib import admin

from indicators.models import DataElement, Event, Indicator, ReportingPeriod, Submission, Value


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "period_type", "start", "end", "due_date", "is_locked"]
    list_filter = ["period_type", "year", "is_locked"]
    # Locking and reopening go through the services, which record who and why.
    readonly_fields = ["is_locked"]


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name", "value_type", "unit", "required"]
    list_display_links = ["code"]
    search_fields = ["code", "name"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name", "method", "owner_unit", "period_type", "is_public"]
    list_display_links = ["code"]
    list_filter = ["method", "owner_unit", "period_type", "is_public"]
    list_select_related = ["owner_unit"]
    search_fields = ["code", "name"]
    raw_id_fields = ["baseline_period"]
    filter_horizontal = ["scope"]


class ValueInline(admin.TabularInline):
    model = Value
    extra = 0
    fields = ["element", "value"]
    readonly_fields = fields
    can_delete = False


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    fields = ["created_at", "action", "actor", "note"]
    readonly_fields = fields
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["organisation", "period", "owner_unit", "status", "submitted_at"]
    list_filter = ["status", "owner_unit", "period"]
    list_select_related = ["organisation", "period", "owner_unit"]
    raw_id_fields = ["organisation", "submitted_by", "decided_by"]
    readonly_fields = ["status"]
    inlines = [ValueInline, EventInline]
