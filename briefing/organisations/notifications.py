"""Notifications: what happened that concerns a person, under the bell of every page
and by e-mail as the person chose (every event, a daily digest, or none).

Apps call `notify()` from their services or jobs with an English message (marked with
gettext_noop, translated when shown) and its parameters. E-mail goes through the outbox
after commit: `email_notifications` sends each notification of a person who wants every
event, `send_digests` one e-mail a day to those who chose the digest.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from briefing.models.organisations import (
    EmailPreference,
    Notification,
    NotificationDigest,
    RoleCode,
    User,
)
from briefing.platform.mail import render_mail, send_once
from briefing.platform.outbox import outbox_enqueue

UNREAD_CACHE_SECONDS = 300
PAGE_SIZE = 30


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def staff_of(organisation_id: int | None, *role_codes: str):
    """The active people of an organisation holding any of the roles."""
    if organisation_id is None:
        return User.objects.none()
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, roles__code__in=role_codes
    ).distinct()


def office_staff():
    return User.objects.filter(is_active=True, roles__code=RoleCode.OFFICE_COORDINATOR).distinct()


def notify(
    *,
    users,
    message: str,
    params: dict | None = None,
    url: str = "",
    key: str = "",
    actor=None,
    mailed_by_caller: bool = False,
) -> list[Notification]:
    """One notification per active person in `users` (the actor excepted: no one is told
    what they just did). With `key`, a person who already has that notification gets no
    second one. E-mail follows each person's choice; a caller that sends its own e-mail
    to those who want every event says so (`mailed_by_caller`)."""
    people = {u.pk: u for u in users if u.is_active}
    if actor is not None:
        people.pop(actor.pk, None)
    if key:
        for user_id in Notification.objects.filter(user_id__in=list(people), key=key).values_list(
            "user_id", flat=True
        ):
            people.pop(user_id, None)
    if not people:
        return []
    now = timezone.now()
    created = Notification.objects.bulk_create(
        Notification(
            user=user,
            message=str(message),
            params=params or {},
            url=url,
            key=key,
            emailed_at=now
            if mailed_by_caller and user.email_preference == EmailPreference.EVERY
            else None,
        )
        for user in people.values()
    )
    cache.delete_many([_unread_key(user_id) for user_id in people])
    if not mailed_by_caller:
        to_mail = [
            n.pk
            for n in created
            if n.user.email_preference == EmailPreference.EVERY and n.user.email
        ]
        if to_mail:
            outbox_enqueue(task="briefing.email_notifications", notification_ids=to_mail)
    return created


def emails_of_every_event(users) -> set[str]:
    """The addresses of the people among `users` who want an e-mail for every event."""
    return {
        u.email
        for u in users
        if u.is_active and u.email and u.email_preference == EmailPreference.EVERY
    }


def unread_count(user) -> int:
    """How many notifications the person has not opened (cached between changes)."""
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def notifications_of(user):
    return Notification.objects.filter(user=user)


def get_notification_for_user(user, pk: int) -> Notification:
    """The person's own notification, or 404 (another person's is never shown)."""
    try:
        return Notification.objects.get(pk=pk, user=user)
    except Notification.DoesNotExist:
        raise Http404 from None


def notification_open(*, user, pk: int) -> Notification:
    """The person opens a notification: it is read from now on."""
    notification = get_notification_for_user(user, pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk, read_at__isnull=True).update(read_at=timezone.now())
        cache.delete(_unread_key(user.pk))
    return notification


def notifications_mark_all_read(*, user) -> int:
    marked = Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    cache.delete(_unread_key(user.pk))
    return marked


def email_preference_set(*, user, preference: str) -> None:
    if preference not in EmailPreference.values:
        raise ValueError(preference)
    User.objects.filter(pk=user.pk).update(email_preference=preference)
    user.email_preference = preference


def _link(url: str) -> str:
    return settings.PORTAL_BASE_URL + url if url.startswith("/") else url


def email_notifications(*, notification_ids: list[int]) -> int:
    """One e-mail per notification of a person who wants every event; a notification is
    claimed before it is sent, so a rerun sends nothing twice. Returns how many."""
    sent = 0
    for notification in Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("user"):
        user = notification.user
        if not (user.is_active and user.email and user.email_preference == EmailPreference.EVERY):
            continue
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            continue
        subject, body = render_mail(
            "briefing/email/notification",
            {"notification": notification, "link": _link(notification.url)},
        )
        try:
            send_mail(subject, body, None, [user.email])
        except Exception:
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            raise
        sent += 1
    return sent


def send_digests(*, day: datetime.date | None = None) -> int:
    """One e-mail a day to each person who chose the digest, listing what they were
    notified of and not yet e-mailed about. Returns how many e-mails were sent."""
    day = day or timezone.localdate()
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            user__is_active=True,
            user__email_preference=EmailPreference.DIGEST,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "created_at", "pk")
    )
    by_user = defaultdict(list)
    for notification in pending:
        by_user[notification.user].append(notification)
    sent = 0
    for user, items in by_user.items():
        with transaction.atomic():
            if send_once(
                claim_model=NotificationDigest,
                claim={"user": user, "day": day},
                template="briefing/email/notification_digest",
                context={
                    "user": user,
                    "items": [(n, _link(n.url)) for n in items],
                    "today": day,
                },
                recipients=[user.email],
            ):
                Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                    emailed_at=timezone.now()
                )
                sent += 1
    return sent
