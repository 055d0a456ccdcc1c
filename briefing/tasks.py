from celery import shared_task

from briefing.outbox import outbox_sweep


@shared_task(name="briefing.outbox_sweep", ignore_result=True)
def sweep_outbox() -> int:
    return outbox_sweep()


@shared_task(name="briefing.flush_visits", ignore_result=True)
def flush_visits() -> int:
    from briefing import visits

    return visits.flush()
