from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from proposals import search


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Recommendations")

    def ready(self):
        # Register the tasks in every process (web too), so that the outbox can hand
        # them to Celery by name; autodiscovery alone only runs inside workers.
        from proposals import (
            tasks,  # noqa: F401
            webhook_tasks,  # noqa: F401
            workspace,
        )

        # The workspace (briefing.organisations) cannot import this app: it renders
        # the blocks each app registers.
        workspace.register_blocks()
        # The staff search folds diacritics in the database; SQLite learns how.
        connection_created.connect(search.register_fold_for_sqlite)
