"""Content model details that pages, API and feeds rely on."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from public_site.models import (
    ExceptionKind,
    PermanencePage,
    ScheduleException,
    ScheduleRule,
    Venue,
)
from territories.models import Commune
from tests.public_site.feeds import feed_rrules

pytestmark = pytest.mark.django_db


def _commune() -> Commune:
    return Commune.objects.create(name="Aulnat", insee_code="63019", postcodes="63510")


def test_venue_without_address_links_to_a_map_search_and_never_invents_a_street():
    venue = Venue(name="Pôle social d'Aulnat", commune=_commune())
    assert venue.full_address == "Pôle social d'Aulnat, 63510 Aulnat"
    assert venue.map_url.startswith("https://www.openstreetmap.org/search?query=")
    assert venue.geo_uri == ""


def test_venue_with_coordinates_links_to_the_point():
    venue = Venue(
        name="Médiathèque",
        commune=_commune(),
        address="1 rue de l'Exemple",
        latitude=Decimal("45.81080"),
        longitude=Decimal("3.16830"),
    )
    assert venue.map_url == (
        "https://www.openstreetmap.org/?mlat=45.81080&mlon=3.16830#map=18/45.81080/3.16830"
    )
    assert venue.geo_uri == "geo:45.81080,3.16830"


def test_rule_gives_its_rfc5545_rule_and_choices_round_trip(client, public_demo):
    page = PermanencePage.objects.get(slug="ccas-onet-le-chateau")
    rule = ScheduleRule.objects.get(page=page)
    rule.month_weeks, rule.weekdays, rule.interval = [-1], [3, 1], 2
    rule.save()
    page.save_revision().publish()
    rule = ScheduleRule.objects.get(page=page)
    assert (rule.month_weeks, rule.weekdays, rule.interval) == ([-1], [3, 1], 2)
    assert feed_rrules(client, page) == ["FREQ=MONTHLY;INTERVAL=2;BYDAY=-1TU,-1TH"]
    (description,) = page.schedule_descriptions
    assert description.startswith("le dernier mardi et jeudi, un mois sur deux à partir du ")


def test_rule_validation_speaks_french_on_the_right_field():
    rule = ScheduleRule(
        frequency="weekly",
        weekdays=[3],
        month_weeks=[1],
        start_time=time(14),
        end_time=time(17),
        start_date=date(2026, 1, 1),
        end_date=date(2025, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        rule.clean()
    assert set(error.value.message_dict) == {"month_weeks", "end_date"}
    assert "Certaines semaines du mois" in error.value.message_dict["month_weeks"][0]


def test_api_fields_give_schedule_next_dates_and_ical_link(public_demo):
    page = PermanencePage.objects.get(slug="ccas-onet-le-chateau")
    assert page.services_labels == ["Emploi", "Formation", "Mobilité"]
    assert page.schedule_descriptions == ["1er et 3e mardis du mois, de 9 h à 12 h"]
    next_dates = page.next_dates
    assert next_dates and {"date", "start", "end", "cancelled", "reason"} <= set(next_dates[0])
    assert any(item["cancelled"] for item in next_dates)
    assert page.ical_full_url().endswith("/permanences/ccas-onet-le-chateau/calendrier/")


def test_wagtail_api_exposes_permanence_fields(client, public_demo, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "ml.example.org"]
    page = PermanencePage.objects.get(slug="ccas-onet-le-chateau")
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["venue"]["name"] == "CCAS d'Onet-le-Château"
    assert data["venue"]["commune"]["insee_code"] == "12176"
    assert data["place"]["commune"] == "Onet-le-Château"
    assert data["place"]["map_url"].startswith("https://www.openstreetmap.org/")
    assert data["schedule_descriptions"] == ["1er et 3e mardis du mois, de 9 h à 12 h"]
    assert any(item["cancelled"] for item in data["next_dates"])
    # On the host the client called, not the Site record's ("localhost" in the demo).
    assert data["ical_url"] == (
        "http://testserver/aveyron/permanences/ccas-onet-le-chateau/calendrier/"
    )
    other = client.get(f"/api/v2/pages/{page.pk}/", HTTP_HOST="ml.example.org").json()
    assert other["ical_url"].startswith("http://ml.example.org/aveyron/")
    assert data["days_to_confirm"] is False


def test_the_api_says_an_unknown_end_and_an_extra_dates_note(client, public_demo):
    page = PermanencePage.objects.get(slug="pole-social-aulnat")
    rule = page.schedule_rules.get()
    assert rule.end_time is None
    today = timezone.localdate()
    extra_day = today + timedelta(days=(4 - today.weekday()) % 7 or 7)  # a Friday
    ScheduleException.objects.create(
        rule=rule, kind=ExceptionKind.EXTRA, date=extra_day, reason="Permanence exceptionnelle"
    )
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["schedule_descriptions"] == ["chaque jeudi, à partir de 14 h"]
    assert data["next_dates"] and all(item["end"] is None for item in data["next_dates"])
    (extra,) = [item for item in data["next_dates"] if item["extra"]]
    assert (extra["date"], extra["note"]) == (extra_day.isoformat(), "Permanence exceptionnelle")
    agenda = client.get("/api/agenda/", {"organisation": "clermont"}).json()["results"]
    (line,) = [item for item in agenda if item["extra"]]
    assert (line["end"], line["note"]) == (None, "Permanence exceptionnelle")


def test_a_permanence_needs_a_venue_or_an_antenna():
    page = PermanencePage(title="Sans lieu", slug="sans-lieu", services=["employment"])
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "l'antenne de la Mission Locale" in error.value.message_dict["venue"][0]
