"""Two years after the last contact, a young person's data is anonymised; figures stay."""

import datetime

from django.utils import timezone

from workflows.choices import ContactKind
from workflows.models import Pathway, TransitionRecord, Youth
from workflows.services.pathways import log_contact
from workflows.services.retention import anonymise_expired, erase_youth, export_youth_data
from workflows.services.transitions import fire_transition

from .factories import new_pathway


def test_anonymised_two_years_after_last_contact_only_when_closed(definition, counsellor, places):
    today = timezone.localdate().isoformat()
    closed = new_pathway(
        first_name="Ancien", actor=counsellor, referent=counsellor, commune=places["commune"]
    )
    log_contact(closed, kind=ContactKind.INTERVIEW, actor=counsellor, note="Entretien.")
    closed = fire_transition(
        closed,
        "sortir",
        actor=counsellor,
        answers={"motif_sortie": "Alternance", "date_sortie": today},
        comment="Contrat signé.",
    )
    still_open = new_pathway(first_name="Encore", actor=counsellor, referent=counsellor)
    recent = new_pathway(first_name="Récent", actor=counsellor, referent=counsellor)
    recent = fire_transition(
        recent,
        "sortir",
        actor=counsellor,
        answers={"motif_sortie": "Abandon", "date_sortie": today},
    )

    later = timezone.now() + datetime.timedelta(days=731)
    Pathway.objects.filter(pk=recent.pk).update(last_contact_at=later - datetime.timedelta(days=5))
    assert anonymise_expired(now=later) == 1

    youth = Youth.objects.get(pk=closed.youth_id)
    assert (youth.first_name, youth.last_name, youth.phone, youth.date_of_birth) == (
        "Anonymisé",
        "",
        "",
        None,
    )
    assert youth.anonymised_at == later
    assert youth.commune == places["commune"]  # figures by commune survive
    pathway = Pathway.objects.get(pk=closed.pk)
    assert pathway.answers == {} and pathway.stage == "sorti"
    assert not TransitionRecord.objects.filter(pathway=pathway).exclude(answers={}).exists()
    assert not TransitionRecord.objects.filter(pathway=pathway).exclude(comment="").exists()
    assert pathway.contacts.get().note == ""
    assert Youth.objects.get(pk=still_open.youth_id).first_name == "Encore"
    assert Youth.objects.get(pk=recent.youth_id).first_name == "Récent"
    assert anonymise_expired(now=later) == 0


def test_export_and_erase_on_request(pathway, counsellor):
    log_contact(pathway, kind=ContactKind.CALL, actor=counsellor, note="Rappel demandé.")
    data = export_youth_data(pathway.youth)
    assert data["first_name"] == "Camille" and data["phone"] == "06 00 00 00 01"
    (exported,) = data["pathways"]
    assert [h["to"] for h in exported["history"]] == ["Repéré"]
    assert exported["contacts"][0]["note"] == "Rappel demandé."

    erase_youth(pathway.youth)
    youth = Youth.objects.get(pk=pathway.youth_id)
    assert youth.first_name == "Anonymisé" and youth.phone == ""
    assert Pathway.objects.get(pk=pathway.pk).closed_at is not None
    assert export_youth_data(youth)["pathways"][0]["contacts"][0]["note"] == ""
