"""The admin's home screen by role: what a counsellor, a mediator and a coordinator have to
do today, read in a fixed number of queries, with French empty states and without
Wagtail's page search."""

from __future__ import annotations

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from workflows.choices import PathwaySource
from workflows.models import FollowUp, OutreachRound, Pathway

from .factories import new_pathway

pytestmark = pytest.mark.usefixtures("admin_access")

TODAY = timezone.localdate()
HOME = "/admin/"


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def followed(counsellor, places, *, due_on=None, first_name="Camille"):
    pathway = new_pathway(
        actor=counsellor, referent=counsellor, antenna=places["antenna"], first_name=first_name
    )
    if due_on is not None:
        Pathway.objects.filter(pk=pathway.pk).update(due_on=due_on)
    return pathway


def test_an_empty_day_says_so_in_french(definition, counsellor, client):
    page = home(client, counsellor)
    for empty in (
        "Aucune demande n'attend de référent dans votre antenne.",
        "Aucune relance pour aujourd'hui : vos parcours sont à jour.",
        "Aucune relance prévue cette semaine.",
        "Vous ne suivez encore aucun jeune.",
    ):
        assert empty in page
    # Wagtail's page search and account summary are not a counsellor's.
    assert "Rechercher toutes les pages" not in page
    assert "Bonjour conseil" in page


def test_the_counsellors_day(definition, places, counsellor, client):
    late = followed(counsellor, places, due_on=TODAY - datetime.timedelta(days=3), first_name="Lou")
    followed(counsellor, places, due_on=TODAY, first_name="Noé")
    followed(counsellor, places, due_on=TODAY + datetime.timedelta(days=20), first_name="Sacha")
    FollowUp.objects.create(
        pathway=late, due_on=TODAY + datetime.timedelta(days=6 - TODAY.weekday()), note="Rappel"
    )
    page = home(client, counsellor)
    assert "1 en retard" in page and "1 à relancer aujourd'hui" in page
    reminders = page.split('id="reminders-due-section"')[1].split("</section>")[0]
    assert "Lou" in reminders and "Noé" in reminders and "Sacha" not in reminders
    week = page.split('id="this-week-section"')[1].split("</section>")[0]
    assert "Lou" in week and "Rappel" in week
    stages = page.split('id="stages-section"')[1].split("</section>")[0]
    assert "Repéré" in stages and "<strong>3</strong>" in stages
    # The quick repérage is in the counsellors' menu too.
    assert reverse("workflows_screens:identification") in page


def test_the_mediators_day(definition, places, mediator, client):
    OutreachRound.objects.create(
        date=TODAY,
        place="Place de la Gare",
        mediator=mediator,
        organisation=places["aveyron"],
        young_people_met=3,
    )
    new_pathway(
        actor=mediator,
        first_name="Jules",
        source=PathwaySource.OUTREACH_ROUND,
        commune=places["commune"],
    )
    page = home(client, mediator)
    field = page.split('id="field-section"')[1].split("</section>")[0]
    assert reverse("workflows_screens:identification") in field
    assert "Place de la Gare" in field
    assert "Jules" in field


def test_a_mediator_without_a_round_today(definition, mediator, client):
    page = home(client, mediator)
    assert "Aucune maraude enregistrée aujourd'hui." in page
    assert "Vous n'avez encore repéré personne." in page


def test_the_coordinators_day(definition, places, counsellor, coordinator, client):
    followed(counsellor, places, due_on=TODAY - datetime.timedelta(days=2))
    new_pathway(actor=None, antenna=places["antenna"], first_name="Ilyes")  # à attribuer
    page = home(client, coordinator)
    coordination = page.split('id="coordination-section"')[1].split("</section>")[0]
    assert "1 demande à attribuer dans les antennes" in coordination
    assert "Antenne de Rodez : 2 parcours en cours, <strong" in coordination
    assert "1 en retard</strong>" in coordination
    assert reverse("indicators:dashboard") in coordination
    assert "Parcours en cours par étape" in page


def query_count(client, user) -> int:
    client.force_login(user)
    client.get(HOME)  # warm the caches (content types, the definition's spec)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["counsellor", "coordinator", "mediator"])
def test_the_home_screen_reads_in_constant_queries(
    definition, places, counsellor, coordinator, mediator, client, role
):
    user = {"counsellor": counsellor, "coordinator": coordinator, "mediator": mediator}[role]

    def add(number: int) -> None:
        for index in range(number):
            followed(counsellor, places, due_on=TODAY, first_name=f"Suivi{index}")
            new_pathway(actor=None, antenna=places["antenna"], first_name=f"Demande{index}")
            new_pathway(actor=mediator, first_name=f"Repere{index}")

    add(2)
    few = query_count(client, user)
    add(8)
    assert query_count(client, user) == few
