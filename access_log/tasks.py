"""The log's own retention, run daily by django-q2 (registered by `manage.py
schedule_tasks`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from django_q.models import Schedule

from .services import purge_expired

SCHEDULES = {
    "access_log.purge_expired_entries": {
        "func": "access_log.tasks.purge_expired_entries",
        "schedule_type": Schedule.DAILY,
        "label": gettext_lazy("effacement du journal des accès au-delà d'un an, chaque jour"),
    },
}


def purge_expired_entries() -> int:
    """Daily: forgets the entries older than ACCESS_LOG_RETENTION_DAYS."""
    return purge_expired()
