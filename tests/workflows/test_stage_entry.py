"""What entering a stage changes, the same whether a pathway is created, moved by a
transition or moved by a publish (workflows.rules.stage_entry)."""

import datetime

from django.utils import timezone
from django_fsm import can_proceed

from workflows.choices import ContactKind
from workflows.models import Pathway
from workflows.rules import STAGE_ENTRY_COLUMNS, stage_entry
from workflows.services.pathways import log_contact
from workflows.services.transitions import fire_transition
from workflows.specs import live_spec

from .factories import (
    default_elements,
    new_pathway,
    publish_definition_from,
    publish_moving,
    without_stage,
)

TODAY = timezone.localdate()


def stored_entry(pathway) -> dict:
    row = Pathway.objects.get(pk=pathway.pk)
    return {column: getattr(row, column) for column in STAGE_ENTRY_COLUMNS}


def test_a_new_pathway_enters_the_initial_stage(definition, counsellor):
    pathway = new_pathway(actor=counsellor)
    initial = live_spec(definition).initial_stage
    assert stored_entry(pathway) == stage_entry(initial, now=pathway.entered_stage_at)
    assert (pathway.version, pathway.closed_at) == (0, None)
    assert pathway.due_on == TODAY + datetime.timedelta(days=initial.reminder_days)


def test_a_transition_enters_its_target(pathway, counsellor):
    log_contact(pathway, kind=ContactKind.CALL, actor=counsellor)
    pathway.refresh_from_db()
    moved = fire_transition(
        pathway, "fixer_premier_accueil", actor=counsellor, answers={"date_premier_accueil": TODAY}
    )
    target = live_spec(moved.definition).stages["premier_accueil"]
    expected = stage_entry(
        target,
        now=moved.entered_stage_at,
        last_contact_at=moved.last_contact_at,
        previous_version=0,
    )
    # The transition's action plans a follow-up in 7 days, before the stage's own delay:
    # the one rule (workflows.rules.compute_due_on) makes it the next relance.
    expected["due_on"] = min(expected["due_on"], TODAY + datetime.timedelta(days=7))
    assert stored_entry(moved) == expected
    assert moved.entered_stage_at >= moved.last_contact_at
    assert (moved.version, moved.stage_category) == (1, "reception")


def test_a_transition_to_a_final_stage_closes_the_pathway(pathway, counsellor):
    closed = fire_transition(
        pathway,
        "sortir",
        actor=counsellor,
        answers={
            "motif_sortie": "Emploi durable (CDI ou CDD de 6 mois ou plus)",
            "date_sortie": TODAY.isoformat(),
        },
    )
    row = Pathway.objects.get(pk=closed.pk)
    assert row.closed_at == row.entered_stage_at
    assert (row.stage_category, row.due_on, row.version) == ("exit", None, 1)


def test_a_publish_move_enters_the_new_stage(definition, counsellor, coordinator):
    pathway = fire_transition(
        new_pathway(actor=counsellor, referent=counsellor),
        "remobiliser",
        actor=counsellor,
        answers={},
    )
    definition.elements = without_stage("remobilisation", "sans_nouvelles")
    publish_moving(definition, coordinator, {"remobilisation": "sans_nouvelles"})
    row = Pathway.objects.get(pk=pathway.pk)
    target = live_spec(definition).stages["sans_nouvelles"]
    assert row.stage == "sans_nouvelles"
    assert stored_entry(row) == stage_entry(
        target, now=row.entered_stage_at, previous_version=pathway.version
    )
    assert row.entered_stage_at > pathway.entered_stage_at


def test_the_state_machine_judges_only_the_transition_considered(pathway, definition):
    spec = live_spec(definition)
    assert not can_proceed(pathway.move)  # no transition considered: nothing may move
    with pathway.considering(spec.transitions["fixer_premier_accueil"]):
        assert can_proceed(pathway.move)
    with pathway.considering(spec.transitions["orienter"]):  # starts from "diagnostic"
        assert not can_proceed(pathway.move)
    assert not can_proceed(pathway.move)


def test_republishing_leaves_pathways_of_kept_stages_as_they_are(pathway, coordinator):
    before = stored_entry(pathway)
    publish_definition_from(default_elements(), user=coordinator)
    assert stored_entry(pathway) == before
