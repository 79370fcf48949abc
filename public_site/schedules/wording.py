"""Schedules and dates in plain French, as a young person reads them: "1er et 3e mardis du
mois, de 9 h à 12 h", "mardi 1er décembre 2026". Every string goes through gettext."""

from __future__ import annotations

from datetime import date, time

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .recurrence import (
    MONTH_WEEK_CHOICES,
    WEEKDAY_CHOICES,
    Frequency,
    Recurrence,
    ordered_month_weeks,
)
from .rfc5545 import rule_core

# Plural weekday names for "1er et 3e mardis du mois" (French plural is not always "+s").
_WEEKDAY_PLURALS = [
    _("lundis"),
    _("mardis"),
    _("mercredis"),
    _("jeudis"),
    _("vendredis"),
    _("samedis"),
    _("dimanches"),
]

_MONTH_NAMES = [
    _("janvier"),
    _("février"),
    _("mars"),
    _("avril"),
    _("mai"),
    _("juin"),
    _("juillet"),
    _("août"),
    _("septembre"),
    _("octobre"),
    _("novembre"),
    _("décembre"),
]


def _format_time(value: time) -> str:
    if value.minute:
        return gettext("%(hour)d h %(minute)02d") % {"hour": value.hour, "minute": value.minute}
    return gettext("%(hour)d h") % {"hour": value.hour}


def describe_time_range(start: time, end: time) -> str:
    """ "de 9 h à 12 h", "de 14 h à 16 h 30" """
    return gettext("de %(start)s à %(end)s") % {
        "start": _format_time(start),
        "end": _format_time(end),
    }


def format_date(value: date, *, weekday: bool = False) -> str:
    """ "1er janvier 2026", "31 décembre 2025"; with ``weekday``: "mardi 3 mars 2026"
    (agenda headings and dates shown to young people, where the day of the week is what
    people look for). The one date wording of the site: templates use it through the
    ``french_date`` filter."""
    day = gettext("1er") if value.day == 1 else str(value.day)
    text = f"{day} {_MONTH_NAMES[value.month - 1]} {value.year}"
    if weekday:
        text = f"{WEEKDAY_CHOICES[value.weekday()][1]} {text}"
    return text


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return gettext("%(items)s et %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def describe(recurrence: Recurrence) -> str:
    """The schedule as a person says it: "1er et 3e mardis du mois, de 9 h à 12 h".
    ValueError (French message) if the choices do not make a rule."""
    rule_core(recurrence)
    weekday = str(WEEKDAY_CHOICES[recurrence.weekday][1])
    times = describe_time_range(recurrence.start_time, recurrence.end_time)
    if recurrence.frequency == Frequency.WEEKLY:
        text = gettext("chaque %(weekday)s, %(times)s") % {"weekday": weekday, "times": times}
    elif recurrence.frequency == Frequency.EVERY_OTHER_WEEK:
        text = gettext("un %(weekday)s sur deux, %(times)s") % {
            "weekday": weekday,
            "times": times,
        }
    else:
        labels = dict(MONTH_WEEK_CHOICES)
        weeks = [str(labels[week]) for week in ordered_month_weeks(recurrence.month_weeks)]
        if len(weeks) == 1:
            text = gettext("le %(week)s %(weekday)s du mois, %(times)s") % {
                "week": weeks[0],
                "weekday": weekday,
                "times": times,
            }
        else:
            text = gettext("%(weeks)s %(weekdays)s du mois, %(times)s") % {
                "weeks": _join(weeks),
                "weekdays": _WEEKDAY_PLURALS[recurrence.weekday],
                "times": times,
            }
    if recurrence.end_date is not None:
        text += gettext(", jusqu'au %(date)s") % {"date": format_date(recurrence.end_date)}
    return text
