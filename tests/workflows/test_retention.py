"""Retention: a pathway left without contact for its organisation's period (two years by
default) is closed by the system, whatever its stage, then its young person is anonymised
everywhere their data was copied; what the figures need stays."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from access_log.models import AccessLogEntry, Action, Channel
from public_site.models import ContactRequest
from public_site.models.contact_requests import ContactRequestStatus
from workflows.choices import AgeBand, ContactKind, PathwaySource
from workflows.models import (
    Contact,
    FollowUp,
    OutreachRound,
    Pathway,
    TransitionRecord,
    WorkflowDefinition,
    Youth,
)
from workflows.rules import age_band
from workflows.services.pathways import log_contact
from workflows.services.retention import (
    anonymise_expired,
    kept_answers,
    period_in_words,
)
from workflows.services.transitions import fire_transition
from workflows.specs import revision_specs

from .factories import forget_access_log, new_pathway

DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (15, AgeBand.UNDER_16),
        (16, AgeBand.FROM_16_TO_17),
        (17, AgeBand.FROM_16_TO_17),
        (18, AgeBand.FROM_18_TO_21),
        (21, AgeBand.FROM_18_TO_21),
        (22, AgeBand.FROM_22_TO_25),
        (25, AgeBand.FROM_22_TO_25),
        (26, AgeBand.FROM_26),
    ],
)
def test_age_band_on_a_birthday(age, band):
    day = datetime.date(2026, 6, 15)
    assert age_band(datetime.date(2026 - age, 6, 15), day) == band
    # The day before the birthday, still the age below.
    younger = age_band(datetime.date(2026 - age, 6, 16), day)
    assert younger == age_band(datetime.date(2026 - age + 1, 6, 15), day)
    assert age_band(None, day) == ""


def test_a_new_young_person_gets_their_age_band_at_entry(definition, counsellor):
    assert Youth.objects.get(pk=new_pathway(actor=counsellor, age=17).youth_id).age_band_at_entry
    youth = Youth.objects.get(pk=new_pathway(actor=counsellor, age=23, first_name="B").youth_id)
    assert youth.age_band_at_entry == AgeBand.FROM_22_TO_25
    no_birth_date = new_pathway(actor=counsellor, date_of_birth=None, first_name="C")
    assert Youth.objects.get(pk=no_birth_date.youth_id).age_band_at_entry == ""


def test_period_in_words():
    assert (period_in_words(730), period_in_words(365), period_in_words(500)) == (
        "deux ans",
        "un an",
        "500 jours",
    )


def test_kept_answers_keep_choices_and_months_only():
    types = {"motif": "choice", "date": "date", "lieu": "text", "why": "long_text", "n": "number"}
    answers = {"motif": "Abandon", "date": "2025-03-17", "lieu": "chez Zoé", "why": "…", "x": 1}
    assert kept_answers({**answers, "n": 3}, types) == {
        "motif": "Abandon",
        "date": "2025-03-01",
        "n": 3,
    }


def _full_record(counsellor, places, *, first_name="Zéphyrine", last_name="Quillebeuf", **extra):
    """An open pathway at "orienté" with something in every place personal data goes:
    contact and follow-up notes, a comment, typed, dated, chosen and sensitive answers, needs,
    a maraude note naming the young person, and the public form's copy of their request."""
    outreach_round = OutreachRound.objects.create(
        date=timezone.localdate(),
        place="Square Vabre",
        organisation=places["aveyron"],
        notes=f"Rencontré {first_name} {last_name} (06 12 34 56 78). Deux autres intéressés.",
    )
    pathway = new_pathway(
        first_name=first_name,
        last_name=last_name,
        contact_phone="06 12 34 56 78",
        contact_email="zephyrine.q@demo.example.org",
        actor=counsellor,
        referent=counsellor,
        commune=places["commune"],
        priority_neighbourhood=places["qpv"],
        source=PathwaySource.OUTREACH_ROUND,
        outreach_round=outreach_round,
        needs=["housing", "health"],
        age=19,
        **extra,
    )
    pathway = fire_transition(
        pathway,
        "fixer_premier_accueil",
        actor=counsellor,
        answers={
            "date_premier_accueil": timezone.localdate().isoformat(),
            "lieu_premier_accueil": "Foyer des Platanes, chambre 12",
        },
        comment="Hébergée chez sa tante depuis mars.",
    )
    log_contact(pathway, kind=ContactKind.INTERVIEW, actor=counsellor, note="Parle de sa dette.")
    pathway = fire_transition(
        pathway,
        "proposer_diagnostic",
        actor=counsellor,
        answers={"date_diagnostic": timezone.localdate().isoformat()},
    )
    pathway = fire_transition(
        pathway,
        "orienter",
        actor=counsellor,
        answers={
            "diag_emploi": "Besoin prioritaire",
            "diag_formation": "Pas de besoin",
            "diag_sante": "Besoin prioritaire",
            "diag_logement": "Besoin à travailler",
            "diag_mobilite": "Pas de besoin",
            "diag_ressources": "Besoin prioritaire",
            "orientation": "CEJ",
            "partenaire": "Docteur Marchepied, CMP de Rodez",
        },
    )
    FollowUp.objects.create(
        pathway=pathway, due_on=timezone.localdate(), note="Rappeler au sujet du loyer"
    )
    ContactRequest.objects.create(
        first_name=first_name,
        phone="06 12 34 56 78",
        email="zephyrine.q@demo.example.org",
        consent=True,
        status=ContactRequestStatus.FORWARDED,
        pathway_id=pathway.pk,
    )
    forget_access_log()  # the creation, contacts and transitions above
    return Pathway.objects.get(pk=pathway.pk)


def test_an_open_pathway_is_left_alone_until_its_period_is_over(definition, counsellor, places):
    pathway = _full_record(counsellor, places)
    last_contact = pathway.last_contact_at
    report = anonymise_expired(last_contact + datetime.timedelta(days=730) - DAY)
    assert (sum(report.closed.values()), sum(report.anonymised.values())) == (0, 0)
    youth = Youth.objects.get(pk=pathway.youth_id)
    assert (youth.first_name, youth.phone, youth.anonymised_at) == (
        "Zéphyrine",
        "06 12 34 56 78",
        None,
    )
    unchanged = Pathway.objects.get(pk=pathway.pk)
    assert unchanged.closed_at is None and unchanged.stage == "oriente"
    assert not AccessLogEntry.objects.filter(action=Action.ANONYMISE).exists()


def test_after_the_period_the_pathway_is_closed_then_the_young_person_anonymised(
    definition, counsellor, places
):
    pathway = _full_record(counsellor, places)
    unrelated = OutreachRound.objects.create(
        date=timezone.localdate(),
        place="Gare",
        organisation=places["aveyron"],
        notes="Croisé Quillebeuf à la gare, orienté vers l'accueil.",
    )
    now = pathway.last_contact_at + datetime.timedelta(days=730) + DAY

    report = anonymise_expired(now)

    aveyron = places["aveyron"].pk
    assert (report.closed, report.anonymised) == ({aveyron: 1}, {aveyron: 1})
    closed = Pathway.objects.get(pk=pathway.pk)
    assert (closed.stage, closed.stage_category) == ("sorti", "exit")
    assert closed.closed_at is not None and closed.due_on is None
    expiry = TransitionRecord.objects.get(pathway=closed, kind=TransitionRecord.Kind.EXPIRY)
    assert expiry.actor is None
    assert expiry.transition_label == "Sortie automatique : sans contact depuis deux ans"
    assert (expiry.from_stage, expiry.to_stage) == ("oriente", "sorti")

    youth = Youth.objects.get(pk=pathway.youth_id)
    assert (youth.first_name, youth.last_name, youth.phone, youth.email, youth.date_of_birth) == (
        "Anonymisé",
        "",
        "",
        "",
        None,
    )
    assert youth.anonymised_at == now
    # What the figures need stays.
    assert youth.age_band_at_entry == AgeBand.FROM_18_TO_21
    assert (youth.commune, youth.priority_neighbourhood) == (places["commune"], places["qpv"])
    assert closed.needs == []
    # Chosen answers stay for the figures, dates at month precision; typed and sensitive
    # answers go, from the pathway and from its history.
    month = timezone.localdate().replace(day=1).isoformat()
    assert closed.answers == {
        "date_premier_accueil": month,
        "date_diagnostic": month,
        "diag_emploi": "Besoin prioritaire",
        "diag_formation": "Pas de besoin",
        "diag_mobilite": "Pas de besoin",
        "orientation": "CEJ",
    }
    orienter = closed.history.get(transition_code="orienter")
    assert set(orienter.answers) == {
        "diag_emploi",
        "diag_formation",
        "diag_mobilite",
        "orientation",
    }
    kinds = [r.kind for r in closed.history.order_by("pk")]
    assert kinds == ["start", "transition", "transition", "transition", "expiry"]
    assert not closed.history.exclude(comment="").exists()
    # Dates at month precision.
    assert {closed.created_at.day, closed.last_contact_at.day, youth.created_at.day} == {1}
    assert {r.created_at.day for r in closed.history.all()} == {1}
    assert Contact.objects.get(pathway=closed).note == ""
    assert Contact.objects.get(pathway=closed).happened_at.day == 1
    assert set(FollowUp.objects.filter(pathway=closed).values_list("note", flat=True)) == {""}
    request = ContactRequest.objects.get(pathway_id=closed.pk)
    assert (request.first_name, request.phone, request.email) == ("", "", "")
    # The maraude notes lose the names and the number, not the rest.
    assert closed.outreach_round.notes == "Rencontré [retiré] ([retiré]). Deux autres intéressés."
    unrelated.refresh_from_db()
    assert unrelated.notes == "Croisé [retiré] à la gare, orienté vers l'accueil."
    logged = AccessLogEntry.objects.filter(youth_id=youth.pk)
    assert set(logged.values_list("action", "channel", "user_id", "pathway_id")) == {
        (Action.CHANGE, Channel.TASK, None, closed.pk),
        (Action.ANONYMISE, Channel.TASK, None, closed.pk),
    }


def test_each_organisation_keeps_data_its_own_period(
    definition, other_definition, counsellor, other_counsellor, places
):
    places["aveyron"].retention_days = 365
    places["aveyron"].save()
    in_aveyron = new_pathway(actor=counsellor, first_name="Aveyronnais")
    in_toulouse = new_pathway(actor=other_counsellor, first_name="Toulousain")
    assert in_toulouse.organisation == places["toulouse"]

    report = anonymise_expired(timezone.now() + datetime.timedelta(days=400))

    assert report.anonymised == {places["aveyron"].pk: 1}
    assert Youth.objects.get(pk=in_aveyron.youth_id).anonymised_at is not None
    assert Youth.objects.get(pk=in_toulouse.youth_id).first_name == "Toulousain"
    expiry = TransitionRecord.objects.get(kind=TransitionRecord.Kind.EXPIRY)
    assert expiry.transition_label == "Sortie automatique : sans contact depuis un an"


def test_a_recent_pathway_keeps_the_young_person(definition, counsellor):
    today = timezone.localdate().isoformat()
    old = new_pathway(first_name="Revenu", actor=counsellor)
    fire_transition(
        old, "sortir", actor=counsellor, answers={"motif_sortie": "Abandon", "date_sortie": today}
    )
    recent = new_pathway(first_name="Revenu", actor=counsellor)
    Pathway.objects.filter(pk=recent.pk).update(youth_id=old.youth_id)
    Youth.objects.filter(pk=recent.youth_id).exclude(pk=old.youth_id).delete()
    later = timezone.now() + datetime.timedelta(days=731)
    Pathway.objects.filter(pk=recent.pk).update(last_contact_at=later - 5 * DAY)

    report = anonymise_expired(later)

    assert (sum(report.closed.values()), sum(report.anonymised.values())) == (0, 0)
    assert Youth.objects.get(pk=old.youth_id).first_name == "Revenu"


def test_a_dry_run_changes_nothing_and_a_second_run_finds_nothing(
    definition, counsellor, places, django_assert_max_num_queries
):
    pathways = [_full_record(counsellor, places, first_name=f"Jeune{i}") for i in range(5)]
    now = max(p.last_contact_at for p in pathways) + datetime.timedelta(days=731)
    aveyron = places["aveyron"].pk

    dry = anonymise_expired(now, dry_run=True)

    assert (dry.closed, dry.anonymised) == ({aveyron: 5}, {aveyron: 5})
    assert not Youth.objects.filter(anonymised_at__isnull=False).exists()
    assert not Pathway.objects.filter(closed_at__isnull=False).exists()
    assert not AccessLogEntry.objects.exists()

    # One batch: the queries do not grow with the young people (the definition's spec,
    # built once per revision, is cached first). The closure reads the stays it ends
    # (workflows.services.history) in one query.
    revision_specs(TransitionRecord.objects.values_list("revision_id", flat=True))
    with django_assert_max_num_queries(32):
        report = anonymise_expired(now)
    assert (report.closed, report.anonymised) == ({aveyron: 5}, {aveyron: 5})
    assert not Youth.objects.filter(anonymised_at__isnull=True).exists()

    again = anonymise_expired(now)
    assert (sum(again.closed.values()), sum(again.anonymised.values())) == (0, 0)
    assert AccessLogEntry.objects.filter(action=Action.ANONYMISE).count() == 5
    assert TransitionRecord.objects.filter(kind=TransitionRecord.Kind.EXPIRY).count() == 5


@pytest.mark.parametrize(("days", "valid"), [(30, False), (364, False), (365, True), (731, False)])
def test_an_organisation_keeps_data_between_one_and_two_years(places, days, valid):
    organisation = places["aveyron"]
    organisation.retention_days = days
    if valid:
        organisation.full_clean()
    else:
        with pytest.raises(ValidationError) as refused:
            organisation.full_clean()
        assert list(refused.value.message_dict) == ["retention_days"]


def test_without_a_published_definition_the_pathway_is_closed_where_it_stands(
    definition, counsellor
):
    pathway = new_pathway(actor=counsellor, first_name="Sansdef")
    WorkflowDefinition.objects.filter(pk=definition.pk).update(live=False)

    report = anonymise_expired(timezone.now() + datetime.timedelta(days=731))

    assert sum(report.anonymised.values()) == 1
    closed = Pathway.objects.get(pk=pathway.pk)
    assert (closed.stage, closed.closed_at is not None, closed.version) == ("repere", True, 1)
    expiry = TransitionRecord.objects.get(kind=TransitionRecord.Kind.EXPIRY)
    assert (expiry.from_stage, expiry.to_stage, expiry.to_category) == (
        "repere",
        "repere",
        "identification",
    )
