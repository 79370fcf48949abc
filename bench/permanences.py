"""Many permanences at once, for the benchmark and the query-count tests.

Pages go through Wagtail's tree one by one (treebeard needs it), but their schedule rules and
exceptions are inserted in bulk, so 200 permanences take seconds, not minutes. The rules
cycle through the four shapes an editor can choose, with a cancellation on each, so pages
render every branch of their templates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta

from django.utils import timezone

from public_site import occurrences, schedules
from public_site.models import (
    ExceptionKind,
    PermanenceIndexPage,
    PermanencePage,
    ScheduleException,
    ScheduleRule,
    Venue,
)
from workflows.choices import NeedArea

Frequency = schedules.Frequency

# (frequency, month weeks, interval, start, end or None when not published): the shapes of
# the issues.
SHAPES = [
    (Frequency.WEEKLY, (), 1, time(14), None),
    (Frequency.MONTHLY, (1, 3), 1, time(9), time(12)),
    (Frequency.MONTHLY, (-1,), 1, time(9, 30), time(12)),
    (Frequency.WEEKLY, (), 2, time(14), time(16, 30)),
]
SERVICES = list(NeedArea.values)


def add_permanences(
    index: PermanenceIndexPage, count: int, venues: Sequence[Venue], *, prefix: str = "bench"
) -> list[PermanencePage]:
    """Add `count` live permanence pages under `index`, spread over `venues`."""
    start_date = timezone.localdate() - timedelta(days=30)
    pages = [
        index.add_child(
            instance=PermanencePage(
                title=f"Permanence {prefix} {number}",
                slug=f"permanence-{prefix}-{number}",
                venue=venues[number % len(venues)],
                intro="Un conseiller de la Mission Locale vous reçoit.",
                services=[SERVICES[number % len(SERVICES)], SERVICES[(number + 2) % len(SERVICES)]],
            )
        )
        for number in range(count)
    ]
    rules = []
    for number, page in enumerate(pages):
        frequency, month_weeks, interval, start, end = SHAPES[number % len(SHAPES)]
        rules.append(
            ScheduleRule(
                page=page,
                sort_order=0,
                frequency=frequency,
                interval=interval,
                weekdays=[number % 5],
                month_weeks=list(month_weeks),
                start_time=start,
                end_time=end,
                start_date=start_date,
            )
        )
    rules = ScheduleRule.objects.bulk_create(rules)
    ScheduleException.objects.bulk_create(
        ScheduleException(
            rule=rule,
            sort_order=0,
            kind=ExceptionKind.CANCELLED,
            date=_first_occurrence(rule, timezone.localdate()),
            reason="Formation de l'équipe",
        )
        for rule in rules
    )
    # Bulk inserts send no signal: the pages' dates are stored as a publish would.
    occurrences.refresh_pages([page.pk for page in pages])
    return pages


def _first_occurrence(rule: ScheduleRule, after: date) -> date:
    """A date that really falls in the series, so the cancellation shows."""
    dates = schedules.occurrences(rule.recurrence(exceptions=[]), after, after + timedelta(weeks=9))
    return dates[0].date if dates else after


def load_public_demo(permanences: int) -> tuple[PermanenceIndexPage, PermanencePage]:
    """Migrate, load the demo data and add permanences up to `permanences`; returns the
    index and the page the public-page benchmarks measure (the Onet CCAS one)."""
    import io

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo_data", stdout=io.StringIO())
    index = PermanenceIndexPage.objects.live().first()
    missing = permanences - PermanencePage.objects.live().count()
    if missing > 0:
        add_permanences(index, missing, list(Venue.objects.all()))
    permanence = (
        PermanencePage.objects.live().filter(venue__name__icontains="CCAS").first()
        or PermanencePage.objects.live().first()
    )
    return index, permanence
