from django.urls import path

from indicators import period_views, views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.<str:fmt>", views.dashboard_export, name="export"),
    path("report/", views.report_index, name="report_index"),
    path("report/<str:period_slug>/<str:unit_code>/", views.report_form, name="report_form"),
    path(
        "report/<str:period_slug>/<str:unit_code>/template.xlsx",
        views.report_template,
        name="report_template",
    ),
    path(
        "report/<str:period_slug>/<str:unit_code>/upload/",
        views.report_upload,
        name="report_upload",
    ),
    path("review/", views.review_list, name="review"),
    path("periods/", period_views.period_list, name="periods"),
    path("periods/<str:slug>/<str:action>/", period_views.period_action, name="period_action"),
    path("reports/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("reports/<int:pk>/<str:action>/", views.submission_action, name="submission_action"),
    path("staff/", views.staff_dashboard, name="staff"),
    path("staff/entities/<int:pk>/", views.entity_detail, name="entity_detail"),
    path("staff/<str:code>/", views.staff_indicator, name="staff_indicator"),
    path("<str:code>/export.<str:fmt>", views.indicator_export, name="indicator_export"),
    path("<str:code>/", views.indicator_detail, name="detail"),
]
