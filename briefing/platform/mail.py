"""E-mail from background jobs: rendered in the portal's language, and sent at most
once per claim (a unique row written before sending, removed if sending fails); the
daily digests (one e-mail per organisation and day) of the overdue jobs."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation


def render_mail(template: str, context: dict) -> tuple[str, str]:
    """(subject, body) from `<template>_subject.txt` and `<template>_body.txt`."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    return subject, body


def send_once(
    *,
    claim_model,
    claim: dict,
    template: str,
    context: dict,
    recipients,
    headers=None,
    connection=None,
) -> bool:
    """Send unless a `claim_model` row with `claim` exists already; True when sent.
    A job sending many passes one open `connection` (one SMTP session for all)."""
    try:
        with transaction.atomic():
            claim_model.objects.create(**claim)
    except IntegrityError:
        return False  # sent before (e.g. the job ran twice today)
    subject, body = render_mail(template, context)
    try:
        EmailMessage(
            subject, body, None, sorted(recipients), headers=headers, connection=connection
        ).send()
    except Exception:
        claim_model.objects.filter(**claim).delete()  # let a later run try again
        raise
    return True


def send_daily_digests(
    *,
    items_by_organisation: dict,
    readers,
    claim_model,
    organisation_name: str,
    items_name: str,
    template: str,
    day: datetime.date,
) -> int:
    """One e-mail per organisation listing its items of the day (e.g. what is past its
    deadline), each sent at most once a day; returns how many were sent.

    `items_by_organisation` maps each organisation to its items, in the order the mail
    lists them; `readers` is a user queryset of who gets an organisation's mail (the
    active ones with an address, of that organisation, are written to); `claim_model`
    has one row per organisation and day, its organisation field named
    `organisation_name`, which is also the template's name for the organisation, as
    `items_name` is for the items (with `today` and `base`, the portal's address).
    """
    if not items_by_organisation:
        return 0
    emails = defaultdict(set)
    for organisation_id, email in (
        readers.filter(is_active=True, organisation__in=list(items_by_organisation))
        .exclude(email="")
        .values_list("organisation_id", "email")
        .distinct()
    ):
        emails[organisation_id].add(email)
    sent = 0
    for organisation, items in items_by_organisation.items():
        recipients = emails.get(organisation.pk)
        if not recipients:
            continue
        context = {
            organisation_name: organisation,
            items_name: items,
            "today": day,
            "base": settings.PORTAL_BASE_URL,
        }
        sent += send_once(
            claim_model=claim_model,
            claim={organisation_name: organisation, "day": day},
            template=template,
            context=context,
            recipients=recipients,
        )
    return sent
