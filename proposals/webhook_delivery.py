"""The POST of a webhook delivery, its retries and the disabling of an endpoint that
keeps failing.

Against server-side request forgery the address is checked again at every attempt:
https only (http when WEBHOOK_ALLOW_HTTP), the host resolved then and every address it
resolves to public (private, loopback and link-local ones only when
WEBHOOK_ALLOW_PRIVATE_ADDRESSES), and the connection made to the address that was
checked, so a second DNS answer cannot point it elsewhere. Redirects are not followed
(a 3xx is a failure), the timeout is short and at most WEBHOOK_RESPONSE_LIMIT bytes of
the answer are read.
"""

import datetime
import http.client
import ipaddress
import json
import logging
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from briefing.models.organisations import RoleCode
from briefing.organisations import notifications
from proposals import webhooks
from proposals.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

DISABLED_NOTICE = gettext_noop(
    "The webhook “%(name)s” was turned off after %(count)s failed deliveries in a row"
)


class UnsafeAddress(Exception):
    """The address may not be called (scheme, host or what it resolves to)."""


def _allowed_ip(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return not ip.is_multicast and not ip.is_unspecified
    return ip.is_global and not ip.is_multicast


def url_problem(url: str) -> str | None:
    """Why the address cannot be an endpoint, without resolving it (the form's check;
    the delivery checks what the name resolves to)."""
    parts = urlsplit(url)
    allowed = {"https", "http"} if settings.WEBHOOK_ALLOW_HTTP else {"https"}
    if parts.scheme not in allowed:
        return _("The address must begin with https://.")
    if not parts.hostname:
        return _("The address has no host name.")
    if parts.username or parts.password:
        return _("The address may not contain a user name or password.")
    try:
        parts.port  # noqa: B018 (raises on a malformed port)
    except ValueError:
        return _("The address has an invalid port.")
    host = parts.hostname
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if (literal is not None and not _allowed_ip(host)) or (
        host == "localhost" and not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES
    ):
        return _("The address points to a private or local network.")
    return None


def _resolve(host: str, port: int) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise UnsafeAddress(f"cannot resolve {host}: {exc}") from exc
    addresses = [info[4][0] for info in infos]
    refused = [a for a in addresses if not _allowed_ip(a)]
    if not addresses or refused:
        raise UnsafeAddress(f"{host} resolves to a refused address {', '.join(refused)}")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass
class Outcome:
    status_code: int | None = None
    excerpt: str = ""
    error: str = ""
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, body: bytes, headers: dict) -> Outcome:
    """One POST, never raising: what happened is in the Outcome."""
    started = time.monotonic()
    outcome = Outcome()
    try:
        problem = url_problem(url)
        if problem:
            raise UnsafeAddress(problem)
        parts = urlsplit(url)
        https = parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        address = _resolve(parts.hostname, port)
        connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
        connection = connection_class(
            parts.hostname, port, address=address, timeout=settings.WEBHOOK_TIMEOUT
        )
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            outcome.status_code = response.status
            raw = response.read(settings.WEBHOOK_RESPONSE_LIMIT)
            outcome.excerpt = raw.decode("utf-8", "replace")[:500]
            if 300 <= response.status < 400:
                location = response.getheader("Location", "")
                outcome.error = f"redirect to {location} not followed"[:300]
            elif not outcome.ok:
                outcome.error = f"HTTP {response.status}"
        finally:
            connection.close()
    except TimeoutError:
        outcome.error = f"timed out after {settings.WEBHOOK_TIMEOUT} s"
    except UnsafeAddress as exc:
        outcome.error = f"refused: {exc}"[:300]
    except (OSError, http.client.HTTPException, ValueError) as exc:
        outcome.error = f"{type(exc).__name__}: {exc}"[:300]
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    return outcome


def request_for(delivery: WebhookDelivery) -> tuple[bytes, dict]:
    """The body and headers of one attempt, signed with the endpoint's secret now."""
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    return body, {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "giaoban-webhooks/1",
        webhooks.EVENT_ID_HEADER: str(delivery.event_id),
        webhooks.EVENT_TYPE_HEADER: delivery.event_type,
        webhooks.TIMESTAMP_HEADER: timestamp,
        webhooks.SIGNATURE_HEADER: webhooks.signature(delivery.endpoint.secret, timestamp, body),
    }


def _claim(delivery_id: int, now) -> bool:
    """Take the delivery for one attempt: only a waiting one that is due, of an active
    endpoint, and not held by another worker."""
    hold = datetime.timedelta(seconds=settings.WEBHOOK_TIMEOUT + 60)
    return bool(
        WebhookDelivery.objects.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            pk=delivery_id,
            status=DeliveryStatus.PENDING,
            endpoint__is_active=True,
        ).update(claimed_until=now + hold, attempts=F("attempts") + 1)
    )


def webhook_deliver(*, delivery_id: int) -> bool | None:
    """One attempt of a delivery. Returns True when delivered, False when it failed,
    None when there was nothing to do (not due, done, or another worker has it)."""
    if not _claim(delivery_id, timezone.now()):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    body, headers = request_for(delivery)
    outcome = post(delivery.endpoint.url, body, headers)
    _record(delivery, outcome)
    return outcome.ok


def _record(delivery: WebhookDelivery, outcome: Outcome) -> None:
    now = timezone.now()
    endpoint = delivery.endpoint
    retry_in = None
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            status_code=outcome.status_code,
            duration_ms=outcome.duration_ms,
            error=outcome.error,
            response_excerpt=outcome.excerpt,
            ok=outcome.ok,
        )
        deliveries = WebhookDelivery.objects.filter(pk=delivery.pk)
        if outcome.ok:
            deliveries.update(
                status=DeliveryStatus.DELIVERED,
                delivered_at=now,
                claimed_until=None,
                next_attempt_at=None,
            )
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failures_in_row=0)
            return
        delays = settings.WEBHOOK_RETRY_DELAYS
        if delivery.attempts <= len(delays):
            retry_in = delays[delivery.attempts - 1]
            deliveries.update(
                next_attempt_at=now + datetime.timedelta(seconds=retry_in), claimed_until=None
            )
        else:
            deliveries.update(
                status=DeliveryStatus.FAILED, claimed_until=None, next_attempt_at=None
            )
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            failures_in_row=F("failures_in_row") + 1
        )
        failures = WebhookEndpoint.objects.values_list("failures_in_row", flat=True).get(
            pk=endpoint.pk
        )
        if failures >= settings.WEBHOOK_DISABLE_AFTER:
            _disable(endpoint, failures)
        if retry_in is not None:
            transaction.on_commit(lambda: schedule(delivery.pk, retry_in))


def schedule(delivery_id: int, countdown: int) -> None:
    """The next attempt, handed to Celery; if the broker is down the sweep
    (`webhooks_retry_due`) sends it when it is due."""
    try:
        current_app.tasks[webhooks.DELIVER_TASK].apply_async(
            kwargs={"delivery_id": delivery_id}, countdown=countdown
        )
    except Exception as exc:  # broker down: the periodic sweep sends it
        log.warning("webhooks: could not schedule delivery %s: %s", delivery_id, exc)


def _disable(endpoint: WebhookEndpoint, failures: int) -> None:
    """Turn the endpoint off (once) and tell its organisation's leaders."""
    turned_off = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
        is_active=False, disabled_at=timezone.now()
    )
    if not turned_off:
        return
    notifications.notify(
        users=notifications.staff_of(endpoint.organisation_id, RoleCode.PROVINCE_LEADER),
        message=DISABLED_NOTICE,
        params={"name": endpoint.name, "count": failures},
        url=reverse("proposals:webhook_detail", args=[endpoint.pk]),
    )


# Attempts due longer ago than this were lost on their way to Celery.
SWEEP_GRACE = datetime.timedelta(minutes=2)


def webhooks_retry_due() -> int:
    """Send the attempts that are due but did not reach a worker (the broker was down
    when they were scheduled). Returns how many were handed to Celery."""
    cutoff = timezone.now() - SWEEP_GRACE
    due = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lt=cutoff, endpoint__is_active=True
    ).values_list("pk", flat=True)[:500]
    for delivery_id in due:
        schedule(delivery_id, 0)
    return len(due)
