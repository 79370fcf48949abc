"""Writes of the task queue's admin screen."""

from __future__ import annotations

from django.db import transaction
from django_q.models import Failure
from django_q.tasks import async_task


def retry_failed_task(failure: Failure) -> str:
    """Queues the task again with its own arguments and forgets the failure, in one
    transaction: with the ORM broker the new message and the deletion commit together, so a
    double click or a crash cannot queue it twice or lose it. Returns the new task's id."""
    with transaction.atomic():
        task_id = async_task(failure.func, *(failure.args or ()), **(failure.kwargs or {}))
        failure.delete()
    return task_id
