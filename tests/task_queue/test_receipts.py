"""A task delivered twice does its work once; a task that fails midway leaves nothing."""

import datetime

import pytest
from django.utils import timezone

from task_queue.models import TaskReceipt
from task_queue.receipts import run_once
from task_queue.tasks import purge_receipts


@pytest.mark.django_db
def test_the_work_runs_once_per_key():
    done = []
    assert run_once("envoi:1", lambda: done.append(1) or "envoyé") == "envoyé"
    assert run_once("envoi:1", lambda: done.append(2) or "envoyé") is None
    assert run_once("envoi:2", lambda: done.append(3) or "envoyé") == "envoyé"
    assert done == [1, 3]


@pytest.mark.django_db
def test_a_task_that_fails_leaves_no_receipt_and_runs_in_full_next_time():
    from django.contrib.auth.models import Group

    def half_done():
        Group.objects.create(name="effet")
        raise RuntimeError("le serveur de messagerie ne répond pas")

    with pytest.raises(RuntimeError):
        run_once("envoi:3", half_done)
    assert not TaskReceipt.objects.filter(key="envoi:3").exists()
    assert not Group.objects.filter(name="effet").exists()  # rolled back with the receipt
    run_once("envoi:3", lambda: Group.objects.create(name="effet"))
    assert Group.objects.filter(name="effet").count() == 1


@pytest.mark.django_db
def test_receipts_are_kept_ninety_days():
    run_once("ancien", lambda: None)
    run_once("recent", lambda: None)
    now = timezone.now()
    TaskReceipt.objects.filter(key="ancien").update(done_at=now - datetime.timedelta(days=91))
    TaskReceipt.objects.filter(key="recent").update(done_at=now - datetime.timedelta(days=89))
    assert purge_receipts() == 1
    assert list(TaskReceipt.objects.values_list("key", flat=True)) == ["recent"]
