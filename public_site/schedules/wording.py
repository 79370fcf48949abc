"""Schedules and dates in plain French, as a young person reads them at a glance: "les
lundis et mercredis, de 9 h à 12 h", "un mercredi sur deux à partir du 13 janvier", "le 1er
mercredi, un mois sur deux", "mardi 1er décembre 2026". Every string goes through gettext."""

from __future__ import annotations

import dataclasses
from datetime import date, time

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .expansion import first_regular_date, occurrences
from .recurrence import (
    MONTH_WEEK_CHOICES,
    WEEKDAY_CHOICES,
    Frequency,
    Recurrence,
    ordered_month_weeks,
    ordered_weekdays,
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

# "sur deux", "sur trois"… for "un mercredi sur deux", "un mois sur trois".
_IN_N = {2: _("deux"), 3: _("trois"), 4: _("quatre"), 6: _("six")}


def _format_time(value: time) -> str:
    if value.minute:
        return gettext("%(hour)d h %(minute)02d") % {"hour": value.hour, "minute": value.minute}
    return gettext("%(hour)d h") % {"hour": value.hour}


def describe_time_range(start: time, end: time | None) -> str:
    """ "de 9 h à 12 h", "de 14 h à 16 h 30"; "à partir de 14 h" when the end is unknown."""
    if end is None:
        return gettext("à partir de %(start)s") % {"start": _format_time(start)}
    return gettext("de %(start)s à %(end)s") % {
        "start": _format_time(start),
        "end": _format_time(end),
    }


def format_date(value: date, *, weekday: bool = False, year: bool = True) -> str:
    """ "1er janvier 2026", "31 décembre 2025"; with ``weekday``: "mardi 3 mars 2026"
    (agenda headings and dates shown to young people, where the day of the week is what
    people look for); without ``year``: "13 janvier". The one date wording of the site:
    templates use it through the ``french_date`` filter."""
    day = gettext("1er") if value.day == 1 else str(value.day)
    text = f"{day} {_MONTH_NAMES[value.month - 1]}"
    if year:
        text = f"{text} {value.year}"
    if weekday:
        text = f"{WEEKDAY_CHOICES[value.weekday()][1]} {text}"
    return text


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return gettext("%(items)s et %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _from_date(recurrence: Recurrence, today: date | None) -> str:
    """ "à partir du 13 janvier": the first date of the rhythm still to come (or the very
    first one without ``today``), so a reader knows which weeks or months are meant. The
    year is said only when it is not the current one."""
    first = first_regular_date(recurrence)
    if today is not None and first < today:
        regular = dataclasses.replace(recurrence, cancelled={}, extra_dates=(), end_date=None)
        coming = occurrences(regular, today, date(today.year + 1, 12, 31))
        if coming:
            first = coming[0].date
    same_year = today is not None and first.year == today.year
    return gettext("à partir du %(date)s") % {"date": format_date(first, year=not same_year)}


def _weekly(recurrence: Recurrence, days: tuple[int, ...], today: date | None) -> str:
    if recurrence.interval == 1:
        if len(days) == 1:
            return gettext("chaque %(weekday)s") % {"weekday": WEEKDAY_CHOICES[days[0]][1]}
        return gettext("les %(weekdays)s") % {
            "weekdays": _join([str(_WEEKDAY_PLURALS[day]) for day in days])
        }
    in_n = _IN_N[recurrence.interval]
    since = _from_date(recurrence, today)
    if len(days) == 1:
        return gettext("un %(weekday)s sur %(n)s %(since)s") % {
            "weekday": WEEKDAY_CHOICES[days[0]][1],
            "n": in_n,
            "since": since,
        }
    return gettext("les %(weekdays)s, une semaine sur %(n)s %(since)s") % {
        "weekdays": _join([str(_WEEKDAY_PLURALS[day]) for day in days]),
        "n": in_n,
        "since": since,
    }


def _monthly(recurrence: Recurrence, days: tuple[int, ...], today: date | None) -> str:
    labels = dict(MONTH_WEEK_CHOICES)
    month_weeks = ordered_month_weeks(recurrence.month_weeks)
    weeks = [str(labels[week]) for week in month_weeks]
    names = _join([str(WEEKDAY_CHOICES[day][1]) for day in days])
    plural_names = _join([str(_WEEKDAY_PLURALS[day]) for day in days])
    if recurrence.interval == 1:
        if len(weeks) == 1:
            text = gettext("le %(week)s %(weekday)s du mois") % {"week": weeks[0], "weekday": names}
        else:
            text = gettext("%(weeks)s %(weekdays)s du mois") % {
                "weeks": _join(weeks),
                "weekdays": plural_names,
            }
    else:
        in_n = {"n": _IN_N[recurrence.interval], "since": _from_date(recurrence, today)}
        if len(weeks) == 1:
            text = gettext("le %(week)s %(weekday)s, un mois sur %(n)s %(since)s") % {
                "week": weeks[0],
                "weekday": names,
                **in_n,
            }
        else:
            text = gettext("%(weeks)s %(weekdays)s, un mois sur %(n)s %(since)s") % {
                "weeks": _join(weeks),
                "weekdays": plural_names,
                **in_n,
            }
    if 5 in month_weeks:
        # Most months have four of a weekday: say so rather than let people wait for it.
        text += (
            gettext(" (les mois qui en ont un)")
            if len(weeks) == 1
            else gettext(" (le 5e, les mois qui en ont un)")
        )
    return text


def describe(recurrence: Recurrence, today: date | None = None) -> str:
    """The schedule as a person says it: "1er et 3e mardis du mois, de 9 h à 12 h". With
    ``today``, "one week in N" says the next date of the rhythm rather than its very first.
    ValueError (French message) if the choices do not make a rule."""
    rule_core(recurrence)
    days = ordered_weekdays(recurrence.weekdays)
    if recurrence.frequency == Frequency.WEEKLY:
        text = _weekly(recurrence, days, today)
    else:
        text = _monthly(recurrence, days, today)
    text += ", " + describe_time_range(recurrence.start_time, recurrence.end_time)
    if recurrence.end_date is not None:
        text += gettext(", jusqu'au %(date)s") % {"date": format_date(recurrence.end_date)}
    return text
