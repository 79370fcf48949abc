"""The access log keeps what it is given, refuses to be rewritten on PostgreSQL, and forgets
entries only past its own retention."""

import datetime

import pytest
from django.db import DatabaseError, transaction
from django.test import Client
from django.utils import timezone

from access_log.models import AccessLogEntry, Action, Channel
from access_log.services import Subject, purge_expired, record

pytestmark = pytest.mark.django_db


def test_one_entry_per_young_person_and_pathway_in_one_insert(
    django_user_model, django_assert_num_queries
):
    user = django_user_model.objects.create_user("lecteur", password="x" * 12)
    subjects = [Subject(1, 7, 10), Subject(2, 7, 11), Subject(1, 7, 10)]
    with django_assert_num_queries(1):
        assert record(user, Action.READ, Channel.LIST, subjects) == 2
    entry = AccessLogEntry.objects.get(youth_id=2)
    assert (entry.user_id, entry.username, entry.organisation_id, entry.pathway_id) == (
        user.pk,
        "lecteur",
        7,
        11,
    )
    assert (entry.action, entry.channel, entry.ip_address) == ("read", "list", None)


def test_the_system_writes_entries_without_a_user():
    record(None, Action.ANONYMISE, Channel.TASK, [Subject(5, 1)], detail="retention")
    entry = AccessLogEntry.objects.get()
    assert (entry.user_id, entry.username, entry.detail) == (None, "", "retention")


def test_purge_keeps_the_last_year_only(settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 365
    now = timezone.now()
    for days in (10, 364, 366, 900):
        AccessLogEntry.objects.create(
            at=now - datetime.timedelta(days=days), youth_id=days, action="read", channel="api"
        )
    assert purge_expired(now) == 2
    assert sorted(AccessLogEntry.objects.values_list("youth_id", flat=True)) == [10, 364]


@pytest.mark.postgres
def test_postgresql_refuses_update_and_delete():
    entry = AccessLogEntry.objects.create(youth_id=1, action="read", channel="page")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(detail="effacé")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.delete()
    assert AccessLogEntry.objects.get(pk=entry.pk).detail == ""


def test_the_address_of_the_request_is_recorded(django_user_model, settings):
    """The middleware hands the client's address to any writer called during the request."""
    from django.http import HttpResponse
    from django.urls import path

    from access_log.context import current_client_address

    seen = []

    def view(request):
        seen.append(current_client_address())
        return HttpResponse("ok")

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("probe/", view)]})
    Client(REMOTE_ADDR="203.0.113.9").get("/probe/")
    assert seen == ["203.0.113.9"]
    assert current_client_address() is None


def test_the_daily_task_purges_and_is_scheduled(settings):
    import io

    from django.core.management import call_command
    from django_q.models import Schedule

    from access_log.tasks import purge_expired_entries

    settings.ACCESS_LOG_RETENTION_DAYS = 30
    old = timezone.now() - datetime.timedelta(days=31)
    AccessLogEntry.objects.create(at=old, youth_id=1, action="read", channel="api")
    AccessLogEntry.objects.create(youth_id=2, action="read", channel="api")
    assert purge_expired_entries() == 1
    assert list(AccessLogEntry.objects.values_list("youth_id", flat=True)) == [2]
    call_command("schedule_tasks", stdout=io.StringIO())
    call_command("schedule_tasks", stdout=io.StringIO())
    schedule = Schedule.objects.get(name="access_log.purge_expired_entries")
    assert (schedule.func, schedule.schedule_type, schedule.repeats) == (
        "access_log.tasks.purge_expired_entries",
        Schedule.DAILY,
        -1,
    )
