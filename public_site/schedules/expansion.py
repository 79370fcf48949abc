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
    """The first date on or after ``start_date`` that matches the days and weeks chosen
    (ignoring ``end_date``). It is the iCalendar DTSTART (RFC 5545 always counts DTSTART as
    an occurrence), and the anchor of "one week (or month) in N": its week, or its month, is
    the first of the rhythm, as the page says ("un mercredi sur deux à partir du …")."""
    if recurrence.frequency == Frequency.MONTHLY:
        dtstart = datetime.combine(recurrence.start_date, recurrence.start_time)
        return _parsed(rule_core(recurrence, interval=1)).replace(dtstart=dtstart)[0].date()
    start = recurrence.start_date
    return min(start + timedelta(days=(day - start.weekday()) % 7) for day in recurrence.weekdays)


def _month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def _expansion_start(recurrence: Recurrence, window_start: date) -> date:
    """A DTSTART for expansion that skips the periods before the window, so expanding eight
    weeks of a rule that started years ago costs eight weeks, not years.

    It restarts on the first day of a week (Monday) or month of the rhythm, counted from the
    first regular date's week or month, so "one in N" keeps its parity and no weekday of
    that period is lost; dates before the window are then dropped.
    """
    anchor = first_regular_date(recurrence)
    if window_start <= anchor:
        return anchor
    if recurrence.frequency == Frequency.MONTHLY:
        anchor_month = _month_number(anchor)
        periods = (_month_number(window_start) - anchor_month) // recurrence.interval
        month = anchor_month + periods * recurrence.interval
        return date(month // 12, month % 12 + 1, 1)
    anchor_monday = anchor - timedelta(days=anchor.weekday())
    window_monday = window_start - timedelta(days=window_start.weekday())
    step = 7 * recurrence.interval
    periods = (window_monday - anchor_monday).days // step
    return max(anchor, anchor_monday + timedelta(days=periods * step))


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
    cancelled, notes = recurrence.cancelled, recurrence.notes
    return [
        Occurrence(
            date=day,
            start=starts[day].replace(tzinfo=PARIS),
            end=None if end_time is None else datetime.combine(day, end_time, PARIS),
            cancelled=day in cancelled,
            reason=cancelled.get(day, ""),
            extra=day in extras,
            note=notes.get(day, "") if day in extras else "",
        )
        for day in days
    ]


def merge_occurrences(groups: Iterable[Iterable[Occurrence]]) -> list[Occurrence]:
    """One agenda from several rules or permanences, by start time (stable for ties)."""
    return sorted(itertools.chain.from_iterable(groups), key=attrgetter("start"))
