"""Each role's day on a phone (375 px wide), in Debian's Chromium over the demo data: every
screen of ours fits the width (no horizontal scrolling) and axe-core finds no serious or
critical violation of WCAG 2.1 A/AA in its main region. What is Wagtail's is left out of
axe: its core screens on the path (the pages' explorer and the page editor) are checked for
the width only, and the icon buttons of its slim header (the listings' "Afficher les
filtres" toggle: its aria-label differs from its visually hidden text,
label-content-name-mismatch) are excluded. Each walk reports every screen that fails, not
only the first."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tests.axe import load_axe
from tests.conftest import ARTIFACTS_DIR
from tests.workflows.test_browser_lowcode import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def demo(live_server, django_db_serialized_rollback) -> str:
    """The demo data, committed so that the live server's thread sees it."""
    call_command("load_demo_data", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport=PHONE, is_mobile=True, has_touch=True
    )
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


AXE_RUN = """async () => (await axe.run(
    {include: [['main']], exclude: [['.messages'], ['.w-slim-header-action-button']]},
    {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ': ' + v.nodes.map(n => n.html).join(' | '))"""


class Walk:
    """One role's path: each screen is checked, and every failure kept for the end."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []

    def check(self, *, ours: bool = True) -> None:
        page = self.page
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            self.problems.append(f"{page.url} : {width} px de large")
        if not ours:
            return
        # A name wraps between its words, never letter by letter: no more lines than words.
        broken = page.evaluate(
            """() => [...document.querySelectorAll('main table.listing td a, main .ml-card__name')]
                .filter(a => {
                    const range = document.createRange();
                    range.selectNodeContents(a);
                    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                    return lines.size > a.innerText.trim().split(/\\s+/).length;
                })
                .map(a => a.innerText)"""
        )
        if broken:
            self.problems.append(f"{page.url} : noms coupés {broken}")
        load_axe(page)
        for violation in page.evaluate(AXE_RUN):
            self.problems.append(f"{page.url} : {violation}")

    def visit(self, url: str, *, ours: bool = True, shot: str = "") -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        self.check(ours=ours)
        if shot:
            self.page.screenshot(path=ARTIFACTS_DIR / f"{shot}-375.png", full_page=True)

    def done(self) -> None:
        assert self.problems == [], "\n".join(self.problems)


def follow(page, selector: str) -> str:
    """Opens the first link matching `selector` and returns its address."""
    href = page.locator(selector).first.get_attribute("href")
    assert href, selector
    return href


def test_a_counsellors_day(demo, phone):
    walk = Walk(phone)
    log_in(phone, demo, "conseiller.rodez", "mission-locale-demo")
    walk.check()  # the home screen
    walk.visit(f"{demo}/admin/parcours/", shot="mes-jeunes")
    walk.visit(f"{demo}/admin/parcours/?to_assign=true")
    walk.visit(demo + follow(phone, "main table tbody a[href^='/admin/parcours/']"))
    walk.visit(demo + follow(phone, ".ml-actions a"))  # a transition's form
    walk.visit(f"{demo}/admin/parcours/tableau/")
    # A pathway of his own caseload: its details' form.
    from django.contrib.auth import get_user_model

    me = get_user_model().objects.get(username="conseiller.rodez")
    walk.visit(f"{demo}/admin/parcours/?referent={me.pk}")
    pathway = follow(phone, "main table tbody a[href^='/admin/parcours/']")
    walk.visit(demo + pathway)
    corrections = phone.locator("a[href$='/coordonnees/']")
    if corrections.count():
        walk.visit(demo + corrections.first.get_attribute("href"))
    walk.done()


def test_a_mediators_day(demo, phone):
    walk = Walk(phone)
    log_in(phone, demo, "mediatrice.aveyron", "mission-locale-demo")
    walk.check()
    walk.visit(f"{demo}/admin/parcours/reperage/")
    walk.visit(f"{demo}/admin/maraudes/", shot="maraudes")
    assert "dont repérés" in phone.locator("main").inner_text()
    walk.visit(demo + follow(phone, "main table tbody a[href*='/admin/maraudes/']"))
    assert "Jeunes rencontrés" in phone.locator("main").inner_text()
    link = phone.locator("a[href$='/rattacher/']")
    if link.count():
        walk.visit(demo + link.first.get_attribute("href"))
        phone.get_by_label("Prénom ou nom du jeune").fill("an")
        phone.get_by_role("button", name="Rechercher").click()
        walk.check()
    walk.done()


def test_a_coordinators_day(demo, phone):
    walk = Walk(phone)
    log_in(phone, demo, "coordinateur.aveyron", "mission-locale-demo")
    walk.check()
    figures = follow(phone, "main a[href*='/admin/indicateurs/']")
    walk.visit(f"{demo}/admin/parcours/tableau/")
    walk.visit(f"{demo}/admin/parcours/?to_assign=true")
    walk.visit(demo + follow(phone, "main table tbody a[href^='/admin/parcours/']"))
    walk.visit(f"{demo}/admin/maraudes/")
    walk.visit(demo + figures)
    walk.done()


def test_a_communication_officers_day(demo, phone, csp_guard):
    walk = Walk(phone)
    log_in(phone, demo, "communication.aveyron", "mission-locale-demo")
    walk.check()
    # Wagtail's explorer and page editor: the width only (see the module's docstring).
    walk.visit(f"{demo}/admin/pages/", ours=False)
    from public_site.models import PermanencePage

    permanence = PermanencePage.objects.filter(url_path__contains="/aveyron/").first()
    assert permanence is not None
    walk.visit(f"{demo}/admin/pages/{permanence.pk}/edit/", ours=False)
    # Wagtail's explorer and page editor run inline scripts under the admin's report-only
    # policy: what this walk holds to is that nothing was blocked.
    csp_guard.violations[:] = csp_guard.blocked()
    walk.done()
