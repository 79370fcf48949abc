"""The "Journal des accès": the organisation's data protection officer and coordinators read
their organisation's entries (never another's), filter them, page through them and export
them; anyone else is refused (403)."""

from __future__ import annotations

import datetime
import html
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from access_log.models import AccessLogEntry

from .factories import make_user, new_pathway

pytestmark = pytest.mark.usefixtures("admin_access")

URL = reverse("workflows_screens:access_log")
NOW = timezone.now()


@pytest.fixture
def log(places, counsellor, coordinator):
    """Entries of Aveyron (youth 101 read by the counsellor, 102 changed by the coordinator
    forty days ago, 103 exported) and one of Toulouse (youth 900)."""
    aveyron, toulouse = places["aveyron"].pk, places["toulouse"].pk
    rows = [
        (counsellor, aveyron, 101, "read", "page", NOW),
        (coordinator, aveyron, 102, "change", "api", NOW - datetime.timedelta(days=40)),
        (counsellor, aveyron, 103, "export", "export", NOW),
        (None, toulouse, 900, "read", "api", NOW),
    ]
    for user, organisation, youth, action, channel, at in rows:
        AccessLogEntry.objects.create(
            user_id=user.pk if user else None,
            username=user.username if user else "",
            organisation_id=organisation,
            youth_id=youth,
            action=action,
            channel=channel,
            at=at,
        )


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def youth_ids(response) -> list[int]:
    return sorted(entry.youth_id for entry in response.context["object_list"])


@pytest.mark.parametrize("role", ["dpo", "coordinator"])
def test_the_dpo_and_coordinators_read_their_organisation_only(client, log, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    assert response.status_code == 200
    assert youth_ids(response) == [101, 102, 103]
    assert "Journal des accès" in response.content.decode()


@pytest.mark.parametrize("role", ["counsellor", "mediator", "outsider"])
def test_anyone_else_is_refused(client, log, role, request):
    """Refused (PermissionDenied), which the Wagtail admin answers by sending the user back
    to its home page with a message, as for every screen a role may not open."""
    client.force_login(request.getfixturevalue(role))
    for params in ({}, {"export": "csv"}):
        response = client.get(URL, params)
        assert response.status_code == 302
        assert response.url == "/admin/" or response.url.startswith("/admin/login/")
        assert b"101" not in response.content


def test_the_reports_menu_offers_it_to_the_dpo_only(client, dpo, counsellor):
    client.force_login(dpo)
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(counsellor)
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_filters(client, log, dpo, counsellor, coordinator):
    client.force_login(dpo)
    assert youth_ids(client.get(URL, {"youth": 102})) == [102]
    assert youth_ids(client.get(URL, {"youth": 900})) == []  # another organisation's
    assert youth_ids(client.get(URL, {"user": counsellor.pk})) == [101, 103]
    assert youth_ids(client.get(URL, {"channel": "export"})) == [103]
    assert youth_ids(client.get(URL, {"action": "change"})) == [102]
    since = (NOW - datetime.timedelta(days=7)).date().isoformat()
    assert youth_ids(client.get(URL, {"at_after": since})) == [101, 103]
    # Bad input: a clear page, never a 500.
    assert client.get(URL, {"youth": "abc", "at_after": "pas une date"}).status_code == 200


def test_search_by_name_goes_through_ids_and_is_not_logged(
    client, dpo, definition, counsellor, places
):
    pathway = new_pathway(first_name="Zoé", last_name="Fictive", actor=counsellor)
    client.force_login(dpo)
    before = AccessLogEntry.objects.count()
    response = client.get(URL, {"name": "zoé fictive"})
    assert youth_ids(response) == [pathway.youth_id]  # her creation, logged by the service
    assert AccessLogEntry.objects.count() == before
    assert not AccessLogEntry.objects.filter(detail__icontains="zo").exists()
    assert youth_ids(client.get(URL, {"name": "Personne"})) == []


def test_empty_state_and_pagination(client, dpo, places, monkeypatch):
    client.force_login(dpo)
    assert "Aucun accès n'est encore journalisé" in page_text(client.get(URL))
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            organisation_id=places["aveyron"].pk, youth_id=n, action="read", channel="list"
        )
        for n in range(1, 61)
    )
    first = client.get(URL)
    assert len(first.context["object_list"]) == 50
    assert len(client.get(URL, {"p": 2}).context["object_list"]) == 10
    assert "Aucun accès ne correspond" in page_text(client.get(URL, {"youth": 999}))


def test_export_csv_and_xlsx_of_the_filtered_entries(client, log, dpo):
    client.force_login(dpo)
    response = client.get(URL, {"export": "csv", "action": "read"})
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("Date,Identifiant")
    assert len(lines) == 2 and ",101," in lines[1] and "Consultation" in lines[1]
    response = client.get(URL, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response))).active
    youth_column = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(youth_column) == [101, 102, 103]


def test_a_superuser_reads_every_organisation(client, log, places):
    admin = make_user("reseau", is_superuser=True, organisation=places["aveyron"])
    client.force_login(admin)
    assert youth_ids(client.get(URL)) == [101, 102, 103, 900]
