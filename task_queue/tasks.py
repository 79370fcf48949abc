"""The receipts' own upkeep, run by django-q2 (schedules: the `schedule_tasks` command)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_q.models import Schedule

from task_queue.models import TaskReceipt

# A redelivery happens within minutes (the broker's `retry`); a weekly message is keyed on its
# week. Ninety days covers both with a wide margin.
RECEIPT_RETENTION_DAYS = 90

SCHEDULES = {
    "task_queue.purge_receipts": {
        "func": "task_queue.tasks.purge_receipts",
        "schedule_type": Schedule.DAILY,
        "label": _("effacement des reçus de tâches de plus de 90 jours, chaque jour"),
    },
}


def purge_receipts() -> int:
    cutoff = timezone.now() - datetime.timedelta(days=RECEIPT_RETENTION_DAYS)
    deleted, _by_model = TaskReceipt.objects.filter(done_at__lt=cutoff).delete()
    return deleted
