"""Machine-readable schedules: an iCalendar feed (icalendar package), its HTTP response, and
schema.org JSON-LD.

A series is exported as the rule itself (RRULE, with RDATE for extra dates), not as a list
of dated events, so a calendar application keeps following the permanence after the
download. A cancelled date is an overriding instance (RECURRENCE-ID, STATUS:CANCELLED, its
reason), never an EXDATE: a subscriber learns that it is cancelled, and why. Times carry
TZID=Europe/Paris with a VTIMEZONE, never UTC, so 9:00 stays 9:00 across summer time in every
client.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Protocol
from urllib.parse import urlparse

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from public_site.schedules import (
    PARIS,
    Occurrence,
    Recurrence,
    first_regular_date,
    occurrences,
    to_rrule,
)

PRODID = "-//Mission Locale//Site public//FR"
EVENT_SCHEDULED = "https://schema.org/EventScheduled"
EVENT_CANCELLED = "https://schema.org/EventCancelled"
OFFLINE_ATTENDANCE = "https://schema.org/OfflineEventAttendanceMode"
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class EventSeries:
    """One schedule rule of a permanence, with what a calendar application shows."""

    uid: str
    title: str
    description: str
    location: str
    url: str
    recurrence: Recurrence


@lru_cache(maxsize=1)
def paris_vtimezone() -> bytes:
    """Europe/Paris as RFC 5545 rules (EU summer time since 1996: last Sunday of March at
    2:00 to last Sunday of October at 3:00).

    icalendar's ``Timezone.from_tzid`` lists each transition as an RDATE up to a fixed last
    date; a permanence rule has no end, so the zone must be open-ended too. The test suite
    checks these rules against the system's zoneinfo.
    """
    timezone = Timezone()
    timezone.add("TZID", "Europe/Paris")
    summer = TimezoneDaylight()
    summer.add("TZNAME", "CEST")
    summer.add("TZOFFSETFROM", datetime(2000, 1, 1, tzinfo=PARIS).utcoffset())
    summer.add("TZOFFSETTO", datetime(2000, 7, 1, tzinfo=PARIS).utcoffset())
    summer.add("DTSTART", datetime(1996, 3, 31, 2))
    summer.add("RRULE", vRecur.from_ical("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"))
    winter = TimezoneStandard()
    winter.add("TZNAME", "CET")
    winter.add("TZOFFSETFROM", datetime(2000, 7, 1, tzinfo=PARIS).utcoffset())
    winter.add("TZOFFSETTO", datetime(2000, 1, 1, tzinfo=PARIS).utcoffset())
    winter.add("DTSTART", datetime(1996, 10, 27, 3))
    winter.add("RRULE", vRecur.from_ical("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"))
    timezone.add_component(summer)
    timezone.add_component(winter)
    return timezone.to_ical()


def _local(recurrence: Recurrence, day: date) -> datetime:
    return datetime.combine(day, recurrence.start_time, PARIS)


def _add_common(event: Event, series: EventSeries, dtstamp: datetime) -> None:
    event.add("UID", series.uid)
    event.add("DTSTAMP", dtstamp)
    if series.location:
        event.add("LOCATION", series.location)
    if series.url:
        event.add("URL", series.url)


def _add_times(event: Event, occurrence_start: datetime, recurrence: Recurrence) -> None:
    """DTSTART, and DTEND only when the venue publishes an end: an event without DTEND ends
    when it starts (RFC 5545), which invents nothing."""
    event.add("DTSTART", occurrence_start)
    if recurrence.end_time is not None:
        event.add("DTEND", datetime.combine(occurrence_start.date(), recurrence.end_time, PARIS))


def _cancelled_instance(series: EventSeries, occurrence: Occurrence, dtstamp: datetime) -> Event:
    """The overriding instance of a cancelled date: same UID, RECURRENCE-ID of the date it
    replaces, STATUS:CANCELLED, "Annulé" in the summary and the reason in the description.
    A subscriber's calendar then shows the session struck out and why, where an EXDATE
    would silently remove it."""
    event = Event()
    _add_common(event, series, dtstamp)
    event.add("RECURRENCE-ID", occurrence.start)
    _add_times(event, occurrence.start, series.recurrence)
    event.add("STATUS", "CANCELLED")
    event.add("SUMMARY", gettext("Annulé : %(title)s") % {"title": series.title})
    event.add("DESCRIPTION", occurrence.reason or gettext("Cette date est annulée."))
    return event


def _events(series: EventSeries, dtstamp: datetime) -> list[Event]:
    """The VEVENTs of one series: the recurring one, then one overriding instance per
    cancelled date; none when it has no date at all.

    DTSTART must itself be an occurrence (RFC 5545 always counts it), hence the normalised
    first regular date; a rule whose end date comes before its first date is exported as its
    extra dates only.
    """
    recurrence = series.recurrence
    exceptions = {*recurrence.cancelled, *recurrence.extra_dates}
    dated = occurrences(recurrence, min(exceptions), max(exceptions)) if exceptions else []
    extra_dates = [occurrence.date for occurrence in dated if occurrence.extra]
    first = first_regular_date(recurrence)
    has_rule = recurrence.end_date is None or first <= recurrence.end_date
    if not has_rule:
        if not extra_dates:
            return []
        first, extra_dates = extra_dates[0], extra_dates[1:]

    event = Event()
    _add_common(event, series, dtstamp)
    event.add("SUMMARY", series.title)
    if series.description:
        event.add("DESCRIPTION", series.description)
    _add_times(event, _local(recurrence, first), recurrence)
    if has_rule:
        event.add("RRULE", vRecur.from_ical(to_rrule(recurrence)))
    if extra_dates:
        event.add("RDATE", [_local(recurrence, day) for day in extra_dates])
    cancelled = [
        _cancelled_instance(series, occurrence, dtstamp)
        for occurrence in dated
        if occurrence.cancelled
    ]
    return [event, *cancelled]


def build_ics(
    series: Sequence[EventSeries], *, calendar_name: str, dtstamp: datetime | None = None
) -> bytes:
    """An iCalendar file with one recurring VEVENT per series.

    ``dtstamp`` defaults to now; pass it for a byte-stable output (tests, HTTP caching).
    """
    stamp = dtstamp or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.calendar_name = calendar_name
    calendar.add("X-WR-TIMEZONE", "Europe/Paris")
    events = [event for item in series for event in _events(item, stamp)]
    if events:
        calendar.add_component(Timezone.from_ical(paris_vtimezone()))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


class _Place(Protocol):
    full_address: str


class _Rule(Protocol):
    uid: object

    def recurrence(self) -> Recurrence: ...


class CalendarPage(Protocol):
    """What the feed reads of a permanence page (public_site.models.PermanencePage): named
    by shape so that this module stays below the models."""

    pk: int
    title: str
    intro: str

    @property
    def place(self) -> _Place | None: ...

    def public_url(self, request: HttpRequest | None = None) -> str: ...

    def shown_rules(self) -> Sequence[_Rule]: ...


def event_series(pages: Iterable[CalendarPage], request: HttpRequest | None) -> list[EventSeries]:
    """One series per schedule rule of the pages, in page and rule order."""
    # Not the request's Host header: a UID must not change with the name the site is reached
    # by. The page id keeps a copied page's rules (same uuid) apart from the original's.
    host = urlparse(settings.WAGTAILADMIN_BASE_URL).hostname or "mission-locale"
    series = []
    for page in pages:
        place = page.place
        for rule in page.shown_rules():
            series.append(
                EventSeries(
                    uid=f"permanence-{page.pk}-{rule.uid}@{host}",
                    title=page.title,
                    description=page.intro,
                    location=place.full_address if place is not None else "",
                    url=page.public_url(request),
                    recurrence=rule.recurrence(),
                )
            )
    return series


def ics_response(
    pages: Sequence[CalendarPage], request: HttpRequest, *, calendar_name: str, filename: str
) -> HttpResponse:
    """The pages' schedules as a downloadable iCalendar file."""
    body = build_ics(event_series(pages, request), calendar_name=calendar_name)
    response = HttpResponse(body, content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


def _cancelled_description(occurrence: Occurrence) -> str:
    if occurrence.reason:
        return gettext("Annulée : %(reason)s") % {"reason": occurrence.reason}
    return gettext("Annulée.")


def event_json_ld(
    *,
    name: str,
    url: str,
    description: str,
    location_name: str,
    address: str,
    latitude: float | None,
    longitude: float | None,
    occurrences: Sequence[Occurrence],
    postal_code: str = "",
    locality: str = "",
) -> list[dict]:
    """schema.org Events, one per occurrence given (the caller passes the coming ones).
    `address` is the street only: when it is unknown, the postal address says just the
    commune rather than pass the place's name off as a street.

    Search engines show a single date per Event; one Event per date with its own status
    lets a cancelled session be announced as cancelled instead of silently disappearing.
    """
    place: dict = {"@type": "Place", "name": location_name}
    postal = {"streetAddress": address, "postalCode": postal_code, "addressLocality": locality}
    if any(postal.values()):
        place["address"] = {
            "@type": "PostalAddress",
            **{key: value for key, value in postal.items() if value},
            "addressCountry": "FR",
        }
    if latitude is not None and longitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}
    return [
        {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": name,
            # A cancelled date says why, as the page and the API do.
            "description": _cancelled_description(occurrence)
            if occurrence.cancelled
            else description,
            "url": url,
            "startDate": occurrence.start.isoformat(),
            # Said only when the venue publishes it ("à partir de 14 h" has no end).
            **({"endDate": occurrence.end.isoformat()} if occurrence.end is not None else {}),
            "eventStatus": EVENT_CANCELLED if occurrence.cancelled else EVENT_SCHEDULED,
            "eventAttendanceMode": OFFLINE_ATTENDANCE,
            "location": place,
        }
        for occurrence in occurrences
    ]


__all__ = [
    "CalendarPage",
    "EventSeries",
    "build_ics",
    "event_json_ld",
    "event_series",
    "ics_response",
    "paris_vtimezone",
]
