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

from .factories import default_elements, publish_definition_from


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
