"""The figures (indicators.selectors.figures) on a history written by hand over March 2026,
across two versions of the definition: the second renames the support stage and a CEJ
choice, adds a support stage ("immersion") and removes "remobilisation" — records written
under the first still count by the category and the answers' meaning they were recorded
with. Each expected value is worked out beside the history."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.selectors import breakdowns, figures
from tests.workflows.factories import (
    default_elements,
    make_user,
    new_pathway,
    publish_definition_from,
    without_stage,
)
from workflows.choices import PathwaySource
from workflows.models import OutreachRound, Pathway, TransitionRecord
from workflows.policies import COUNSELLORS
from workflows.services.history import append_history

PARIS = ZoneInfo("Europe/Paris")
MARCH = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


def at(month: int, day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=PARIS)


def second_version(definition, coordinator):
    """Renames the support stage and the CEJ choice, adds the "immersion" support stage,
    removes "remobilisation"."""
    elements = without_stage("remobilisation", move_into="sans_nouvelles")
    for element in elements:
        value = element["value"]
        if element["type"] == "stage" and value["code"] == "accompagnement":
            value["label"] = "Accompagnement renforcé"
        if element["type"] == "transition":
            if value["code"] == "sortir":
                value["sources"] += ", immersion"
            for field in value["fields"]:
                if field["name"] == "dispositif":
                    field["choices"] = field["choices"].replace("CEJ", "Contrat d'engagement")
                    field["reporting_map"] = field["reporting_map"].replace(
                        "CEJ = cej", "Contrat d'engagement = cej"
                    )
    start_support = next(
        e for e in default_elements() if e["value"]["code"] == "demarrer_accompagnement"
    )
    start_support["value"]["code"] = "commencer_immersion"
    start_support["value"]["target"] = "immersion"
    immersion = {
        "type": "stage",
        "value": {
            "code": "immersion",
            "label": "Immersion en entreprise",
            "category": "support",
            "initial": False,
            "final": False,
            "reminder_days": None,
            "max_duration_days": None,
        },
    }
    elements = [*elements, immersion, start_support]
    definition = publish_definition_from(elements, name=definition.name, user=coordinator)
    return definition.live_revision_id


def started(when, *, actor, revision_id, **kwargs) -> Pathway:
    pathway = new_pathway(actor=actor, **kwargs)
    TransitionRecord.objects.filter(pathway=pathway).update(
        created_at=when, revision_id=revision_id
    )
    Pathway.objects.filter(pk=pathway.pk).update(created_at=when)
    return pathway


def record(pathway, when, to_stage, category, code, revision_id, **answers) -> None:
    """A record written as every writer of the history does, at `when`."""
    append_history(
        [
            TransitionRecord(
                pathway=pathway,
                kind=TransitionRecord.Kind.TRANSITION,
                created_at=when,
                transition_code=code,
                from_stage="-",
                to_stage=to_stage,
                to_stage_label=to_stage,
                to_category=category,
                answers=answers,
                revision_id=revision_id,
            )
        ]
    )


@pytest.fixture
def history(definition, coordinator, places):
    first = definition.live_revision_id
    second = second_version(definition, coordinator)
    rodez, aveyron = places["antenna"], places["aveyron"]
    common = {"actor": coordinator, "antenna": rodez}

    # P1: before the period, in support from 20/02; lost on 05/03, back in support on 12/03
    # (under the second version, its renamed CEJ choice), out on 25/03 (alternance).
    p1 = started(at(2, 10), revision_id=first, first_name="Alix", **common)
    record(p1, at(2, 15), "premier_accueil", "reception", "fixer_premier_accueil", first)
    record(p1, at(2, 20), "accompagnement", "support", "demarrer_accompagnement", first,
           dispositif="CEJ")  # fmt: skip
    record(p1, at(3, 5), "sans_nouvelles", "lost_contact", "signaler_sans_nouvelles", first)
    record(p1, at(3, 12), "accompagnement", "support", "reprendre_accompagnement", second,
           dispositif="Contrat d'engagement")  # fmt: skip
    record(p1, at(3, 25), "sorti", "exit", "sortir", second, motif_sortie="Alternance")

    # P2: met in a maraude just after midnight on 01/03; lost twice, re-engaged twice,
    # entered support twice (PACEA), once through the stage the second version added.
    maraude = OutreachRound.objects.create(
        date=datetime.date(2026, 3, 1),
        place="Parc",
        organisation=aveyron,
        commune=places["commune"],
        young_people_met=5,
    )
    p2 = started(at(3, 1, 0, 30), revision_id=first, first_name="Bao",
                 source=PathwaySource.OUTREACH_ROUND, outreach_round=maraude, **common)  # fmt: skip
    record(p2, at(3, 3), "remobilisation", "lost_contact", "remobiliser", first)
    record(p2, at(3, 6, 0, 30), "premier_accueil", "reception", "fixer_premier_accueil", first)
    record(p2, at(3, 8), "oriente", "referral", "orienter", second)
    record(p2, at(3, 10, 0, 30), "immersion", "support", "commencer_immersion", second,
           dispositif="PACEA")  # fmt: skip
    record(p2, at(3, 20), "sans_nouvelles", "lost_contact", "signaler_sans_nouvelles", second)
    record(p2, at(3, 22), "accompagnement", "support", "reprendre_accompagnement", second,
           dispositif="PACEA")  # fmt: skip

    # P3: at the other antenna, in the QPV; received after 3 days, leaves on 20/03 (abandon).
    p3 = started(at(3, 15), revision_id=second, first_name="Chloé", age=17,
                 actor=coordinator, antenna=places["second_antenna"], commune=places["commune"],
                 priority_neighbourhood=places["qpv"], source=PathwaySource.PERMANENCE)  # fmt: skip
    record(p3, at(3, 18), "premier_accueil", "reception", "fixer_premier_accueil", second)
    record(p3, at(3, 20), "sorti", "exit", "sortir", second, motif_sortie="Abandon")

    # P4: created at 23:30 on the last day (21:30 UTC), received after the period.
    p4 = started(at(3, 31, 23, 30), revision_id=second, first_name="Dina", age=23,
                 source=PathwaySource.WEBSITE, **common)  # fmt: skip
    record(p4, at(4, 1, 0, 10), "premier_accueil", "reception", "fixer_premier_accueil", second)

    # P5: created at midnight after the period: outside it.
    started(at(4, 1, 0, 0), revision_id=second, first_name="Eli", **common)

    # P6: in support from January, out before the period.
    p6 = started(at(1, 5), revision_id=first, first_name="Fanny", **common)
    record(p6, at(1, 10), "accompagnement", "support", "demarrer_accompagnement", first,
           dispositif="Hors dispositif")  # fmt: skip
    record(p6, at(2, 25), "sorti", "exit", "sortir", first, motif_sortie="Déménagement")

    # P7: enters support on 14/03 under a revision since deleted: programme unknown.
    p7 = started(at(2, 1), revision_id=first, first_name="Gaspard", **common)
    record(p7, at(3, 14), "accompagnement", "support", "demarrer_accompagnement", None,
           dispositif="CEJ")  # fmt: skip

    # P8: in support since February, moved into the added support stage on 16/03: not an
    # entry into support, but accompanied.
    p8 = started(at(2, 3), revision_id=first, first_name="Inès", **common)
    record(p8, at(2, 5), "accompagnement", "support", "demarrer_accompagnement", first,
           dispositif="CEJ")  # fmt: skip
    record(p8, at(3, 16), "immersion", "support", "", second)

    # Another Mission Locale's pathway and maraude: never counted here.
    toulouse_coordinator = make_user(
        "coord-toulouse", "Coordinateurs", organisation=places["toulouse"]
    )
    started(at(3, 10), revision_id=None, first_name="Hugo", actor=toulouse_coordinator)
    OutreachRound.objects.create(
        date=datetime.date(2026, 3, 10), place="Capitole", organisation=places["toulouse"],
        young_people_met=9,
    )  # fmt: skip
    OutreachRound.objects.create(
        date=datetime.date(2026, 3, 31), place="Gare", organisation=aveyron, young_people_met=3
    )
    OutreachRound.objects.create(
        date=datetime.date(2026, 4, 1), place="Gare", organisation=aveyron, young_people_met=7
    )
    return {"p1": p1, "p2": p2, "p3": p3}


EXPECTED = {
    # P2, P3, P4 (P1, P6, P7 before; P5 after; Hugo elsewhere).
    "identified": 3,
    "identified_by_source": {
        "outreach_round": 1,
        "permanence": 1,
        "partner": 0,
        "website": 1,
        "walk_in": 0,
    },
    # 01/03 and 31/03 (not 01/04, not Toulouse's): 5 + 3 met.
    "outreach_rounds": 2,
    "met_in_rounds": 8,
    "identified_in_rounds": 1,
    # P1 (support until 05/03, again from 12/03), P2 (from 10/03), P7 (from 14/03), P8;
    # not P6.
    "accompanied": 4,
    # P1 (12/03), P2 (10/03 and 22/03: once), P7 (14/03); not P8 (support to support).
    "support_entries": 3,
    # P1's renamed choice reads as CEJ through its revision; P7's revision is gone.
    "support_entries_by_programme": {"cej": 1, "pacea": 1, "other": 0, "unknown": 1},
    # P1 (alternance), P3 (abandon); P6 left in February.
    "exits": 2,
    "exits_by_outcome": {"positive": 1, "neutral": 0, "negative": 1, "unknown": 0},
    "positive_exit_rate": 0.5,
    # P1 (05/03), P2 (03/03 in the removed stage, and 20/03: once).
    "lost_contact": 2,
    # P1 (12/03), P2 (06/03 into reception, 22/03 into support: once).
    "re_engaged": 2,
    # Created in March: P2, P3, P4 — what each reached by 31/03.
    "funnel": {
        "identification": 3,
        "reception": 2,
        "assessment": 0,
        "referral": 1,
        "support": 1,
        "lost_contact": 1,
        "exit": 1,
    },
    # First reception in March: P2 after 5 days, P3 after 3 (P1 in February, P4 in April).
    "median_days_to_reception": 4.0,
    # First support in March: P2 after 9 days, P7 after 41 (P1 in February).
    "median_days_to_support": 25.0,
}


def test_every_figure_for_the_period(history, coordinator):
    assert figures(coordinator, *MARCH) == EXPECTED


def test_a_superuser_counts_every_organisation(history, places):
    admin = get_user_model().objects.create_superuser("admin-fig", "a@example.org", "x")
    result = figures(admin, *MARCH)
    assert result["identified"] == 4  # and Hugo, at Toulouse
    assert result["outreach_rounds"] == 3 and result["met_in_rounds"] == 17


def test_others_read_no_figure(history, places):
    counsellor = make_user("conseil-fig", COUNSELLORS, antenna=places["antenna"])
    result = figures(counsellor, *MARCH)
    assert result["identified"] == 0 and result["accompanied"] == 0
    assert result["outreach_rounds"] == 0 and result["positive_exit_rate"] is None


def test_filters_narrow_every_figure(history, coordinator, places):
    # Only P3 is at the second antenna and in the QPV.
    for narrowed in (
        figures(coordinator, *MARCH, antenna=places["second_antenna"].pk),
        figures(coordinator, *MARCH, qpv=places["qpv"].code),
    ):
        assert narrowed["identified"] == 1
        assert narrowed["identified_by_source"]["permanence"] == 1
        assert narrowed["exits_by_outcome"]["negative"] == 1
        assert narrowed["positive_exit_rate"] == 0.0
        assert narrowed["accompanied"] == 0
        assert narrowed["median_days_to_reception"] == 3.0
    by_commune = figures(coordinator, *MARCH, commune=places["commune"].insee_code)
    assert by_commune["identified"] == 1
    # The maraude held in that commune.
    assert by_commune["outreach_rounds"] == 1 and by_commune["met_in_rounds"] == 5


def test_one_day_periods_follow_paris_midnight(history, coordinator):
    last_day = figures(coordinator, datetime.date(2026, 3, 31), datetime.date(2026, 3, 31))
    assert last_day["identified"] == 1  # P4 at 23:30
    first_day = figures(coordinator, datetime.date(2026, 3, 1), datetime.date(2026, 3, 1))
    assert first_day["identified"] == 1  # P2 at 00:30
    assert first_day["accompanied"] == 2  # P1 and P8


def test_queries_do_not_grow_with_pathways(definition, coordinator, places):
    revision = definition.live_revision_id

    def add_pathways(count: int, offset: int) -> None:
        for n in range(count):
            pathway = started(at(3, 2), revision_id=revision, first_name=f"Jeune{offset + n}",
                              actor=coordinator, antenna=places["antenna"])  # fmt: skip
            record(pathway, at(3, 4), "accompagnement", "support", "demarrer_accompagnement",
                   revision, dispositif="CEJ")  # fmt: skip
            record(pathway, at(3, 9), "sorti", "exit", "sortir", revision, motif_sortie="Abandon")

    def queries() -> tuple[int, int]:
        user = get_user_model().objects.get(pk=coordinator.pk)  # no cached groups
        with CaptureQueriesContext(connection) as captured:
            result = figures(user, *MARCH)
            breakdowns(user, *MARCH)
        return len(captured), result["exits"]

    add_pathways(2, 0)
    figures(coordinator, *MARCH)  # builds the revision's spec once
    few, exits = queries()
    assert exits == 2
    add_pathways(6, 2)
    many, exits = queries()
    assert exits == 8
    assert many == few


ROUND_KEYS = {"outreach_rounds", "met_in_rounds"}
MEDIAN_KEYS = {"median_days_to_reception", "median_days_to_support"}


def test_breakdowns_by_antenna_commune_qpv_and_age(history, coordinator, places):
    result = breakdowns(coordinator, *MARCH)
    rodez, villefranche = places["antenna"], places["second_antenna"]
    assert [(g["key"], g["label"]) for g in result["antenna"]] == [
        (str(rodez.pk), "Antenne de Rodez"),
        (str(villefranche.pk), "Antenne de Villefranche-de-Rouergue"),
    ]
    at_rodez, at_villefranche = (g["figures"] for g in result["antenna"])
    # Rodez: P2 and P4 identified; P1, P2, P7, P8 accompanied; P1's positive exit.
    assert at_rodez["identified"] == 2 and at_rodez["accompanied"] == 4
    assert at_rodez["support_entries"] == 3 and at_rodez["exits"] == 1
    assert at_rodez["positive_exit_rate"] == 1.0
    # Villefranche: P3 alone.
    assert at_villefranche["identified"] == 1 and at_villefranche["positive_exit_rate"] == 0.0
    # A median is not a count: the groups have none (a pass over the history per group).
    assert not (ROUND_KEYS | MEDIAN_KEYS) & set(at_rodez)

    assert [(g["key"], g["label"]) for g in result["commune"]] == [
        ("none", "Commune inconnue"),
        ("12176", "Onet-le-Château"),
    ]
    assert [g["figures"]["identified"] for g in result["commune"]] == [2, 1]

    assert [(g["key"], g["label"]) for g in result["qpv"]] == [
        ("inside", "Dans un QPV"),
        ("outside", "Hors QPV"),
        ("QP012001", "Quatre Saisons"),
    ]
    assert [g["figures"]["identified"] for g in result["qpv"]] == [1, 2, 1]
    assert [g["figures"]["exits"] for g in result["qpv"]] == [1, 1, 1]

    # P3 was 17, P4 23, the others 20 when first recorded.
    assert [(g["key"], g["figures"]["identified"]) for g in result["age_band"]] == [
        ("16-17", 1),
        ("18-21", 1),
        ("22-25", 1),
    ]
    assert result["age_band"][0]["label"] == "16-17 ans"


def test_a_group_of_a_breakdown_is_the_figures_narrowed_to_it(history, coordinator, places):
    result = breakdowns(coordinator, *MARCH)
    for group in result["antenna"]:
        narrowed = figures(coordinator, *MARCH, antenna=int(group["key"]))
        assert group["figures"] == {
            k: v for k, v in narrowed.items() if k not in ROUND_KEYS | MEDIAN_KEYS
        }
    qpv = next(g for g in result["qpv"] if g["key"] == places["qpv"].code)
    narrowed = figures(coordinator, *MARCH, qpv=places["qpv"].code)
    assert qpv["figures"] == {
        k: v for k, v in narrowed.items() if k not in ROUND_KEYS | MEDIAN_KEYS
    }
