"""The OpenAPI contract is published, documented locally, warning-free; Wagtail's API v2 lists
only live, public pages. (API tokens: tests/api/test_tokens.py.)"""

import re

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from wagtail.models import Page, PageViewRestriction, Site

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings_or_errors():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)
    assert not any(path.startswith("/api/v2/") for path in schema["paths"])


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "API Mission Locale"

    for url in ("/api/docs/", "/api/redoc/"):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "cdn." not in html and "jsdelivr" not in html and "unpkg" not in html
        assert "/static/drf_spectacular_sidecar/" in html

    scripts = re.findall(r'src="([^"]+)"', client.get("/api/docs/").content.decode())
    for src in scripts:
        assert src.startswith("/"), src
        assert client.get(src).status_code == 200


def test_pages_api_lists_only_live_public_pages(client):
    home = Site.objects.get(is_default_site=True).root_page
    public = home.add_child(instance=Page(title="Publique", slug="publique"))
    home.add_child(instance=Page(title="Brouillon", slug="brouillon", live=False))
    private = home.add_child(instance=Page(title="Réservée", slug="reservee"))
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    private.add_child(instance=Page(title="Sous-page réservée", slug="sous-reservee"))

    response = client.get("/api/v2/pages/", {"limit": 20})
    assert response.status_code == 200
    titles = {item["title"] for item in response.json()["items"]}
    assert "Publique" in titles
    assert titles.isdisjoint({"Brouillon", "Réservée", "Sous-page réservée"})
    assert client.get(f"/api/v2/pages/{public.pk}/").status_code == 200
    assert client.get(f"/api/v2/pages/{private.pk}/").status_code == 404


def test_pages_api_exposes_a_permanences_schedule_next_dates_and_calendar(client):
    from datetime import date, timedelta

    from tests.api import factories

    onet = factories.commune()
    venue = factories.venue("CCAS d'Onet-le-Château", onet)
    next_week = date.today() + timedelta(days=7)
    page = factories.permanence(
        "Permanence au CCAS",
        venue=venue,
        services=["employment"],
        weekday=next_week.weekday(),
        cancelled={next_week: "Congés"},
    )
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["venue"]["commune"] == {"name": "Onet-le-Château", "insee_code": "12176"}
    assert data["services_labels"] == ["Emploi"]
    assert data["schedule_descriptions"] and "de 9 h à 12 h" in data["schedule_descriptions"][0]
    cancelled = [item for item in data["next_dates"] if item["cancelled"]]
    assert cancelled == [
        {
            "date": next_week.isoformat(),
            "start": cancelled[0]["start"],
            "end": cancelled[0]["end"],
            "cancelled": True,
            "reason": "Congés",
            "extra": False,
            "note": "",
        }
    ]
    assert cancelled[0]["start"].startswith(f"{next_week.isoformat()}T09:00:00+0")
    ical_path = "/" + data["ical_url"].split("://", 1)[1].split("/", 1)[1]
    assert ical_path.startswith("/permanences/permanence-au-ccas/calendrier")
    ical = client.get(ical_path)
    assert ical.status_code == 200 and ical["Content-Type"].startswith("text/calendar")
    listed = client.get("/api/v2/pages/", {"type": "public_site.PermanencePage", "fields": "*"})
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [page.pk]


def test_pages_api_serves_a_permanences_services_as_a_list(client):
    from tests.api import factories

    venue = factories.venue("CCAS", factories.commune())
    page = factories.permanence("Permanence", venue=venue, services=["employment", "housing"])
    assert client.get(f"/api/v2/pages/{page.pk}/").json()["services"] == [
        "employment",
        "housing",
    ]
