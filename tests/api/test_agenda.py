"""The public agenda: occurrences in date order, filters, cancellations, cache headers and a
query count that does not grow with the number of permanences."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from public_site.models import ScheduleException
from tests.api import factories

pytestmark = pytest.mark.django_db

FIRST_TUESDAY_DEC = date(2026, 12, 1)


@pytest.fixture
def permanences():
    onet = factories.commune()
    rodez = factories.commune("12202", "Rodez")
    ccas = factories.venue("CCAS d'Onet-le-Château", onet)
    mediatheque = factories.venue("Médiathèque de Rodez", rodez)
    return {
        "onet": factories.permanence(
            "Permanence au CCAS",
            venue=ccas,
            services=["employment", "training"],
            weekday=1,
            month_weeks=(1, 3),
            cancelled={FIRST_TUESDAY_DEC: "Congés"},
        ),
        "rodez": factories.permanence(
            "Permanence à la médiathèque", venue=mediatheque, services=["housing"], weekday=3
        ),
        "draft": factories.permanence(
            "Permanence en préparation", venue=mediatheque, services=["housing"], live=False
        ),
    }


def get_agenda(client, **params):
    return client.get("/api/agenda/", params)


def test_agenda_lists_occurrences_in_order_with_cancellations(client, permanences):
    response = get_agenda(client, start="2026-12-01", end="2026-12-31")
    assert response.status_code == 200
    results = response.json()["results"]
    starts = [item["start"] for item in results]
    assert starts == sorted(starts)
    onet = [item for item in results if item["page"]["id"] == permanences["onet"].pk]
    # 1st and 3rd Tuesdays of December 2026: the 1st (cancelled, kept) and the 15th.
    assert [(item["date"], item["status"], item["reason"]) for item in onet] == [
        ("2026-12-01", "cancelled", "Congés"),
        ("2026-12-15", "scheduled", ""),
    ]
    assert onet[0]["start"] == "2026-12-01T09:00:00+01:00"
    assert onet[0]["venue"]["commune"] == {"name": "Onet-le-Château", "insee_code": "12176"}
    assert onet[0]["place"]["name"] == "CCAS d'Onet-le-Château"
    assert onet[0]["place"]["commune"] == "Onet-le-Château"
    assert onet[0]["page"]["url"].endswith("/permanences/permanence-au-ccas/")
    rodez = [item for item in results if item["page"]["id"] == permanences["rodez"].pk]
    assert [item["date"] for item in rodez] == [
        "2026-12-03",
        "2026-12-10",
        "2026-12-17",
        "2026-12-24",
        "2026-12-31",
    ]
    assert all(item["page"]["id"] != permanences["draft"].pk for item in results)


def test_agenda_filters_by_commune_service_and_venue(client, permanences):
    window = {"start": "2026-12-01", "end": "2026-12-31"}
    by_commune = get_agenda(client, commune="12202", **window).json()["results"]
    assert {item["page"]["id"] for item in by_commune} == {permanences["rodez"].pk}
    by_service = get_agenda(client, service="training", **window).json()["results"]
    assert {item["page"]["id"] for item in by_service} == {permanences["onet"].pk}
    venue_id = permanences["onet"].venue_id
    by_venue = get_agenda(client, venue=venue_id, **window).json()["results"]
    assert {item["page"]["id"] for item in by_venue} == {permanences["onet"].pk}


def test_agenda_defaults_to_eight_weeks_from_today(client, permanences):
    results = get_agenda(client, page_size=200).json()["results"]
    today = date.today()
    days = [date.fromisoformat(item["date"]) for item in results]
    assert days and min(days) >= today - timedelta(days=1)
    assert max(days) <= today + timedelta(weeks=8)
    assert max(days) > today + timedelta(weeks=7)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-01-01", "end": "2027-01-02"}, "end"),
        ({"start": "2026-02-01", "end": "2026-01-01"}, "end"),
        ({"start": "demain"}, "start"),
        ({"commune": "99999"}, "commune"),
        ({"commune": "abc"}, "commune"),
        ({"service": "astrologie"}, "service"),
        ({"start": "9999-12-31"}, "start"),
    ],
)
def test_agenda_rejects_bad_filters_with_french_messages(client, params, field):
    response = get_agenda(client, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"]


def test_agenda_answers_with_cache_headers_and_304(
    client, permanences, django_capture_on_commit_callbacks
):
    window = {"start": "2026-12-01", "end": "2026-12-31"}
    first = get_agenda(client, **window)
    etag = first["ETag"]
    assert etag and first["Last-Modified"]
    assert "max-age=" in first["Cache-Control"] and "public" in first["Cache-Control"]

    again = client.get("/api/agenda/", window, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    # A cancellation published by an editor changes the representation and its ETag.
    page = permanences["rodez"]
    rule = page.schedule_rules.get()
    with django_capture_on_commit_callbacks(execute=True):
        ScheduleException.objects.create(
            rule=rule, kind="cancelled", date=date(2026, 12, 10), reason="Formation"
        )
        page.save_revision().publish()
    changed = client.get("/api/agenda/", window, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_agenda_is_paginated_with_bounded_pages(client, permanences):
    venue = permanences["rodez"].venue
    for weekday in (0, 2, 4):
        factories.permanence(f"Hebdo {weekday}", venue=venue, services=["health"], weekday=weekday)
    window = {"start": "2026-01-01", "end": "2026-12-31"}
    response = get_agenda(client, page_size=10, **window).json()
    assert len(response["results"]) == 10 and response["count"] > 10 and response["next"]
    huge = get_agenda(client, page_size=100_000, **window).json()
    assert huge["count"] > 200 and len(huge["results"]) == 200


def _agenda_queries(client, *, cold: bool = True) -> int:
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = get_agenda(client, commune="12176", start="2026-12-01", end="2027-01-26")
    assert response.status_code == 200
    return len(queries)


def test_agenda_query_count_does_not_grow_with_permanences(client):
    onet = factories.commune()
    venues = [factories.venue(f"Lieu {number}", onet) for number in range(3)]

    def add(count: int, offset: int) -> None:
        for number in range(count):
            factories.permanence(
                f"Permanence {offset + number}",
                venue=venues[number % 3],
                services=["employment"],
                weekday=number % 5,
                cancelled={date(2026, 12, 1) + timedelta(days=number % 5): "Congés"},
            )

    add(3, 0)
    few = _agenda_queries(client)
    add(25, 100)
    many = _agenda_queries(client)
    assert few == many
    assert many <= 8
    # Until the next publish, the same agenda is served from the cache: the only query left
    # checks the commune's INSEE code.
    assert _agenda_queries(client, cold=False) == 1
