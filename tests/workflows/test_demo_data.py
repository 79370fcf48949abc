"""The workflow demo data."""

import io

from django.core.management import call_command
from django.utils import timezone

from workflows.models import Pathway, TransitionRecord, WorkflowDefinition
from workflows.specs import live_spec


def test_demo_data_loads_twice(demo_data):
    counts = (Pathway.objects.count(), TransitionRecord.objects.count())
    call_command("load_demo_data", stdout=io.StringIO())
    assert (Pathway.objects.count(), TransitionRecord.objects.count()) == counts
    assert counts[0] == 30
    stages = set(Pathway.objects.values_list("stage", flat=True))
    assert stages == set(live_spec(WorkflowDefinition.objects.get()).stages)
    assert Pathway.objects.filter(due_on__lt=timezone.localdate(), closed_at=None).exists()
    assert Pathway.objects.filter(outreach_round__isnull=False).exists()
