"""/briefings/: the list of quarters, each quarter's page with its report, and the
session pages of briefing/sessions/urls.py, all under the "briefings" namespace."""

from django.urls import path

from briefing.reports import views
from briefing.sessions import urls as session_urls

app_name = "briefings"

urlpatterns = [
    path("", views.briefing_list, name="list"),
    path("<int:year>-q<int:quarter>/", views.briefing_detail, name="detail"),
    path("<int:year>-q<int:quarter>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:year>-q<int:quarter>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<int:year>-q<int:quarter>/rollup/", views.rollup_start, name="rollup"),
    path("rollup/<str:run_id>/", views.rollup_progress, name="rollup_progress"),
    *session_urls.urlpatterns,
]
