"""Reusable reads of organisations and users."""

import datetime
import logging

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone, translation

from briefing.models.organisations import Organisation, OrganisationKind, OrganisationName, User

log = logging.getLogger(__name__)


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
        # By the names of that day: 63 "Sở KH&CN" between March and June 2025.
        organisations = organisations.valid_on(valid_on).named_on(valid_on)
    if text:
        renamed = OrganisationName.objects.filter(
            Q(name__icontains=text) | Q(short_name__icontains=text), organisation=OuterRef("pk")
        )
        organisations = organisations.filter(
            Q(name__icontains=text)
            | Q(short_name__icontains=text)
            | Q(code__icontains=text)
            | Exists(renamed)
        )
    return organisations.alphabetical()


# Names over time, for showing any organisation by its name on a date without a query per
# row: the new names of every renamed organisation (a few hundred rows) and the ministry.
NAMES_KEY = "organisations:names"
NAMES_TIMEOUT = 10 * 60


def _names_over_time() -> dict:
    try:
        found = cache.get(NAMES_KEY)
    except Exception:  # a dead cache: read the database (briefing.platform.cache_backend)
        found = None
    if found is not None:
        return found
    renames = {}
    for row in OrganisationName.objects.order_by("organisation_id", "valid_from").values_list(
        "organisation_id", "valid_from", "name", "short_name", "name_en"
    ):
        renames.setdefault(row[0], []).append(row[1:])
    ministry = (
        Organisation.objects.filter(code=Organisation.MINISTRY_CODE)
        .values_list("pk", "name", "short_name", "name_en")
        .first()
    )
    found = {"renames": renames, "ministry": ministry}
    try:
        cache.set(NAMES_KEY, found, NAMES_TIMEOUT)
    except Exception as exc:
        log.warning("organisation names: could not cache: %s", exc)
    return found


def organisation_names_forget() -> None:
    """After a rename: the next page reads the names again."""
    try:
        cache.delete(NAMES_KEY)
    except Exception as exc:  # the entry expires on its own within NAMES_TIMEOUT
        log.warning("organisation names: could not forget: %s", exc)


def _name_on(base: tuple, renames: list, day: datetime.date, short: bool) -> str:
    """`base` is (name, short_name, name_en); `renames` are (valid_from, name, ...)."""
    name, short_name, name_en = base
    for valid_from, *later in renames:
        if valid_from > day:
            break
        name, short_name, name_en = later
    if short:
        return short_name or name
    if name_en and translation.get_language() == "en":
        return name_en
    return name


def organisation_name_on(organisation, day: datetime.date | None = None, *, short=False) -> str:
    """The one answer to "what was X called on D" (today when no day is given): the
    latest name of OrganisationName that had begun by then, else its own name."""
    if organisation is None:
        return ""
    day = day or timezone.localdate()
    renames = _names_over_time()["renames"].get(organisation.pk, [])
    base = (organisation.name, organisation.short_name, getattr(organisation, "name_en", ""))
    return _name_on(base, renames, day, short)


def ministry_name_on(day: datetime.date | None = None, *, short=False) -> str:
    """The ministry's name on `day` (today when none): the portal's header and footer."""
    names = _names_over_time()
    if names["ministry"] is None:
        return ""
    pk, *base = names["ministry"]
    return _name_on(tuple(base), names["renames"].get(pk, []), day or timezone.localdate(), short)


def organisations_on(day: datetime.date, *kinds: str):
    """The organisations that existed on `day`, by their names then, in Vietnamese
    order: the choices of a form or a filter about something of that date."""
    organisations = Organisation.objects.valid_on(day)
    if kinds:
        organisations = organisations.filter(kind__in=kinds)
    return organisations.named_on(day).alphabetical()
