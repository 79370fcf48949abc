"""What a schedule rule is: the editor's choices (weekly or certain weeks of the month, how
often, the weekdays, times, dates, exceptions) and the dated sessions they give. Plain
values, no Django model, so every other module of the package, the page models and the
benchmark share them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

PARIS = ZoneInfo("Europe/Paris")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Chaque semaine (ou une semaine sur deux, trois…)")
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

# How often the chosen weeks come back: RRULE INTERVAL, in weeks or in months.
INTERVAL_CHOICES: list[tuple[int, str]] = [
    (1, _("à chaque fois (toutes les semaines, ou tous les mois)")),
    (2, _("une fois sur deux (une semaine ou un mois sur deux)")),
    (3, _("une fois sur trois")),
    (4, _("une fois sur quatre")),
    (6, _("une fois sur six")),
]

MONTH_WEEKS = frozenset(value for value, _label in MONTH_WEEK_CHOICES)
INTERVALS = frozenset(value for value, _label in INTERVAL_CHOICES)
FREQUENCIES = frozenset(Frequency.values)


@dataclass(frozen=True)
class Recurrence:
    """One schedule rule of a permanence, as the editor chose it. ``end_time`` is None when
    the venue announces only when it starts ("à partir de 14 h"); ``notes`` are what the
    editor typed on extra dates ("Permanence exceptionnelle"), by date."""

    frequency: str
    weekdays: tuple[int, ...]
    start_date: date
    start_time: time
    end_time: time | None = None
    month_weeks: tuple[int, ...] = ()
    interval: int = 1
    end_date: date | None = None
    cancelled: Mapping[date, str] = field(default_factory=dict)
    extra_dates: tuple[date, ...] = ()
    notes: Mapping[date, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Occurrence:
    """One dated session. Cancelled ones are kept (and marked) so the page can say so.
    ``end`` is None when the end time is not published: nobody invents one."""

    date: date
    start: datetime
    end: datetime | None
    cancelled: bool = False
    reason: str = ""
    extra: bool = False
    note: str = ""

    @property
    def over_at(self) -> datetime:
        """When the session is surely over: its end, or else the end of its day."""
        if self.end is not None:
            return self.end
        return datetime.combine(self.date + timedelta(days=1), time(0), PARIS)


def ordered_month_weeks(month_weeks: Iterable[int]) -> tuple[int, ...]:
    """1st, 2nd … 5th, then "last": the order people read and RRULEs are written in."""
    return tuple(sorted(set(month_weeks), key=lambda week: (week < 0, week)))


def ordered_weekdays(weekdays: Iterable[int]) -> tuple[int, ...]:
    """Monday first, each day once."""
    return tuple(sorted(set(weekdays)))
