"""The editor's choices as an RFC 5545 RRULE, the one shape dateutil expands and calendar
applications follow. Only the choices an editor can make are written; anything else is a
ValueError with the French message the editor would see."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache

from django.utils.translation import gettext

from .recurrence import (
    FREQUENCIES,
    INTERVALS,
    MONTH_WEEKS,
    PARIS,
    Frequency,
    Recurrence,
    ordered_month_weeks,
    ordered_weekdays,
)

# RFC 5545 weekday codes, index 0 = Monday like date.weekday().
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def structural_errors(
    frequency: str, weekdays: tuple[int, ...], month_weeks: tuple[int, ...], interval: int = 1
) -> dict[str, str]:
    """Field name -> French message, for choices that cannot make a rule at all."""
    errors: dict[str, str] = {}
    if frequency not in FREQUENCIES:
        errors["frequency"] = gettext("Choisissez une fréquence dans la liste.")
    if not weekdays:
        errors["weekdays"] = gettext("Cochez au moins un jour de la semaine.")
    elif any(not isinstance(day, int) or not 0 <= day <= 6 for day in weekdays):
        errors["weekdays"] = gettext("Choisissez un jour de la semaine (du lundi au dimanche).")
    if interval not in INTERVALS:
        errors["interval"] = gettext("Choisissez un rythme dans la liste.")
    if frequency == Frequency.MONTHLY:
        if not month_weeks:
            errors["month_weeks"] = gettext(
                "Choisissez au moins une semaine du mois (1er, 2e, 3e, 4e, 5e ou dernier)."
            )
        elif any(week not in MONTH_WEEKS for week in month_weeks):
            errors["month_weeks"] = gettext(
                "Les semaines du mois possibles sont : 1er, 2e, 3e, 4e, 5e et dernier."
            )
    elif month_weeks:
        errors["month_weeks"] = gettext(
            "Les semaines du mois ne servent qu'avec la fréquence « Certaines semaines du mois »."
        )
    return errors


@lru_cache(maxsize=512)
def _rule_text(
    frequency: str, weekdays: tuple[int, ...], month_weeks: tuple[int, ...], interval: int
) -> str:
    errors = structural_errors(frequency, weekdays, month_weeks, interval)
    if errors:
        raise ValueError(" ".join(errors.values()))
    days = [ICAL_DAYS[day] for day in ordered_weekdays(weekdays)]
    if frequency == Frequency.WEEKLY:
        if interval == 1:
            return "FREQ=WEEKLY;BYDAY=" + ",".join(days)
        # Weeks run Monday to Sunday, whatever the client's own setting (WKST): "Tuesday and
        # Thursday every other week" are then always in the same week.
        return f"FREQ=WEEKLY;INTERVAL={interval};BYDAY=" + ",".join(days) + ";WKST=MO"
    weeks = ordered_month_weeks(month_weeks)
    every = f";INTERVAL={interval}" if interval > 1 else ""
    by_day = ",".join(f"{week}{day}" for week in weeks for day in days)
    return f"FREQ=MONTHLY{every};BYDAY={by_day}"


def rule_core(recurrence: Recurrence, *, interval: int | None = None) -> str:
    """The RRULE without UNTIL: what expansion needs (the end date is applied as a date).
    ``interval`` overrides the rule's (1 finds the first matching date whatever the rhythm).
    Memoised: a page view asks for it once per rule, and there are few distinct ones."""
    return _rule_text(
        recurrence.frequency,
        tuple(recurrence.weekdays),
        tuple(recurrence.month_weeks),
        recurrence.interval if interval is None else interval,
    )


def clear_rule_cache() -> None:
    _rule_text.cache_clear()


def until_utc(end_date: date) -> datetime:
    """The last instant of ``end_date`` in Paris, in UTC: RFC 5545 wants UNTIL in UTC when
    DTSTART carries a TZID, and the end date is inclusive."""
    return datetime.combine(end_date, time(23, 59, 59), PARIS).astimezone(UTC)


def to_rrule(recurrence: Recurrence) -> str:
    """RFC 5545 RRULE value (without the "RRULE:" prefix); ValueError if the rule is invalid.

    Derived from the choices each time it is needed (memoised), never stored: the choices are
    the one truth, so the iCalendar feed cannot disagree with the page."""
    rule = rule_core(recurrence)
    if recurrence.end_date is not None:
        rule += f";UNTIL={until_utc(recurrence.end_date):%Y%m%dT%H%M%SZ}"
    return rule
