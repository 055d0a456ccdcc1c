from django.urls import path

from briefing import report_views as views

app_name = "briefings"

urlpatterns = [
    path("", views.briefing_list, name="list"),
    path("<int:year>-q<int:quarter>/", views.briefing_detail, name="detail"),
    path("<int:year>-q<int:quarter>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:year>-q<int:quarter>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<int:year>-q<int:quarter>/rollup/", views.rollup_start, name="rollup"),
    path("rollup/<str:run_id>/", views.rollup_progress, name="rollup_progress"),
    path("tasks/<int:task_id>/progress/", views.task_progress_add, name="task_progress"),
]
