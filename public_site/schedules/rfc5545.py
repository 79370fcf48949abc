"""The editor's choices as an RFC 5545 RRULE, the one shape dateutil expands and calendar
applications follow. Only the choices an editor can make are written; anything else is a
ValueError with the French message the editor would see."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache

from django.utils.translation import gettext

from .recurrence import FREQUENCIES, MONTH_WEEKS, PARIS, Frequency, Recurrence, ordered_month_weeks

# RFC 5545 weekday codes, index 0 = Monday like date.weekday().
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def structural_errors(frequency: str, weekday: int, month_weeks: tuple[int, ...]) -> dict[str, str]:
    """Field name -> French message, for choices that cannot make a rule at all."""
    errors: dict[str, str] = {}
    if frequency not in FREQUENCIES:
        errors["frequency"] = gettext("Choisissez une fréquence dans la liste.")
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        errors["weekday"] = gettext("Choisissez un jour de la semaine (du lundi au dimanche).")
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
def _rule_text(frequency: str, weekday: int, month_weeks: tuple[int, ...]) -> str:
    errors = structural_errors(frequency, weekday, month_weeks)
    if errors:
        raise ValueError(" ".join(errors.values()))
    day = ICAL_DAYS[weekday]
    if frequency == Frequency.WEEKLY:
        return f"FREQ=WEEKLY;BYDAY={day}"
    if frequency == Frequency.EVERY_OTHER_WEEK:
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"
    weeks = ordered_month_weeks(month_weeks)
    return "FREQ=MONTHLY;BYDAY=" + ",".join(f"{week}{day}" for week in weeks)


def rule_core(recurrence: Recurrence) -> str:
    """The RRULE without UNTIL: what expansion needs (the end date is applied as a date).
    Memoised: a page view asks for it once per rule, and there are few distinct ones."""
    return _rule_text(recurrence.frequency, recurrence.weekday, tuple(recurrence.month_weeks))


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
