"""`access_log.reads.on_read`: the rows a lazily evaluated queryset reads reach the callback,
whichever clone is evaluated, once per evaluation; counts and value lists call nothing.
`record` writes an entry once per request however often it is asked."""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from access_log.models import AccessLogEntry, Action, Channel
from access_log.reads import on_read
from access_log.services import Subject, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    for youth_id in range(1, 6):
        AccessLogEntry.objects.create(youth_id=youth_id, action="read", channel="page")


def test_the_rows_of_a_filtered_sliced_clone_reach_the_callback_once(entries):
    seen = []
    logged = on_read(AccessLogEntry.objects.order_by("youth_id"), seen.append)
    page = logged.filter(youth_id__gte=2)[:2]
    assert seen == []  # nothing read yet
    assert [entry.youth_id for entry in page] == [2, 3]
    list(page)  # already read: no second call
    assert [[entry.youth_id for entry in rows] for rows in seen] == [[2, 3]]


def test_counts_and_value_lists_read_no_record(entries):
    seen = []
    logged = on_read(AccessLogEntry.objects.all(), seen.append)
    assert logged.count() == 5 and logged.exists()
    assert sorted(logged.values_list("youth_id", flat=True)) == [1, 2, 3, 4, 5]
    assert list(logged.filter(youth_id=99)) == []
    assert seen == []


def test_iterator_hands_its_rows_over_by_chunk(entries):
    seen = []
    logged = on_read(AccessLogEntry.objects.order_by("youth_id"), seen.append)
    assert len(list(logged.iterator(chunk_size=2))) == 5
    assert [len(rows) for rows in seen] == [2, 2, 1]


def test_a_request_records_the_same_read_once(settings, django_user_model):
    user = django_user_model.objects.create_user("lecteur", password="x" * 12)

    def view(request):
        for _ in range(3):
            record(user, Action.READ, Channel.API, [Subject(1, 7, 10)])
        record(user, Action.CHANGE, Channel.API, [Subject(1, 7, 10)])
        return HttpResponse("ok")

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("probe/", view)]})
    Client(REMOTE_ADDR="203.0.113.9").get("/probe/")
    assert sorted(AccessLogEntry.objects.values_list("action", "ip_address")) == [
        ("change", "203.0.113.9"),
        ("read", "203.0.113.9"),
    ]
    # Outside a request (a task, a command), every call writes.
    record(None, Action.READ, Channel.TASK, [Subject(1, 7, 10)])
    record(None, Action.READ, Channel.TASK, [Subject(1, 7, 10)])
    assert AccessLogEntry.objects.filter(channel="task").count() == 2
