"""A permanence's dates over a rolling horizon, computed once and read as rows.

Expanding every rule on every page view cost most of the agenda's and the home page's time
(issue 20): the dates change only when a page is published or unpublished, when a rule or an
exception changes, and when the horizon moves at night. They are stored here at those moments
by public_site.occurrences (the writer), from public_site.schedules (the one expansion), so the
table always equals the expansion of the rules stored in the database.

`OccurrenceHorizon` says which dates the table holds. A window outside it (a draft's preview,
an API client asking a year ahead, a clock moved back in a test) is expanded from the rules,
as before: readers ask `Occurrence.objects.dated(...)`, which answers None then."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from public_site import schedules

# How far ahead the table holds dates: the agenda API's default window is 8 weeks, the site
# shows 8; 26 leaves room for clients that ask for a season.
HORIZON_WEEKS = 26


class OccurrenceHorizon(models.Model):
    """The one row saying which dates the occurrence table holds, [start, end]."""

    start = models.DateField(_("du"))
    end = models.DateField(_("au"))

    class Meta:
        verbose_name = _("horizon des dates calculées")

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y} → {self.end:%d/%m/%Y}"

    @classmethod
    def current(cls) -> OccurrenceHorizon | None:
        return cls.objects.filter(pk=1).first()

    def covers(self, start: date, end: date) -> bool:
        return self.start <= start and end <= self.end


# The columns a reader turns into a schedules.Occurrence, in the dataclass's order.
OCCURRENCE_COLUMNS = ("date", "start", "end", "cancelled", "reason", "extra", "note")


class OccurrenceQuerySet(models.QuerySet):
    def in_window(self, start: date, end: date) -> OccurrenceQuerySet:
        return self.filter(date__gte=start, date__lte=end)

    def still_to_come(self, now) -> OccurrenceQuerySet:
        """Dates not yet over at `now` (see schedules.Occurrence.over_at): a date without an
        end time lasts until the end of its day."""
        today = now.astimezone(schedules.PARIS).date()
        return self.filter(Q(end__gte=now) | Q(end__isnull=True, date__gte=today))

    def dated(
        self, page_ids: Iterable[int], start: date, end: date
    ) -> dict[int, list[schedules.Occurrence]] | None:
        """Each page's dates in [start, end], in time order, cancelled ones kept: two queries
        (the horizon, the rows) however many pages. None when the table does not hold the
        whole window: the caller expands the rules instead."""
        horizon = OccurrenceHorizon.current()
        if horizon is None or not horizon.covers(start, end):
            return None
        found: dict[int, list[schedules.Occurrence]] = {}
        rows = (
            self.filter(page_id__in=page_ids)
            .in_window(start, end)
            .order_by("start", "pk")
            .values_list("page_id", *OCCURRENCE_COLUMNS)
        )
        for page_id, *values in rows:
            found.setdefault(page_id, []).append(as_occurrence(values))
        return found


def as_occurrence(values) -> schedules.Occurrence:
    """A row's columns (OCCURRENCE_COLUMNS) as the schedule functions' dataclass, its times
    back in Paris time as the expansion gives them."""
    day, start, end, cancelled, reason, extra, note = values
    return schedules.Occurrence(
        date=day,
        start=start.astimezone(schedules.PARIS),
        end=end.astimezone(schedules.PARIS) if end is not None else None,
        cancelled=cancelled,
        reason=reason,
        extra=extra,
        note=note,
    )


class Occurrence(models.Model):
    """One dated session of a live permanence, as schedules.occurrences gives it."""

    page = models.ForeignKey(
        "public_site.PermanencePage",
        verbose_name=_("permanence"),
        related_name="stored_occurrences",
        on_delete=models.CASCADE,
    )
    date = models.DateField(_("date"))
    start = models.DateTimeField(_("début"))
    # Unknown when the venue publishes only the start ("à partir de 14 h").
    end = models.DateTimeField(_("fin"), null=True, blank=True)
    cancelled = models.BooleanField(_("annulée"), default=False)
    reason = models.CharField(_("raison de l'annulation"), max_length=200, blank=True)
    # Origin: False for a date of a rule, True for an extra date (an exception), with its note.
    extra = models.BooleanField(_("date en plus"), default=False)
    note = models.CharField(_("précision sur la date en plus"), max_length=200, blank=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("date de permanence")
        verbose_name_plural = _("dates de permanence")
        indexes = [
            models.Index(fields=["page", "date"], name="occurrence_page_date"),
            models.Index(fields=["date", "start"], name="occurrence_date_start"),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.start:%d/%m/%Y %H:%M}"

    @classmethod
    def from_schedule(cls, page_id: int, occurrence: schedules.Occurrence) -> Occurrence:
        return cls(
            page_id=page_id,
            date=occurrence.date,
            start=occurrence.start,
            end=occurrence.end,
            cancelled=occurrence.cancelled,
            reason=occurrence.reason,
            extra=occurrence.extra,
            note=occurrence.note,
        )
