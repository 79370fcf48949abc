"""A rule's dates in a window, expanded with python-dateutil.

Expansion runs on *naive* local datetimes and the Paris zone is attached afterwards, so a
9:00 permanence stays at 9:00 on both sides of a summer-time change; converting to UTC first
would shift it by an hour (the bug of django-recurrence and django-scheduler). Exceptions are
keyed by date, never by an exact instant, for the same reason."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from operator import attrgetter

from dateutil.rrule import rrule, rrulestr

from .recurrence import PARIS, Frequency, Occurrence, Recurrence
from .rfc5545 import clear_rule_cache, rule_core

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
    clear_rule_cache()
    _parsed.cache_clear()
    _expand.cache_clear()


def first_regular_date(recurrence: Recurrence) -> date:
    """The first date on or after ``start_date`` that matches the pattern (ignoring
    ``end_date``). It is the iCalendar DTSTART, and anchors "every other week" on the
    start date's week: RFC 5545 always counts DTSTART as an occurrence."""
    if recurrence.frequency == Frequency.MONTHLY:
        dtstart = datetime.combine(recurrence.start_date, recurrence.start_time)
        return _parsed(rule_core(recurrence)).replace(dtstart=dtstart)[0].date()
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
        for moment in _expand(rule_core(recurrence), dtstart, first, last):
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
