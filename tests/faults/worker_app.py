"""The portal's Celery app as a fault test's worker process loads it
(`celery -A tests.faults.worker_app worker`): the same app, tasks and settings (the
test sets CELERY_VISIBILITY_TIMEOUT to seconds), and Redis asked every second, not
every 10 x 10 s, for the tasks of dead workers.
"""

from briefing.celery import app

app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
