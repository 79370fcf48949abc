"""The production queue set-up loses nothing when its cluster is killed in the middle of a
task, and does nothing twice: a real django-q2 cluster, killed with SIGKILL, then a new one."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_q.models import OrmQ
from django_q.tasks import async_task

from tests.workflows.factories import (
    default_elements,
    make_places,
    make_user,
    new_pathway,
    publish_definition_from,
)
from workflows.models import TransitionRecord
from workflows.policies import COORDINATORS, COUNSELLORS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TASKS = 12
PROJECT_DIR = Path(settings.BASE_DIR)


def start_cluster(mail_dir: Path) -> subprocess.Popen:
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.cluster_settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "CRASH_TEST_MAIL_DIR": str(mail_dir),
        "Q_WORKERS": "2",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=PROJECT_DIR,
        env=env,
        start_new_session=True,  # its own process group: the whole cluster is killed at once
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(cluster: subprocess.Popen) -> None:
    os.killpg(cluster.pid, signal.SIGKILL)
    cluster.wait(timeout=30)


def messages_by_pathway(mail_dir: Path, pathway_ids) -> dict[int, int]:
    text = "".join(path.read_text() for path in mail_dir.glob("*.log"))
    return {pk: text.count(f"/parcours/{pk}/") for pk in pathway_ids}


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_a_cluster_killed_mid_task_loses_nothing_and_sends_nothing_twice(tmp_path):
    places = make_places()
    coordinator = make_user("coordination", COORDINATORS, organisation=places["aveyron"])
    publish_definition_from(default_elements(), user=coordinator)
    counsellor = make_user("conseil", COUNSELLORS, antenna=places["antenna"])
    pathways = [
        new_pathway(actor=counsellor, referent=counsellor, antenna=places["antenna"])
        for _ in range(TASKS)
    ]
    ids = [pathway.pk for pathway in pathways]
    for record in TransitionRecord.objects.filter(pathway_id__in=ids):
        async_task("workflows.tasks.notify_referent", record.pk)

    first = start_cluster(tmp_path)
    try:
        # Killed once a few messages have left: the others are in a worker, or pulled by the
        # cluster and locked in the broker's table.
        assert wait_for(lambda: sum(messages_by_pathway(tmp_path, ids).values()) >= 2, 60)
    finally:
        stop(first)
    sent_before_the_crash = sum(messages_by_pathway(tmp_path, ids).values())
    assert sent_before_the_crash < TASKS

    second = start_cluster(tmp_path)
    try:
        assert wait_for(lambda: all(messages_by_pathway(tmp_path, ids).values()), 90)
        # Past another lock period: nothing delivered again.
        time.sleep(10)
    finally:
        stop(second)
    assert messages_by_pathway(tmp_path, ids) == dict.fromkeys(ids, 1)
    assert not OrmQ.objects.exists()
