from django.urls import path

from proposals import views

app_name = "proposals"

urlpatterns = [
    path("", views.recommendation_list, name="list"),
    path("new/", views.recommendation_create, name="create"),
    path("export.xlsx", views.recommendation_export, name="export"),
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.recommendation_detail, name="detail"),
    path("<int:pk>/edit/", views.recommendation_edit, name="edit"),
    path("<int:pk>/accept/", views.recommendation_accept, name="accept"),
    path("<int:pk>/duplicate/", views.recommendation_merge, name="merge"),
    path("<int:pk>/answer/", views.answer_edit, name="answer"),
    path("<int:pk>/schedule/", views.recommendation_schedule, name="schedule"),
    path("<int:pk>/do/<slug:action>/", views.recommendation_action, name="action"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
