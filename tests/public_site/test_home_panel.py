"""The communication officer's home screen: pages waiting for review and the coming
sessions of the section's permanences, a cancellation marked as such; empty states in
French; a fixed number of queries."""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from public_site.models import PermanencePage
from public_site.models.schedule_rules import ExceptionKind, ScheduleException
from tests.public_site.test_editing import editor  # noqa: F401  (the fixture)


def panel(client) -> str:
    page = html.unescape(client.get("/admin/").content.decode())
    return page.split('id="editors-section"')[1].split("</section>")[0]


def test_the_next_sessions_and_their_cancellations(editor):  # noqa: F811
    onet = PermanencePage.objects.get(slug="ccas-onet-le-chateau")
    content = panel(editor)
    assert "Aucune page n'attend de relecture." in content
    assert onet.title in content
    first = onet.upcoming()[0]
    rule = onet.schedule_rules.first()
    ScheduleException.objects.create(
        rule=rule, kind=ExceptionKind.CANCELLED, date=first.date, reason="Congés"
    )
    assert "<strong>Annulée</strong> (Congés)" in panel(editor)


def test_the_panel_reads_in_constant_queries(editor):  # noqa: F811
    editor.get("/admin/")
    with CaptureQueriesContext(connection) as first:
        editor.get("/admin/")
    onet = PermanencePage.objects.get(slug="ccas-onet-le-chateau")
    index = onet.get_parent()
    for number in range(3):
        copy = onet.copy(
            to=index,
            update_attrs={"slug": f"copie-{number}", "title": f"Copie {number}"},
            keep_live=True,
        )
        assert copy.live
    with CaptureQueriesContext(connection) as more:
        editor.get("/admin/")
    assert len(more) == len(first)


@pytest.mark.usefixtures("public_demo")
def test_staff_without_pages_do_not_get_it(client, django_user_model):
    user = django_user_model.objects.create_user(username="sans-pages", password="x")
    client.force_login(user)
    assert 'id="editors-section"' not in client.get("/admin/").content.decode()


def test_a_counsellor_sees_the_week_of_their_antennas_permanences(client, public_demo):
    import datetime

    from django.contrib.auth.models import Group, Permission
    from django.utils import timezone

    from tests.workflows.factories import make_user
    from workflows.policies import COUNSELLORS

    onet = PermanencePage.objects.get(slug="ccas-onet-le-chateau")
    assert onet.antenna is not None
    group = Group.objects.get_or_create(name=COUNSELLORS)[0]
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    counsellor = make_user("conseil-semaine", COUNSELLORS, antenna=onet.antenna)
    client.force_login(counsellor)
    page = html.unescape(client.get("/admin/").content.decode())
    week = page.split('id="antenna-week-section"')[1].split("</section>")[0]
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    if onet.occurrences_between(monday, monday + datetime.timedelta(days=6)):
        assert onet.title in week
    else:
        assert "Aucune permanence de votre antenne cette semaine." in week
    assert 'id="editors-section"' not in page  # a counsellor edits no page
