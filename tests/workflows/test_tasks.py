"""Background work: reminders and the django-q2 schedule."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from workflows.models import FollowUp, Pathway
from workflows.tasks import refresh_reminders


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
