from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self):
        # The reminder job, registered in every process for the outbox; and the
        # workspace blocks, which briefing.organisations cannot import itself.
        from indicators import (
            tasks,  # noqa: F401
            workspace,
        )

        workspace.register_blocks()
