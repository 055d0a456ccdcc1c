"""The Ministry Office's pages to prepare a briefing, and the assignees' progress form.
Included by briefing/reports/urls.py under the "briefings" namespace."""

from django.urls import path

from briefing.sessions import views

urlpatterns = [
    path("new/", views.session_new, name="new"),
    path("<int:year>-q<int:quarter>/edit/", views.session_edit, name="edit"),
    path("<int:year>-q<int:quarter>/documents/", views.document_add, name="document_add"),
    path(
        "<int:year>-q<int:quarter>/documents/<int:pk>/",
        views.document_file,
        name="document_file",
    ),
    path(
        "<int:year>-q<int:quarter>/documents/<int:pk>/delete/",
        views.document_delete,
        name="document_delete",
    ),
    path("<int:year>-q<int:quarter>/conclusions/", views.conclusion_add, name="conclusion_add"),
    path("<int:year>-q<int:quarter>/tasks/", views.task_add, name="task_add"),
    path("tasks/<int:task_id>/progress/", views.task_progress_add, name="task_progress"),
]
