from django.urls import path

from indicators.views import periods, public, reporting, review, staff

app_name = "indicators"

urlpatterns = [
    path("", public.dashboard, name="dashboard"),
    path("export.<str:fmt>", public.dashboard_export, name="export"),
    path("report/", reporting.report_index, name="report_index"),
    path("report/<str:period_slug>/<str:unit_code>/", reporting.report_form, name="report_form"),
    path(
        "report/<str:period_slug>/<str:unit_code>/template.xlsx",
        reporting.report_template,
        name="report_template",
    ),
    path(
        "report/<str:period_slug>/<str:unit_code>/upload/",
        reporting.report_upload,
        name="report_upload",
    ),
    path("review/", review.review_list, name="review"),
    path("periods/", periods.period_list, name="periods"),
    path("periods/<str:slug>/<str:action>/", periods.period_action, name="period_action"),
    path("reports/<int:pk>/", review.submission_detail, name="submission_detail"),
    path("reports/<int:pk>/<str:action>/", review.submission_action, name="submission_action"),
    path("staff/", staff.staff_dashboard, name="staff"),
    path("staff/entities/<int:pk>/", staff.entity_detail, name="entity_detail"),
    path("staff/<str:code>/", staff.staff_indicator, name="staff_indicator"),
    path("<str:code>/export.<str:fmt>", public.indicator_export, name="indicator_export"),
    path("<str:code>/", public.indicator_detail, name="detail"),
]
