"""The definition editor as a coordinator meets it: the workflow roles only in French, no
reading metrics, blocks folded to one line, stages offered to the transitions, and a list
that says in French whether a draft waits, with the way back to the published version."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse

from workflows.blocks import DefinitionBlock, TransitionBlock
from workflows.choices import COORDINATORS, COUNSELLORS, MEDIATORS
from workflows.models import WorkflowDefinition
from workflows.selectors import has_unpublished_draft
from workflows.services.drafts import discard_draft
from workflows.services.errors import LockedByAnother, NoDraft, NoPublishedVersion

from .factories import default_elements, definition_form_data, make_user
from .test_definition_editor import edit_url

LIST_URL = reverse("wagtailsnippets_workflows_workflowdefinition:list")


@pytest.fixture
def coordinator_client(client, coordinator):
    """A coordinator who edits definitions, as the demo's groups give them."""
    from workflows import demo

    demo.ensure_groups()
    client.force_login(coordinator)
    return client


def discard_url(definition):
    return reverse(
        "wagtailsnippets_workflows_workflowdefinition:discard_draft", args=[definition.pk]
    )


def save_draft(client, definition, label="Repéré en maraude"):
    elements = default_elements()
    elements[0]["value"]["label"] = label
    response = client.post(
        edit_url(definition),
        definition_form_data(name=definition.name, elements=elements, action=""),
    )
    assert response.status_code == 302


def test_transitions_offer_the_workflow_roles_only(coordinator_client, definition):
    for name in ("Editors", "Moderators", "Direction"):
        Group.objects.get_or_create(name=name)
    choices = TransitionBlock().child_blocks["allowed_groups"].field.choices
    assert [value for value, _label in choices] == [COORDINATORS, COUNSELLORS, MEDIATORS]
    html = coordinator_client.get(edit_url(definition)).content.decode()
    assert "Moderators" not in html and "Editors" not in html


@pytest.mark.parametrize("screen", ["edit", "add"])
def test_editor_shows_no_reading_metrics(coordinator_client, definition, screen):
    url = (
        edit_url(definition)
        if screen == "edit"
        else reverse("wagtailsnippets_workflows_workflowdefinition:add")
    )
    response = coordinator_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-content-readability-score" not in html
    assert "data-content-reading-time" not in html
    assert 'data-side-panel="preview"' in html  # the preview stays


def test_editor_opens_folded_with_a_line_per_block_and_loads_the_stage_picker(
    coordinator_client, definition
):
    assert DefinitionBlock().meta.collapsed
    html = coordinator_client.get(edit_url(definition)).content.decode()
    assert "workflows/stage_picker.js" in html and "workflows/editor.css" in html
    # The block definitions the editor receives: the picker on "depuis" and "vers", the
    # stages marked, and the one-line labels.
    assert "workflow-stage-picker" in html
    assert "data-workflow-stage" in html
    assert "{label} ({sources} \\u2192 {target})" in html
    assert "{label} ({code})" in html


def test_list_says_oui_and_non(coordinator_client, definition):
    WorkflowDefinition.objects.filter(pk=definition.pk).update(for_new_pathways=True)
    html = coordinator_client.get(LIST_URL).content.decode()
    assert "Oui" in html and "True" not in html
    WorkflowDefinition.objects.filter(pk=definition.pk).update(for_new_pathways=False)
    html = coordinator_client.get(LIST_URL).content.decode()
    assert "Non" in html and "False" not in html


def test_list_flags_a_draft_that_differs_and_discards_it(
    coordinator_client, coordinator, definition
):
    html = coordinator_client.get(LIST_URL).content.decode()
    assert "Publiée" in html and "Brouillon non publié" not in html

    save_draft(coordinator_client, definition)
    definition.refresh_from_db()
    live_revision = definition.live_revision_id
    html = coordinator_client.get(LIST_URL).content.decode()
    assert "Brouillon non publié" in html
    assert discard_url(definition) in html

    # A confirmation page first, in French.
    response = coordinator_client.get(discard_url(definition))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Oui, abandonner le brouillon" in page and "Repéré" not in page.split("<main")[0]

    response = coordinator_client.post(discard_url(definition), follow=True)
    assert "Brouillon abandonné" in response.content.decode()
    definition.refresh_from_db()
    assert not definition.has_unpublished_changes
    assert definition.latest_revision_id == live_revision
    assert definition.revisions.filter(pk__gt=live_revision).count() == 0
    # The editor shows the published version again.
    html = coordinator_client.get(edit_url(definition)).content.decode()
    assert "Repéré en maraude" not in html and "Brouillon non publié" not in html


def test_a_draft_identical_to_the_published_version_is_not_flagged(coordinator_client, definition):
    save_draft(coordinator_client, definition, label="Repéré")  # the published label
    definition = WorkflowDefinition.objects.select_related("latest_revision", "live_revision").get(
        pk=definition.pk
    )
    assert definition.has_unpublished_changes
    assert not has_unpublished_draft(definition)


def count_queries(action) -> int:
    """Queries one request makes (Django empties its own log at each request)."""
    sqls: list[str] = []

    def record(execute, sql, params, many, context):
        sqls.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        action()
    return len(sqls)


def test_list_reads_a_fixed_number_of_queries(coordinator_client, coordinator, definition):
    from .factories import publish_definition_from

    save_draft(coordinator_client, definition)
    coordinator_client.get(LIST_URL)  # warm the caches, show the draft's message
    one = count_queries(lambda: coordinator_client.get(LIST_URL))
    for n in range(3):
        other = publish_definition_from(default_elements(), name=f"Autre {n}", user=coordinator)
        save_draft(coordinator_client, other)
    coordinator_client.get(LIST_URL)  # shows (and forgets) the drafts' messages
    response = None

    def get_list():
        nonlocal response
        response = coordinator_client.get(LIST_URL)

    assert count_queries(get_list) == one
    assert response.content.decode().count("Brouillon non publié") == 4


def test_discarding_is_refused_without_a_draft_or_a_published_version(
    coordinator, definition, places
):
    with pytest.raises(NoDraft):
        discard_draft(definition, actor=coordinator)
    never = WorkflowDefinition.objects.create(
        name="Jamais publiée",
        elements=default_elements(),
        live=False,
        organisation=definition.organisation,
    )
    never.save_revision(user=coordinator)
    with pytest.raises(NoPublishedVersion):
        discard_draft(never, actor=coordinator)


def test_discarding_is_refused_while_someone_else_holds_the_lock(
    coordinator_client, coordinator, definition, places
):
    save_draft(coordinator_client, definition)
    other = make_user("coord2", COORDINATORS, organisation=places["aveyron"])
    WorkflowDefinition.objects.filter(pk=definition.pk).update(locked=True, locked_by=other)
    with pytest.raises(LockedByAnother):
        discard_draft(definition, actor=coordinator)
    response = coordinator_client.post(discard_url(definition), follow=True)
    assert "verrouillée par une autre personne" in response.content.decode()
    assert WorkflowDefinition.objects.get(pk=definition.pk).has_unpublished_changes


def test_another_organisations_draft_cannot_be_discarded(
    coordinator_client, other_definition, coordinator
):
    other_definition.save_revision(user=coordinator)
    assert coordinator_client.get(discard_url(other_definition)).status_code == 404
    assert coordinator_client.post(discard_url(other_definition)).status_code == 404
    assert WorkflowDefinition.objects.get(pk=other_definition.pk).has_unpublished_changes


def test_where_pathways_of_a_dropped_stage_go_is_picked_too():
    """The "nouvelle étape" of a move is one of the edited version's stages, picked as a
    transition's target is; the dropped stage is typed (it is no longer in the editor)."""
    move = WorkflowDefinition._meta.get_field("stage_moves").stream_block.child_blocks["move"]
    target = TransitionBlock().child_blocks["target"]
    assert move.child_blocks["to_stage"].meta.form_attrs == target.meta.form_attrs
    assert not move.child_blocks["from_stage"].meta.form_attrs
