"""Template helpers for the editors' pages."""

import datetime

from django import template
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def duration(delta):
    """A length of time in words, such as "1 hour" or "1 day, 2 hours"."""
    start = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    return timesince(start, start + delta)
