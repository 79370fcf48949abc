"""Every channel that reads or changes a young person's record writes the access log itself:
the pathway page, its forms, "Mes jeunes" and its export, the board, the API's list, detail,
history, creation and transitions, and the tasks. Entries hold ids only, and a list is
logged in one INSERT whatever its length."""

from __future__ import annotations

import datetime

import pgtrigger
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access_log.models import APPEND_ONLY_TRIGGER, AccessLogEntry
from tests.api.conftest import token_client
from workflows.models import Pathway
from workflows.tasks import refresh_reminders

from .factories import new_pathway

pytestmark = pytest.mark.usefixtures("admin_access")

TODAY = timezone.localdate()


@pytest.fixture
def caseload(definition, counsellor, places):
    """Three pathways the counsellor follows; the log is emptied of their creation."""
    pathways = [
        new_pathway(
            first_name=name,
            last_name="Fictif",
            actor=counsellor,
            referent=counsellor,
            antenna=places["antenna"],
        )
        for name in ("Alix", "Bastien", "Céleste")
    ]
    forget_log()
    return pathways


def forget_log():
    """Empties the log between the setup and what a test checks (on PostgreSQL, past the
    append-only trigger, as the log's own retention does)."""
    with pgtrigger.ignore(APPEND_ONLY_TRIGGER):
        AccessLogEntry.objects.all().delete()


def entries(**filters) -> list[tuple]:
    return sorted(
        AccessLogEntry.objects.filter(**filters).values_list(
            "action", "channel", "pathway_id", "youth_id", "user_id"
        )
    )


def expected(action, channel, pathways, user) -> list[tuple]:
    return sorted((action, channel, p.pk, p.youth_id, user.pk) for p in pathways)


def log_inserts(captured) -> int:
    return sum(
        1
        for query in captured.captured_queries
        if query["sql"].startswith("INSERT") and "access_log_accesslogentry" in query["sql"]
    )


def assert_no_personal_data():
    for row in AccessLogEntry.objects.values():
        text = " ".join(str(value) for value in row.values())
        for name in ("Alix", "Bastien", "Céleste", "Fictif", "Camille", "06 00"):
            assert name not in text, row


def test_the_pathway_page_logs_one_read_with_ids_and_address(client, caseload, counsellor):
    pathway = caseload[0]
    client.force_login(counsellor)
    url = reverse("workflows_screens:pathway", args=[pathway.pk])
    assert client.get(url, REMOTE_ADDR="198.51.100.4").status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.channel, entry.pathway_id, entry.youth_id) == (
        "read",
        "page",
        pathway.pk,
        pathway.youth_id,
    )
    assert (entry.organisation_id, entry.ip_address, entry.detail) == (
        pathway.organisation_id,
        "198.51.100.4",
        "",
    )
    assert_no_personal_data()


def test_my_young_people_logs_the_rows_shown_in_one_insert(client, caseload, counsellor):
    client.force_login(counsellor)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("workflows_screens:caseload"), {"q": "Fictif"})
    assert response.status_code == 200
    assert log_inserts(captured) == 1
    assert entries() == expected("read", "list", caseload, counsellor)
    assert_no_personal_data()  # nor the searched name


def test_the_results_page_logs_only_its_page(client, caseload, counsellor, monkeypatch):
    from workflows.views.caseload import CaseloadView

    monkeypatch.setattr(CaseloadView, "paginate_by", 2)
    client.force_login(counsellor)
    assert client.get(reverse("workflows_screens:caseload_results")).status_code == 200
    assert AccessLogEntry.objects.filter(action="read", channel="list").count() == 2


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_the_export_is_logged_as_an_export(client, caseload, counsellor, export):
    client.force_login(counsellor)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("workflows_screens:caseload"), {"export": export})
        content = b"".join(response.streaming_content) if response.streaming else b"".join(response)
    assert response.status_code == 200 and content
    assert log_inserts(captured) == 1
    assert entries() == expected("export", "export", caseload, counsellor)
    assert set(AccessLogEntry.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_the_board_logs_its_cards(client, caseload, counsellor, definition):
    client.force_login(counsellor)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("workflows_screens:board")).status_code == 200
    assert log_inserts(captured) == 1
    assert entries() == expected("read", "board", caseload, counsellor)


def test_the_transition_form_logs_its_read_then_the_change(client, caseload, counsellor):
    pathway = caseload[0]
    client.force_login(counsellor)
    url = reverse("workflows_screens:transition", args=[pathway.pk, "fixer_premier_accueil"])
    assert client.get(url).status_code == 200
    assert entries() == expected("read", "form", [pathway], counsellor)
    response = client.post(
        url,
        {
            "version": pathway.version,
            "date_premier_accueil": TODAY.isoformat(),
            "lieu_premier_accueil": "Antenne",
            "comment": "",
        },
    )
    assert response.status_code == 302
    assert entries(action="change") == expected("change", "form", [pathway], counsellor)


def test_a_contact_is_logged_as_a_change(client, caseload, counsellor):
    pathway = caseload[1]
    client.force_login(counsellor)
    url = reverse("workflows_screens:contact", args=[pathway.pk])
    assert client.post(url, {"kind": "call", "note": ""}).status_code == 302
    assert entries(action="change") == expected("change", "form", [pathway], counsellor)


def test_the_api_list_detail_and_history_log_their_reads(caseload, counsellor):
    api = token_client(counsellor)
    with CaptureQueriesContext(connection) as captured:
        assert api.get("/api/pathways/", {"q": "Fictif"}).status_code == 200
    assert log_inserts(captured) == 1
    assert entries() == expected("read", "api", caseload, counsellor)
    forget_log()
    pathway = caseload[2]
    assert api.get(f"/api/pathways/{pathway.pk}/").status_code == 200
    assert api.get(f"/api/pathways/{pathway.pk}/history/").status_code == 200
    assert entries() == expected("read", "api", [pathway, pathway], counsellor)
    assert_no_personal_data()


def test_an_api_transition_logs_one_read_and_one_change(caseload, counsellor):
    pathway = caseload[0]
    api = token_client(counsellor)
    response = api.post(
        f"/api/pathways/{pathway.pk}/transitions/fixer_premier_accueil/",
        {"answers": {"date_premier_accueil": TODAY.isoformat()}, "comment": ""},
        format="json",
    )
    assert response.status_code == 200, response.content
    # Read before and after the transition: once in the log.
    assert entries() == [
        *expected("change", "api", [pathway], counsellor),
        *expected("read", "api", [pathway], counsellor),
    ]


def test_a_pathway_created_through_the_api_is_logged(definition, counsellor, places):
    api = token_client(counsellor)
    response = api.post(
        "/api/pathways/",
        {
            "first_name": "Dorian",
            "phone": "06 00 00 00 02",
            "source": "permanence",
            "consent": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pathway = Pathway.objects.get(pk=response.json()["id"])
    assert ("change", "api", pathway.pk, pathway.youth_id, counsellor.pk) in entries()


def test_the_reminders_task_logs_its_changes_without_a_user(caseload):
    Pathway.objects.filter(pk__in=[p.pk for p in caseload[:2]]).update(
        due_on=TODAY - datetime.timedelta(days=1)
    )
    assert refresh_reminders(TODAY) == 2
    rows = AccessLogEntry.objects.values_list(
        "action", "channel", "pathway_id", "user_id", "detail"
    )
    assert sorted(rows) == sorted(("change", "task", p.pk, None, "follow_up") for p in caseload[:2])


def test_a_maraude_page_logs_the_young_people_it_lists(client, definition, coordinator, places):
    from workflows.models import OutreachRound

    outreach = OutreachRound.objects.create(
        date=TODAY,
        place="Parvis",
        mediator=coordinator,
        commune=places["commune"],
        organisation=places["aveyron"],
    )
    met = [
        new_pathway(first_name=f"Met{n}", actor=coordinator, outreach_round=outreach)
        for n in (1, 2)
    ]
    forget_log()
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("outreach_rounds:inspect", args=[outreach.pk]))
    assert response.status_code == 200
    assert log_inserts(captured) == 1
    assert entries() == expected("read", "list", met, coordinator)


def test_loading_the_demo_data_is_logged_as_a_command(demo_data):
    channels = set(AccessLogEntry.objects.values_list("action", "channel", "user_id"))
    assert {(action, channel) for action, channel, _user in channels} == {("change", "command")}
    assert Pathway.objects.count() == AccessLogEntry.objects.values("pathway_id").distinct().count()
