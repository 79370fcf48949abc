"""The counsellors' weekly summary by e-mail: their relances late and due this week, the
requests waiting for a référent that they see, and their pathways the timed transitions
moved in the last seven days. Counts and links to the admin screens only: an e-mail leaves
the Mission Locale's systems, so it carries no name, phone or e-mail of a young person
(nor a commune, a need or an answer).

Sent at most once per counsellor and ISO week: its receipt, keyed on the two
(`task_queue.receipts.run_once`), is written in the same transaction as the sending, so a
second run that week finds it and sends nothing, and a failed sending leaves none behind.
Each counsellor may turn it off in their account settings (`StaffProfile.weekly_summary`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from task_queue.receipts import run_once

from .. import policies
from ..choices import COUNSELLORS
from ..models import TransitionRecord
from ..selectors import TO_ASSIGN

# How many pathways moved by a timed transition the summary links to, one by one.
MOVED_LINKS = 10


@dataclass(frozen=True)
class WeeklySummary:
    """What one counsellor's summary says: numbers and admin addresses, nothing else."""

    week: str
    overdue: int
    due_this_week: int
    to_take: int
    moved_automatically: int
    moved_urls: list[str] = field(default_factory=list)
    overdue_url: str = ""
    caseload_url: str = ""
    to_take_url: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.due_this_week or self.to_take or self.moved_automatically)


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _url(path: str, **query) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL}{path}" + (f"?{urlencode(query)}" if query else "")


def summary_for(user, today: datetime.date | None = None) -> WeeklySummary:
    """The user's summary as of `today`: three queries, whatever their caseload."""
    today = today or timezone.localdate()
    sunday = today + datetime.timedelta(days=6 - today.weekday())
    visible = policies.visible_pathways(user).filter(closed_at__isnull=True)
    counts = visible.order_by().aggregate(
        overdue=Count("pk", filter=Q(referent=user, due_on__lt=today)),
        due_this_week=Count("pk", filter=Q(referent=user, due_on__gte=today, due_on__lte=sunday)),
        to_take=Count("pk", filter=TO_ASSIGN),
    )
    since = timezone.now() - datetime.timedelta(days=7)
    moved = list(
        TransitionRecord.objects.filter(
            automatic=True, created_at__gte=since, pathway__referent=user
        )
        .order_by("-created_at", "-pk")
        .values_list("pathway_id", flat=True)
        .distinct()
    )
    caseload = reverse("workflows_screens:caseload")
    return WeeklySummary(
        week=iso_week(today),
        overdue=counts["overdue"],
        due_this_week=counts["due_this_week"],
        to_take=counts["to_take"],
        moved_automatically=len(moved),
        moved_urls=[
            _url(reverse("workflows_screens:pathway", args=[pk])) for pk in moved[:MOVED_LINKS]
        ],
        overdue_url=_url(caseload, referent=user.pk, overdue="true"),
        caseload_url=_url(caseload, referent=user.pk),
        to_take_url=_url(caseload, to_assign="true"),
    )


def recipients():
    """Active counsellors with an e-mail address who have not turned the summary off."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=COUNSELLORS)
        .exclude(email="")
        .exclude(staff_profile__weekly_summary=False)
        .distinct()
        .order_by("pk")
    )


def send_weekly_summaries(today: datetime.date | None = None) -> int:
    """Sends this week's summary to each recipient who has not had it yet and has something
    to read in it. Returns how many left."""
    today = today or timezone.localdate()
    sent = 0
    for user in recipients():
        summary = summary_for(user, today)
        if not summary.is_empty:
            sent += _send(user, summary)
    return sent


def _send(user, summary: WeeklySummary) -> int:
    """One summary, once per counsellor and week: 0 when it already left."""
    return (
        run_once(
            f"workflows.weekly_summary:{user.pk}:{summary.week}",
            lambda: send_mail(
                subject=_("Votre semaine : relances et parcours à suivre"),
                message=render_to_string(
                    "workflows/emails/weekly_summary.txt", {"summary": summary}
                ),
                from_email=None,
                recipient_list=[user.email],
            ),
        )
        or 0
    )
