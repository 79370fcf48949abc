"""Contacts, reminders, the django-q2 schedule, the diagram and the demo data."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from workflows.choices import ContactKind, PathwaySource
from workflows.diagram import COLOURS, definition_svg
from workflows.models import FollowUp, Pathway, TransitionRecord, WorkflowDefinition
from workflows.services.errors import NoPublishedDefinition, NotAllowed
from workflows.services.pathways import log_contact, start_pathway
from workflows.specs import live_spec
from workflows.tasks import refresh_reminders


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


def test_start_pathway_needs_consent_and_a_live_definition(db):
    with pytest.raises(NoPublishedDefinition):
        start_pathway(
            first_name="Sam", source=PathwaySource.WEBSITE, consent=True, contact_phone="0600000001"
        )
    with pytest.raises(ValidationError):
        start_pathway(first_name="Sam", source=PathwaySource.WEBSITE, consent=False)


def test_start_pathway_from_the_website(definition):
    pathway = start_pathway(
        first_name=" Sam ",
        source=PathwaySource.WEBSITE,
        consent=True,
        contact_email="sam@example.org",
        needs=["employment", "housing"],
        comment="Demande via le formulaire.",
    )
    assert (pathway.stage, pathway.youth.first_name, pathway.needs) == (
        "repere",
        "Sam",
        ["employment", "housing"],
    )
    assert pathway.youth.consent_given and pathway.youth.consent_recorded_at
    record = TransitionRecord.objects.get(pathway=pathway)
    assert (record.kind, record.actor, record.comment) == (
        "start",
        None,
        "Demande via le formulaire.",
    )


def test_refresh_reminders_opens_one_follow_up_per_overdue_pathway(pathway, definition):
    today = timezone.localdate()
    assert refresh_reminders(today) == 0
    Pathway.objects.filter(pk=pathway.pk).update(due_on=today - datetime.timedelta(days=1))
    assert refresh_reminders(today) == 1
    assert refresh_reminders(today) == 0  # one open follow-up is enough
    assert FollowUp.objects.get(pathway=pathway).due_on == today


def test_schedule_command_is_idempotent(db):
    call_command("schedule_tasks", stdout=io.StringIO())
    call_command("schedule_tasks", stdout=io.StringIO())
    schedule = Schedule.objects.get(name="workflows.refresh_reminders")
    assert schedule.func == "workflows.tasks.refresh_reminders"
    assert Schedule.objects.filter(name="workflows.refresh_reminders").count() == 1
    assert Schedule.objects.get(name="workflows.anonymise_expired_records").repeats == -1


def test_diagram_draws_every_stage_and_transition(definition):
    spec = live_spec(definition)
    svg = definition_svg(spec)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    for stage in spec.stages.values():
        assert f'data-code="{stage.code}"' in svg
        assert COLOURS[stage.category][0] in svg
    assert "Proposer un diagnostic" in svg
    assert svg.count('class="transition"') == len(
        {(s, t.target) for t in spec.transitions.values() for s in t.sources}
    )


def test_demo_data_loads_twice(demo_data):
    counts = (Pathway.objects.count(), TransitionRecord.objects.count())
    call_command("load_demo_data", stdout=io.StringIO())
    assert (Pathway.objects.count(), TransitionRecord.objects.count()) == counts
    assert counts[0] == 30
    stages = set(Pathway.objects.values_list("stage", flat=True))
    assert stages == set(live_spec(WorkflowDefinition.objects.get()).stages)
    assert Pathway.objects.filter(due_on__lt=timezone.localdate(), closed_at=None).exists()
    assert Pathway.objects.filter(outreach_round__isnull=False).exists()
