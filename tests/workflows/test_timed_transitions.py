"""Timed transitions: a coordinator sets "after N days without a contact" on a transition,
and the daily run moves the pathways that waited that long, once, through the same service
as a person, its history record marked automatic with the rule that fired it."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from access_log.models import AccessLogEntry, Channel
from workflows.choices import ContactKind
from workflows.models import FollowUp, Pathway, TransitionRecord
from workflows.services.errors import DefinitionInvalid
from workflows.services.pathways import log_contact
from workflows.services.timed_transitions import run_timed_transitions, timed_rules
from workflows.services.transitions import fire_transition
from workflows.tasks import SCHEDULES
from workflows.tasks import run_timed_transitions as daily_task
from workflows.validation import check_definition

from .factories import default_elements, new_pathway, publish_definition_from

REPERE_RULE = "Automatique : 30 jours dans l'étape sans contact"


def _transition(elements: list[dict], code: str) -> dict:
    return next(
        e["value"] for e in elements if e["type"] == "transition" and e["value"]["code"] == code
    )


def _started(counsellor, places, **kwargs) -> Pathway:
    return new_pathway(
        actor=counsellor,
        referent=counsellor,
        antenna=places["antenna"],
        commune=places["commune"],
        **kwargs,
    )


def _day_of(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


def test_the_last_contact_n_minus_one_days_old_stays_at_n_days_it_moves_once(
    definition, counsellor, places
):
    pathway = _started(counsellor, places, first_name="Zéphyrine", last_name="Quillebeuf")
    contact = log_contact(pathway, kind=ContactKind.CALL, actor=counsellor)
    last_contact = _day_of(contact.happened_at)

    report = run_timed_transitions(last_contact + datetime.timedelta(days=29))

    assert report.moved == 0
    assert Pathway.objects.get(pk=pathway.pk).stage == "repere"

    report = run_timed_transitions(last_contact + datetime.timedelta(days=30))

    assert [(m.pathway_id, m.from_stage, m.to_stage) for m in report.moves] == [
        (pathway.pk, "repere", "sans_nouvelles")
    ]
    moved = Pathway.objects.get(pk=pathway.pk)
    assert (moved.stage, moved.stage_category) == ("sans_nouvelles", "lost_contact")
    record = TransitionRecord.objects.filter(pathway=pathway).latest("created_at", "pk")
    assert (record.automatic, record.trigger, record.actor) == (True, REPERE_RULE, None)
    assert (record.from_stage, record.to_stage) == ("repere", "sans_nouvelles")
    assert record.transition_code == "perdu_de_vue_repere"
    assert AccessLogEntry.objects.filter(pathway_id=pathway.pk, channel=Channel.TASK).exists()

    again = run_timed_transitions(last_contact + datetime.timedelta(days=30))

    assert again.moved == 0
    assert TransitionRecord.objects.filter(pathway=pathway, automatic=True).count() == 1


def test_a_contact_restarts_the_clock_and_a_person_s_move_stops_it(definition, counsellor, places):
    waiting = _started(counsellor, places)
    followed = _started(counsellor, places, first_name="Ysée", contact_phone="06 00 00 00 02")
    start = _day_of(waiting.entered_stage_at)
    log_contact(
        waiting,
        kind=ContactKind.SMS,
        actor=counsellor,
        happened_at=timezone.now(),
    )
    fire_transition(followed, "remobiliser", actor=counsellor)

    # Thirty days after the start: the contact of today keeps the first one for thirty days
    # from today; the second stands in a stage without a timer.
    report = run_timed_transitions(start + datetime.timedelta(days=30))

    assert {m.pathway_id for m in report.moves} == {waiting.pk}
    assert Pathway.objects.get(pk=followed.pk).stage == "remobilisation"


def test_sixty_days_in_accompagnement_without_a_contact(definition, counsellor, places):
    pathway = _started(counsellor, places)
    for code, answers in [
        ("fixer_premier_accueil", {"date_premier_accueil": "2026-01-05"}),
        ("proposer_diagnostic", {"date_diagnostic": "2026-01-12"}),
    ]:
        pathway = fire_transition(pathway, code, actor=counsellor, answers=answers)
    log_contact(pathway, kind=ContactKind.INTERVIEW, actor=counsellor)
    diagnostic = dict.fromkeys(
        (
            "diag_emploi",
            "diag_formation",
            "diag_sante",
            "diag_logement",
            "diag_mobilite",
            "diag_ressources",
        ),
        "Pas de besoin",
    )
    pathway = fire_transition(
        pathway, "orienter", actor=counsellor, answers={**diagnostic, "orientation": "CEJ"}
    )
    pathway = fire_transition(
        pathway,
        "demarrer_accompagnement",
        actor=counsellor,
        answers={"dispositif": "CEJ", "date_entree": "2026-01-20"},
    )
    entered = _day_of(pathway.entered_stage_at)

    assert run_timed_transitions(entered + datetime.timedelta(days=59)).moved == 0
    report = run_timed_transitions(entered + datetime.timedelta(days=60))

    assert [m.transition_code for m in report.moves] == ["perdu_de_vue_accompagnement"]
    record = TransitionRecord.objects.filter(pathway=pathway).latest("created_at", "pk")
    assert record.trigger == "Automatique : 60 jours dans l'étape sans contact"


def _with_in_stage_timer(coordinator, **changes):
    """The default definition where "Engager une remobilisation" also fires by itself after
    ten days in "Repéré", contact or not."""
    elements = default_elements()
    remobilise = _transition(elements, "remobiliser")
    remobilise.update({"timer": "in_stage", "timer_days": 10, **changes})
    return publish_definition_from(elements, user=coordinator)


def test_after_n_days_in_the_stage_whatever_the_contacts(coordinator, counsellor, places):
    _with_in_stage_timer(coordinator)
    pathway = _started(counsellor, places)
    entered = _day_of(pathway.entered_stage_at)
    log_contact(pathway, kind=ContactKind.CALL, actor=counsellor)

    assert run_timed_transitions(entered + datetime.timedelta(days=9)).moved == 0
    report = run_timed_transitions(entered + datetime.timedelta(days=10))

    assert [(m.transition_code, m.to_stage) for m in report.moves] == [
        ("remobiliser", "remobilisation")
    ]
    record = TransitionRecord.objects.filter(pathway=pathway).latest("created_at", "pk")
    assert (record.automatic, record.trigger) == (True, "Automatique : 10 jours dans l'étape")


def test_conditions_and_actions_apply(coordinator, counsellor, places):
    """A timed transition's condition that does not hold keeps the pathway where it is (the
    run counts the refusal); its actions run as they do for a person."""
    _with_in_stage_timer(
        coordinator,
        conditions=[{"type": "min_contacts", "value": {"count": 1}}],
        actions=[
            {"type": "schedule_followup", "value": {"days": 3, "note": "Rappeler après relance"}},
            {"type": "assign_referent", "value": {"replace": True}},
            {"type": "notify_referent", "value": {}},
        ],
    )
    silent = _started(counsellor, places)
    heard = _started(counsellor, places, first_name="Ysée", contact_phone="06 00 00 00 02")
    log_contact(heard, kind=ContactKind.CALL, actor=counsellor)
    as_of = _day_of(silent.entered_stage_at) + datetime.timedelta(days=10)

    report = run_timed_transitions(as_of)

    assert [m.pathway_id for m in report.moves] == [heard.pk]
    assert report.refused == {"ConditionFailed": 1}
    assert Pathway.objects.get(pk=silent.pk).stage == "repere"
    follow_up = FollowUp.objects.get(pathway=heard, note="Rappeler après relance")
    record = TransitionRecord.objects.get(pathway=heard, automatic=True)
    assert [r["status"] for r in record.action_results] == ["ok", "ok", "ok"]
    # The relance the action planned is the next one, as for a person's move.
    assert Pathway.objects.get(pk=heard.pk).due_on == follow_up.due_on


def test_publishing_refuses_a_timed_transition_that_requires_a_field(coordinator):
    elements = default_elements()
    _transition(elements, "fixer_premier_accueil").update({"timer": "no_contact", "timer_days": 5})

    with pytest.raises(DefinitionInvalid) as refused:
        publish_definition_from(elements, user=coordinator)

    assert any(
        "ne peut pas demander de champ obligatoire" in message
        and "« Date du premier accueil »" in message
        for message in refused.value.messages
    ), refused.value.messages
    # In the editor the message sits on the transition's block.
    index = next(
        i
        for i, e in enumerate(elements)
        if e["type"] == "transition" and e["value"]["code"] == "fixer_premier_accueil"
    )
    items = [(e["type"], e["value"]) for e in elements]
    report = check_definition(items)
    assert "ne peut pas demander de champ obligatoire" in " ".join(report.by_block[index][None])


def test_a_timer_needs_its_delay_and_a_delay_its_timer(coordinator):
    elements = default_elements()
    _transition(elements, "remobiliser")["timer"] = "no_contact"
    _transition(elements, "sortir")["timer_days"] = 12
    report = check_definition([(e["type"], e["value"]) for e in elements])
    messages = report.messages()

    assert any("au bout de combien de jours" in m for m in messages)
    assert any("Un délai est indiqué" in m for m in messages)


def test_a_timed_transition_needs_no_group_but_a_person_s_does(coordinator):
    elements = default_elements()
    assert _transition(elements, "perdu_de_vue_repere")["allowed_groups"] == []
    assert not check_definition([(e["type"], e["value"]) for e in elements])
    _transition(elements, "remobiliser")["allowed_groups"] = []

    messages = check_definition([(e["type"], e["value"]) for e in elements]).messages()

    assert "Choisissez au moins un groupe autorisé." in messages


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command("run_timed_transitions", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_ids_never_names_and_ends_with_the_count(definition, counsellor, places):
    first = _started(counsellor, places, first_name="Zéphyrine", last_name="Quillebeuf")
    second = _started(counsellor, places, first_name="Ysée", contact_phone="06 00 00 00 02")
    as_of = (_day_of(first.entered_stage_at) + datetime.timedelta(days=30)).isoformat()

    dry = _command("--as-of", as_of, "--dry-run")

    assert dry.rstrip().endswith("2 parcours seraient déplacés")
    assert f"parcours n° {first.pk} : repere → sans_nouvelles" in dry
    assert f"parcours n° {second.pk} : repere → sans_nouvelles" in dry
    assert "Lot 1" in dry
    assert not TransitionRecord.objects.filter(automatic=True).exists()

    done = _command("--as-of", as_of)

    assert done.rstrip().endswith("2 parcours déplacés")
    assert "Zéphyrine" not in done + dry and "Quillebeuf" not in done + dry
    assert AccessLogEntry.objects.filter(pathway_id=first.pk, channel=Channel.COMMAND).exists()
    assert _command("--as-of", as_of).rstrip().endswith("0 parcours déplacés")


def test_a_bad_date_is_a_clear_error(definition):
    with pytest.raises(CommandError, match="Date invalide « 2026-13-45 » : écrivez-la AAAA-MM-JJ"):
        _command("--as-of", "2026-13-45")


def test_the_daily_task_runs_as_of_today_and_is_scheduled(definition, counsellor, places):
    pathway = _started(counsellor, places)
    Pathway.objects.filter(pk=pathway.pk).update(
        entered_stage_at=timezone.now() - datetime.timedelta(days=31),
        last_contact_at=None,
    )

    assert daily_task() == 1
    assert daily_task() == 0
    assert SCHEDULES["workflows.run_timed_transitions"]["func"] == (
        "workflows.tasks.run_timed_transitions"
    )


def _silent_pathways(count: int, counsellor, places, *, days: int) -> list[Pathway]:
    pathways = [
        _started(counsellor, places, first_name=f"Jeune{i}", contact_phone=f"06 00 00 01 {i:02d}")
        for i in range(count)
    ]
    Pathway.objects.filter(pk__in=[p.pk for p in pathways]).update(
        entered_stage_at=timezone.now() - datetime.timedelta(days=days), last_contact_at=None
    )
    return pathways


# What one batch costs, however many pathways it moves (its page; the lock of its rows; one
# UPDATE of their stage; the follow-ups read and the relances stored; the history read, its
# stays closed and its records written; one access log INSERT; the savepoint), and what a
# run adds (the live definitions, one last empty page per timed transition): constants,
# whatever the number of pathways moved or around.
QUERIES_PER_BATCH = 12
QUERIES_PER_RUN = 6


@pytest.mark.parametrize("due", [3, 4, 8])
def test_queries_grow_with_the_batches_only(
    definition, counsellor, places, due, django_assert_max_num_queries
):
    _silent_pathways(due, counsellor, places, days=40)
    _silent_pathways(8, counsellor, places, days=3)  # open, not due: cost nothing
    timed_rules()  # the specs, read once per published revision and kept
    batches = -(-due // 4)

    with django_assert_max_num_queries(QUERIES_PER_RUN + QUERIES_PER_BATCH * batches):
        report = run_timed_transitions(batch_size=4)

    assert report.moved == due


def test_a_dry_run_costs_the_same_whatever_the_number_due(
    definition, counsellor, places, django_assert_max_num_queries
):
    _silent_pathways(7, counsellor, places, days=40)
    timed_rules()

    with django_assert_max_num_queries(QUERIES_PER_RUN + 1):
        report = run_timed_transitions(dry_run=True)

    assert report.moved == 7
    assert Pathway.objects.filter(stage="sans_nouvelles").count() == 0


def test_the_editor_s_preview_says_how_many_would_move_today(definition, counsellor, places):
    _silent_pathways(3, counsellor, places, days=31)
    _silent_pathways(1, counsellor, places, days=5)
    request = RequestFactory().get("/")

    html = definition.serve_preview(request, "").render().content.decode()

    assert (
        "« Sans nouvelles depuis le repérage (30 jours) » (Automatique : 30 jours dans "
        "l&#x27;étape sans contact) : 3 parcours passeraient aujourd'hui"
    ) in html
    assert "« Sans nouvelles depuis 60 jours » (Automatique : 60 jours" in html
    assert "sans contact) : 0 parcours pass" in html
