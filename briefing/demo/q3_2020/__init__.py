"""The demo quarter Q3/2020: the briefing of 7 September 2020, the 7,793 recommendations
of the quarter and the indicator values of Q4/2019, Q2/2020 and Q3/2020, generated so
that the roll-up computes the figures of DOMAIN.md ("The figures of Q3/2020").

Rows are written with bulk_create (7,793 recommendations load in seconds), not through
the workflow services: this is history being loaded, not actions being taken. Safe to
run again: it does nothing once the quarter's briefing exists.
"""

import random

from django.db import transaction

from briefing.demo.q3_2020.content import END_OF_QUARTER, QUARTER, YEAR
from briefing.demo.q3_2020.indicators import indicator_values
from briefing.demo.q3_2020.recommendations import recommendations
from briefing.demo.q3_2020.session import briefing_session
from briefing.models.organisations import Organisation, OrganisationKind
from briefing.models.sessions import BriefingSession


def _orgs(kind: str, day=END_OF_QUARTER) -> list[Organisation]:
    return list(Organisation.objects.filter(kind=kind).valid_on(day).order_by("code"))


def is_loaded() -> bool:
    return BriefingSession.objects.filter(year=YEAR, quarter=QUARTER).exists()


@transaction.atomic
def load_q3_2020() -> bool:
    """Load the demo quarter; False when it is there already."""
    if is_loaded():
        return False
    rng = random.Random(20200907)  # noqa: S311  (repeatable demo data, not secrets)
    provinces = _orgs(OrganisationKind.PROVINCE)
    agencies = _orgs(OrganisationKind.CENTRAL_AGENCY)
    units = {o.code: o for o in _orgs(OrganisationKind.MINISTRY_UNIT)}
    briefing_session(provinces, agencies, units)
    recommendations(rng, provinces, units)
    indicator_values(rng, provinces, agencies, units)
    return True
