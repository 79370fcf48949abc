"""Reporting tags (workflows.reporting): a coordinator gives a choice field a meaning for the
figures (programme or exit reason), each choice mapped to a category; publishing refuses a
tag left incomplete, and the migration tags the default fields of existing definitions."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from workflows.models import WorkflowDefinition
from workflows.services.errors import DefinitionInvalid
from workflows.specs import live_spec, spec_from_stream
from workflows.validation import check_definition

from .factories import default_elements, definition_form_data, publish_definition_from
from .test_definition_editor import coordinator_client, edit_url  # noqa: F401


def field_of(elements, name):
    return next(
        field
        for element in elements
        if element["type"] == "transition"
        for field in element["value"]["fields"]
        if field["name"] == name
    )


def publish_messages(definition, elements, coordinator) -> list[str]:
    definition.elements = elements
    revision = definition.save_revision(user=coordinator)
    with pytest.raises(DefinitionInvalid) as refused:
        revision.publish(user=coordinator, skip_permission_checks=True)
    return list(refused.value.messages)


def test_the_default_definition_tags_the_programme_and_the_exit_reason(definition):
    spec = live_spec(definition)
    fields = {f.name: f for t in spec.transitions.values() for f in t.fields}
    assert fields["dispositif"].reporting == "programme"
    assert fields["dispositif"].reporting_map == {
        "CEJ": "cej",
        "PACEA": "pacea",
        "Hors dispositif": "other",
    }
    exit_reason = fields["motif_sortie"]
    assert exit_reason.reporting == "exit_reason"
    assert set(exit_reason.reporting_map) == set(exit_reason.choices)
    assert exit_reason.reporting_map["Alternance"] == "positive"
    assert exit_reason.reporting_map["Déménagement"] == "neutral"
    assert exit_reason.reporting_map["Abandon"] == "negative"
    # Untagged fields carry no meaning.
    assert fields["diag_sante"].reporting == "" and fields["diag_sante"].reporting_map == {}


def test_publishing_refuses_an_unmapped_choice(definition, coordinator):
    elements = default_elements()
    field = field_of(elements, "dispositif")
    field["choices"] += "\nGarantie jeunes"
    messages = publish_messages(definition, elements, coordinator)
    assert any("« dispositif »" in m and "« Garantie jeunes »" in m for m in messages)
    assert WorkflowDefinition.objects.get(pk=definition.pk).live_revision_id == (
        definition.live_revision_id
    )


def test_publishing_refuses_an_unknown_category(definition, coordinator):
    elements = default_elements()
    field = field_of(elements, "motif_sortie")
    field["reporting_map"] = field["reporting_map"].replace("Abandon = negative", "Abandon = bof")
    messages = publish_messages(definition, elements, coordinator)
    assert any("« bof »" in m and "« Abandon »" in m for m in messages)


def test_publishing_refuses_a_tag_on_a_field_that_is_not_a_single_choice(definition, coordinator):
    elements = default_elements()
    field = field_of(elements, "partenaire")
    field["reporting"] = "programme"
    messages = publish_messages(definition, elements, coordinator)
    assert any("« partenaire »" in m and "choix unique" in m for m in messages)


def test_a_reworded_choice_mapped_again_publishes(definition, coordinator):
    elements = default_elements()
    field = field_of(elements, "dispositif")
    field["choices"] = field["choices"].replace("CEJ", "Contrat d'engagement jeune")
    field["reporting_map"] = field["reporting_map"].replace(
        "CEJ = cej", "Contrat d'engagement jeune = CEJ"
    )
    assert not check_definition([(e["type"], e["value"]) for e in elements])
    definition = publish_definition_from(elements, name=definition.name, user=coordinator)
    spec = live_spec(definition)
    tagged = next(f for t in spec.transitions.values() for f in t.fields if f.name == "dispositif")
    assert tagged.reporting_map["Contrat d'engagement jeune"] == "cej"


def test_a_coordinator_tags_a_field_in_the_editor(coordinator_client, definition):  # noqa: F811
    elements = default_elements()
    field = field_of(elements, "motif_sortie")
    field["reporting_map"] = "Alternance = positive"
    response = coordinator_client.post(
        edit_url(definition), definition_form_data(name=definition.name, elements=elements)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sens pour les indicateurs" in page
    assert "correspondance" in page
    (stream_error,) = response.context["form"].errors.as_data()["elements"]
    shown = [
        str(message)
        for block_error in stream_error.block_errors.values()
        for error in block_error.non_block_errors.as_data()
        for message in error.messages
    ]
    assert any("« motif_sortie »" in m and "« Abandon »" in m for m in shown)

    field["reporting_map"] = "\n".join(
        f"{choice} = {'positive' if choice == 'Alternance' else 'neutral'}"
        for choice in field["choices"].splitlines()
    )
    response = coordinator_client.post(
        edit_url(definition), definition_form_data(name=definition.name, elements=elements)
    )
    assert response.status_code == 302
    spec = live_spec(WorkflowDefinition.objects.get(pk=definition.pk))
    tagged = next(
        f for t in spec.transitions.values() for f in t.fields if f.name == "motif_sortie"
    )
    assert tagged.reporting_map["Abandon"] == "neutral"


def test_the_data_migration_tags_existing_definitions_and_their_revisions(definition):
    elements = default_elements()
    for element in elements:
        for field in element["value"].get("fields", []):
            field.pop("reporting", None)
            field.pop("reporting_map", None)
    definition = publish_definition_from(elements, name=definition.name)
    spec = live_spec(definition)
    assert not any(f.reporting for t in spec.transitions.values() for f in t.fields)

    migration = importlib.import_module("workflows.migrations.0009_reporting_tags")
    migration.forwards(django_apps, None)

    definition = WorkflowDefinition.objects.get(pk=definition.pk)
    expected = {f.name: (f.reporting, f.reporting_map) for f in _tagged(default_elements())}
    assert set(expected) == {"dispositif", "motif_sortie"}
    assert _summary(definition.elements) == expected
    revisions = list(definition.revisions)
    assert definition.live_revision in revisions and len(revisions) == 2
    for revision in revisions:
        assert _summary(revision.as_object().elements) == expected


def _tagged(elements):
    block = WorkflowDefinition._meta.get_field("elements").stream_block
    spec = spec_from_stream(block.to_python(elements), None)
    return [f for t in spec.transitions.values() for f in t.fields if f.reporting]


def _summary(stream):
    spec = spec_from_stream(stream, None)
    return {
        f.name: (f.reporting, f.reporting_map)
        for t in spec.transitions.values()
        for f in t.fields
        if f.reporting
    }
