"""Content model details that pages, API and feeds rely on."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from public_site.models import PermanencePage, ScheduleRule, Venue
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


def test_rule_gives_its_rfc5545_rule_and_month_weeks_round_trip(client, public_demo):
    page = PermanencePage.objects.get(slug="lieu-jeunesse-saint-aubin")
    rule = ScheduleRule.objects.get(page=page)
    assert rule.month_weeks == [-1]
    assert feed_rrules(client, page) == ["FREQ=MONTHLY;BYDAY=-1TU"]
    assert page.schedule_descriptions == ["le dernier mardi du mois, de 17 h à 19 h"]


def test_rule_validation_speaks_french_on_the_right_field():
    rule = ScheduleRule(
        frequency="weekly",
        weekday=3,
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
    assert page.ical_url.endswith("/permanences/ccas-onet-le-chateau/calendrier/")


def test_wagtail_api_exposes_permanence_fields(client, public_demo):
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
    assert data["ical_url"].endswith("/calendrier/")


def test_a_permanence_needs_a_venue_or_an_antenna():
    page = PermanencePage(title="Sans lieu", slug="sans-lieu", services=["employment"])
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "l'antenne de la Mission Locale" in error.value.message_dict["venue"][0]
