"""The platform's periodic jobs: the outbox sweep, visit counts, expired sessions."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from briefing.platform import visits
from briefing.platform.outbox import outbox_sweep


@shared_task(name="briefing.outbox_sweep", ignore_result=True)
def sweep_outbox() -> int:
    return outbox_sweep()


@shared_task(name="briefing.flush_visits", ignore_result=True)
def flush_visits() -> int:

    return visits.flush()


@shared_task(name="briefing.clear_sessions", ignore_result=True)
def clear_sessions() -> None:
    # Sessions are stored in the database (settings.SESSION_ENGINE); expired ones are
    # only removed by this.
    Session.objects.filter(expire_date__lt=timezone.now()).delete()
