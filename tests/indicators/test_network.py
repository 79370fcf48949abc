"""The network role: a regional association's member reads the figures of its Missions
Locales together, counts from 1 to 4 hidden, on the dashboard, in the exports and through
the API, and nothing of any young person."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from indicators.models import Network
from indicators.selectors import figures
from tests.api.conftest import token_client
from tests.workflows.factories import make_user
from workflows.policies import NETWORK, visible_pathways

from .test_figures import history  # noqa: F401

MARCH = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
URL = "/admin/indicateurs/"


@pytest.fixture
def member(places):
    user = make_user("reseau", NETWORK)
    network = Network.objects.create(name="Réseau Occitanie")
    network.organisations.set([places["aveyron"], places["toulouse"]])
    network.members.add(user)
    return user


def test_figures_are_summed_across_the_network(history, member):  # noqa: F811
    result = figures(member, *MARCH)
    # Maraudes: 5 + 3 met at Aveyron, 9 at Toulouse.
    assert result["met_in_rounds"] == 17
    # Aveyron's 3 young people and Toulouse's one: 4, hidden.
    assert result["identified"] == "< 5"
    assert result["outreach_rounds"] == "< 5"
    assert result["exits"] == "< 5" and result["positive_exit_rate"] is None


def test_only_the_networks_organisations(history, member, places):  # noqa: F811
    Network.objects.get().organisations.set([places["aveyron"]])
    member = type(member).objects.get(pk=member.pk)  # no cached scope
    assert figures(member, *MARCH)["met_in_rounds"] == 8


def test_a_member_of_no_network_reads_nothing(history, places):  # noqa: F811
    lonely = make_user("reseau-seul", NETWORK)
    result = figures(lonely, *MARCH)
    assert result["met_in_rounds"] == 0 and result["identified"] == 0


def test_the_api_answers_hidden_counts_as_the_schema_says(history, member):  # noqa: F811
    response = token_client(member).get(
        "/api/indicators/", {"start": "2026-03-01", "end": "2026-03-31"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["identified"] == "< 5" and body["met_in_rounds"] == 17
    counts = [body["identified"], *body["exits_by_outcome"].values()]
    assert not any(isinstance(c, int) and 1 <= c <= 4 for c in counts)


def test_the_dashboard_says_whose_figures_and_hides_small_counts(history, member):  # noqa: F811
    member.groups.get().permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client = Client()
    client.force_login(member)
    html = client.get(URL, {"period": "custom", "start": "2026-03-01", "end": "2026-03-31"})
    assert html.status_code == 200
    text = html.content.decode()
    assert "Chiffres du réseau" in text and "additionnés" in text
    assert "&lt; 5" in text
    exported = client.get(URL + "export.csv", {"period": "custom", "start": "2026-03-01",
                                               "end": "2026-03-31"})  # fmt: skip
    rows = [line.split(";") for line in exported.content.decode("utf-8-sig").splitlines()[1:]]
    assert not [r for r in rows if r[-1] in {"1", "2", "3", "4"}]


def test_a_member_sees_no_young_person(history, member):  # noqa: F811
    assert not visible_pathways(member).exists()
