"""Who a follow-up task is assigned to, as a document says it: a whole group is named by
the group ("63 Sở TT&TT", "các đơn vị thuộc Bộ"), the rest one by one.

"Whole" is judged against the organisations that existed on the day of the briefing: in
2020 all 63 provincial departments, after the 2025 merger 34."""

import datetime
import os

from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from briefing.models.organisations import Organisation, OrganisationKind
from briefing.organisations.selectors import organisation_name_on


def common_name(short_names: list[str]) -> str:
    """What the short names of a group share, word by word: "Sở TT&TT" for the 63
    "Sở TT&TT Hà Giang"… of 2020, "Sở KH&CN" for the 34 of 2026; "" when nothing."""
    if not short_names:
        return ""
    words = os.path.commonprefix([name.split() for name in short_names])
    return " ".join(words) if len(short_names) > 1 else ""


def groups_on(day: datetime.date) -> dict:
    """The ids of every provincial department and every ministry unit of `day`, and
    what the departments were called together then ("Sở TT&TT"), in one query."""
    found = {OrganisationKind.PROVINCE: set(), OrganisationKind.MINISTRY_UNIT: set()}
    short_names = []
    rows = (
        Organisation.objects.valid_on(day)
        .filter(kind__in=list(found))
        .named_on(day)
        .annotate(short_then=Coalesce("short_name_then", "short_name"))
        .values_list("pk", "kind", "short_then")
    )
    for pk, kind, short_name in rows:
        found[kind].add(pk)
        if kind == OrganisationKind.PROVINCE:
            short_names.append(short_name)
    return {
        "provinces": frozenset(found[OrganisationKind.PROVINCE]),
        "units": frozenset(found[OrganisationKind.MINISTRY_UNIT]),
        "provinces_name": common_name(short_names),
        "day": day,
    }


def collapse(assignees, groups: dict[str, frozenset[int]]) -> dict:
    """The assignees (organisations, in their order) as stored in a snapshot: the count
    of provincial departments when all of them are assigned, whether all ministry units
    are, and the names of the others."""
    ids = {o.pk for o in assignees}
    provinces, units = groups["provinces"], groups["units"]
    all_provinces = bool(provinces) and provinces <= ids
    all_units = bool(units) and units <= ids
    covered = (provinces if all_provinces else frozenset()) | (units if all_units else frozenset())
    day = groups.get("day")
    return {
        "all_provinces": len(provinces) if all_provinces else 0,
        "provinces_name": groups.get("provinces_name", ""),
        "all_units": all_units,
        # By their names of the day (no query: the names over time are cached).
        "others": [
            organisation_name_on(o, day, short=True) if day else o.short_name
            for o in assignees
            if o.pk not in covered
        ],
    }


def text(collapsed: dict) -> str:
    """ "các đơn vị thuộc Bộ, 63 Sở TT&TT, Cục Viễn thông" in the active language."""
    parts = []
    if collapsed.get("all_units"):
        parts.append(_("the Ministry's units"))
    count = collapsed.get("all_provinces")
    if count and collapsed.get("provinces_name"):
        # "63 Sở TT&TT", "34 Sở KH&CN": the departments' own name, in every language.
        parts.append(f"{count} {collapsed['provinces_name']}")
    elif count:
        parts.append(_("%(count)s provincial departments") % {"count": count})
    return ", ".join([*parts, *collapsed.get("others", [])])
