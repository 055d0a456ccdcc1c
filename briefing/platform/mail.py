"""E-mail from background jobs: rendered in the portal's language, and sent at most
once per claim (a unique row written before sending, removed if sending fails)."""

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
