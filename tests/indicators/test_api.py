"""`GET /api/indicators/`: coordinators only, French refusals of a bad period, the figures
of the selector under their keys, documented in the schema, never cached."""

from __future__ import annotations

import datetime

import pytest
from django.test.utils import override_settings
from drf_spectacular.generators import SchemaGenerator

from indicators.selectors import breakdowns
from tests.api.conftest import token_client
from tests.workflows.factories import make_user
from workflows.policies import COUNSELLORS

from .test_figures import EXPECTED, history  # noqa: F401

URL = "/api/indicators/"
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def test_a_coordinator_reads_every_figure(history, coordinator):  # noqa: F811
    response = token_client(coordinator).get(URL, MARCH)
    assert response.status_code == 200
    body = response.json()
    by_group = body.pop("breakdowns")
    assert body == {**MARCH, **EXPECTED}
    march = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert by_group == breakdowns(coordinator, *march)
    assert [g["key"] for g in by_group["qpv"]] == ["inside", "outside", "QP012001"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_filters_reach_the_figures(history, coordinator, places):  # noqa: F811
    client = token_client(coordinator)
    for extra in (
        {"antenna": places["second_antenna"].pk},
        {"qpv": places["qpv"].code},
    ):
        body = client.get(URL, {**MARCH, **extra}).json()
        assert body["identified"] == 1 and body["exits_by_outcome"]["negative"] == 1
    body = client.get(URL, {**MARCH, "commune": places["commune"].insee_code}).json()
    assert body["outreach_rounds"] == 1


def test_anonymous_gets_401_and_others_403(client, places, definition):
    assert client.get(URL, MARCH).status_code == 401
    counsellor = make_user("conseil-api", COUNSELLORS, antenna=places["antenna"])
    refused = token_client(counsellor).get(URL, MARCH)
    assert refused.status_code == 403
    assert (
        refused.json()["detail"]
        == "Les indicateurs sont réservés aux coordinateurs, à la direction et aux réseaux."
    )


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"end": "2026-03-31"}, "start", "Champ requis."),
        ({"start": "2026-03-01"}, "end", "Champ requis."),
        ({"start": "2026-02-30", "end": "2026-03-31"}, "start", "date"),
        ({"start": "2026-03-31", "end": "2026-03-01"}, "end", "précède son début"),
        ({"start": "2023-03-01", "end": "2026-03-01"}, "end", "trois ans"),
        ({**MARCH, "commune": "Rodez"}, "commune", "code INSEE"),
        ({**MARCH, "antenna": "x"}, "antenna", "entier"),
    ],
)
def test_a_bad_period_or_filter_is_a_french_400(coordinator, params, field, message):
    response = token_client(coordinator).get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert any(message in text for text in body["errors"][field]), body


def test_three_years_less_a_day_is_allowed(coordinator, definition):
    response = token_client(coordinator).get(URL, {"start": "2023-03-02", "end": "2026-03-01"})
    assert response.status_code == 200
    assert response.json()["identified"] == 0


@override_settings(LANGUAGE_CODE="fr")
def test_the_schema_documents_the_endpoint():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {
        "start",
        "end",
        "antenna",
        "commune",
        "qpv",
    }
    assert set(operation["responses"]) >= {"200", "400", "401", "403"}
    figures_schema = schema["components"]["schemas"]["Figures"]
    assert set(figures_schema["properties"]) >= {*EXPECTED, "breakdowns"}
