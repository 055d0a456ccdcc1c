from django.urls import path

from proposals import public_views, subscription_views
from proposals.feeds import LatestAnswersFeed

app_name = "answers"

urlpatterns = [
    path("", public_views.answer_list, name="list"),
    path("feed/", LatestAnswersFeed(), name="feed"),
    path("export.csv", public_views.export_csv, name="export_csv"),
    path("export.json", public_views.export_json, name="export_json"),
    path("export.xlsx", public_views.export_xlsx, name="export_xlsx"),
    path("subscribe/", subscription_views.subscribe, name="subscribe"),
    path("subscribe/sent/", subscription_views.subscribe_sent, name="subscribe_sent"),
    path(
        "subscribe/<str:token>/confirm/",
        subscription_views.subscription_confirm,
        name="subscription_confirm",
    ),
    path(
        "subscribe/<str:token>/cancel/",
        subscription_views.subscription_cancel,
        name="subscription_cancel",
    ),
    path("<str:code>/", public_views.answer_detail, name="detail"),
    path("<str:code>/rate/", public_views.answer_rate, name="rate"),
    path("<str:code>/files/<int:pk>/", public_views.answer_file, name="file"),
]
