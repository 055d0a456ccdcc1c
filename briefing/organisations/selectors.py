"""Reusable reads of organisations and users."""

import datetime

from django.db.models import Count, Q

from briefing.models.organisations import Organisation, OrganisationKind, User


def organisation_members(organisation: Organisation):
    return (
        User.objects.filter(organisation=organisation, is_active=True)
        .prefetch_related("roles")
        .order_by("last_name", "first_name", "username")
    )


def organisation_counts_on(day: datetime.date) -> list[dict]:
    """How many organisations of each kind existed on `day`, in one query."""
    rows = (
        Organisation.objects.valid_on(day)
        .values("kind")
        .annotate(total=Count("id"))
        .order_by("kind")
    )
    labels = dict(OrganisationKind.choices)
    return [{"kind": labels[row["kind"]], "total": row["total"]} for row in rows]


def organisation_search(*, kind: str | None, valid_on: datetime.date | None, text: str):
    organisations = Organisation.objects.select_related("successor")
    if kind:
        organisations = organisations.filter(kind=kind)
    if valid_on:
        organisations = organisations.valid_on(valid_on)
    if text:
        organisations = organisations.filter(
            Q(name__icontains=text) | Q(short_name__icontains=text) | Q(code__icontains=text)
        )
    return organisations.alphabetical()
