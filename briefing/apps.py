from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from briefing.platform import collation


class BriefingConfig(AppConfig):
    default = True
    name = "briefing"
    verbose_name = _("Briefings and organisations")

    def ready(self):
        # The subpackages' Celery tasks and admin pages, which Django's and Celery's
        # discovery (<app>.tasks, <app>.admin) would not find below the app's top.
        import briefing.organisations.admin
        import briefing.organisations.tasks
        import briefing.platform.tasks
        import briefing.reports.admin
        import briefing.reports.tasks
        import briefing.sessions.admin
        import briefing.sessions.tasks  # noqa: F401
        from briefing.organisations import security_log
        from briefing.sessions import workspace

        workspace.register_blocks()

        connection_created.connect(_vietnamese_collation_for_sqlite)
        security_log.connect_signals()


def _vietnamese_collation_for_sqlite(sender, connection, **kwargs):
    # PostgreSQL has ICU's "vi-x-icu"; SQLite learns the same order on each connection.
    if connection.vendor == "sqlite":
        connection.connection.create_collation("vietnamese", collation.compare)


class BriefingAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "briefing.organisations.admin_site.BriefingAdminSite"
