"""Reads of the task queue for its admin screen."""

from __future__ import annotations

from django.db.models import QuerySet
from django_q.models import Failure


def failed_tasks() -> QuerySet[Failure]:
    """Latest failure first."""
    return Failure.objects.order_by("-stopped")
