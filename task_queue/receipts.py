"""`run_once`: do a piece of background work unless its receipt says it was done."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import transaction

from task_queue.models import TaskReceipt

T = TypeVar("T")


def run_once(key: str, work: Callable[[], T]) -> T | None:
    """Runs `work` and records `key` in one transaction; returns None without running it when
    the key is already recorded.

    Database effects of `work` commit with the receipt or not at all, so a task killed midway
    leaves nothing and runs in full when redelivered. An e-mail sent by `work` leaves before
    the commit: if the worker dies in the instant between the two, it is sent again — the one
    duplicate no broker can rule out, made as unlikely as it can be. Two deliveries running at
    once are serialised by the key's unique index: the second waits for the first to commit,
    then finds the receipt."""
    with transaction.atomic():
        _receipt, created = TaskReceipt.objects.get_or_create(key=key[:200])
        if not created:
            return None
        return work()
