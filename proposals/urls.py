from django.urls import path

from proposals.views import answers, imports, intake, recommendations, worklist

app_name = "proposals"

urlpatterns = [
    path("", worklist.recommendation_list, name="list"),
    path("new/", recommendations.recommendation_create, name="create"),
    path("export.xlsx", worklist.recommendation_export, name="export"),
    path("import/", imports.import_upload, name="import"),
    path("import/template.xlsx", imports.import_template, name="import_template"),
    path("intake/", intake.intake_register, name="intake"),
    path("intake/import/", intake.intake_import, name="intake_import"),
    path("intake/template.xlsx", intake.intake_template, name="intake_template"),
    path("<int:pk>/", recommendations.recommendation_detail, name="detail"),
    path("<int:pk>/edit/", recommendations.recommendation_edit, name="edit"),
    path("<int:pk>/accept/", recommendations.recommendation_accept, name="accept"),
    path("<int:pk>/duplicate/", recommendations.recommendation_merge, name="merge"),
    path("<int:pk>/answer/", answers.answer_edit, name="answer"),
    path("<int:pk>/schedule/", recommendations.recommendation_schedule, name="schedule"),
    path("<int:pk>/do/<slug:action>/", recommendations.recommendation_action, name="action"),
    path("attachments/<int:pk>/", answers.attachment_download, name="attachment"),
]
