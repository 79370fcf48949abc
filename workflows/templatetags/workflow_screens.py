"""Wording for the counsellors' screens."""

import datetime

from django import template
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def time_in_stage(entered_at: datetime.datetime, now: datetime.datetime) -> str:
    """ "depuis 2 semaines, 6 jours", and "depuis un instant" rather than Django's
    "depuis 0 minute" for a pathway that has just moved."""
    if (now - entered_at).total_seconds() < 60:
        return _("depuis un instant")
    return _("depuis %(duration)s") % {"duration": timesince(entered_at, now)}
