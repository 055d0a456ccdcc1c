from django.urls import path

from proposals.feeds import LatestAnswersFeed
from proposals.views import ask, public, subscriptions

app_name = "answers"

urlpatterns = [
    path("", public.answer_list, name="list"),
    path("feed/", LatestAnswersFeed(), name="feed"),
    path("export.csv", public.export_csv, name="export_csv"),
    path("export.json", public.export_json, name="export_json"),
    path("export.xlsx", public.export_xlsx, name="export_xlsx"),
    path("subscribe/", subscriptions.subscribe, name="subscribe"),
    path("subscribe/sent/", subscriptions.subscribe_sent, name="subscribe_sent"),
    path(
        "subscribe/<str:token>/confirm/",
        subscriptions.subscription_confirm,
        name="subscription_confirm",
    ),
    path(
        "subscribe/<str:token>/cancel/",
        subscriptions.subscription_cancel,
        name="subscription_cancel",
    ),
    path("ask/", ask.ask, name="ask"),
    path("ask/sent/", ask.ask_sent, name="ask_sent"),
    path("ask/<str:token>/confirm/", ask.ask_confirm, name="ask_confirm"),
    path("track/<str:token>/", ask.track, name="track"),
    path("track/<str:token>/withdraw/", ask.track_withdraw, name="track_withdraw"),
    path("track/<str:token>/erase/", ask.track_erase, name="track_erase"),
    path("<str:code>/", public.answer_detail, name="detail"),
    path("<str:code>/rate/", public.answer_rate, name="rate"),
    path("<str:code>/files/<int:pk>/", public.answer_file, name="file"),
]
