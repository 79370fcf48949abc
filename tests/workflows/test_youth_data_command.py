"""`manage.py youth_data`: a young person's export and erasure from the command line. After an
erasure, no table holds their name, phone, e-mail or the texts written about them."""

from __future__ import annotations

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from access_log.models import AccessLogEntry, Action, Channel
from public_site.models import ContactRequest, ContactRequestStatus
from workflows.choices import ContactKind, PathwaySource
from workflows.models import FollowUp, OutreachRound, Youth
from workflows.services.pathways import log_contact
from workflows.services.transitions import fire_transition

from .factories import new_pathway

FIRST, LAST = "Zéphyrine", "Quillebeuf"
PHONE, EMAIL = "06 12 34 56 78", "zephyrine.q@example.org"
CONTACT_NOTE = "Entretien au local, projet de CAP boulangerie évoqué."
FOLLOW_UP_NOTE = "Rappeler pour le dossier Pôle emploi."
COMMENT = "Contrat d'apprentissage signé chez un artisan."
START_COMMENT = "Rencontrée devant la médiathèque avec sa soeur."
ROUND_NOTES = "Groupe de cinq jeunes au city-stade. Zéphyrine Quillebeuf cherche un stage."


@pytest.fixture
def youth_pathway(definition, counsellor, mediator, places):
    """A young person with everything the product can hold about them: history with a
    comment and answers, a contact note, a follow-up, needs, a maraude naming them and the
    public form's copy of their request."""
    outreach_round = OutreachRound.objects.create(
        date=timezone.localdate(),
        place="City-stade",
        mediator=mediator,
        organisation=places["aveyron"],
        notes=ROUND_NOTES,
    )
    pathway = new_pathway(
        first_name=FIRST,
        last_name=LAST,
        contact_phone=PHONE,
        contact_email=EMAIL,
        actor=counsellor,
        referent=counsellor,
        commune=places["commune"],
        source=PathwaySource.OUTREACH_ROUND,
        outreach_round=outreach_round,
        needs=["housing", "employment"],
        comment=START_COMMENT,
    )
    log_contact(pathway, kind=ContactKind.INTERVIEW, actor=counsellor, note=CONTACT_NOTE)
    FollowUp.objects.create(pathway=pathway, due_on=timezone.localdate(), note=FOLLOW_UP_NOTE)
    pathway = fire_transition(
        pathway,
        "sortir",
        actor=counsellor,
        answers={"motif_sortie": "Alternance", "date_sortie": timezone.localdate().isoformat()},
        comment=COMMENT,
    )
    ContactRequest.objects.create(
        first_name=FIRST,
        phone=PHONE,
        email=EMAIL,
        organisation=places["aveyron"],
        consent=True,
        status=ContactRequestStatus.FORWARDED,
        pathway_id=pathway.pk,
    )
    return pathway


def dump_of_every_table() -> str:
    """Every row of every model, as text."""
    return "\n".join(
        repr(list(model._base_manager.values()))
        for model in apps.get_models(include_auto_created=True)
    )


def test_the_fixture_really_spreads_the_data_over_the_tables(youth_pathway):
    dump = dump_of_every_table()
    for text in (FIRST, LAST, PHONE, EMAIL, CONTACT_NOTE, FOLLOW_UP_NOTE, COMMENT, START_COMMENT):
        assert text in dump


def test_erase_leaves_nothing_identifying_in_any_table(youth_pathway, counsellor, places):
    other = new_pathway(first_name="Anatole", last_name="Restant", actor=counsellor)
    out = io.StringIO()
    call_command(
        "youth_data",
        "erase",
        str(youth_pathway.youth_id),
        "--reason",
        "Demande écrite",
        "--yes",
        stdout=out,
    )
    assert f"Jeune n° {youth_pathway.youth_id} effacé" in out.getvalue()
    dump = dump_of_every_table()
    for text in (FIRST, LAST, PHONE, EMAIL, CONTACT_NOTE, FOLLOW_UP_NOTE, COMMENT, START_COMMENT):
        assert text not in dump, text
    assert "Anatole" in dump and Youth.objects.filter(pk=other.youth_id).exists()
    # The maraude stays, with the rest of its notes.
    notes = OutreachRound.objects.get().notes
    assert notes.startswith("Groupe de cinq jeunes au city-stade.") and "[jeune effacé]" in notes
    entry = AccessLogEntry.objects.get(action=Action.ERASE)
    assert (entry.youth_id, entry.channel, entry.detail) == (
        youth_pathway.youth_id,
        Channel.COMMAND,
        "Demande écrite",
    )


def test_erase_asks_for_confirmation(youth_pathway, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "non")
    out = io.StringIO()
    with pytest.raises(CommandError, match="annulé"):
        call_command(
            "youth_data", "erase", str(youth_pathway.youth_id), "--reason", "Demande", stdout=out
        )
    assert "Rien ne pourra être récupéré" in out.getvalue()
    assert Youth.objects.filter(pk=youth_pathway.youth_id).exists()
    assert not AccessLogEntry.objects.filter(action=Action.ERASE).exists()

    monkeypatch.setattr("builtins.input", lambda prompt: "oui")
    call_command(
        "youth_data", "erase", str(youth_pathway.youth_id), "--reason", "Demande", stdout=out
    )
    assert not Youth.objects.filter(pk=youth_pathway.youth_id).exists()


def test_export_to_stdout_includes_the_public_forms_copy(youth_pathway):
    out = io.StringIO()
    call_command("youth_data", "export", str(youth_pathway.youth_id), stdout=out)
    data = json.loads(out.getvalue())
    assert data["youth"]["phone"] == PHONE and data["youth"]["email"] == EMAIL
    (copy,) = [c for c in data["copies"] if c["rows"]]
    assert copy["rows"][0]["first_name"] == FIRST and copy["rows"][0]["phone"] == PHONE
    (pathway,) = data["pathways"]
    assert [c["note"] for c in pathway["contacts"]] == [CONTACT_NOTE]
    assert [f["note"] for f in pathway["follow_ups"]] == [FOLLOW_UP_NOTE]
    assert [h["comment"] for h in pathway["history"]] == [START_COMMENT, COMMENT]
    assert pathway["history"][-1]["answers"]["Motif de sortie"] == "Alternance"
    assert pathway["needs"] == ["Logement", "Emploi"]
    (mention,) = data["outreach_round_mentions"]
    assert mention["excerpts"] == ["Zéphyrine Quillebeuf cherche un stage."]
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.channel) == (Action.EXPORT, Channel.COMMAND)


def test_export_to_a_file(youth_pathway, tmp_path):
    target = tmp_path / "export.json"
    err = io.StringIO()
    call_command(
        "youth_data", "export", str(youth_pathway.youth_id), "--output", str(target), stderr=err
    )
    assert json.loads(target.read_text(encoding="utf-8"))["youth"]["first_name"] == FIRST
    assert str(target) in err.getvalue()


def test_unknown_young_person_is_a_french_error(db):
    with pytest.raises(CommandError, match="Aucun jeune n° 999"):
        call_command("youth_data", "export", "999")


def test_erase_without_reason_is_refused(youth_pathway):
    with pytest.raises(CommandError, match="motif"):
        call_command("youth_data", "erase", str(youth_pathway.youth_id), "--reason", " ", "--yes")
    assert Youth.objects.filter(pk=youth_pathway.youth_id).exists()
