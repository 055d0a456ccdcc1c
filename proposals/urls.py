from django.urls import path

from proposals.views import (
    answers,
    imports,
    intake,
    recommendations,
    triage,
    webhooks,
    worklist,
)

app_name = "proposals"

urlpatterns = [
    path("", worklist.recommendation_list, name="list"),
    path("new/", recommendations.recommendation_create, name="create"),
    path("export.xlsx", worklist.recommendation_export, name="export"),
    path("bulk-accept/", triage.recommendation_bulk_accept, name="bulk_accept"),
    path("similar/", triage.recommendation_similar, name="similar"),
    path("import/", imports.import_upload, name="import"),
    path("import/template.xlsx", imports.import_template, name="import_template"),
    path("intake/", intake.intake_register, name="intake"),
    path("intake/import/", intake.intake_import, name="intake_import"),
    path("intake/template.xlsx", intake.intake_template, name="intake_template"),
    path("webhooks/", webhooks.webhook_list, name="webhook_list"),
    path("webhooks/new/", webhooks.webhook_create, name="webhook_create"),
    path("webhooks/<int:pk>/", webhooks.webhook_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/rotate/", webhooks.webhook_rotate, name="webhook_rotate"),
    path("webhooks/<int:pk>/enable/", webhooks.webhook_enable, name="webhook_enable"),
    path("webhooks/<int:pk>/test/", webhooks.webhook_test, name="webhook_test"),
    path("webhooks/<int:pk>/delete/", webhooks.webhook_delete, name="webhook_delete"),
    path("<int:pk>/", recommendations.recommendation_detail, name="detail"),
    path("<int:pk>/edit/", recommendations.recommendation_edit, name="edit"),
    path("<int:pk>/accept/", triage.recommendation_accept, name="accept"),
    path("<int:pk>/duplicate/", triage.recommendation_merge, name="merge"),
    path("<int:pk>/answer/", answers.answer_edit, name="answer"),
    path("<int:pk>/schedule/", recommendations.recommendation_schedule, name="schedule"),
    path("<int:pk>/do/<slug:action>/", recommendations.recommendation_action, name="action"),
    path("attachments/<int:pk>/", answers.attachment_download, name="attachment"),
]
