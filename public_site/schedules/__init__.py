"""Recurring permanence schedules: plain French choices in, RFC 5545 out, dates expanded.

Editors never see RRULE syntax: they pick weekly or certain weeks of the month, how often
(every time, one in two…), the weekdays, the weeks of the month and times. The package turns
those choices into an RFC 5545 RRULE for the iCalendar feed (`rfc5545`), expands them into
dated sessions with python-dateutil (`expansion`), words them in plain French (`wording`) and
tells the editor what is wrong (`validation`); `recurrence` holds the values they all share.
Times are local wall-clock times in Europe/Paris; an end time may be unknown.

Pure functions only: no model imports, so the page models, the API, the iCalendar feed and the
benchmark share exactly the same rules. Callers import from the package
(`from public_site import schedules`); see docs/architecture.md.
"""

from .expansion import clear_caches, first_regular_date, merge_occurrences, occurrences
from .recurrence import (
    INTERVAL_CHOICES,
    MONTH_WEEK_CHOICES,
    PARIS,
    WEEKDAY_CHOICES,
    Frequency,
    Occurrence,
    Recurrence,
)
from .rfc5545 import to_rrule, until_utc
from .validation import validate
from .wording import describe, describe_time_range, format_date

__all__ = [
    "INTERVAL_CHOICES",
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
    "merge_occurrences",
    "occurrences",
    "to_rrule",
    "until_utc",
    "validate",
]
