"""/api/v1/: the REST API (read-only open data for everyone; indicator reports with a
token). The schema is at /api/schema/ and its readable form at /api/docs/."""

from django.urls import path

from indicators import api as indicators_api
from proposals import api as proposals_api

app_name = "api"

urlpatterns = [
    path("answers/", proposals_api.AnswerList.as_view(), name="answers"),
    path("answers/<str:code>/", proposals_api.AnswerDetail.as_view(), name="answer"),
    path("indicators/", indicators_api.IndicatorList.as_view(), name="indicators"),
    path("indicators/reports/", indicators_api.ReportSubmit.as_view(), name="indicator_reports"),
    path(
        "indicators/<str:code>/figures/",
        indicators_api.IndicatorFigures.as_view(),
        name="indicator_figures",
    ),
]
