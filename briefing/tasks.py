from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

# Tasks defined next to their services; imported here so that workers and beat,
# which load <app>.tasks, know them too.
from briefing import briefing_tasks, rollup  # noqa: F401
from briefing.outbox import outbox_sweep


@shared_task(name="briefing.outbox_sweep", ignore_result=True)
def sweep_outbox() -> int:
    return outbox_sweep()


@shared_task(name="briefing.flush_visits", ignore_result=True)
def flush_visits() -> int:
    from briefing import visits

    return visits.flush()


@shared_task(name="briefing.clear_sessions", ignore_result=True)
def clear_sessions() -> None:
    # Sessions are stored in the database (settings.SESSION_ENGINE); expired ones are
    # only removed by this.
    Session.objects.filter(expire_date__lt=timezone.now()).delete()
