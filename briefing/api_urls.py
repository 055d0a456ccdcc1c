"""/api/v1/: the REST API (read-only open data for everyone; a department's
recommendations and indicator reports with its organisation's token). The schema is at
/api/schema/ and its readable form at /api/docs/."""

from django.urls import path

from briefing.reports import api as reports_api
from indicators import api as indicators_api
from proposals import api as proposals_api
from proposals import api_recommendations

app_name = "api"

urlpatterns = [
    path("answers/", proposals_api.AnswerList.as_view(), name="answers"),
    path("answers/<str:code>/", proposals_api.AnswerDetail.as_view(), name="answer"),
    path(
        "recommendations/",
        api_recommendations.RecommendationCollection.as_view(),
        name="recommendations",
    ),
    path(
        "recommendations/<str:code>/",
        api_recommendations.RecommendationDetail.as_view(),
        name="recommendation",
    ),
    path("briefings/<str:quarter>/", reports_api.BriefingReport.as_view(), name="briefing"),
    path("indicators/", indicators_api.IndicatorList.as_view(), name="indicators"),
    path("indicators/reports/", indicators_api.ReportSubmit.as_view(), name="indicator_reports"),
    path(
        "indicators/<str:code>/figures/",
        indicators_api.IndicatorFigures.as_view(),
        name="indicator_figures",
    ),
]
