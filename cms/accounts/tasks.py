"""The sign-in logs' own retention, run daily by django-q2 (registered by `manage.py
schedule_tasks`): django-axes keeps each sign-in and each failed attempt with its username
and address, personal data that a security review needs for weeks, not for ever."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.utils.translation import gettext_lazy
from django_q.models import Schedule

SCHEDULES = {
    "cms.accounts.tasks.purge_sign_in_logs": {
        "func": "cms.accounts.tasks.purge_sign_in_logs",
        "schedule_type": Schedule.DAILY,
        "label": gettext_lazy("effacement des journaux de connexion anciens, chaque jour"),
    },
}


def purge_sign_in_logs() -> int:
    """Daily: forgets the sign-ins and failed attempts older than SIGN_IN_LOG_RETENTION_DAYS
    (the lock-outs in progress are django-axes' own, reset by their cool-off)."""
    age = settings.SIGN_IN_LOG_RETENTION_DAYS
    return AxesProxyHandler.reset_logs(age_days=age) + AxesProxyHandler.reset_failure_logs(
        age_days=age
    )
