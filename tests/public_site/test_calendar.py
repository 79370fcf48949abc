"""The iCalendar download and the schema.org markup of permanences, as clients read them."""

import dataclasses
import io
from datetime import UTC, date, datetime, time, timedelta

import pytest
from dateutil import tz
from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar

from public_site.calendar import (
    EVENT_CANCELLED,
    EVENT_SCHEDULED,
    EventSeries,
    build_ics,
    event_json_ld,
    paris_vtimezone,
)
from public_site.schedules import PARIS, Frequency, Recurrence, occurrences

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def series(uid: str, recurrence: Recurrence) -> EventSeries:
    return EventSeries(
        uid=uid,
        title="Permanence Mission Locale au CCAS",
        description="Sans rendez-vous, pour les 16-25 ans.",
        location="CCAS d'Onet-le-Château, 12850 Onet-le-Château",
        url="https://ml.example.org/permanences/onet/",
        recurrence=recurrence,
    )


SERIES = [
    series(
        "permanence-1-rule-1@ml.example.org",
        Recurrence(
            frequency=Frequency.WEEKLY,
            weekdays=(THU,),
            start_date=date(2025, 9, 1),
            start_time=time(14),
            end_time=time(17),
            cancelled={date(2026, 3, 26): "Formation de l'équipe", date(2026, 10, 29): ""},
            extra_dates=(date(2026, 4, 1),),
        ),
    ),
    series(
        "permanence-2-rule-1@ml.example.org",
        Recurrence(
            frequency=Frequency.MONTHLY,
            weekdays=(TUE,),
            month_weeks=(1, 3),
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            start_time=time(9),
            end_time=time(12),
            cancelled={date(2026, 3, 3): "Fermeture du CCAS"},
            extra_dates=(date(2026, 3, 5), date(2026, 7, 21)),  # the 21 July is a 3rd Tuesday
        ),
    ),
    series(
        "permanence-3-rule-1@ml.example.org",
        Recurrence(
            frequency=Frequency.MONTHLY,
            weekdays=(TUE,),
            month_weeks=(5, -1),
            start_date=date(2026, 2, 14),
            start_time=time(9, 30),
            end_time=time(12),
        ),
    ),
    series(
        "permanence-4-rule-2@ml.example.org",
        Recurrence(
            frequency=Frequency.WEEKLY,
            interval=2,
            weekdays=(WED,),
            start_date=date(2026, 1, 8),  # a Thursday: the first Wednesday is the 14th
            end_date=date(2026, 11, 18),
            start_time=time(9),
            end_time=time(16, 30),
            cancelled={date(2026, 1, 14): "Neige"},  # the very first date (DTSTART)
        ),
    ),
    series(
        "permanence-5-rule-1@ml.example.org",
        Recurrence(
            frequency=Frequency.WEEKLY,
            weekdays=(SUN,),  # on the days of the summer-time changes
            start_date=date(2026, 3, 1),
            end_date=date(2026, 11, 1),
            start_time=time(9),
            end_time=time(12),
        ),
    ),
]


def cancelled_instances(ics: bytes) -> dict[str, dict[datetime, tuple[str, str]]]:
    """Per UID, the overriding instances a client shows struck out: (summary, description)
    by the start they replace (RECURRENCE-ID)."""
    result: dict[str, dict[datetime, tuple[str, str]]] = {}
    for event in Calendar.from_ical(ics).walk("VEVENT"):
        if "RECURRENCE-ID" in event and str(event.get("STATUS")) == "CANCELLED":
            result.setdefault(str(event["UID"]), {})[event.decoded("RECURRENCE-ID")] = (
                str(event["SUMMARY"]),
                str(event["DESCRIPTION"]),
            )
    return result


def parse_back(ics: bytes) -> dict[str, list[tuple[datetime, datetime]]]:
    """What a calendar client computes: per UID, the (start, end) of every instance in 2026
    that is still on (the cancelled overriding instances taken out)."""
    calendar = Calendar.from_ical(ics)
    cancelled = cancelled_instances(ics)
    result = {}
    window = (datetime(2026, 1, 1, tzinfo=PARIS), datetime(2026, 12, 31, 23, 59, tzinfo=PARIS))
    for event in calendar.walk("VEVENT"):
        if "RECURRENCE-ID" in event:
            continue
        start = event.decoded("DTSTART")
        duration = event.decoded("DTEND") - start
        instances = rruleset()
        if "RRULE" in event:
            instances.rrule(rrulestr(event["RRULE"].to_ical().decode(), dtstart=start))
        else:
            instances.rdate(start)
        for name, add in (("RDATE", instances.rdate), ("EXDATE", instances.exdate)):
            values = event.get(name, [])
            for value in values if isinstance(values, list) else [values]:
                for item in value.dts:
                    add(item.dt)
        uid = str(event["UID"])
        result[uid] = [
            (moment, moment + duration)
            for moment in instances.between(*window, inc=True)
            if moment not in cancelled.get(uid, {})
        ]
    return result


def test_ics_parses_back_to_the_same_dates_as_the_page_shows():
    ics = build_ics(SERIES, calendar_name="Permanences de la Mission Locale")
    parsed = parse_back(ics)
    assert set(parsed) == {item.uid for item in SERIES}
    for item in SERIES:
        shown = [(o.start, o.end) for o in occurrences(item.recurrence, *YEAR) if not o.cancelled]
        assert shown, item.uid
        assert parsed[item.uid] == shown, item.uid
        # Same instants, and the same wall-clock time on both sides of summer time.
        assert {(start.hour, start.minute) for start, _end in parsed[item.uid]} == {
            (item.recurrence.start_time.hour, item.recurrence.start_time.minute)
        }
        assert {start.utcoffset() for start, _end in parsed[item.uid]} == {
            timedelta(hours=1),
            timedelta(hours=2),
        }


def test_ics_carries_rule_exceptions_zone_and_identity():
    ics = build_ics(SERIES[:2], calendar_name="Permanences d'Onet")
    text = ics.decode()
    assert "X-WR-CALNAME:Permanences d'Onet" in text
    calendar = Calendar.from_ical(ics)
    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/Paris"
    weekly, monthly = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e]
    assert "DTSTART;TZID=Europe/Paris:20250904T140000" in text  # first Thursday from 1 Sept
    assert monthly["RRULE"]["FREQ"] == ["MONTHLY"]
    assert monthly["RRULE"]["BYDAY"] == ["1TU", "3TU"]
    assert monthly["RRULE"]["UNTIL"] == [datetime(2026, 12, 31, 22, 59, 59, tzinfo=UTC)]
    assert "EXDATE" not in text
    assert "RECURRENCE-ID;TZID=Europe/Paris:20260303T090000" in text
    # 21 July is already a date of the rule: only 5 March is added.
    assert "RDATE;TZID=Europe/Paris:20260305T090000" in text
    assert "20260721" not in text
    assert str(weekly["LOCATION"]) == SERIES[0].location
    assert str(weekly["URL"]) == SERIES[0].url
    # The UID does not change from one download to the next.
    again = Calendar.from_ical(build_ics(SERIES[:2], calendar_name="Permanences d'Onet"))
    assert [str(e["UID"]) for e in again.walk("VEVENT") if "RECURRENCE-ID" not in e] == [
        item.uid for item in SERIES[:2]
    ]


def test_a_cancelled_date_stays_in_the_feed_as_a_cancelled_instance_with_its_reason():
    ics = build_ics(SERIES, calendar_name="Permanences")
    assert b"EXDATE" not in ics
    cancelled = cancelled_instances(ics)
    assert cancelled["permanence-1-rule-1@ml.example.org"] == {
        datetime(2026, 3, 26, 14, tzinfo=PARIS): (
            "Annulé : Permanence Mission Locale au CCAS",
            "Formation de l'équipe",
        ),
        datetime(2026, 10, 29, 14, tzinfo=PARIS): (
            "Annulé : Permanence Mission Locale au CCAS",
            "Cette date est annulée.",
        ),
    }
    # The very first date (DTSTART) can be cancelled too.
    assert list(cancelled["permanence-4-rule-2@ml.example.org"].values()) == [
        ("Annulé : Permanence Mission Locale au CCAS", "Neige")
    ]
    (instance,) = [
        event
        for event in Calendar.from_ical(ics).walk("VEVENT")
        if event.get("RECURRENCE-ID") and "Neige" in str(event["DESCRIPTION"])
    ]
    assert instance.decoded("DTSTART") == datetime(2026, 1, 14, 9, tzinfo=PARIS)
    assert instance.decoded("DTEND") == datetime(2026, 1, 14, 16, 30, tzinfo=PARIS)
    assert str(instance["LOCATION"]) == SERIES[3].location


def test_a_session_without_a_published_end_has_no_dtend_nor_end_date():
    afternoons = Recurrence(
        frequency=Frequency.WEEKLY,
        weekdays=(THU,),
        start_date=date(2026, 1, 1),
        start_time=time(14),
        cancelled={date(2026, 1, 15): "Congés"},
    )
    ics = build_ics([series("aulnat@x", afternoons)], calendar_name="Permanences")
    events = Calendar.from_ical(ics).walk("VEVENT")
    assert len(events) == 2 and all("DTEND" not in event for event in events)
    assert "DURATION" not in ics.decode()
    (event,) = event_json_ld(
        name="Permanence",
        url="https://ml.example.org/p/",
        description="",
        location_name="Pôle social d'Aulnat",
        address="",
        latitude=None,
        longitude=None,
        occurrences=occurrences(afternoons, date(2026, 1, 8), date(2026, 1, 8)),
    )
    assert event["startDate"] == "2026-01-08T14:00:00+01:00"
    assert "endDate" not in event


def test_ics_is_byte_stable_for_a_given_stamp():
    stamp = datetime(2026, 1, 5, 8, tzinfo=UTC)
    first = build_ics(SERIES, calendar_name="Permanences", dtstamp=stamp)
    assert first == build_ics(SERIES, calendar_name="Permanences", dtstamp=stamp)
    assert b"DTSTAMP:20260105T080000Z" in first


def test_a_rule_that_ends_before_its_first_date_exports_only_its_extra_dates():
    no_thursday = Recurrence(
        frequency=Frequency.WEEKLY,
        weekdays=(THU,),
        start_date=date(2026, 3, 6),
        end_date=date(2026, 3, 11),
        start_time=time(9),
        end_time=time(12),
        extra_dates=(date(2026, 3, 9), date(2026, 3, 10)),
    )
    ics = build_ics([series("extra-only@x", no_thursday)], calendar_name="Permanences")
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert "RRULE" not in event
    assert [start.date() for start, _end in parse_back(ics)["extra-only@x"]] == [
        date(2026, 3, 9),
        date(2026, 3, 10),
    ]
    empty = build_ics(
        [series("nothing@x", dataclasses.replace(no_thursday, extra_dates=()))],
        calendar_name="Permanences",
    )
    assert Calendar.from_ical(empty).walk("VEVENT") == []


def test_vtimezone_agrees_with_the_system_zone_database():
    exported = tz.tzical(io.StringIO(paris_vtimezone().decode())).get("Europe/Paris")
    day = date(2000, 1, 1)
    while day.year < 2038:
        instants = [datetime.combine(day, time(12), UTC)]
        if day.month in (3, 10) and day.weekday() == SUN:
            # Through the night of a possible change, every half hour (UTC).
            instants += [
                datetime.combine(day, time(hour, minute), UTC)
                for hour in range(4)
                for minute in (0, 30)
            ]
        for instant in instants:
            assert (
                instant.astimezone(exported).utcoffset() == instant.astimezone(PARIS).utcoffset()
            ), instant
        day += timedelta(days=1)


def test_json_ld_has_one_event_per_date_with_its_status():
    recurrence = SERIES[1].recurrence
    coming = occurrences(recurrence, date(2026, 3, 1), date(2026, 3, 31))
    events = event_json_ld(
        name="Permanence Mission Locale au CCAS",
        url="https://ml.example.org/permanences/onet/",
        description="Sans rendez-vous.",
        location_name="CCAS d'Onet-le-Château",
        address="12850 Onet-le-Château",
        latitude=44.3908,
        longitude=2.5397,
        occurrences=coming,
    )
    assert [(e["startDate"], e["eventStatus"]) for e in events] == [
        ("2026-03-03T09:00:00+01:00", EVENT_CANCELLED),
        ("2026-03-05T09:00:00+01:00", EVENT_SCHEDULED),
        ("2026-03-17T09:00:00+01:00", EVENT_SCHEDULED),
    ]
    assert EVENT_CANCELLED == "https://schema.org/EventCancelled"
    event = events[0]
    assert event["description"] == "Annulée : Fermeture du CCAS"
    assert events[1]["description"] == "Sans rendez-vous."
    assert event["@context"] == "https://schema.org"
    assert event["@type"] == "Event"
    assert event["endDate"] == "2026-03-03T12:00:00+01:00"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"] == {
        "@type": "Place",
        "name": "CCAS d'Onet-le-Château",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "12850 Onet-le-Château",
            "addressCountry": "FR",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": 44.3908, "longitude": 2.5397},
    }


@pytest.mark.parametrize(("address", "latitude"), [("", 44.39), ("12850 Onet", None), ("", None)])
def test_json_ld_leaves_out_what_is_not_known(address, latitude):
    (event,) = event_json_ld(
        name="Permanence",
        url="https://ml.example.org/p/",
        description="",
        location_name="Pôle social d'Aulnat",
        address=address,
        latitude=latitude,
        longitude=3.1683,
        occurrences=occurrences(SERIES[0].recurrence, date(2026, 4, 9), date(2026, 4, 9)),
    )
    assert ("geo" in event["location"]) == (latitude is not None)
    assert ("address" in event["location"]) == bool(address)
    assert event["startDate"] == "2026-04-09T14:00:00+02:00"


def test_json_ld_with_an_unknown_street_names_the_commune_only():
    (event,) = event_json_ld(
        name="Permanence",
        url="https://ml.example.org/p/",
        description="",
        location_name="CCAS d'Onet-le-Château",
        address="",
        postal_code="12850",
        locality="Onet-le-Château",
        latitude=None,
        longitude=None,
        occurrences=occurrences(SERIES[0].recurrence, date(2026, 4, 9), date(2026, 4, 9)),
    )
    assert event["location"]["address"] == {
        "@type": "PostalAddress",
        "postalCode": "12850",
        "addressLocality": "Onet-le-Château",
        "addressCountry": "FR",
    }
