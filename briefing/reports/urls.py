"""/briefings/: the list of quarters, each quarter's page with its report, and the
session pages of briefing/sessions/urls.py, all under the "briefings" namespace."""

from django.urls import path

from briefing.reports import document_views, views
from briefing.sessions import urls as session_urls

app_name = "briefings"

urlpatterns = [
    path("", views.briefing_list, name="list"),
    path("<int:year>-q<int:quarter>/", views.briefing_detail, name="detail"),
    # The official documents (Decree 30/2020/NĐ-CP): report.pdf is the Báo cáo.
    *[
        path(
            f"<int:year>-q<int:quarter>/{kind}.{fmt}",
            document_views.official_document,
            {"kind": kind, "fmt": fmt},
            name=f"{kind}_{fmt}",
        )
        for kind in ("report", "conclusions")
        for fmt in ("pdf", "docx", "html")
    ],
    path(
        "<int:year>-q<int:quarter>/particulars/<str:kind>/",
        views.particulars_save,
        name="particulars",
    ),
    path("<int:year>-q<int:quarter>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<int:year>-q<int:quarter>/rollup/", views.rollup_start, name="rollup"),
    path("rollup/<str:run_id>/", views.rollup_progress, name="rollup_progress"),
    *session_urls.urlpatterns,
]
