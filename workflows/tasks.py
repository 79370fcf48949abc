"""Background work run by django-q2: reminders and notifications. Messages carry no personal
data beyond what the recipient already sees in the admin (a link to the pathway).

The broker may deliver a task twice (after a crash): each message goes out under a receipt
keyed on what it announces (`task_queue.receipts.run_once`); the daily tasks look at the
state of the records, so a second run finds nothing left to do."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_q.models import Schedule

from access_log.models import Action, Channel
from access_log.services import Subject, record
from task_queue.receipts import run_once

from . import policies
from .models import FollowUp, Pathway, TransitionRecord
from .services import timed_transitions, weekly_summary
from .services.retention import anonymise_expired

# Registered with django-q2 by `manage.py schedule_tasks`: name -> function and period.
SCHEDULES = {
    "workflows.refresh_reminders": {
        "func": "workflows.tasks.refresh_reminders",
        "schedule_type": Schedule.DAILY,
        "label": gettext_lazy("relances des parcours, chaque jour"),
    },
    "workflows.run_timed_transitions": {
        "func": "workflows.tasks.run_timed_transitions",
        "schedule_type": Schedule.DAILY,
        "label": gettext_lazy("transitions automatiques de la définition, chaque jour"),
    },
    "workflows.send_weekly_summaries": {
        "func": "workflows.tasks.send_weekly_summaries",
        "schedule_type": Schedule.WEEKLY,
        "label": gettext_lazy("récapitulatif de la semaine aux conseillers, chaque semaine"),
    },
    "workflows.anonymise_expired_records": {
        "func": "workflows.tasks.anonymise_expired_records",
        "schedule_type": Schedule.DAILY,
        "label": gettext_lazy(
            "clôture et anonymisation après la durée de conservation sans contact, chaque jour"
        ),
    },
}


def notify_referent(record_id: int) -> bool:
    """Tells the référent that a pathway they follow moved, once per move. Returns whether a
    message left."""
    record = (
        TransitionRecord.objects.select_related("pathway__referent").filter(pk=record_id).first()
    )
    if record is None or record.pathway.referent is None or not record.pathway.referent.email:
        return False
    path = reverse("workflows_screens:pathway", args=[record.pathway_id])
    url = f"{settings.WAGTAILADMIN_BASE_URL}{path}"
    referent_email = record.pathway.referent.email
    return bool(
        run_once(
            f"workflows.notify_referent:{record_id}",
            lambda: send_mail(
                subject=_("Parcours : « %(label)s »")
                % {"label": record.transition_label or record.to_stage_label},
                message=_(
                    "Un parcours que vous suivez est passé à l'étape « %(stage)s ».\n\n"
                    "Voir le parcours : %(url)s"
                )
                % {"stage": record.to_stage_label, "url": url},
                from_email=None,
                recipient_list=[referent_email],
            ),
        )
    )


def _admin_url(path: str) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL}{path}"


def notify_antenna_of_requests(antenna_id: int, pathway_id: int) -> int:
    """Tells an antenna's counsellors that requests wait for a référent there: how many,
    and where to see them; once per new request (`pathway_id`). Nothing about the young
    people themselves (no name, commune or need): an e-mail leaves the Mission Locale's
    systems. Read when the task runs, so a request taken meanwhile is not counted. Returns
    how many people were written to."""
    waiting = Pathway.objects.filter(
        antenna_id=antenna_id, referent__isnull=True, closed_at__isnull=True
    ).count()
    recipients = list(
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=policies.COUNSELLORS,
            staff_profile__antenna_id=antenna_id,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not waiting or not recipients:
        return 0
    url = _admin_url(f"{reverse('workflows_screens:caseload')}?to_assign=true")
    sent = run_once(
        f"workflows.notify_antenna_of_requests:{pathway_id}",
        lambda: send_mail(
            subject=_("Demandes à attribuer dans votre antenne"),
            message=ngettext(
                "%(count)d demande attend un référent dans votre antenne.\n\n"
                "Les voir et en prendre une en charge : %(url)s",
                "%(count)d demandes attendent un référent dans votre antenne.\n\n"
                "Les voir et en prendre une en charge : %(url)s",
                waiting,
            )
            % {"count": waiting, "url": url},
            from_email=None,
            recipient_list=recipients,
        ),
    )
    return len(recipients) if sent else 0


def notify_new_referent(pathway_id: int, referent_id: int, assignment_id: int) -> bool:
    """Tells a counsellor that the coordination gave them a pathway to follow: a link, no
    personal data; once per assignment (`assignment_id`, its history entry). Returns whether
    a message left."""
    referent = get_user_model().objects.filter(pk=referent_id, is_active=True).first()
    if referent is None or not referent.email:
        return False
    url = _admin_url(reverse("workflows_screens:pathway", args=[pathway_id]))
    return bool(
        run_once(
            f"workflows.notify_new_referent:{assignment_id}",
            lambda: send_mail(
                subject=_("Un parcours vous est attribué"),
                message=_(
                    "La coordination vous a attribué un parcours.\n\nVoir le parcours : %(url)s"
                )
                % {"url": url},
                from_email=None,
                recipient_list=[referent.email],
            ),
        )
    )


def refresh_reminders(today: datetime.date | None = None) -> int:
    """For every open pathway whose due date has passed, opens a follow-up ("relance") unless
    one is already open, and writes those changes to the access log (one INSERT). Returns
    how many were created."""
    today = today or timezone.localdate()
    open_follow_up = FollowUp.objects.filter(pathway=OuterRef("pk"), done_at__isnull=True)
    due = (
        Pathway.objects.filter(closed_at__isnull=True, due_on__lte=today)
        .annotate(has_open=Exists(open_follow_up))
        .filter(has_open=False)
        .values_list("pk", "youth_id", "organisation_id")
    )
    subjects = [Subject(youth_id, organisation_id, pk) for pk, youth_id, organisation_id in due]
    created = FollowUp.objects.bulk_create(
        FollowUp(
            pathway_id=subject.pathway_id,
            due_on=today,
            note=_("Relance : pas de contact depuis le délai prévu"),
        )
        for subject in subjects
    )
    record(None, Action.CHANGE, Channel.TASK, subjects, detail="follow_up")
    return len(created)


def anonymise_expired_records() -> int:
    """Daily: closes the pathways left without contact for their organisation's retention
    period and anonymises their young people (CNIL). Returns how many were anonymised."""
    report = anonymise_expired(channel=Channel.TASK)
    return sum(report.anonymised.values())


def run_timed_transitions() -> int:
    """Daily: fires the definitions' timed transitions that are due (workflows.services.
    timed_transitions). Returns how many pathways moved."""
    return timed_transitions.run_timed_transitions().moved


def send_weekly_summaries() -> int:
    """Weekly: each counsellor's summary, at most once per ISO week (workflows.services.
    weekly_summary). Returns how many left."""
    return weekly_summary.send_weekly_summaries()
