"""Firing transitions: success, every refusal reason, history, actions."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from workflows import actions as action_catalogue
from workflows.choices import ContactKind
from workflows.models import FollowUp, Pathway, TransitionRecord
from workflows.services.errors import (
    ConditionFailed,
    InvalidFields,
    NotAllowed,
    StalePathway,
    UnknownTransition,
    WrongStage,
)
from workflows.services.pathways import log_contact
from workflows.services.transitions import fire_transition
from workflows.tasks import notify_referent

from .factories import new_pathway

TODAY = timezone.localdate().isoformat()


def to_premier_accueil(pathway, actor):
    return fire_transition(
        pathway, "fixer_premier_accueil", actor=actor, answers={"date_premier_accueil": TODAY}
    )


def to_referral(pathway, actor):
    """Through reception (with a call) and the diagnostic, to "orienté"."""
    moved = to_premier_accueil(pathway, actor)
    log_contact(moved, kind=ContactKind.CALL, actor=actor)
    moved = fire_transition(
        moved, "proposer_diagnostic", actor=actor, answers={"date_diagnostic": TODAY}
    )
    answers = dict.fromkeys(
        ["diag_emploi", "diag_formation", "diag_sante", "diag_logement", "diag_mobilite"],
        "Pas de besoin",
    ) | {"diag_ressources": "Pas de besoin", "orientation": "PACEA"}
    return fire_transition(moved, "orienter", actor=actor, answers=answers)


def assert_unchanged(pathway, stage="repere", records=1):
    fresh = Pathway.objects.get(pk=pathway.pk)
    assert fresh.stage == stage
    assert TransitionRecord.objects.filter(pathway=pathway).count() == records


def test_start_logs_initial_stage_and_actor(pathway, counsellor, definition):
    (record,) = TransitionRecord.objects.filter(pathway=pathway)
    assert record.kind == "start"
    assert (record.to_stage, record.to_stage_label) == ("repere", "Repéré")
    assert record.actor == counsellor
    assert record.revision_id == definition.live_revision_id
    assert pathway.stage_category == "identification"
    assert pathway.due_on == timezone.localdate() + datetime.timedelta(days=7)


def test_transition_moves_writes_one_record_and_runs_actions(pathway, counsellor, definition):
    moved = fire_transition(
        pathway,
        "fixer_premier_accueil",
        actor=counsellor,
        answers={"date_premier_accueil": TODAY, "lieu_premier_accueil": "CCAS"},
        comment="Rendez-vous pris par téléphone.",
    )
    assert moved.stage == "premier_accueil"
    assert Pathway.objects.get(pk=pathway.pk).stage == "premier_accueil"
    assert moved.stage_category == "reception"
    assert moved.version == 1
    assert moved.answers["lieu_premier_accueil"] == "CCAS"
    records = TransitionRecord.objects.filter(pathway=pathway, kind="transition")
    assert records.count() == 1
    record = records.get()
    assert (record.from_stage_label, record.to_stage_label) == ("Repéré", "Premier accueil")
    assert record.transition_label == "Fixer un premier accueil"
    assert record.answers == {"date_premier_accueil": TODAY, "lieu_premier_accueil": "CCAS"}
    assert record.comment == "Rendez-vous pris par téléphone."
    assert record.revision_id == definition.live_revision_id
    assert record.actor == counsellor
    assert record.action_results == [{"action": "schedule_followup", "status": "ok"}]
    follow_up = FollowUp.objects.get(pathway=pathway)
    assert follow_up.due_on == timezone.localdate() + datetime.timedelta(days=7)


def test_protected_stage_cannot_be_assigned(pathway):
    with pytest.raises(AttributeError):
        pathway.stage = "sorti"


def test_unknown_transition(pathway, counsellor):
    with pytest.raises(UnknownTransition) as refused:
        fire_transition(pathway, "teleporter", actor=counsellor, answers={})
    assert refused.value.reason == "unknown_transition"
    assert "n'existe pas" in refused.value.message
    assert_unchanged(pathway)


def test_wrong_stage(pathway, counsellor):
    with pytest.raises(WrongStage) as refused:
        fire_transition(pathway, "orienter", actor=counsellor, answers={})
    assert refused.value.reason == "wrong_stage"
    assert "Repéré" in refused.value.message
    assert_unchanged(pathway)


def test_not_allowed_group(pathway, mediator, counsellor):
    moved = to_premier_accueil(pathway, counsellor)
    # Mediators may not propose a diagnostic, even on a pathway they can see.
    moved.identified_by = mediator
    moved.save(update_fields=["identified_by"])
    with pytest.raises(NotAllowed) as refused:
        fire_transition(
            moved, "proposer_diagnostic", actor=mediator, answers={"date_diagnostic": TODAY}
        )
    assert refused.value.reason == "not_allowed"
    assert "Proposer un diagnostic" in refused.value.message
    assert_unchanged(pathway, "premier_accueil", records=2)


def test_not_allowed_outside_caseload(pathway, other_counsellor):
    with pytest.raises(NotAllowed):
        to_premier_accueil(pathway, other_counsellor)
    assert_unchanged(pathway)


def test_condition_failed_age(definition, counsellor, places):
    pathway = new_pathway(age=27, actor=counsellor, referent=counsellor)
    moved = to_premier_accueil(pathway, counsellor)
    with pytest.raises(ConditionFailed) as refused:
        fire_transition(
            moved, "proposer_diagnostic", actor=counsellor, answers={"date_diagnostic": TODAY}
        )
    assert refused.value.reason == "condition_failed"
    assert "27 ans" in refused.value.message and "entre 16 et 25" in refused.value.message
    assert_unchanged(pathway, "premier_accueil", records=2)


def test_condition_failed_contacts_then_holds(pathway, counsellor):
    moved = to_premier_accueil(pathway, counsellor)
    moved = fire_transition(
        moved, "proposer_diagnostic", actor=counsellor, answers={"date_diagnostic": TODAY}
    )
    answers = {
        "diag_emploi": "Besoin prioritaire",
        "diag_formation": "Pas de besoin",
        "diag_sante": "Pas de besoin",
        "diag_logement": "Pas de besoin",
        "diag_mobilite": "Besoin à travailler",
        "diag_ressources": "Pas de besoin",
        "orientation": "CEJ",
    }
    with pytest.raises(ConditionFailed) as refused:
        fire_transition(moved, "orienter", actor=counsellor, answers=answers)
    assert "au moins 1 contact" in refused.value.message
    log_contact(moved, kind=ContactKind.INTERVIEW, actor=counsellor)
    moved = fire_transition(moved, "orienter", actor=counsellor, answers=answers)
    assert moved.stage == "oriente"
    assert moved.answers["orientation"] == "CEJ"


def test_invalid_fields(pathway, counsellor):
    with pytest.raises(InvalidFields) as refused:
        fire_transition(
            pathway, "fixer_premier_accueil", actor=counsellor, answers={"date_premier_accueil": ""}
        )
    assert refused.value.reason == "invalid_fields"
    assert list(refused.value.field_errors) == ["date_premier_accueil"]
    assert_unchanged(pathway)
    with pytest.raises(InvalidFields) as refused:
        fire_transition(
            pathway,
            "fixer_premier_accueil",
            actor=counsellor,
            answers={"date_premier_accueil": "pas une date"},
        )
    assert "date_premier_accueil" in refused.value.field_errors


def test_invalid_choice(pathway, counsellor):
    with pytest.raises(InvalidFields) as refused:
        fire_transition(
            pathway,
            "sortir",
            actor=counsellor,
            answers={"motif_sortie": "Loto", "date_sortie": TODAY},
        )
    assert "motif_sortie" in refused.value.field_errors


def test_stale_copy_is_refused_with_current_stage(pathway, counsellor):
    seen_by_second_person = Pathway.objects.get(pk=pathway.pk)
    to_premier_accueil(pathway, counsellor)
    with pytest.raises(StalePathway) as refused:
        fire_transition(
            seen_by_second_person,
            "sortir",
            actor=counsellor,
            answers={"motif_sortie": "Abandon", "date_sortie": TODAY},
        )
    assert refused.value.reason == "stale"
    assert refused.value.current_stage == "premier_accueil"
    assert "Premier accueil" in refused.value.message
    assert_unchanged(pathway, "premier_accueil", records=2)


def test_exit_closes_pathway_and_follow_ups(pathway, counsellor):
    moved = to_premier_accueil(pathway, counsellor)
    assert FollowUp.objects.filter(pathway=pathway, done_at__isnull=True).count() == 1
    moved = fire_transition(
        moved,
        "sortir",
        actor=counsellor,
        answers={"motif_sortie": "Alternance", "date_sortie": TODAY},
    )
    assert moved.closed_at is not None and moved.due_on is None
    assert FollowUp.objects.filter(pathway=pathway, done_at__isnull=True).count() == 0
    # A closed pathway lets the same young person start a new one later.
    again = Pathway.objects.create(
        youth=moved.youth,
        definition=moved.definition,
        stage="repere",
        stage_category="identification",
        source="permanence",
        entered_stage_at=timezone.now(),
    )
    assert again.pk


def test_one_open_pathway_per_youth(pathway):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Pathway.objects.create(
            youth=pathway.youth,
            definition=pathway.definition,
            stage="repere",
            stage_category="identification",
            source="permanence",
            entered_stage_at=timezone.now(),
        )


def test_failing_action_is_recorded_and_transition_stands(pathway, counsellor, monkeypatch):
    original = action_catalogue.ACTIONS["schedule_followup"]

    def broken(context, params):
        raise RuntimeError("boom")

    monkeypatch.setitem(
        action_catalogue.ACTIONS,
        "schedule_followup",
        action_catalogue.ActionType(original.code, original.label, original.params, broken),
    )
    moved = to_premier_accueil(pathway, counsellor)
    assert moved.stage == "premier_accueil"
    record = TransitionRecord.objects.get(pathway=pathway, kind="transition")
    assert record.action_results == [
        {"action": "schedule_followup", "status": "failed", "error": "RuntimeError"}
    ]
    assert not FollowUp.objects.filter(pathway=pathway).exists()


def test_notify_referent_is_queued_on_commit_and_sends(
    pathway, counsellor, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda *args: queued.append(args))
    moved = to_referral(pathway, counsellor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        moved = fire_transition(
            moved,
            "demarrer_accompagnement",
            actor=counsellor,
            answers={"dispositif": "PACEA", "date_entree": TODAY},
        )
    assert queued == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    record = TransitionRecord.objects.get(
        pathway=pathway, transition_code="demarrer_accompagnement"
    )
    assert queued == [("workflows.tasks.notify_referent", record.pk)]
    assert notify_referent(record.pk) is True
    # Delivered again by the broker after a crash: the référent is not told twice.
    assert notify_referent(record.pk) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[-1].to == [counsellor.email]
    assert "Accompagnement" in mail.outbox[-1].body
    assert "Camille" not in mail.outbox[-1].body


def test_assign_referent_action(definition, counsellor, places):
    # Visible to the counsellor through their antenna, with no référent yet.
    pathway = new_pathway(actor=counsellor, antenna=places["antenna"])
    moved = to_premier_accueil(pathway, counsellor)
    assert moved.referent is None
    moved = fire_transition(
        moved, "proposer_diagnostic", actor=counsellor, answers={"date_diagnostic": TODAY}
    )
    assert Pathway.objects.get(pk=pathway.pk).referent == counsellor


def test_a_blank_optional_answer_keeps_what_was_recorded_before(pathway, counsellor):
    Pathway.objects.filter(pk=pathway.pk).update(answers={"raison_rupture": "Déménagement"})
    pathway.refresh_from_db()
    moved = fire_transition(
        pathway, "remobiliser", actor=counsellor, answers={"raison_rupture": ""}
    )
    assert Pathway.objects.get(pk=moved.pk).answers["raison_rupture"] == "Déménagement"
    record = TransitionRecord.objects.get(pathway=pathway, transition_code="remobiliser")
    assert record.answers["raison_rupture"] in ("", None)
