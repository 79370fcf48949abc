"""Recurring permanence schedules: plain French choices in, RFC 5545 out, dates expanded.

Editors never see RRULE syntax: they pick a frequency, a weekday, the weeks of the month and
times. This module turns those choices into an RFC 5545 RRULE (stored on the model, used by
the iCalendar feed) and expands it with python-dateutil.

Times are local wall-clock times in Europe/Paris. Expansion runs on *naive* local datetimes
and the zone is attached afterwards, so a 9:00 permanence stays at 9:00 on both sides of a
summer-time change; converting to UTC first would shift it by an hour (the bug of
django-recurrence and django-scheduler). Exceptions are keyed by date, never by an exact
instant, for the same reason.

Pure functions only: no model imports, so the page models, the API, the iCalendar feed and the
benchmark share exactly the same rules.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from operator import attrgetter
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PARIS = ZoneInfo("Europe/Paris")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Chaque semaine")
    EVERY_OTHER_WEEK = "every_other_week", _("Une semaine sur deux")
    MONTHLY = "monthly", _("Certaines semaines du mois")


WEEKDAY_CHOICES: list[tuple[int, str]] = [
    (0, _("lundi")),
    (1, _("mardi")),
    (2, _("mercredi")),
    (3, _("jeudi")),
    (4, _("vendredi")),
    (5, _("samedi")),
    (6, _("dimanche")),
]

MONTH_WEEK_CHOICES: list[tuple[int, str]] = [
    (1, _("1er")),
    (2, _("2e")),
    (3, _("3e")),
    (4, _("4e")),
    (5, _("5e")),
    (-1, _("dernier")),
]

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

# RFC 5545 weekday codes, index 0 = Monday like date.weekday().
_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_MONTH_WEEKS = frozenset(value for value, _label in MONTH_WEEK_CHOICES)
_FREQUENCIES = frozenset(Frequency.values)
_BYDAY_RE = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")


@dataclass(frozen=True)
class Recurrence:
    """One schedule rule of a permanence, as the editor chose it."""

    frequency: str
    weekday: int
    start_date: date
    start_time: time
    end_time: time
    month_weeks: tuple[int, ...] = ()
    end_date: date | None = None
    cancelled: Mapping[date, str] = field(default_factory=dict)
    extra_dates: tuple[date, ...] = ()


@dataclass(frozen=True)
class Occurrence:
    """One dated session. Cancelled ones are kept (and marked) so the page can say so."""

    date: date
    start: datetime
    end: datetime
    cancelled: bool = False
    reason: str = ""
    extra: bool = False


# --- RFC 5545 ------------------------------------------------------------------------------


def _ordered_month_weeks(month_weeks: Iterable[int]) -> tuple[int, ...]:
    """1st, 2nd … 5th, then "last": the order people read and RRULEs are written in."""
    return tuple(sorted(set(month_weeks), key=lambda week: (week < 0, week)))


def _structural_errors(
    frequency: str, weekday: int, month_weeks: tuple[int, ...]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if frequency not in _FREQUENCIES:
        errors["frequency"] = gettext("Choisissez une fréquence dans la liste.")
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        errors["weekday"] = gettext("Choisissez un jour de la semaine (du lundi au dimanche).")
    if frequency == Frequency.MONTHLY:
        if not month_weeks:
            errors["month_weeks"] = gettext(
                "Choisissez au moins une semaine du mois (1er, 2e, 3e, 4e, 5e ou dernier)."
            )
        elif any(week not in _MONTH_WEEKS for week in month_weeks):
            errors["month_weeks"] = gettext(
                "Les semaines du mois possibles sont : 1er, 2e, 3e, 4e, 5e et dernier."
            )
    elif month_weeks:
        errors["month_weeks"] = gettext(
            "Les semaines du mois ne servent qu'avec la fréquence « Certaines semaines du mois »."
        )
    return errors


@lru_cache(maxsize=512)
def _rule_text(frequency: str, weekday: int, month_weeks: tuple[int, ...]) -> str:
    errors = _structural_errors(frequency, weekday, month_weeks)
    if errors:
        raise ValueError(" ".join(errors.values()))
    day = _ICAL_DAYS[weekday]
    if frequency == Frequency.WEEKLY:
        return f"FREQ=WEEKLY;BYDAY={day}"
    if frequency == Frequency.EVERY_OTHER_WEEK:
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"
    weeks = _ordered_month_weeks(month_weeks)
    return "FREQ=MONTHLY;BYDAY=" + ",".join(f"{week}{day}" for week in weeks)


def _rule_core(recurrence: Recurrence) -> str:
    """The RRULE without UNTIL: what expansion needs (the end date is applied as a date).
    Memoised: a page view asks for it once per rule, and there are few distinct ones."""
    return _rule_text(recurrence.frequency, recurrence.weekday, tuple(recurrence.month_weeks))


def until_utc(end_date: date) -> datetime:
    """The last instant of ``end_date`` in Paris, in UTC: RFC 5545 wants UNTIL in UTC when
    DTSTART carries a TZID, and the end date is inclusive."""
    return datetime.combine(end_date, time(23, 59, 59), PARIS).astimezone(UTC)


def to_rrule(recurrence: Recurrence) -> str:
    """RFC 5545 RRULE value (without the "RRULE:" prefix); ValueError if the rule is invalid."""
    rule = _rule_core(recurrence)
    if recurrence.end_date is not None:
        rule += f";UNTIL={until_utc(recurrence.end_date):%Y%m%dT%H%M%SZ}"
    return rule


def _parse_until(value: str) -> date:
    try:
        if "T" not in value:
            return datetime.strptime(value, "%Y%m%d").date()
        if value.endswith("Z"):
            instant = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            return instant.astimezone(PARIS).date()
        return datetime.strptime(value, "%Y%m%dT%H%M%S").date()
    except ValueError:
        raise ValueError(
            gettext("La date de fin « %(value)s » de la règle est illisible.") % {"value": value}
        ) from None


def from_rrule(rrule: str, *, start_date: date, start_time: time, end_time: time) -> Recurrence:
    """Read back an RRULE written by :func:`to_rrule` (or an equivalent one).

    Only the shapes an editor can choose are accepted, so whatever is stored can always be
    shown again as French choices.
    """
    text = rrule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    unsupported = gettext(
        "Cette règle de récurrence ne correspond à aucun choix possible : "
        "« %(rule)s ». Choisissez chaque semaine, une semaine sur deux ou certaines "
        "semaines du mois."
    ) % {"rule": rrule}
    parts: dict[str, str] = {}
    for part in filter(None, text.upper().split(";")):
        key, sep, value = part.partition("=")
        if not sep or key in parts:
            raise ValueError(unsupported)
        parts[key] = value
    if parts.pop("WKST", "MO") != "MO" or not parts.keys() <= {
        "FREQ",
        "INTERVAL",
        "BYDAY",
        "UNTIL",
    }:
        raise ValueError(unsupported)
    days = [_BYDAY_RE.match(item) for item in parts.get("BYDAY", "").split(",")]
    if not all(days) or len({match.group(2) for match in days}) != 1:
        raise ValueError(unsupported)
    weekday = _ICAL_DAYS.index(days[0].group(2))
    ordinals = [match.group(1) for match in days]
    frequency, interval = parts.get("FREQ"), parts.get("INTERVAL", "1")
    month_weeks: tuple[int, ...] = ()
    if frequency == "WEEKLY" and interval in {"1", "2"} and ordinals == [None]:
        kind = Frequency.WEEKLY if interval == "1" else Frequency.EVERY_OTHER_WEEK
    elif frequency == "MONTHLY" and interval == "1" and None not in ordinals:
        kind = Frequency.MONTHLY
        weeks = [int(ordinal) for ordinal in ordinals]
        if any(week not in _MONTH_WEEKS for week in weeks) or len(set(weeks)) != len(weeks):
            raise ValueError(unsupported)
        month_weeks = _ordered_month_weeks(weeks)
    else:
        raise ValueError(unsupported)
    until = parts.get("UNTIL")
    return Recurrence(
        frequency=kind.value,
        weekday=weekday,
        start_date=start_date,
        start_time=start_time,
        end_time=end_time,
        month_weeks=month_weeks,
        end_date=_parse_until(until) if until else None,
    )


# --- Expansion -----------------------------------------------------------------------------


_PARSE_DTSTART = datetime(2000, 1, 1)


@lru_cache(maxsize=512)
def _parsed(rule: str) -> rrule:
    """Parse each distinct RRULE string once per process: editors' choices give only a few
    dozen of them, and ``rrule.replace(dtstart=…)`` costs half a parse."""
    return rrulestr(rule, dtstart=_PARSE_DTSTART)


@lru_cache(maxsize=16384)
def _expand(rule: str, dtstart: datetime, first: date, last: date) -> tuple[datetime, ...]:
    """Naive local datetimes of ``rule`` dated in [first, last]. Naive on purpose: dateutil
    then steps in wall-clock time, so 9:00 stays 9:00 across summer time. Cached because
    every page view of the day asks for the same window."""
    found = []
    for moment in _parsed(rule).replace(dtstart=dtstart):
        day = moment.date()
        if day > last:
            break
        if day >= first:
            found.append(moment)
    return tuple(found)


def clear_caches() -> None:
    """Forget parsed rules and expansions (the benchmark measures the cold path with it)."""
    _rule_text.cache_clear()
    _parsed.cache_clear()
    _expand.cache_clear()


def first_regular_date(recurrence: Recurrence) -> date:
    """The first date on or after ``start_date`` that matches the pattern (ignoring
    ``end_date``). It is the iCalendar DTSTART, and anchors "every other week" on the
    start date's week: RFC 5545 always counts DTSTART as an occurrence."""
    if recurrence.frequency == Frequency.MONTHLY:
        dtstart = datetime.combine(recurrence.start_date, recurrence.start_time)
        return _parsed(_rule_core(recurrence)).replace(dtstart=dtstart)[0].date()
    return recurrence.start_date + timedelta(
        days=(recurrence.weekday - recurrence.start_date.weekday()) % 7
    )


def _expansion_start(recurrence: Recurrence, window_start: date) -> date:
    """A DTSTART for expansion that skips the periods before the window, so expanding eight
    weeks of a rule that started years ago costs eight weeks, not years.

    Monthly rules restart cleanly at any month's first day. Weekly ones restart on a date of
    the series, which keeps the every-other-week parity of the first regular date.
    """
    if recurrence.frequency == Frequency.MONTHLY:
        return max(recurrence.start_date, window_start.replace(day=1))
    anchor = first_regular_date(recurrence)
    if window_start <= anchor:
        return anchor
    step = 14 if recurrence.frequency == Frequency.EVERY_OTHER_WEEK else 7
    periods = -(-(window_start - anchor).days // step)  # ceil
    return anchor + timedelta(days=periods * step)


def occurrences(recurrence: Recurrence, start: date, end: date) -> list[Occurrence]:
    """Every occurrence dated in [start, end], cancelled ones included and marked, extra
    dates included, sorted by start.

    Extra dates are not bounded by the rule's start and end dates, like RDATE in iCalendar.
    """
    first = max(start, recurrence.start_date)
    last = end if recurrence.end_date is None else min(end, recurrence.end_date)
    start_time, end_time = recurrence.start_time, recurrence.end_time
    starts: dict[date, datetime] = {}
    if first <= last:
        dtstart = datetime.combine(_expansion_start(recurrence, first), start_time)
        for moment in _expand(_rule_core(recurrence), dtstart, first, last):
            starts[moment.date()] = moment
    extras = {day for day in recurrence.extra_dates if start <= day <= end and day not in starts}
    for day in extras:
        starts[day] = datetime.combine(day, start_time)
    days = sorted(starts) if extras else list(starts)
    cancelled = recurrence.cancelled
    return [
        Occurrence(
            date=day,
            start=starts[day].replace(tzinfo=PARIS),
            end=datetime.combine(day, end_time, PARIS),
            cancelled=day in cancelled,
            reason=cancelled.get(day, ""),
            extra=day in extras,
        )
        for day in days
    ]


def merge_occurrences(groups: Iterable[Iterable[Occurrence]]) -> list[Occurrence]:
    """One agenda from several rules or permanences, by start time (stable for ties)."""
    return sorted(itertools.chain.from_iterable(groups), key=attrgetter("start"))


# --- Plain French ---------------------------------------------------------------------------


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
    (agenda headings, where the day of the week is what people look for)."""
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
    _rule_core(recurrence)
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
        weeks = [str(labels[week]) for week in _ordered_month_weeks(recurrence.month_weeks)]
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


# --- Validation -----------------------------------------------------------------------------


def validate(recurrence: Recurrence) -> dict[str, str]:
    """Field name -> French message for the editor; empty when the rule is valid."""
    errors = _structural_errors(
        recurrence.frequency, recurrence.weekday, tuple(recurrence.month_weeks)
    )
    if recurrence.end_time <= recurrence.start_time:
        errors["end_time"] = gettext("L'heure de fin doit être après l'heure de début.")
    if recurrence.end_date is not None:
        if recurrence.end_date < recurrence.start_date:
            errors["end_date"] = gettext(
                "La date de fin doit être le même jour que la date de début ou après."
            )
        elif not errors and first_regular_date(recurrence) > recurrence.end_date:
            errors["end_date"] = gettext(
                "Aucune date de cette règle ne tombe entre la date de début et la date de fin."
            )
    return errors


__all__ = [
    "MONTH_WEEK_CHOICES",
    "PARIS",
    "WEEKDAY_CHOICES",
    "Frequency",
    "Occurrence",
    "Recurrence",
    "clear_caches",
    "describe",
    "describe_time_range",
    "first_regular_date",
    "format_date",
    "from_rrule",
    "merge_occurrences",
    "occurrences",
    "to_rrule",
    "until_utc",
    "validate",
]
