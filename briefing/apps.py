from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class BriefingConfig(AppConfig):
    default = True
    name = "briefing"
    verbose_name = _("Briefings and organisations")

    def ready(self):
        from briefing import tasks  # noqa: F401  (register tasks in the web process too)


class BriefingAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "briefing.admin_site.BriefingAdminSite"
