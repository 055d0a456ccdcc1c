from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from briefing import views

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("workspace/", views.workspace, name="workspace"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("proposals/", include("proposals.urls")),
    path("answers/", include("proposals.public_urls")),
    path("indicators/", include("indicators.urls")),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler404 = "briefing.views.page_not_found"
handler403 = "briefing.views.permission_denied"
