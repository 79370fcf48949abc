"""Logging a contact: last contact, due date, refusals."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from workflows.choices import ContactKind
from workflows.models import Pathway
from workflows.services.errors import NotAllowed
from workflows.services.pathways import log_contact


def test_contact_updates_last_contact_and_due_date(pathway, counsellor):
    Pathway.objects.filter(pk=pathway.pk).update(
        entered_stage_at=timezone.now() - datetime.timedelta(days=5)
    )
    moment = timezone.now() - datetime.timedelta(hours=1)
    contact = log_contact(pathway, kind=ContactKind.INTERVIEW, actor=counsellor, happened_at=moment)
    fresh = Pathway.objects.get(pk=pathway.pk)
    assert fresh.last_contact_at == moment
    # "Relance après 7 jours" counts from the last contact.
    assert fresh.due_on == timezone.localdate(moment) + datetime.timedelta(days=7)
    # An older contact logged afterwards does not move the last contact back.
    log_contact(
        pathway,
        kind=ContactKind.SMS,
        actor=counsellor,
        happened_at=moment - datetime.timedelta(days=10),
    )
    assert Pathway.objects.get(pk=pathway.pk).last_contact_at == moment
    assert contact.get_kind_display() == "Entretien"


def test_a_contact_in_the_future_is_refused(pathway, counsellor):
    with pytest.raises(ValidationError) as refused:
        log_contact(
            pathway,
            kind=ContactKind.CALL,
            actor=counsellor,
            happened_at=timezone.now() + datetime.timedelta(days=3),
        )
    assert refused.value.message_dict == {
        "happened_at": ["Un contact ne peut pas être dans le futur."]
    }
    assert Pathway.objects.get(pk=pathway.pk).last_contact_at is None


def test_contact_outside_caseload_refused(pathway, other_counsellor):
    with pytest.raises(NotAllowed):
        log_contact(pathway, kind=ContactKind.CALL, actor=other_counsellor)
    assert not pathway.contacts.exists()


def test_a_contact_before_2000_is_refused_and_nothing_is_stored(pathway, counsellor):
    long_ago = timezone.make_aware(datetime.datetime(1, 1, 1, 12, 0), datetime.UTC)
    with pytest.raises(ValidationError) as refusal:
        log_contact(pathway, kind=ContactKind.INTERVIEW, actor=counsellor, happened_at=long_ago)
    assert refusal.value.error_dict["happened_at"][0].code == "contact_too_old"
    assert not pathway.contacts.exists()
