"""What every writer of the history records for the figures (workflows.services.history):
the category a record comes from, its first entry into a category, when the stay it began
ended, what its tagged answers meant; and `chain`, which migration 0010 runs over the
histories already written, gives the same."""

from __future__ import annotations

from workflows.models import TransitionRecord
from workflows.services.history import chain
from workflows.services.transitions import fire_transition
from workflows.specs import revision_specs

from .factories import publish_moving, without_stage
from .test_transitions import TODAY, to_referral

FACTS = ("from_category", "first_in_category", "left_at", "programme", "exit_outcome")


def facts(pathway) -> list[tuple]:
    records = TransitionRecord.objects.filter(pathway=pathway).order_by("created_at", "pk")
    return [(r.to_stage, *(getattr(r, name) for name in FACTS)) for r in records]


def walk_into_support(pathway, counsellor):
    return fire_transition(
        to_referral(pathway, counsellor),
        "demarrer_accompagnement",
        actor=counsellor,
        answers={"dispositif": "PACEA", "date_entree": TODAY},
    )


def test_each_transition_records_where_it_came_from_and_ends_the_stay_before(pathway, counsellor):
    walk_into_support(pathway, counsellor)
    history = facts(pathway)
    times = list(
        TransitionRecord.objects.filter(pathway=pathway)
        .order_by("created_at", "pk")
        .values_list("created_at", flat=True)
    )
    assert [(stage, came_from, first) for stage, came_from, first, *_ in history] == [
        ("repere", "", True),
        ("premier_accueil", "identification", True),
        ("diagnostic", "reception", True),
        ("oriente", "assessment", True),
        ("accompagnement", "referral", True),
    ]
    # Each stay ends when the next record begins; the last is still open.
    assert [left_at for _s, _c, _f, left_at, *_ in history] == [*times[1:], None]
    # The programme answer as its tag says, under the revision the transition ran with.
    assert history[-1][4:] == ("pacea", "")


def test_a_second_entry_into_a_category_is_not_a_first(pathway, counsellor):
    moved = walk_into_support(pathway, counsellor)
    moved = fire_transition(moved, "signaler_sans_nouvelles", actor=counsellor, answers={})
    fire_transition(
        moved, "reprendre_accompagnement", actor=counsellor, answers={"dispositif": "CEJ"}
    )
    stages = [(stage, came_from, first) for stage, came_from, first, *_ in facts(pathway)]
    assert stages[-2:] == [
        ("sans_nouvelles", "support", True),
        ("accompagnement", "lost_contact", False),
    ]
    assert facts(pathway)[-1][4] == "cej"


def test_a_move_at_publish_continues_the_history(definition, pathway, counsellor, coordinator):
    fire_transition(pathway, "remobiliser", actor=counsellor, answers={"raison_rupture": ""})
    definition.elements = without_stage("remobilisation", "sans_nouvelles")
    publish_moving(definition, coordinator, {"remobilisation": "sans_nouvelles"})
    history = facts(pathway)
    assert [(stage, came_from) for stage, came_from, *_ in history] == [
        ("repere", ""),
        ("remobilisation", "identification"),
        ("sans_nouvelles", "lost_contact"),
    ]
    assert history[1][3] is not None and history[2][3] is None


def test_chain_over_a_whole_history_gives_what_the_writers_recorded(pathway, counsellor):
    moved = walk_into_support(pathway, counsellor)
    fire_transition(moved, "signaler_sans_nouvelles", actor=counsellor, answers={})
    written = facts(pathway)
    records = list(TransitionRecord.objects.filter(pathway=pathway).order_by("created_at", "pk"))
    for record in records:  # as the columns were before migration 0010
        record.from_category, record.first_in_category, record.left_at = "", False, None
        record.programme = record.exit_outcome = ""
    chain(records, revision_specs({r.revision_id for r in records}))
    TransitionRecord.objects.bulk_update(records, FACTS)
    assert facts(pathway) == written
