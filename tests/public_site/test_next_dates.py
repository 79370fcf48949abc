"""The home page's "prochaines permanences" whatever the day: a monthly permanence whose next
date is cancelled is still announced with the date after it, and the demo never cancels the
only date left to come (CI once ran on the afternoon of a first Tuesday and found Aveyron's
home page empty)."""

import html
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from public_site import demo as public_demo_loader
from public_site import schedules
from public_site.models import PermanencePage
from public_site.models.schedule_rules import ExceptionKind, ScheduleException
from territories import demo as territories_demo

pytestmark = pytest.mark.django_db

ONET = "Permanence au CCAS d'Onet-le-Château"
PARIS = ZoneInfo("Europe/Paris")


def _home_text(client) -> str:
    return html.unescape(client.get("/aveyron/").content.decode())


def test_the_demo_announces_a_date_on_the_afternoon_of_a_first_tuesday(client, monkeypatch):
    # Tuesday 1 December 2026, 15:22: that morning's permanence (9 h–12 h) is over.
    moment = datetime(2026, 12, 1, 15, 22, tzinfo=PARIS)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    territories_demo.load(report=io.StringIO().write)
    public_demo_loader.load(report=io.StringIO().write)

    text = _home_text(client)

    assert ONET in text
    assert "Aucune permanence prévue" not in text
    # The third Tuesday is the next date, and it is on, not the cancelled one.
    assert 'datetime="2026-12-15T09:00' in text


def test_a_cancelled_next_date_leaves_the_one_after_on_the_home_page(client, public_demo):
    page = PermanencePage.objects.get(slug="ccas-onet-le-chateau")
    rule = page.schedule_rules.get()
    today = timezone.localdate()
    coming = schedules.occurrences(rule.recurrence(), today, today + timedelta(weeks=8))
    on = [o for o in coming if not o.cancelled and o.over_at >= timezone.now()]
    # Cancel every date of the next four weeks: the first one left is further away.
    for occurrence in on:
        if occurrence.date <= today + timedelta(weeks=4):
            ScheduleException.objects.create(
                rule=rule, kind=ExceptionKind.CANCELLED, date=occurrence.date
            )
    later = next(o for o in on if o.date > today + timedelta(weeks=4))

    text = _home_text(client)

    assert ONET in text
    assert f'datetime="{later.start.astimezone(PARIS):%Y-%m-%dT%H:%M}' in text
