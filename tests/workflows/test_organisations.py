"""Organisations in the workflow: where a new pathway lands, each organisation's own
definition (copied from the template), the definitions list per organisation, and query
counts of "Mes jeunes" and the board that do not grow with the number of organisations."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from territories.models import Antenna, Commune, Organisation
from workflows.choices import PathwaySource
from workflows.models import OutreachRound, WorkflowDefinition
from workflows.policies import COUNSELLORS, MEDIATORS
from workflows.services.definition_copies import copy_definition, default_template
from workflows.services.pathways import start_pathway
from workflows.specs import live_spec

from .factories import make_user, new_pathway

pytestmark = pytest.mark.usefixtures("admin_access")


# --- where a new pathway lands ---------------------------------------------------------------


def test_a_pathway_takes_its_recorders_organisation_and_antenna(definition, counsellor, places):
    pathway = new_pathway(actor=counsellor, commune=places["other_commune"])
    assert (pathway.organisation, pathway.antenna) == (places["aveyron"], places["antenna"])
    assert pathway.definition == definition


def test_the_public_form_lands_in_the_organisation_covering_the_commune(other_definition, places):
    pathway = new_pathway(actor=None, commune=places["other_commune"])
    assert (pathway.organisation, pathway.antenna) == (places["toulouse"], places["other_antenna"])
    assert pathway.definition == other_definition


def test_an_explicit_organisation_wins_and_the_covering_antenna_must_be_its_own(definition, places):
    # Onet is covered by Aveyron's Rodez antenna; asked for Toulouse, no antenna is guessed.
    pathway = new_pathway(actor=None, commune=places["commune"], organisation=places["toulouse"])
    assert (pathway.organisation, pathway.antenna) == (places["toulouse"], None)
    assert pathway.definition.organisation == places["toulouse"]


def test_no_organisation_and_another_organisations_antenna_are_refused(definition, places):
    lost = Commune.objects.create(name="Nulle-Part", insee_code="99999")
    with pytest.raises(ValidationError) as refusal:
        start_pathway(
            first_name="Sam",
            source=PathwaySource.WEBSITE,
            consent=True,
            contact_phone="0600000001",
            commune=lost,
        )
    assert refusal.value.error_list[0].code == "no_organisation"
    with pytest.raises(ValidationError) as refusal:
        new_pathway(organisation=places["aveyron"], antenna=places["other_antenna"])
    assert refusal.value.error_dict["antenna"][0].code == "antenna_of_another_organisation"


# --- a workflow per organisation -------------------------------------------------------------


def test_a_new_organisation_starts_from_a_copy_of_the_template(places):
    out = io.StringIO()
    call_command("create_organisation_workflow", "toulouse", stdout=out)
    definition = WorkflowDefinition.objects.get(organisation=places["toulouse"])
    assert definition.name == default_template().name and definition.live
    assert live_spec(definition).initial_stage.code == "repere"
    assert "publiée" in out.getvalue()
    # Copying again would overwrite nothing: refused.
    with pytest.raises(ValidationError) as refusal:
        copy_definition(default_template(), places["toulouse"])
    assert refusal.value.code == "definition_name_taken"
    # Another organisation copies it (its published version) under the same name.
    copy = copy_definition(definition, places["aveyron"])
    assert (copy.name, copy.organisation) == (definition.name, places["aveyron"])
    assert list(live_spec(copy).stages) == list(live_spec(definition).stages)


def test_the_definitions_list_shows_a_coordinator_their_organisations_only(
    client, definition, other_definition, coordinator
):
    from workflows import demo as workflows_demo

    workflows_demo.ensure_groups()
    client.force_login(coordinator)
    listing = client.get(reverse("wagtailsnippets_workflows_workflowdefinition:list"))
    content = listing.content.decode()
    mine = reverse("wagtailsnippets_workflows_workflowdefinition:edit", args=[definition.pk])
    theirs = reverse(
        "wagtailsnippets_workflows_workflowdefinition:edit", args=[other_definition.pk]
    )
    assert mine in content and theirs not in content
    assert client.get(mine).status_code == 200
    assert client.get(theirs).status_code == 404
    # A new definition is the coordinator's organisation's; the name is theirs to reuse.
    add = reverse("wagtailsnippets_workflows_workflowdefinition:add")
    assert client.get(add).status_code == 200


def test_a_maraude_takes_its_mediators_organisation(client, definition, mediator, places):
    client.force_login(mediator)
    response = client.post(
        reverse("outreach_rounds:add"),
        {"date": "2026-01-05", "place": "Gare", "mediator": mediator.pk, "young_people_met": 2},
    )
    assert response.status_code == 302
    assert OutreachRound.objects.get(place="Gare").organisation == places["aveyron"]
    # Another organisation's mediator is not offered.
    other = make_user("med-toulouse", MEDIATORS, antenna=places["other_antenna"])
    form = client.get(reverse("outreach_rounds:add")).content.decode()
    assert f'value="{other.pk}"' not in form


# --- query counts do not grow with the number of organisations -------------------------------


def _organisation_with_pathways(index: int, template) -> None:
    organisation = Organisation.objects.create(
        name=f"Mission Locale n° {index}", short_name=f"ML {index}", slug=f"ml-{index}"
    )
    antenna = Antenna.objects.create(name=f"Antenne {index}", organisation=organisation)
    copy_definition(template, organisation)
    counsellor = make_user(f"conseil-{index}", COUNSELLORS, antenna=antenna)
    for number in range(2):
        new_pathway(first_name=f"Jeune{index}-{number}", actor=counsellor, referent=counsellor)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("user", ["counsellor", "coordinator"])
def test_my_young_people_and_the_board_cost_the_same_with_5_or_50_organisations(
    client, definition, counsellor, coordinator, places, user
):
    reader = {"counsellor": counsellor, "coordinator": coordinator}[user]
    for number in range(3):
        new_pathway(first_name=f"Mien{number}", actor=counsellor, referent=counsellor)
    for index in range(3):  # with Aveyron and Toulouse: 5 organisations
        _organisation_with_pathways(index, definition)
    client.force_login(reader)
    urls = [reverse("workflows_screens:caseload"), reverse("workflows_screens:board")]
    for url in urls:
        client.get(url)  # warm the caches (content types, live specs)
    five = [_count(client, url) for url in urls]
    for index in range(3, 48):  # 50 organisations
        _organisation_with_pathways(index, definition)
    assert Organisation.objects.count() == 50
    fifty = [_count(client, url) for url in urls]
    assert fifty == five
