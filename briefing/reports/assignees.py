"""Who a follow-up task is assigned to, as a document says it: a whole group is named by
the group ("63 Sở TT&TT", "các đơn vị thuộc Bộ"), the rest one by one.

"Whole" is judged against the organisations that existed on the day of the briefing: in
2020 all 63 provincial departments, after the 2025 merger 34."""

import datetime

from django.utils.translation import gettext as _

from briefing.models.organisations import Organisation, OrganisationKind


def groups_on(day: datetime.date) -> dict[str, frozenset[int]]:
    """The ids of every provincial department and every ministry unit of `day` (one
    query)."""
    found = {OrganisationKind.PROVINCE: set(), OrganisationKind.MINISTRY_UNIT: set()}
    rows = Organisation.objects.valid_on(day).filter(kind__in=list(found)).values_list("pk", "kind")
    for pk, kind in rows:
        found[kind].add(pk)
    return {
        "provinces": frozenset(found[OrganisationKind.PROVINCE]),
        "units": frozenset(found[OrganisationKind.MINISTRY_UNIT]),
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
    return {
        "all_provinces": len(provinces) if all_provinces else 0,
        "all_units": all_units,
        "others": [o.short_name for o in assignees if o.pk not in covered],
    }


def text(collapsed: dict) -> str:
    """ "các đơn vị thuộc Bộ, 63 Sở TT&TT, Cục Viễn thông" in the active language."""
    parts = []
    if collapsed.get("all_units"):
        parts.append(_("the Ministry's units"))
    if collapsed.get("all_provinces"):
        parts.append(_("%(count)s provincial departments") % {"count": collapsed["all_provinces"]})
    return ", ".join([*parts, *collapsed.get("others", [])])
