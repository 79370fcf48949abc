"""A young person of Onet-le-Château asks to be contacted on the Aveyron site; the Rodez
antenna's counsellor finds the request in "Mes jeunes" → "À attribuer" and on his home
screen, on a phone, and takes it ("Je m'en occupe"). Debian's Chromium, demo data."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command

from public_site.models import ContactRequestPage
from tests.workflows.test_browser_lowcode import assert_accessible, log_in

pytestmark = pytest.mark.browser

MIN_FILL_SECONDS = 3.5  # the form refuses quicker submissions as robots' (public_site.spam)
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def form_url(live_server, django_db_serialized_rollback) -> str:
    """The demo data, committed so that the live server's thread sees it; the form's
    address read before any browsing (on SQLite the server shares the test's connection)."""
    call_command("load_demo_data", stdout=io.StringIO())
    return ContactRequestPage.objects.get(url_path__endswith="/aveyron/etre-recontacte/").url


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} : {width} px de large"


def test_a_request_from_onet_reaches_the_rodez_counsellor(
    live_server, form_url, browser, artifacts_dir
):
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport=PHONE, is_mobile=True, has_touch=True
    )
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        opened = time.monotonic()
        page.goto(live_server.url + form_url)
        page.get_by_label("Ton prénom").fill("Maëlys")
        page.get_by_label("Ton numéro de téléphone").fill("06 00 00 00 77")
        page.get_by_label("Ta commune").select_option(label="Onet-le-Château")
        page.get_by_label("Emploi").check()
        page.get_by_label("J'accepte que la Mission Locale garde ces informations").check()
        page.wait_for_timeout(max(0, MIN_FILL_SECONDS - (time.monotonic() - opened)) * 1000)
        page.get_by_role("button", name="Envoyer ma demande").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").inner_text() == "C'est envoyé, merci !"

        log_in(page, live_server.url, "conseiller.rodez", "mission-locale-demo")
        # The home screen: the request is the first thing to do.
        panel = page.locator("#requests-to-take-section")
        # The demo's own waiting request (Kenza) and the one just sent.
        assert "2 demandes attendent un référent." in panel.inner_text()
        assert "Maëlys" in panel.inner_text()
        fits_the_phone(page)
        assert_accessible(page)
        page.screenshot(path=artifacts_dir / "accueil-conseiller-mobile.png", full_page=True)

        # "Mes jeunes" → "À attribuer".
        page.goto(f"{live_server.url}/admin/parcours/?to_assign=true")
        listing = page.locator("main").inner_text()
        assert "Maëlys" in listing and "À attribuer" in listing
        page.screenshot(path=artifacts_dir / "a-attribuer-mobile.png", full_page=True)

        page.get_by_role("link", name="Maëlys").first.click()
        page.wait_for_load_state("networkidle")
        assert "Cette demande attend un référent." in page.locator("main").inner_text()
        page.get_by_role("button", name="Je m'en occupe").click()
        page.wait_for_load_state("networkidle")
        main = page.locator("main").inner_text()
        assert "Vous êtes maintenant le référent de ce parcours." in page.content()
        assert "Pris en charge par" in main
        fits_the_phone(page)

        page.goto(f"{live_server.url}/admin/")
        panel = page.locator("#requests-to-take-section").inner_text()
        assert "1 demande attend un référent." in panel and "Maëlys" not in panel
    finally:
        context.close()


@pytest.mark.parametrize(
    ("username", "panel"),
    [
        ("mediatrice.aveyron", "#field-section"),
        ("coordinateur.aveyron", "#coordination-section"),
        ("conseiller.rodez", "#reminders-due-section"),
        ("communication.aveyron", "#editors-section"),
    ],
)
def test_each_roles_home_screen_fits_a_phone(
    live_server, form_url, browser, artifacts_dir, username, panel
):
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport=PHONE, is_mobile=True, has_touch=True
    )
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, live_server.url, username, "mission-locale-demo")
        assert page.locator(panel).is_visible()
        fits_the_phone(page)
        assert_accessible(page)
        page.screenshot(path=artifacts_dir / f"accueil-{username}-mobile.png", full_page=True)
    finally:
        context.close()
