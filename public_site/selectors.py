"""Reads for the public pages, the API and the feeds: permanences with everything they need,
fetched in a fixed number of queries however many permanences there are. Selectors return
data; the responses built from it live in calendar.py, the pages and the API.

Only the permanence models are imported here, never the pages that call these reads (index,
home, service pages), so the import graph has no circle (docs/architecture.md)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import Page, PageViewRestriction, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy

from public_site import schedules
from public_site.models.occurrences import (
    OCCURRENCE_COLUMNS,
    Occurrence,
    OccurrenceHorizon,
    as_occurrence,
)
from public_site.models.permanences import (
    NEXT_DATES_WEEKS,
    PLACE_RELATIONS,
    PermanencePage,
    attach_rules,
)
from public_site.models.schedule_rules import ScheduleRule
from territories import distances
from territories.models import Commune

AGENDA_WEEKS = 4
# The index shows two weeks at a time (a phone gets a short page), up to 8 weeks ahead.
AGENDA_PERIOD_WEEKS = 2
AGENDA_PERIODS = 4
# How many permanences "les plus proches de chez moi" lists.
NEAREST_LIMIT = 5


@dataclass(frozen=True)
class AgendaEntry:
    occurrence: schedules.Occurrence
    page: PermanencePage


@dataclass
class AgendaGroup:
    heading: str
    entries: list[AgendaEntry]


@dataclass(frozen=True)
class AgendaPeriod:
    """One page of the index's agenda: whole weeks, so "cette semaine" is never split."""

    number: int
    start: date
    end: date

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < AGENDA_PERIODS


def agenda_period(today: date, number: int = 1) -> AgendaPeriod:
    """Period 1 runs from today to the Sunday of next week; each later period covers the
    next two whole weeks, Monday to Sunday. Out-of-range numbers fall back to the nearest
    period rather than an error: the link may be old, the agenda is still useful."""
    number = min(max(number, 1), AGENDA_PERIODS)
    monday = today - timedelta(days=today.weekday())
    start = today if number == 1 else monday + timedelta(weeks=AGENDA_PERIOD_WEEKS * (number - 1))
    end = monday + timedelta(weeks=AGENDA_PERIOD_WEEKS * number, days=-1)
    return AgendaPeriod(number, start, end)


def restricted_paths() -> list[str]:
    """Tree paths of the private sections, read once and reused by several lists."""
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


def public_only(pages, restricted: Sequence[str] | None = None):
    """Like PageQuerySet.public(), without re-reading the restrictions for every list."""
    if restricted is None:
        restricted = restricted_paths()
    for path in restricted:
        pages = pages.exclude(path__startswith=path)
    return pages


def _live_permanence_pages(
    *,
    commune_id: int | None = None,
    service: str | None = None,
    venue_id: int | None = None,
    within: Page | None = None,
    restricted: Sequence[str] | None = None,
    only: Sequence[str] = (),
) -> list[PermanencePage]:
    """Live, public permanence pages with their place, by title (1 query). The service is
    filtered here rather than in SQL: a page's services are stored as one string."""
    pages = public_only(PermanencePage.objects.live(), restricted).select_related(*PLACE_RELATIONS)
    if within is not None:
        pages = pages.descendant_of(within)
    if commune_id is not None:
        pages = pages.filter(
            Q(venue__commune_id=commune_id) | Q(venue__isnull=True, antenna__commune_id=commune_id)
        )
    if venue_id is not None:
        pages = pages.filter(venue_id=venue_id)
    if only:
        pages = pages.only(*only)
    result = list(pages.order_by("title"))
    return [page for page in result if service in page.services] if service else result


def live_permanences(
    *,
    commune_id: int | None = None,
    service: str | None = None,
    venue_id: int | None = None,
    within: Page | None = None,
    restricted: Sequence[str] | None = None,
) -> list[PermanencePage]:
    """Live, public permanence pages with venue, commune and rules loaded (4 queries)."""
    result = _live_permanence_pages(
        commune_id=commune_id,
        service=service,
        venue_id=venue_id,
        within=within,
        restricted=restricted,
    )
    attach_rules(result)
    return result


# What an agenda line shows of a page (title, link, services, place): other columns, such as
# the body, are left in the database.
AGENDA_PAGE_FIELDS = (
    "title",
    "path",
    "url_path",
    "services",
    "access_mode",
    "days_to_confirm",
    "last_published_at",
    "venue__name",
    "venue__venue_type",
    "venue__address",
    "venue__latitude",
    "venue__longitude",
    "venue__accessibility",
    "venue__opening_notes",
    "venue__commune__name",
    "venue__commune__insee_code",
    "venue__commune__postcodes",
    "venue__commune__latitude",
    "venue__commune__longitude",
    "antenna__name",
    "antenna__organisation",
    "antenna__address",
    "antenna__latitude",
    "antenna__longitude",
    "antenna__commune__name",
    "antenna__commune__postcodes",
    "antenna__commune__latitude",
    "antenna__commune__longitude",
)


def agenda_permanences(
    *,
    commune_id: int | None = None,
    service: str | None = None,
    venue_id: int | None = None,
    within: Page | None = None,
    restricted: Sequence[str] | None = None,
) -> list[PermanencePage]:
    """Like live_permanences, for an agenda (the index page and the API's): only the columns
    a line shows, and no rules: `agenda` reads the dates from the occurrence table (1 query)."""
    return _live_permanence_pages(
        commune_id=commune_id,
        service=service,
        venue_id=venue_id,
        within=within,
        restricted=restricted,
        only=AGENDA_PAGE_FIELDS,
    )


def dates_by_page(
    page_ids: Sequence[int], start: date, end: date
) -> dict[int, list[schedules.Occurrence]]:
    """Each page's dates in [start, end], cancelled ones kept: read from the occurrence
    table when its horizon holds the window, else expanded from the stored rules (two or
    three queries either way, however many pages)."""
    found = Occurrence.objects.dated(page_ids, start, end)
    if found is not None:
        return found
    return {
        page_id: schedule.occurrences_between(start, end)
        for page_id, schedule in ScheduleRule.objects.schedules_by_page(list(page_ids)).items()
    }


def agenda(pages: Iterable[PermanencePage], start: date, end: date) -> list[AgendaEntry]:
    """Every occurrence of the pages in [start, end], in time order, cancelled ones kept.
    A page whose days are to be confirmed has none, whatever rows an old revision left."""
    by_id = {page.pk: page for page in pages if not page.days_to_confirm}
    entries = [
        AgendaEntry(occurrence, by_id[page_id])
        for page_id, found in dates_by_page(list(by_id), start, end).items()
        for occurrence in found
    ]
    entries.sort(key=lambda entry: (entry.occurrence.start, entry.page.title))
    return entries


@dataclass(frozen=True)
class NearbyPermanence:
    """A permanence, how far its place is from the young person's commune, and its next
    date still on (None: none in the weeks the table holds)."""

    page: PermanencePage
    distance_km: float
    next_occurrence: schedules.Occurrence | None


def _located(page: PermanencePage) -> "distances.Located | None":
    """Where a permanence is on a map: its place's own coordinates, else its commune's
    (most venues publish no precise address)."""
    place = page.place
    if place is not None and place.has_coordinates:
        return place
    holder = page.venue or page.antenna
    return holder.commune if holder is not None else None


def nearest(
    pages: Iterable[PermanencePage], origin: Commune, *, limit: int = NEAREST_LIMIT
) -> list[NearbyPermanence]:
    """The `limit` permanences nearest to `origin` (from their place's coordinates; a place
    without any is left out), nearest first, with their next date: one query for the dates
    of those few, whatever the number of pages."""
    measured = sorted(
        (
            (distance, page.title, page)
            for page in pages
            if (where := _located(page)) is not None
            and (distance := distances.distance_km(origin, where)) is not None
        ),
        key=lambda row: row[:2],
    )[:limit]
    today = timezone.localdate()
    now = timezone.now()
    dates = dates_by_page(
        [page.pk for _d, _t, page in measured if not page.days_to_confirm],
        today,
        today + timedelta(weeks=NEXT_DATES_WEEKS),
    )
    return [
        NearbyPermanence(
            page,
            distance,
            next(
                (o for o in dates.get(page.pk, []) if not o.cancelled and o.over_at >= now),
                None,
            ),
        )
        for distance, _title, page in measured
    ]


def _next_candidates(pages, limit: int) -> list[tuple] | None:
    """The next `limit` dates still on of `pages` (a queryset), read from the occurrence
    table in one query: (start, title, page id, occurrence). None when the table's horizon
    does not hold the weeks a home page looks at."""
    today = timezone.localdate()
    horizon = OccurrenceHorizon.current()
    if horizon is None or not horizon.covers(today, today + timedelta(weeks=NEXT_DATES_WEEKS)):
        return None
    rows = (
        Occurrence.objects.filter(page__in=pages.values("pk"), cancelled=False)
        .in_window(today, today + timedelta(weeks=NEXT_DATES_WEEKS))
        .still_to_come(timezone.now())
        .order_by("start", "page__title", "pk")
        .values_list("page__title", "page_id", *OCCURRENCE_COLUMNS)[:limit]
    )
    candidates = []
    for title, page_id, *values in rows:
        occurrence = as_occurrence(values)
        candidates.append((occurrence.start, title, page_id, occurrence))
    return candidates


def _next_candidates_expanded(pages, limit: int) -> list[tuple]:
    """The same, expanded from the rules: when the table does not hold the weeks asked."""
    schedules_by_page = ScheduleRule.objects.schedules_by_page(pages.values("pk"))
    today = timezone.localdate()
    now = timezone.now()
    candidates: list[tuple] = []
    # A week is usually enough; the longer windows are read only when it is not. The last one
    # is the permanence page's own: a monthly permanence whose next date is cancelled is still
    # announced with the date after it.
    for weeks in (1, AGENDA_WEEKS, NEXT_DATES_WEEKS):
        candidates = sorted(
            (
                (occurrence.start, schedule.title, page_id, occurrence)
                for page_id, schedule in schedules_by_page.items()
                for occurrence in schedule.occurrences_between(
                    today, today + timedelta(weeks=weeks)
                )
                if not occurrence.cancelled and occurrence.over_at >= now
            ),
            key=lambda candidate: candidate[:2],
        )[:limit]
        if len(candidates) == limit:
            break
    return candidates


def next_entries(
    limit: int, restricted: Sequence[str] | None = None, within: Page | None = None
) -> list[AgendaEntry]:
    """The next `limit` dates that are still on, for a home page (of its section only when
    `within` is given), looked for over the permanence page's weeks. Dates are found from
    the occurrence table alone; only the few pages shown are then read (3 queries in all)."""
    pages = public_only(PermanencePage.objects.live().filter(days_to_confirm=False), restricted)
    if within is not None:
        pages = pages.descendant_of(within)
    candidates = _next_candidates(pages, limit)
    if candidates is None:
        candidates = _next_candidates_expanded(pages, limit)
    if not candidates:
        return []
    found = PermanencePage.objects.select_related(*PLACE_RELATIONS).in_bulk(
        {page_id for _, _, page_id, _ in candidates}
    )
    return [
        AgendaEntry(occurrence, found[page_id])
        for _, _, page_id, occurrence in candidates
        if page_id in found
    ]


def group_agenda(entries: Iterable[AgendaEntry], today: date) -> list[AgendaGroup]:
    """ "Aujourd'hui", "Cette semaine" (to Sunday), then one group per later date."""
    end_of_week = today + timedelta(days=6 - today.weekday())
    groups: list[AgendaGroup] = []
    keyed: dict[object, AgendaGroup] = {}
    for entry in entries:
        day = entry.occurrence.date
        key: object
        if day == today:
            key, heading = "today", gettext("Aujourd'hui")
        elif day <= end_of_week:
            key, heading = "week", gettext("Cette semaine")
        else:
            key, heading = day, schedules.format_date(day, weekday=True)
        if key not in keyed:
            keyed[key] = AgendaGroup(heading, [])
            groups.append(keyed[key])
        keyed[key].entries.append(entry)
    return groups


page_permission_policy = PagePermissionPolicy()

# What the communication officer's home screen lists: a fortnight of sessions, a few pages.
EDITOR_AGENDA_DAYS = 14
EDITOR_PANEL_ROWS = 8


def pages_in_moderation(user, *, rows: int = EDITOR_PANEL_ROWS) -> list[Page]:
    """Pages the user may edit that wait in a moderation workflow (submitted for review),
    the longest waiting first. One query."""
    editable = page_permission_policy.instances_user_has_permission_for(user, "change")
    return list(
        editable.filter(_workflow_states__status=WorkflowState.STATUS_IN_PROGRESS)
        .order_by("_workflow_states__created_at", "pk")
        .distinct()[:rows]
    )


def editors_agenda(
    user, *, days: int = EDITOR_AGENDA_DAYS, rows: int = EDITOR_PANEL_ROWS
) -> list[AgendaEntry]:
    """The next sessions of the permanences in the part of the tree the user may explore
    (a communication officer: their Mission Locale's section), cancelled ones included and
    marked, for the next `days` days. Five queries, whatever the number of permanences."""
    root = page_permission_policy.explorable_root_instance(user)
    if root is None:
        return []
    today = timezone.localdate()
    now = timezone.now()
    entries = agenda(agenda_permanences(within=root), today, today + timedelta(days=days))
    return [entry for entry in entries if entry.occurrence.over_at >= now][:rows]


def antenna_week(antenna_id: int, *, today: date | None = None) -> list[AgendaEntry]:
    """This week's sessions (Monday to Sunday) of the permanences an antenna holds,
    cancelled ones kept and marked: a counsellor's week out of the office. Three queries,
    whatever the number of permanences."""
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    pages = list(
        PermanencePage.objects.live()
        .filter(antenna_id=antenna_id)
        .select_related(*PLACE_RELATIONS)
        .order_by("title")
    )
    return agenda(pages, monday, monday + timedelta(days=6))
