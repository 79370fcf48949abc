"""Who sees what, and the reads the screens and the API use: filters, board, timeline,
available transitions, with query counts that do not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from access_log.models import Channel
from workflows import selectors
from workflows.choices import ContactKind
from workflows.models import Pathway
from workflows.policies import COUNSELLORS, visible_pathways
from workflows.services.pathways import log_contact
from workflows.services.transitions import fire_transition

from .factories import make_user, new_pathway

TODAY = timezone.localdate()


def names(queryset):
    return sorted(p.youth.first_name for p in queryset)


@pytest.fixture
def colleague(places):
    """Another Aveyron counsellor, at the organisation's second antenna."""
    return make_user("conseil3", COUNSELLORS, antenna=places["second_antenna"])


@pytest.fixture
def caseloads(definition, counsellor, colleague, other_counsellor, mediator, places):
    """In Aveyron: Ana, counsellor's référent; Bea, counsellor's antenna; Chloé, identified
    by the mediator, second antenna; Dina, the colleague's. In Toulouse: Eva."""
    return {
        "ana": new_pathway(first_name="Ana", actor=counsellor, referent=counsellor),
        "bea": new_pathway(first_name="Bea", actor=None, antenna=places["antenna"]),
        "chloe": new_pathway(
            first_name="Chloé",
            actor=mediator,
            antenna=places["second_antenna"],
            commune=places["other_commune"],
        ),
        "dina": new_pathway(
            first_name="Dina",
            actor=colleague,
            referent=colleague,
            antenna=places["second_antenna"],
            commune=places["commune"],
            priority_neighbourhood=places["qpv"],
        ),
        "eva": new_pathway(
            first_name="Eva",
            actor=other_counsellor,
            referent=other_counsellor,
            commune=places["commune"],
            priority_neighbourhood=places["qpv"],
        ),
    }


def test_scoping_by_role(
    caseloads, coordinator, counsellor, colleague, other_counsellor, mediator, outsider
):
    assert names(visible_pathways(coordinator)) == ["Ana", "Bea", "Chloé", "Dina"]
    assert names(visible_pathways(counsellor)) == ["Ana", "Bea"]
    assert names(visible_pathways(colleague)) == ["Chloé", "Dina"]
    assert names(visible_pathways(mediator)) == ["Chloé"]
    # Another organisation: the recorder's, whatever the young person's commune.
    assert names(visible_pathways(other_counsellor)) == ["Eva"]
    assert names(visible_pathways(outsider)) == []


def test_caseload_filters(caseloads, coordinator, counsellor, places):
    fire_transition(
        caseloads["ana"],
        "fixer_premier_accueil",
        actor=counsellor,
        answers={"date_premier_accueil": TODAY.isoformat()},
    )
    assert names(
        selectors.caseload(coordinator, channel=Channel.LIST, stage="premier_accueil")
    ) == ["Ana"]
    assert names(
        selectors.caseload(coordinator, channel=Channel.LIST, category="identification")
    ) == [
        "Bea",
        "Chloé",
        "Dina",
    ]
    assert names(selectors.caseload(coordinator, channel=Channel.LIST, referent=counsellor)) == [
        "Ana"
    ]
    assert names(
        selectors.caseload(coordinator, channel=Channel.LIST, commune=places["other_commune"])
    ) == ["Chloé"]
    assert names(selectors.caseload(coordinator, channel=Channel.LIST, in_qpv=True)) == ["Dina"]
    assert names(
        selectors.caseload(coordinator, channel=Channel.LIST, priority_neighbourhood=places["qpv"])
    ) == ["Dina"]
    assert names(selectors.caseload(coordinator, channel=Channel.LIST, search="chlo")) == ["Chloé"]
    Pathway.objects.filter(pk=caseloads["bea"].pk).update(due_on=TODAY - datetime.timedelta(days=1))
    overdue = selectors.caseload(coordinator, channel=Channel.LIST, overdue=True)
    assert names(overdue) == ["Bea"] and overdue[0].is_overdue
    assert "Bea" not in names(selectors.caseload(coordinator, channel=Channel.LIST, overdue=False))
    # Scoped before filtering: a counsellor never finds another caseload by searching.
    assert names(selectors.caseload(counsellor, channel=Channel.LIST, search="Dina")) == []


def test_board_counts_and_cards(caseloads, coordinator, counsellor, definition):
    Pathway.objects.filter(pk=caseloads["dina"].pk).update(
        due_on=TODAY - datetime.timedelta(days=3)
    )
    columns = selectors.board(coordinator, definition, per_stage=2)
    assert [c.stage.code for c in columns][:3] == ["repere", "remobilisation", "premier_accueil"]
    repere = columns[0]
    assert (repere.count, repere.overdue_count, len(repere.cards)) == (4, 1, 2)
    assert repere.cards[0].youth.first_name == "Dina"  # the overdue one first
    assert repere.cards[0].is_overdue
    assert sum(c.count for c in selectors.board(counsellor, definition)) == 2


def test_timeline_and_available_transitions(caseloads, counsellor, mediator):
    pathway = caseloads["ana"]
    log_contact(pathway, kind=ContactKind.CALL, actor=counsellor, note="Message laissé.")
    pathway = fire_transition(
        pathway,
        "fixer_premier_accueil",
        actor=counsellor,
        answers={"date_premier_accueil": TODAY.isoformat()},
        comment="RDV au CCAS",
    )
    timeline = selectors.pathway_timeline(pathway)
    assert [e.kind for e in timeline] == ["transition", "contact", "start"]
    assert timeline[0].to_stage_label == "Premier accueil" and timeline[0].comment == "RDV au CCAS"
    assert timeline[1].title == "Appel"

    available = selectors.available_transitions(counsellor, pathway)
    assert [a.transition.code for a in available] == [
        "proposer_diagnostic",
        "signaler_sans_nouvelles",
        "sortir",
    ]
    assert all(a.enabled for a in available)
    # Mediators only get what their group may fire.
    chloe = caseloads["chloe"]
    assert [a.transition.code for a in selectors.available_transitions(mediator, chloe)] == [
        "fixer_premier_accueil",
        "remobiliser",
    ]


def test_available_transition_shows_blocking_condition(definition, counsellor):
    pathway = new_pathway(age=30, actor=counsellor, referent=counsellor)
    pathway = fire_transition(
        pathway,
        "fixer_premier_accueil",
        actor=counsellor,
        answers={"date_premier_accueil": TODAY.isoformat()},
    )
    (diagnostic,) = [
        a
        for a in selectors.available_transitions(counsellor, pathway)
        if a.transition.code == "proposer_diagnostic"
    ]
    assert not diagnostic.enabled
    assert "30 ans" in diagnostic.blocked_by[0]


def test_get_pathway_is_scoped(caseloads, counsellor):
    assert (
        selectors.get_pathway(
            counsellor, caseloads["ana"].pk, channel=Channel.PAGE
        ).youth.first_name
        == "Ana"
    )
    with pytest.raises(Pathway.DoesNotExist):
        selectors.get_pathway(counsellor, caseloads["dina"].pk, channel=Channel.PAGE)


def _queries(callable_):
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def _make(count, counsellor, places):
    for i in range(count):
        pathway = new_pathway(
            first_name=f"Jeune{i}",
            actor=counsellor,
            referent=counsellor,
            commune=places["commune"],
            priority_neighbourhood=places["qpv"],
        )
        if i % 3 == 0:
            fire_transition(
                pathway,
                "fixer_premier_accueil",
                actor=counsellor,
                answers={"date_premier_accueil": TODAY.isoformat()},
            )


def test_query_counts_do_not_grow(definition, counsellor, places):
    def read_everything():
        list(selectors.caseload(counsellor, channel=Channel.LIST)[:50])
        columns = selectors.board(counsellor, definition, per_stage=20)
        for column in columns:
            for card in column.cards:
                str(card.youth), card.referent, card.youth.commune, card.is_overdue
        pathway = selectors.get_pathway(
            counsellor, Pathway.objects.first().pk, channel=Channel.PAGE
        )
        selectors.available_transitions(counsellor, pathway)
        selectors.pathway_timeline(pathway)

    _make(5, counsellor, places)
    read_everything()  # warm the spec cache and the user's cached groups
    small = _queries(read_everything)
    _make(45, counsellor, places)
    large = _queries(read_everything)
    assert small == large
    assert large <= 12


def test_board_ignores_a_pathway_in_a_stage_the_live_version_dropped(
    caseloads, coordinator, definition
):
    """A transition committed while a new version was being published can leave one there."""
    Pathway.objects.filter(pk=caseloads["dina"].pk).update(stage="atelier_disparu")
    columns = selectors.board(coordinator, definition, per_stage=2)
    shown = [card.pk for column in columns for card in column.cards]
    assert caseloads["dina"].pk not in shown
    assert columns[0].count == 3
