from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from briefing.organisations.views import account, api_tokens, notifications, security_log, staff
from briefing.platform import views as platform_views
from briefing.reports.sitemaps import BriefingSitemap
from indicators.sitemaps import IndicatorSitemap
from proposals.sitemaps import AnswerSitemap, PublicPagesSitemap
from proposals.views import public as public_views

SITEMAPS = {
    "pages": PublicPagesSitemap,
    "answers": AnswerSitemap,
    "indicators": IndicatorSitemap,
    "briefings": BriefingSitemap,
}

urlpatterns = [
    path("", public_views.home, name="home"),
    path("start/", staff.start, name="start"),
    path("workspace/", staff.workspace, name="workspace"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification_open"),
    path(
        "notifications/read-all/",
        notifications.notifications_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/settings/", notifications.notification_settings, name="notification_settings"
    ),
    path("organisations/", staff.organisation_list, name="organisation_list"),
    path("security-log/", security_log.security_log_page, name="security_log"),
    path("security-log.csv", security_log.security_log_csv, name="security_log_csv"),
    path("proposals/", include("proposals.urls")),
    path("answers/", include("proposals.public_urls")),
    path("indicators/", include("indicators.urls")),
    path("briefings/", include("briefing.reports.urls")),
    path("api/v1/", include("briefing.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", platform_views.api_docs, name="api_docs"),
    path("accounts/api-token/", api_tokens.own_tokens, name="api_token"),
    path(
        "organisations/<int:organisation_id>/api-tokens/",
        api_tokens.token_list,
        name="api_tokens",
    ),
    path(
        "organisations/<int:organisation_id>/api-tokens/<int:token_id>/revoke/",
        api_tokens.token_revoke,
        name="api_token_revoke",
    ),
    path("accounts/login/", staff.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", account.account, name="account"),
    path("accounts/sign-off/", account.sign_off_setting, name="sign_off_setting"),
    path(
        "accounts/sign-out-other-devices/",
        account.sign_out_other_devices,
        name="sign_out_other_devices",
    ),
    path("accounts/session/", account.session_status, name="session_status"),
    path("accounts/two-factor/", account.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", account.two_factor_setup, name="two_factor_setup"),
    path(
        "accounts/two-factor/recovery-codes/",
        account.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path(
        "accounts/two-factor/turn-off/",
        account.two_factor_turn_off,
        name="two_factor_turn_off",
    ),
    path(
        "accounts/two-factor/reset/<int:user_id>/",
        account.two_factor_reset,
        name="two_factor_reset",
    ),
    path(
        "accounts/password/",
        staff.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("language/<str:code>/", platform_views.set_language, name="set_language"),
    path("visits.json", platform_views.visit_counters, name="visit_counters"),
    path("healthz", staff.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Machines reading the public site: /sitemap.xml is an index of the sections, the
    # answers' paginated (/sitemap-answers.xml?p=2).
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", platform_views.robots_txt, name="robots_txt"),
]

handler404 = "briefing.platform.views.page_not_found"
handler500 = "briefing.platform.api_errors.server_error"
handler403 = "briefing.organisations.views.security_log.permission_denied"
