from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from briefing import collation


class BriefingConfig(AppConfig):
    default = True
    name = "briefing"
    verbose_name = _("Briefings and organisations")

    def ready(self):
        from briefing import tasks  # noqa: F401  (register tasks in the web process too)

        connection_created.connect(_vietnamese_collation_for_sqlite)


def _vietnamese_collation_for_sqlite(sender, connection, **kwargs):
    # PostgreSQL has ICU's "vi-x-icu"; SQLite learns the same order on each connection.
    if connection.vendor == "sqlite":
        connection.connection.create_collation("vietnamese", collation.compare)


class BriefingAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "briefing.admin_site.BriefingAdminSite"
