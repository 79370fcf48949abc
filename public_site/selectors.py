"""Reads for the public pages, the API and the feeds: permanences with everything they need,
fetched in a fixed number of queries however many permanences there are."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import PageViewRestriction

from public_site import schedules
from public_site.models.permanences import (
    ICS_CONTENT_TYPE,
    RECURRENCE_FIELDS,
    PermanencePage,
    ScheduleException,
    ScheduleRule,
    build_recurrence,
)

AGENDA_WEEKS = 4
# The index shows two weeks at a time (a phone gets a short page), up to 8 weeks ahead.
AGENDA_PERIOD_WEEKS = 2
AGENDA_PERIODS = 4
# What a page needs to say where it happens (PermanencePage.place), in the same query.
PLACE_RELATIONS = ("venue__commune", "antenna__commune")


def long_date(day: date) -> str:
    """ "mardi 1er décembre 2026": a date as a young person reads it."""
    weekday = dict(schedules.WEEKDAY_CHOICES)[day.weekday()]
    return f"{weekday} {schedules.format_date(day)}"


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


def attach_rules(pages: Sequence[PermanencePage]) -> None:
    """Give each page `_rules_cache` (its rules in order) and each rule `_exceptions_cache`,
    in two queries for all pages. A page being previewed or edited keeps its in-memory
    rules (modelcluster), which are what the editor wants to see."""
    stored = []
    for page in pages:
        if page.pk is None or page.schedule_rules.is_deferring:
            rules = list(page.schedule_rules.all())
            for rule in rules:
                rule._exceptions_cache = list(rule.exceptions.all())
            page._rules_cache = rules
        else:
            stored.append(page)
    if not stored:
        return
    by_page: dict[int, list[ScheduleRule]] = defaultdict(list)
    exceptions = Prefetch(
        "exceptions",
        queryset=ScheduleException.objects.order_by("date"),
        to_attr="_exceptions_cache",
    )
    rules = (
        ScheduleRule.objects.filter(page_id__in=[page.pk for page in stored])
        .order_by("page_id", "sort_order", "pk")
        .prefetch_related(exceptions)
    )
    for rule in rules:
        by_page[rule.page_id].append(rule)
    for page in stored:
        page._rules_cache = by_page.get(page.pk, [])


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
    within: "PermanencePage | None" = None,
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
    within: "PermanencePage | None" = None,
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


@dataclass(frozen=True)
class PageSchedule:
    """A page's title and rules read as rows: enough to find its dates without the page."""

    title: str
    recurrences: list[schedules.Recurrence]

    def occurrences_between(self, start: date, end: date) -> list[schedules.Occurrence]:
        return schedules.merge_occurrences(
            schedules.occurrences(recurrence, start, end) for recurrence in self.recurrences
        )


def page_schedules(page_ids) -> dict[int, PageSchedule]:
    """The schedules of `page_ids` (a list or a subquery), in two queries of plain rows:
    building rule and exception objects cost more than expanding the dates."""
    exceptions: dict[int, list[tuple[str, date, str]]] = defaultdict(list)
    for rule_id, kind, day, reason in ScheduleException.objects.filter(
        rule__page_id__in=page_ids
    ).values_list("rule_id", "kind", "date", "reason"):
        exceptions[rule_id].append((kind, day, reason))
    rows = (
        ScheduleRule.objects.filter(page_id__in=page_ids)
        .order_by("page_id", "sort_order", "pk")
        .values("pk", "page_id", "page__title", *RECURRENCE_FIELDS)
    )
    result: dict[int, PageSchedule] = {}
    for row in rows:
        page_id = row["page_id"]
        if page_id not in result:
            result[page_id] = PageSchedule(row["page__title"], [])
        result[page_id].recurrences.append(build_recurrence(row, exceptions.get(row["pk"], ())))
    return result


# What an agenda line shows of a page (title, link, services, place): other columns, such as
# the body, are left in the database.
AGENDA_PAGE_FIELDS = (
    "title",
    "url_path",
    "services",
    "access_mode",
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
    "antenna__name",
    "antenna__organisation",
    "antenna__address",
    "antenna__latitude",
    "antenna__longitude",
    "antenna__commune__name",
    "antenna__commune__postcodes",
)


def agenda_permanences(
    *,
    commune_id: int | None = None,
    service: str | None = None,
    venue_id: int | None = None,
    within: "PermanencePage | None" = None,
    restricted: Sequence[str] | None = None,
) -> list[PermanencePage]:
    """Like live_permanences, for an agenda (the index page and the API's): only the columns
    a line shows, and the rules as plain recurrences (4 queries)."""
    result = _live_permanence_pages(
        commune_id=commune_id,
        service=service,
        venue_id=venue_id,
        within=within,
        restricted=restricted,
        only=AGENDA_PAGE_FIELDS,
    )
    found = page_schedules([page.pk for page in result])
    for page in result:
        schedule = found.get(page.pk)
        page._recurrences_cache = schedule.recurrences if schedule is not None else []
    return result


def agenda(pages: Iterable[PermanencePage], start: date, end: date) -> list[AgendaEntry]:
    """Every occurrence of the pages in [start, end], in time order, cancelled ones kept."""
    entries = [
        AgendaEntry(occurrence, page)
        for page in pages
        for occurrence in page.occurrences_between(start, end)
    ]
    entries.sort(key=lambda entry: (entry.occurrence.start, entry.page.title))
    return entries


def next_entries(limit: int, restricted: Sequence[str] | None = None) -> list[AgendaEntry]:
    """The next `limit` dates that are still on, for the home page. Dates are found from the
    rules alone; only the few pages shown are then read (4 queries in all)."""
    schedules_by_page = page_schedules(
        public_only(PermanencePage.objects.live(), restricted).values("pk")
    )
    today = timezone.localdate()
    now = timezone.now()
    candidates: list[tuple] = []
    # A week is usually enough; the longer window is read only when it is not.
    for weeks in (1, AGENDA_WEEKS):
        candidates = sorted(
            (
                (occurrence.start, schedule.title, page_id, occurrence)
                for page_id, schedule in schedules_by_page.items()
                for occurrence in schedule.occurrences_between(
                    today, today + timedelta(weeks=weeks)
                )
                if not occurrence.cancelled and occurrence.end >= now
            ),
            key=lambda candidate: candidate[:2],
        )[:limit]
        if len(candidates) == limit:
            break
    if not candidates:
        return []
    pages = PermanencePage.objects.select_related(*PLACE_RELATIONS).in_bulk(
        {page_id for _, _, page_id, _ in candidates}
    )
    return [
        AgendaEntry(occurrence, pages[page_id])
        for _, _, page_id, occurrence in candidates
        if page_id in pages
    ]


def group_agenda(entries: Iterable[AgendaEntry], today: date) -> list[AgendaGroup]:
    """ "Aujourd'hui", "Cette semaine" (to Sunday), then one group per later date."""
    end_of_week = today + timedelta(days=6 - today.weekday())
    groups: list[AgendaGroup] = []
    keyed: dict[object, AgendaGroup] = {}
    for entry in entries:
        day = entry.occurrence.date
        if day == today:
            key, heading = "today", _("Aujourd'hui")
        elif day <= end_of_week:
            key, heading = "week", _("Cette semaine")
        else:
            key, heading = day, long_date(day)
        if key not in keyed:
            keyed[key] = AgendaGroup(str(heading), [])
            groups.append(keyed[key])
        keyed[key].entries.append(entry)
    return groups


def event_series(pages: Iterable[PermanencePage], request: HttpRequest | None) -> list:
    from public_site.calendar import EventSeries

    # Not the request's Host header: a UID must not change with the name the site is reached
    # by. The page id keeps a copied page's rules (same uuid) apart from the original's.
    host = urlparse(settings.WAGTAILADMIN_BASE_URL).hostname or "mission-locale"
    series = []
    for page in pages:
        place = page.place
        for rule in page.loaded_rules():
            series.append(
                EventSeries(
                    uid=f"permanence-{page.pk}-{rule.uid}@{host}",
                    title=page.title,
                    description=page.intro,
                    location=place.full_address if place is not None else "",
                    url=page.get_full_url(request) or "",
                    recurrence=rule.recurrence(rule._exceptions_cache),
                )
            )
    return series


def ics_response(
    pages: Sequence[PermanencePage], request: HttpRequest, *, calendar_name: str, filename: str
) -> HttpResponse:
    from public_site.calendar import build_ics

    attach_rules([page for page in pages if not hasattr(page, "_rules_cache")])
    body = build_ics(event_series(pages, request), calendar_name=calendar_name)
    response = HttpResponse(body, content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


def home_content(home) -> dict:
    """Everything the home page lists, in a fixed number of queries."""
    from public_site.models import (
        ContactRequestPage,
        NewsPage,
        PermanenceIndexPage,
        ServicePage,
    )
    from public_site.models.home import HOME_LATEST_NEWS, HOME_NEXT_PERMANENCES

    restricted = restricted_paths()
    return {
        "next_permanences": next_entries(HOME_NEXT_PERMANENCES, restricted),
        "services": list(public_only(ServicePage.objects.live(), restricted).order_by("path")),
        "latest_news": list(
            public_only(NewsPage.objects.live(), restricted).order_by("-date", "-pk")[
                :HOME_LATEST_NEWS
            ]
        ),
        "contact_page": public_only(ContactRequestPage.objects.live(), restricted).first(),
        "permanence_index": public_only(PermanenceIndexPage.objects.live(), restricted).first(),
    }
