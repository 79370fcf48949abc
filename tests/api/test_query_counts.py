"""The pathway list and detail run a fixed number of queries, whatever the number of
pathways (the agenda's count is in test_agenda.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import token_client
from tests.workflows.factories import new_pathway

pytestmark = pytest.mark.django_db


def add_pathways(count, counsellor, places, offset):
    for number in range(count):
        new_pathway(
            actor=counsellor,
            referent=counsellor,
            antenna=places["antenna"],
            first_name=f"Jeune {offset + number}",
            commune=places["commune"],
            priority_neighbourhood=places["qpv"] if number % 2 else None,
        )


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [{}, {"qpv": "true", "ordering": "-created_at"}, {"q": "jeune", "category": "identification"}],
)
def test_pathway_list_queries_do_not_grow(counsellor, definition, places, params):
    client = token_client(counsellor)
    client.get("/api/definitions/")  # the token's first use writes its last_used_at, once
    add_pathways(3, counsellor, places, 0)
    few = count_queries(client, "/api/pathways/", params)
    add_pathways(30, counsellor, places, 100)
    many = count_queries(client, "/api/pathways/", params)
    assert few == many
    assert many <= 8  # token, groups, staff profile, count, page, definition


def test_coordinator_list_and_detail_queries_do_not_grow(
    coordinator, counsellor, definition, places
):
    client = token_client(coordinator)
    add_pathways(2, counsellor, places, 0)
    first = client.get("/api/pathways/").json()["results"][0]["id"]
    few = count_queries(client, "/api/pathways/")
    detail_few = count_queries(client, f"/api/pathways/{first}/")
    add_pathways(25, counsellor, places, 100)
    assert count_queries(client, "/api/pathways/") == few
    assert count_queries(client, f"/api/pathways/{first}/") == detail_few


def _pages_api_queries(client) -> tuple[list[str], int]:
    url = "/api/v2/pages/"
    params = {"type": "public_site.PermanencePage", "fields": "*", "limit": "20"}
    client.get(url, params)  # the first call fills per-process caches (site root paths)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return [query["sql"] for query in queries], len(response.json()["items"])


def test_pages_api_with_every_field_runs_the_same_queries_for_2_and_20_pages(client):
    from public_site.models import ScheduleException
    from tests.api import factories as public_factories

    onet = public_factories.commune()
    venues = [public_factories.venue(f"Lieu {number}", onet) for number in range(3)]

    def add(count: int, offset: int) -> None:
        for number in range(count):
            page = public_factories.permanence(
                f"Permanence {offset + number}",
                venue=venues[number % 3],
                services=["employment"],
                weekday=number % 5,
            )
            rule = page.schedule_rules.get()
            ScheduleException.objects.create(
                rule=rule, kind="extra", date=rule.start_date, reason="En plus"
            )

    add(2, 0)
    few, shown = _pages_api_queries(client)
    assert shown == 2
    add(18, 100)
    many, shown = _pages_api_queries(client)
    assert shown == 20
    assert len(few) == len(many), "\n".join(sorted(set(many) - set(few)))
