from django.urls import path

from briefing import report_views as views
from briefing import session_views

app_name = "briefings"

urlpatterns = [
    path("", views.briefing_list, name="list"),
    path("new/", session_views.session_new, name="new"),
    path("<int:year>-q<int:quarter>/edit/", session_views.session_edit, name="edit"),
    path("<int:year>-q<int:quarter>/documents/", session_views.document_add, name="document_add"),
    path(
        "<int:year>-q<int:quarter>/documents/<int:pk>/",
        session_views.document_file,
        name="document_file",
    ),
    path(
        "<int:year>-q<int:quarter>/documents/<int:pk>/delete/",
        session_views.document_delete,
        name="document_delete",
    ),
    path(
        "<int:year>-q<int:quarter>/conclusions/",
        session_views.conclusion_add,
        name="conclusion_add",
    ),
    path(
        "<int:year>-q<int:quarter>/tasks/",
        session_views.task_add,
        name="task_add",
    ),
    path("<int:year>-q<int:quarter>/", views.briefing_detail, name="detail"),
    path("<int:year>-q<int:quarter>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:year>-q<int:quarter>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<int:year>-q<int:quarter>/rollup/", views.rollup_start, name="rollup"),
    path("rollup/<str:run_id>/", views.rollup_progress, name="rollup_progress"),
    path("tasks/<int:task_id>/progress/", views.task_progress_add, name="task_progress"),
]
