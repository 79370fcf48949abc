"""On a phone, a young person sees the first permanence without scrolling (issue 18): the header
is one line, its menu opens from a button, without JavaScript too."""

from __future__ import annotations

from .test_browser import page, site  # noqa: F401

PHONE = {"width": 375, "height": 812}
# The card's title line at least: the young person sees where and when.
VISIBLE_PART_PX = 60
AGENDA_LINK = "Les permanences près de chez toi"


def test_the_first_permanence_is_in_the_first_screen(site, page):  # noqa: F811
    page.set_viewport_size(PHONE)
    for url in (site.url + site.home,):
        page.goto(url)
        card = page.locator("main .card-list .card").first
        top = card.bounding_box()["y"]
        assert top + VISIBLE_PART_PX <= PHONE["height"], f"{url} : première carte à {top:.0f} px"
        header = page.locator(".site-header").bounding_box()["height"]
        assert header <= 64, f"{url} : en-tête de {header:.0f} px"


def test_the_menu_opens_from_a_button_without_javascript(site, browser):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="fr-FR")
    page = context.new_page()  # noqa: F811
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(site.url + site.home)
    menu = page.locator(".menu-compact")
    assert not menu.get_by_role("link", name=AGENDA_LINK).is_visible()
    menu.get_by_text("Menu").click()
    menu.get_by_role("link", name=AGENDA_LINK).click()
    assert page.locator("h1").inner_text() == AGENDA_LINK
    # The search box comes with the menu, with its visible label.
    page.locator(".menu-compact summary").click()
    assert page.get_by_label("Chercher sur le site").first.is_visible()
    # A wide screen shows the menu inline, with no button.
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not page.locator(".menu-compact").is_visible()
    assert page.locator(".menu-wide").get_by_role("link", name=AGENDA_LINK).is_visible()
    context.close()
