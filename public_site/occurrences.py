"""Writes of the occurrence table (public_site.models.occurrences): a permanence's dates
recomputed from its stored rules, in the caller's transaction, whenever what they depend on
changes: `refresh_pages`, `forget_pages` when a page is unpublished, `move_horizon` at night.

What calls them: public_site.signals (a publish, an unpublish, a rule or an exception saved or
deleted), public_site.tasks (each night), the data migration that fills the table, and bulk
writers that bypass signals (bench/permanences.py)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from public_site.models.occurrences import HORIZON_WEEKS, Occurrence, OccurrenceHorizon
from public_site.models.permanences import PermanencePage
from public_site.models.schedule_rules import ScheduleRule

# Pages whose dates are computed and inserted together: bounded memory at any size.
BATCH_PAGES = 500


def refresh_pages(page_ids: Collection[int]) -> int:
    """Replace the stored dates of `page_ids` by their expansion over the horizon: none for
    a page that is not live or whose days are to be confirmed. Returns the rows written.
    Without a horizon yet (a fresh database), every page is computed at once."""
    page_ids = list(page_ids)
    if not page_ids:
        return 0
    with transaction.atomic():
        horizon = OccurrenceHorizon.current()
        if horizon is None:
            return move_horizon()
        Occurrence.objects.filter(page_id__in=page_ids).delete()
        return _fill(_dated_pages(PermanencePage.objects.filter(pk__in=page_ids)), horizon)


def forget_pages(page_ids: Collection[int]) -> None:
    """An unpublished (or deleted) page shows no date. Only deletes: Wagtail announces the
    unpublishing of a page it is deleting while the page still reads as live, and rows
    written then would outlive it."""
    Occurrence.objects.filter(page_id__in=list(page_ids)).delete()


def move_horizon(today: date | None = None) -> int:
    """The nightly run: the horizon starts today and runs HORIZON_WEEKS ahead; every live
    page's dates are computed again (yesterday's go, the new week's come). Returns the rows
    written."""
    today = today or timezone.localdate()
    with transaction.atomic():
        horizon, _created = OccurrenceHorizon.objects.update_or_create(
            pk=1, defaults={"start": today, "end": today + timedelta(weeks=HORIZON_WEEKS)}
        )
        Occurrence.objects.all().delete()
        return _fill(_dated_pages(PermanencePage.objects.all()), horizon)


def _dated_pages(pages) -> list[int]:
    """The pages among `pages` that have dates to show: live, days known."""
    return list(pages.filter(live=True, days_to_confirm=False).values_list("pk", flat=True))


def _batches(items: list[int]) -> Iterator[list[int]]:
    for offset in range(0, len(items), BATCH_PAGES):
        yield items[offset : offset + BATCH_PAGES]


def _fill(page_ids: list[int], horizon: OccurrenceHorizon) -> int:
    written = 0
    for batch in _batches(page_ids):
        rows = [
            Occurrence.from_schedule(page_id, occurrence)
            for page_id, schedule in ScheduleRule.objects.schedules_by_page(batch).items()
            for occurrence in schedule.occurrences_between(horizon.start, horizon.end)
        ]
        Occurrence.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    return written
