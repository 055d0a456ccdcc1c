from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from briefing.organisations import views
from briefing.platform import views as platform_views
from proposals.sitemaps import AnswerSitemap, PublicPagesSitemap
from proposals.views import public as public_views

urlpatterns = [
    path("", public_views.home, name="home"),
    path("start/", views.start, name="start"),
    path("workspace/", views.workspace, name="workspace"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("proposals/", include("proposals.urls")),
    path("answers/", include("proposals.public_urls")),
    path("indicators/", include("indicators.urls")),
    path("briefings/", include("briefing.reports.urls")),
    path("api/v1/", include("briefing.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", platform_views.api_docs, name="api_docs"),
    path("accounts/api-token/", views.api_token, name="api_token"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("language/<str:code>/", platform_views.set_language, name="set_language"),
    path("visits.json", platform_views.visit_counters, name="visit_counters"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        sitemap_view,
        {"sitemaps": {"pages": PublicPagesSitemap, "answers": AnswerSitemap}},
        name="sitemap",
    ),
]

handler404 = "briefing.platform.views.page_not_found"
handler403 = "briefing.platform.views.permission_denied"
