"""The public site in Debian's Chromium: what a young person sees on a phone and on a
computer, whether it passes axe-core, and the "être recontacté" form end to end.

Screenshots go to tests/artifacts/ (375 px and 1280 px wide) for a person to look at; the
tests themselves check the layout (no sideways scrolling, title and call to action visible)."""

import io
import re
import time
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from public_site.models import (
    ContactRequest,
    ContactRequestPage,
    PermanenceIndexPage,
    PermanencePage,
)
from public_site.selectors import AGENDA_PERIODS
from tests.axe import load_axe

pytestmark = pytest.mark.browser

WIDTHS = {"mobile": 375, "desktop": 1280}
ONET_SLUG = "ccas-onet-le-chateau"
MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip
FRENCH_DATE = re.compile(
    r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) (\d+)(?:er)? (\w+) (\d{4})"
)
MIN_FILL_SECONDS = 3.5  # the form refuses quicker submissions as robots' (public_site.spam)


@dataclass(frozen=True)
class Demo:
    url: str
    finder: str
    home: str
    onet: str
    index: str
    form: str
    aulnat: str
    peniche: str


@pytest.fixture
def site(live_server, django_db_serialized_rollback) -> Demo:
    """The demo data, committed so that the live server's thread sees it, and the addresses
    to visit, read before any browsing: on SQLite the server thread shares the test's
    connection, so the test must not query while the server answers."""
    call_command("load_demo_data", stdout=io.StringIO())
    return Demo(
        url=live_server.url,
        finder="/",
        home="/aveyron/",
        onet=PermanencePage.objects.get(slug=ONET_SLUG).url,
        index=PermanenceIndexPage.objects.get(url_path__endswith="/aveyron/permanences/").url,
        form=ContactRequestPage.objects.get(url_path__endswith="/aveyron/etre-recontacte/").url,
        aulnat=PermanencePage.objects.get(slug="pole-social-aulnat").url,
        peniche=PermanencePage.objects.get(slug="la-peniche-elbeuf").url,
    )


@pytest.fixture
def page(page):
    """Chromium asks for /favicon.ico on its own, at a moment of its choosing: answer it
    without the server (see `site`)."""
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    return page


def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical findings, with where they are, for the failure text."""
    load_axe(page)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def check_layout(page, name: str, artifacts_dir) -> None:
    """At each width: a screenshot, no horizontal scrolling, the title in view."""
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=artifacts_dir / f"public-{name}-{label}.png", full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} à {width} px : {scroll_width} px de large"
        assert page.locator("h1").first.is_visible(), f"{name} à {width} px : pas de titre"


def open_and_check(page, url: str, name: str, artifacts_dir) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    violations = serious_violations(page)
    assert not violations, f"{name} : {violations}"
    check_layout(page, name, artifacts_dir)


def listed_dates(texts: list[str]) -> list[date]:
    dates = []
    for text in texts:
        match = FRENCH_DATE.search(text.lower())
        assert match, f"date illisible : {text!r}"
        _weekday, day, month, year = match.groups()
        dates.append(date(int(year), MONTHS.index(month) + 1, int(day)))
    return dates


def first_and_third_tuesdays(start: date, count: int) -> list[date]:
    """Computed here by hand, not with the code under test."""
    found, day = [], start
    while len(found) < count:
        if day.weekday() == 1 and (day.day - 1) // 7 in (0, 2):
            found.append(day)
        day += timedelta(days=1)
    return found


def test_public_pages(site, page, browser, artifacts_dir):
    """The finder, a section's home, the Onet CCAS permanence and the index, in one test:
    each test here reloads the demo data, which costs more than the pages themselves."""
    open_and_check(page, site.url + site.finder, "trouver", artifacts_dir)
    open_and_check(page, site.url + site.home, "accueil", artifacts_dir)
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 900})
        call_to_action = page.locator(".cta a.button")
        assert call_to_action.is_visible(), f"appel « être recontacté » caché à {width} px"
        assert call_to_action.get_attribute("href") == site.form
    assert page.get_by_role("heading", name="Les prochaines permanences").is_visible()
    assert page.locator("#prochaines ~ ul li .when").count() >= 1

    open_and_check(page, site.url + site.onet, "permanence-onet", artifacts_dir)
    schedule = page.locator("#quand ~ ul li").first.inner_text()
    assert schedule == "1er et 3e mardis du mois, de 9 h à 12 h"
    shown = listed_dates(page.locator("ul.dates li .when").all_inner_texts())
    assert len(shown) >= 3
    assert shown == first_and_third_tuesdays(date.today(), len(shown))

    open_and_check(page, site.url + site.index, "liste-permanences", artifacts_dir)
    # Twice a month: its next date may be in a later period, reached as a young person would.
    onet_link = page.locator(f"a[href='{site.onet}']").first
    for _ in range(AGENDA_PERIODS - 1):
        if onet_link.is_visible():
            break
        page.get_by_role("link", name="Semaines suivantes").click()
        page.wait_for_load_state("networkidle")
    assert onet_link.is_visible(), "la permanence d'Onet dans l'agenda des prochaines semaines"
    assert page.locator(".when").count() >= 1

    # A start without an end, and days not published: said plainly, still accessible.
    open_and_check(page, site.url + site.aulnat, "permanence-aulnat", artifacts_dir)
    assert page.locator("#quand ~ ul li").first.inner_text() == "Chaque jeudi, à partir de 14 h"
    assert "à partir de 14 h" in page.locator("ul.dates li .when").first.inner_text()
    open_and_check(page, site.url + site.peniche, "permanence-peniche", artifacts_dir)
    assert "Jours à confirmer." in page.locator(".to-confirm").inner_text()
    assert page.locator("ul.dates").count() == 0

    without_javascript = browser.new_context(java_script_enabled=False, locale="fr-FR")
    try:
        plain = without_javascript.new_page()
        plain.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        plain.goto(site.url + site.onet)
        assert plain.locator("ul.dates").is_visible()
        plain_dates = listed_dates(plain.locator("ul.dates li .when").all_inner_texts())
        assert plain_dates == shown, "sans JavaScript, les mêmes prochaines dates"
    finally:
        without_javascript.close()


def test_contact_form_end_to_end(site, page, artifacts_dir):
    opened = time.monotonic()
    open_and_check(page, site.url + site.form, "formulaire", artifacts_dir)
    page.get_by_label("Ton prénom").fill("Inès")
    page.get_by_label("Ton numéro de téléphone").fill("06 00 00 00 12")
    page.get_by_label("Ta commune").select_option(label="Onet-le-Château")  # routes the request
    page.get_by_label("Logement").check()
    page.get_by_label("J'accepte que la Mission Locale garde ces informations").check()
    page.wait_for_timeout(max(0, MIN_FILL_SECONDS - (time.monotonic() - opened)) * 1000)
    page.get_by_role("button", name="Envoyer ma demande").click()

    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "C'est envoyé, merci !"
    assert "va te rappeler" in page.locator("main").inner_text(), "ce qui se passe ensuite"
    assert not serious_violations(page)
    check_layout(page, "formulaire-merci", artifacts_dir)
    request = ContactRequest.objects.get(first_name="Inès")
    assert (request.phone, request.needs, request.consent) == ("06 00 00 00 12", ["housing"], True)
    assert request.pathway_id is not None, "la demande a ouvert un parcours"


def test_finder_leads_from_a_commune_to_its_mission_locale_on_a_phone(site, page, artifacts_dir):
    """From the home page at 375 px: "Onet-le-Château" leads to the Aveyron Mission Locale's
    section, and from there to its Onet permanence."""
    page.set_viewport_size({"width": WIDTHS["mobile"], "height": 800})
    page.goto(site.url + site.finder)
    assert page.get_by_role("heading", name="Les Missions Locales").is_visible()
    page.get_by_label("Dans quelle commune habites-tu ?").fill("Onet-le-Château")
    page.get_by_role("button", name="Trouver ma Mission Locale").click()
    page.wait_for_load_state("networkidle")
    assert page.url == site.url + site.home
    assert "Mission Locale de l'Aveyron" in page.locator("main").inner_text()
    assert not serious_violations(page)
    check_layout(page, "trouver-aveyron", artifacts_dir)
    page.set_viewport_size({"width": WIDTHS["mobile"], "height": 800})
    page.locator(f"a[href='{site.onet}']").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == site.url + site.onet
    assert page.locator("h1").inner_text() == "Permanence au CCAS d'Onet-le-Château"

    page.goto(site.url + site.finder)
    page.get_by_label("Dans quelle commune habites-tu ?").fill("Quimper")
    page.get_by_role("button", name="Trouver ma Mission Locale").click()
    page.wait_for_load_state("networkidle")
    assert "Nous n'avons pas trouvé de Mission Locale" in page.locator("main").inner_text()
    assert not serious_violations(page)
