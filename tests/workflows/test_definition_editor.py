"""The definition editor in Wagtail's admin: publish checks beside the blocks, the
mapping of dropped stages, the diagram in the editor and the preview."""

import pytest
from django.urls import reverse

from workflows.models import Pathway, TransitionRecord, WorkflowDefinition
from workflows.services.transitions import fire_transition

from .factories import default_elements, definition_form_data, new_pathway


@pytest.fixture
def coordinator_client(client, coordinator):
    from django.contrib.auth.models import Group, Permission

    for name in ("Conseillers", "Médiateurs"):
        Group.objects.get_or_create(name=name)
    group = Group.objects.get(name="Coordinateurs")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__model="workflowdefinition"),
    )
    client.force_login(coordinator)
    return client


def edit_url(definition):
    return reverse("wagtailsnippets_workflows_workflowdefinition:edit", args=[definition.pk])


def test_editor_shows_diagram(coordinator_client, definition):
    response = coordinator_client.get(edit_url(definition))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and 'data-code="premier_accueil"' in html


def test_publish_refused_beside_the_block_then_accepted(coordinator_client, definition):
    elements = default_elements()
    elements[8]["value"]["allowed_groups"] = []
    response = coordinator_client.post(
        edit_url(definition), definition_form_data(name=definition.name, elements=elements)
    )
    assert response.status_code == 200
    (stream_error,) = response.context["form"].errors.as_data()["elements"]
    assert set(stream_error.block_errors) == {8}
    assert stream_error.block_errors[8].block_errors["allowed_groups"].messages == [
        "Choisissez au moins un groupe autorisé."
    ]
    # Shown beside the block: the editor receives the error keyed by block and child.
    assert "Choisissez au moins un groupe autoris\\u00e9." in response.content.decode()
    definition.refresh_from_db()
    live = definition.live_revision_id

    # The same content saved as a draft is accepted: checks wait for publishing.
    response = coordinator_client.post(
        edit_url(definition),
        definition_form_data(name=definition.name, elements=elements, action=""),
    )
    assert response.status_code == 302
    definition.refresh_from_db()
    assert definition.live_revision_id == live and definition.has_unpublished_changes


def test_publish_asks_where_pathways_of_a_dropped_stage_go(
    coordinator_client, definition, counsellor
):
    pathway = new_pathway(actor=counsellor, referent=counsellor)
    fire_transition(pathway, "remobiliser", actor=counsellor, answers={})
    elements = [
        e
        for e in default_elements()
        if not (e["type"] == "stage" and e["value"]["code"] == "remobilisation")
        and not (e["type"] == "transition" and e["value"]["code"] == "remobiliser")
    ]
    for element in elements:
        if element["type"] == "transition":
            sources = [s.strip() for s in element["value"]["sources"].split(",")]
            element["value"]["sources"] = ", ".join(s for s in sources if s != "remobilisation")
    response = coordinator_client.post(
        edit_url(definition), definition_form_data(name=definition.name, elements=elements)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "« En remobilisation » (remobilisation) : 1 parcours" in errors["stage_moves"][0]
    assert "1 parcours" in response.content.decode()
    assert Pathway.objects.get(pk=pathway.pk).stage == "remobilisation"

    response = coordinator_client.post(
        edit_url(definition),
        definition_form_data(
            name=definition.name,
            elements=elements,
            stage_moves=[("remobilisation", "sans_nouvelles")],
        ),
    )
    assert response.status_code == 302
    assert Pathway.objects.get(pk=pathway.pk).stage == "sans_nouvelles"
    move = TransitionRecord.objects.get(pathway=pathway, kind="move")
    definition = WorkflowDefinition.objects.get(pk=definition.pk)
    assert move.revision_id == definition.live_revision_id


def test_preview_draws_the_edited_version(coordinator_client, definition):
    elements = default_elements()
    elements[0]["value"]["label"] = "Repéré en maraude"
    url = reverse(
        "wagtailsnippets_workflows_workflowdefinition:preview_on_edit", args=[definition.pk]
    )
    response = coordinator_client.post(
        url, definition_form_data(name=definition.name, elements=elements, action="")
    )
    assert response.json()["is_valid"] is True
    response = coordinator_client.get(url)
    html = response.content.decode()
    assert "Repéré en maraude" in html and "<svg" in html


def test_listing_and_history(coordinator_client, definition):
    response = coordinator_client.get(reverse("wagtailsnippets_workflows_workflowdefinition:list"))
    assert response.status_code == 200
    assert definition.name in response.content.decode()
    response = coordinator_client.get(
        reverse("wagtailsnippets_workflows_workflowdefinition:history", args=[definition.pk])
    )
    assert response.status_code == 200


def test_counsellor_cannot_edit_definitions(client, counsellor, definition):
    from django.contrib.auth.models import Permission

    counsellor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(counsellor)
    assert client.get(edit_url(definition)).status_code in (302, 403)


def test_definition_in_use_cannot_be_unpublished_or_deleted(coordinator_client, pathway):
    definition = pathway.definition
    unpublish = reverse(
        "wagtailsnippets_workflows_workflowdefinition:unpublish", args=[definition.pk]
    )
    response = coordinator_client.post(unpublish, follow=True)
    assert "ne peut pas être dépubliée" in response.content.decode()
    assert WorkflowDefinition.objects.get(pk=definition.pk).live
    delete = reverse("wagtailsnippets_workflows_workflowdefinition:delete", args=[definition.pk])
    response = coordinator_client.post(delete, follow=True)
    assert "ne peut pas être supprimée" in response.content.decode()
    assert WorkflowDefinition.objects.filter(pk=definition.pk).exists()
