"""{% load organisation_names %}: every organisation by its name on the date that matters.

{{ organisation|name_on:day }}        the full name on `day` (today when empty)
{{ organisation|short_name_on:day }}  the short name on `day`
{% ministry_name day %}               the ministry's name (Bộ TT&TT, then Bộ KH&CN)
"""

import datetime

from django import template
from django.utils import timezone

from briefing.organisations.selectors import ministry_name_on, organisation_name_on

register = template.Library()


def _day(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value or None


@register.filter
def name_on(organisation, day=None) -> str:
    return organisation_name_on(organisation, _day(day))


@register.filter
def short_name_on(organisation, day=None) -> str:
    return organisation_name_on(organisation, _day(day), short=True)


@register.simple_tag
def ministry_name(day=None, short=False) -> str:
    return ministry_name_on(_day(day), short=short)
