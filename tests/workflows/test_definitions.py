"""Publishing a definition: each rule refused with its French message beside the block,
drafts left alone, and pathways of dropped stages moved with a record."""

import datetime

import pytest
from django.utils import timezone
from wagtail.blocks.stream_block import StreamBlockValidationError

from workflows import specs
from workflows.models import Pathway, TransitionRecord, WorkflowDefinition
from workflows.services.errors import DefinitionInvalid
from workflows.services.transitions import fire_transition
from workflows.specs import live_spec

from .factories import (
    default_elements,
    new_pathway,
    publish_definition_from,
    publish_moving,
    without_stage,
)

BLOCK = WorkflowDefinition._meta.get_field("elements").stream_block


def clean(elements):
    return BLOCK.clean(BLOCK.to_python(elements))


def errors_of(elements) -> StreamBlockValidationError:
    with pytest.raises(StreamBlockValidationError) as raised:
        clean(elements)
    return raised.value


def index_of(elements, code, block_type="stage"):
    return next(
        i for i, e in enumerate(elements) if e["type"] == block_type and e["value"]["code"] == code
    )


def messages(error) -> list[str]:
    found = [str(m) for e in error.non_block_errors.as_data() for m in e.messages]
    for block_error in error.block_errors.values():
        for e in getattr(block_error, "non_block_errors", []).as_data():
            found += [str(m) for m in e.messages]
        for child in getattr(block_error, "block_errors", {}).values():
            found += [str(m) for m in child.messages]
    return found


def block_messages(error, index, child=None) -> list[str]:
    block_error = error.block_errors[index]
    if child is None:
        return [str(m) for e in block_error.non_block_errors.as_data() for m in e.messages]
    return [str(m) for m in block_error.block_errors[child].messages]


@pytest.fixture
def elements(db):
    from django.contrib.auth.models import Group

    for name in ("Coordinateurs", "Conseillers", "Médiateurs"):
        Group.objects.get_or_create(name=name)
    return default_elements()


def test_default_definition_is_valid(elements):
    assert len(clean(elements)) == len(elements)


def test_exactly_one_initial_stage(elements):
    for element in elements:
        if element["type"] == "stage":
            element["value"]["initial"] = False
    error = errors_of(elements)
    assert any("Aucune étape initiale" in m for m in messages(error))

    elements = default_elements()
    elements[index_of(elements, "diagnostic")]["value"]["initial"] = True
    error = errors_of(elements)
    assert (
        "Une seule étape peut être initiale ; il y en a 2 (repere, diagnostic)."
        in block_messages(error, index_of(elements, "diagnostic"), "initial")
    )


def test_at_least_one_final_stage(elements):
    elements[index_of(elements, "sorti")]["value"]["final"] = False
    # "sorti" then has no way out either: both messages, in one round.
    error = errors_of(elements)
    found = messages(error)
    assert any("Aucune étape finale" in m for m in found)
    assert "L'étape « Sorti » n'est pas finale et aucune transition n'en sort." in block_messages(
        error, index_of(elements, "sorti")
    )


def test_every_stage_reachable(elements):
    elements.insert(
        1,
        {
            "type": "stage",
            "value": {"code": "atelier", "label": "Atelier collectif", "category": "support"},
        },
    )
    elements.append(
        {
            "type": "transition",
            "value": {
                "code": "fin_atelier",
                "label": "Fin de l'atelier",
                "sources": "atelier",
                "target": "accompagnement",
                "allowed_groups": ["Conseillers"],
            },
        }
    )
    error = errors_of(elements)
    assert block_messages(error, 1) == [
        "L'étape « Atelier collectif » n'est atteinte par aucune transition depuis l'étape "
        "initiale."
    ]


def test_non_final_stage_needs_a_way_out(elements):
    for element in elements:
        if element["type"] == "transition":
            sources = [s.strip() for s in element["value"]["sources"].split(",")]
            element["value"]["sources"] = ", ".join(s for s in sources if s != "oriente")
    # "orienter" still leads into "oriente", which now has no way out.
    error = errors_of(elements)
    assert "L'étape « Orienté » n'est pas finale et aucune transition n'en sort." in block_messages(
        error, index_of(elements, "oriente")
    )


def test_transition_needs_an_allowed_group(elements):
    index = index_of(elements, "orienter", "transition")
    elements[index]["value"]["allowed_groups"] = []
    error = errors_of(elements)
    assert block_messages(error, index, "allowed_groups") == [
        "Choisissez au moins un groupe autorisé."
    ]


def test_unknown_stage_codes_and_duplicates(elements):
    index = index_of(elements, "orienter", "transition")
    elements[index]["value"]["sources"] = "diagnostic, nulle_part"
    elements[index]["value"]["target"] = "ailleurs"
    elements.append(dict(elements[index_of(elements, "sorti")]))
    error = errors_of(elements)
    assert block_messages(error, index, "sources") == ["Étape inconnue : nulle_part."]
    assert block_messages(error, index, "target") == ["Étape inconnue : ailleurs."]
    assert block_messages(error, len(elements) - 1, "code") == [
        "Le code « sorti » est déjà celui d'une autre étape."
    ]


def test_child_errors_and_definition_errors_in_one_round(elements):
    index = index_of(elements, "orienter", "transition")
    elements[index]["value"]["allowed_groups"] = []
    elements[index_of(elements, "repere")]["value"]["label"] = ""  # a required child block
    error = errors_of(elements)
    assert "allowed_groups" in error.block_errors[index].block_errors
    assert "label" in error.block_errors[index_of(elements, "repere")].block_errors


def test_draft_save_skips_definition_checks(elements):
    for element in elements:
        if element["type"] == "stage":
            element["value"]["initial"] = False
    value = BLOCK.to_python(elements)
    assert len(BLOCK.clean_deferred(value)) == len(elements)


def test_publish_from_code_is_validated(coordinator, elements):
    definition = publish_definition_from(elements, user=coordinator)
    live_revision = definition.live_revision_id
    broken = default_elements()
    broken[index_of(broken, "orienter", "transition")]["value"]["allowed_groups"] = []
    definition.elements = broken
    revision = definition.save_revision(user=coordinator)
    with pytest.raises(DefinitionInvalid) as refused:
        revision.publish(user=coordinator, skip_permission_checks=True)
    assert "Choisissez au moins un groupe autorisé." in refused.value.messages
    definition.refresh_from_db()
    assert definition.live_revision_id == live_revision


def test_dropping_a_stage_in_use_needs_a_mapping_then_moves_with_history(
    definition, counsellor, coordinator
):
    today = timezone.localdate().isoformat()
    pathways = [
        new_pathway(actor=counsellor, referent=counsellor, first_name=f"Jeune {i}")
        for i in range(3)
    ]
    for pathway in pathways[:2]:
        fire_transition(pathway, "remobiliser", actor=counsellor, answers={"raison_rupture": ""})
    old_revision = definition.live_revision_id
    definition.elements = without_stage("remobilisation", "sans_nouvelles")
    specs._CACHE.clear()  # as in a fresh worker: labels must come from the live revision

    with pytest.raises(DefinitionInvalid) as refused:
        publish_moving(definition, coordinator, {})
    assert "« En remobilisation » (remobilisation) : 2 parcours" in refused.value.messages[0]
    assert Pathway.objects.filter(stage="remobilisation").count() == 2

    with pytest.raises(DefinitionInvalid) as refused:
        publish_moving(definition, coordinator, {"remobilisation": "atlantide"})
    assert "l'étape « atlantide » n'existe pas" in refused.value.messages[0]

    revision = publish_moving(definition, coordinator, {"remobilisation": "sans_nouvelles"})
    assert definition.live_revision_id == revision.pk
    moved = Pathway.objects.filter(pk__in=[p.pk for p in pathways[:2]])
    assert {(p.stage, p.stage_category, p.version) for p in moved} == {
        ("sans_nouvelles", "lost_contact", 2)
    }
    records = TransitionRecord.objects.filter(kind="move")
    assert records.count() == 2
    record = records.first()
    assert (record.from_stage, record.from_stage_label) == ("remobilisation", "En remobilisation")
    assert (record.to_stage_label, record.revision_id, record.actor) == (
        "Sans nouvelles",
        revision.pk,
        coordinator,
    )
    # Older history keeps the stage that no longer exists, readable, with its revision.
    older = TransitionRecord.objects.get(pathway=pathways[0], kind="transition")
    assert (older.to_stage_label, older.revision_id) == ("En remobilisation", old_revision)
    assert "remobilisation" not in live_spec(definition).stages
    # The untouched pathway did not move.
    assert Pathway.objects.get(pk=pathways[2].pk).version == 0
    assert today


def test_dropping_an_unused_stage_needs_no_mapping(definition, coordinator):
    definition.elements = without_stage("remobilisation", "sans_nouvelles")
    revision = definition.save_revision(user=coordinator)
    revision.publish(user=coordinator, skip_permission_checks=True)
    definition.refresh_from_db()
    assert definition.live_revision_id == revision.pk


def test_category_change_is_carried_to_pathways(definition, pathway, coordinator):
    elements = default_elements()
    elements[index_of(elements, "repere")]["value"]["category"] = "reception"
    definition.elements = elements
    definition.save_revision(user=coordinator).publish(
        user=coordinator, skip_permission_checks=True
    )
    assert Pathway.objects.get(pk=pathway.pk).stage_category == "reception"


def test_a_move_left_over_from_an_earlier_version_does_not_break_publishing(
    definition, coordinator
):
    """A move whose stage holds no pathway any more is skipped, whatever its target."""
    definition.elements = without_stage("remobilisation", "sans_nouvelles")
    revision = publish_moving(definition, coordinator, {"remobilisation": "atlantide"})
    assert definition.live_revision_id == revision.pk


def test_a_closed_pathway_moved_by_a_publish_stays_closed_with_its_date(
    definition, counsellor, coordinator
):
    pathway = new_pathway(actor=counsellor, referent=counsellor)
    closed_at = timezone.now() - datetime.timedelta(days=400)
    Pathway.objects.filter(pk=pathway.pk).update(stage="remobilisation", closed_at=closed_at)
    definition.elements = without_stage("remobilisation", "sans_nouvelles")
    publish_moving(definition, coordinator, {"remobilisation": "sans_nouvelles"})
    pathway.refresh_from_db()
    assert (pathway.stage, pathway.closed_at) == ("sans_nouvelles", closed_at)
