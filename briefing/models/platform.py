"""Models of the platform: the outbox of follow-up work and the daily visit counts."""

from django.db import models
from django.db.models import Q


class OutboxMessage(models.Model):
    """A Celery task to send once the transaction that wrote it has committed.

    The row is written in the same transaction as the business change, so a committed
    action always has its follow-up recorded; if the broker is down when the commit
    happens, the periodic sweep sends it later.
    """

    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_unsent",
                condition=Q(sent_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.task} #{self.pk}"


class VisitDay(models.Model):
    """Page views of one day, moved here from Redis by a periodic job (a page view
    itself never writes to the database)."""

    day = models.DateField(unique=True)
    views = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.day}: {self.views}"
