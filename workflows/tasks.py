"""Background work run by django-q2: reminders and notifications. Messages carry no personal
data beyond what the recipient already sees in the admin (a link to the pathway)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_q.models import Schedule

from access_log.models import Channel

from .models import FollowUp, Pathway, TransitionRecord
from .services.retention import anonymise_expired

# Registered with django-q2 by `manage.py schedule_tasks`: name -> function and period.
SCHEDULES = {
    "workflows.refresh_reminders": {
        "func": "workflows.tasks.refresh_reminders",
        "schedule_type": Schedule.DAILY,
        "label": gettext_lazy("relances des parcours, chaque jour"),
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
    """Tells the référent that a pathway they follow moved. Returns whether a message left."""
    record = (
        TransitionRecord.objects.select_related("pathway__referent").filter(pk=record_id).first()
    )
    if record is None or record.pathway.referent is None or not record.pathway.referent.email:
        return False
    path = reverse("workflows_screens:pathway", args=[record.pathway_id])
    url = f"{settings.WAGTAILADMIN_BASE_URL}{path}"
    send_mail(
        subject=_("Parcours : « %(label)s »")
        % {"label": record.transition_label or record.to_stage_label},
        message=_(
            "Un parcours que vous suivez est passé à l'étape « %(stage)s ».\n\n"
            "Voir le parcours : %(url)s"
        )
        % {"stage": record.to_stage_label, "url": url},
        from_email=None,
        recipient_list=[record.pathway.referent.email],
    )
    return True


def refresh_reminders(today: datetime.date | None = None) -> int:
    """For every open pathway whose due date has passed, opens a follow-up ("relance") unless
    one is already open. Returns how many were created."""
    today = today or timezone.localdate()
    open_follow_up = FollowUp.objects.filter(pathway=OuterRef("pk"), done_at__isnull=True)
    due = (
        Pathway.objects.filter(closed_at__isnull=True, due_on__lte=today)
        .annotate(has_open=Exists(open_follow_up))
        .filter(has_open=False)
        .values_list("pk", flat=True)
    )
    created = FollowUp.objects.bulk_create(
        FollowUp(
            pathway_id=pk, due_on=today, note=_("Relance : pas de contact depuis le délai prévu")
        )
        for pk in due.iterator()
    )
    return len(created)


def anonymise_expired_records() -> int:
    """Daily: closes the pathways left without contact for their organisation's retention
    period and anonymises their young people (CNIL). Returns how many were anonymised."""
    report = anonymise_expired(channel=Channel.TASK)
    return sum(report.anonymised.values())
