"""How an indicator's figure reads: its decimals, grouped, with its unit."""

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def figure(value, indicator) -> str:
    """48,55% · 9.534 đài · — when there is no value. The unit is written straight after
    a percentage and after a space otherwise, as Vietnamese documents write them."""
    if value is None:
        return "—"
    text = floatformat(value, indicator.number_format)
    if indicator.unit == "%":
        return f"{text}%"
    return f"{text} {indicator.unit}" if indicator.unit else text
