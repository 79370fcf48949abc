"""The workflow demo data."""

import io

from django.core.management import call_command
from django.utils import timezone

from territories.selectors import coverage_of
from workflows.models import OutreachRound, Pathway, TransitionRecord, WorkflowDefinition
from workflows.specs import live_spec


def test_demo_data_loads_twice(demo_data):
    counts = (Pathway.objects.count(), TransitionRecord.objects.count())
    call_command("load_demo_data", stdout=io.StringIO())
    assert (Pathway.objects.count(), TransitionRecord.objects.count()) == counts
    assert counts[0] == 38  # 36 followed over the year, 2 requests "à attribuer"
    stages = set(Pathway.objects.values_list("stage", flat=True))
    definitions = WorkflowDefinition.objects.select_related("organisation")
    assert sorted(d.organisation.slug for d in definitions) == [
        "aveyron",
        "clermont",
        "elbeuf",
        "montpellier",
        "toulouse",
    ]
    assert stages == set(live_spec(definitions[0]).stages)
    # Each pathway follows its own organisation's definition, in the organisation covering
    # its young person's commune.
    for pathway in Pathway.objects.select_related("definition", "youth__commune"):
        assert pathway.definition.organisation_id == pathway.organisation_id
        assert coverage_of(pathway.youth.commune).organisation.pk == pathway.organisation_id
    assert Pathway.objects.filter(organisation__slug="aveyron").exists()
    assert Pathway.objects.filter(organisation__slug="toulouse").exists()
    rounds = OutreachRound.objects.select_related("organisation", "mediator__staff_profile")
    for outreach_round in rounds:
        assert outreach_round.organisation == outreach_round.mediator.staff_profile.organisation
    assert Pathway.objects.filter(due_on__lt=timezone.localdate(), closed_at=None).exists()
    assert Pathway.objects.filter(outreach_round__isnull=False).exists()
    # A request from the site waits in the Rodez antenna, for its counsellor to take.
    assert Pathway.objects.filter(
        antenna__name="Antenne de Rodez", referent=None, closed_at=None, source="website"
    ).exists()


def test_demo_has_every_role_group_with_admin_access(demo_data):
    """A new "Direction" member only needs to be put in the group to read the figures."""
    from django.contrib.auth.models import Group

    from workflows.policies import DIRECTION

    direction = Group.objects.get(name=DIRECTION)
    assert direction.permissions.filter(codename="access_admin").exists()
    assert not direction.permissions.filter(content_type__app_label="workflows").exists()


def test_demo_shows_timed_transitions_at_work(demo_data):
    """Two young people silent for longer than the default definition allows were moved to
    "Sans nouvelles" by the timed transitions, their history says so, and nothing else is
    due."""
    automatic = TransitionRecord.objects.filter(automatic=True)
    assert sorted(automatic.values_list("transition_code", "to_stage", "actor")) == [
        ("perdu_de_vue_accompagnement", "sans_nouvelles", None),
        ("perdu_de_vue_repere", "sans_nouvelles", None),
    ]
    assert {record.trigger for record in automatic} == {
        "Automatique : 60 jours dans l'étape sans contact",
        "Automatique : 30 jours dans l'étape sans contact",
    }
    out = io.StringIO()
    call_command("run_timed_transitions", "--dry-run", stdout=out)
    assert out.getvalue().rstrip().endswith("0 parcours seraient déplacés")
