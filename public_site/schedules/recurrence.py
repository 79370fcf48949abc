"""What a schedule rule is: the editor's choices (frequency, weekday, weeks of the month,
times, dates, exceptions) and the dated sessions they give. Plain values, no Django model, so
every other module of the package, the page models and the benchmark share them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import models
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

MONTH_WEEKS = frozenset(value for value, _label in MONTH_WEEK_CHOICES)
FREQUENCIES = frozenset(Frequency.values)


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


def ordered_month_weeks(month_weeks: Iterable[int]) -> tuple[int, ...]:
    """1st, 2nd … 5th, then "last": the order people read and RRULEs are written in."""
    return tuple(sorted(set(month_weeks), key=lambda week: (week < 0, week)))
