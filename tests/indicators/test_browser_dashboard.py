"""The "Indicateurs" dashboard in a real browser at 375 px: under the admin's
Content-Security-Policy (the `browser` fixture fails on any violation), no sideways scroll,
the charts drawn, and no WCAG A/AA violation found by axe in the page's main region."""

from __future__ import annotations

import pytest

from tests.workflows.factories import (
    default_elements,
    make_places,
    make_user,
    new_pathway,
    publish_definition_from,
)
from tests.workflows.test_browser_lowcode import assert_accessible, log_in
from workflows import demo as workflows_demo
from workflows.policies import DIRECTION


@pytest.mark.browser
def test_direction_reads_the_dashboard_on_a_phone(
    transactional_db, live_server, browser, artifacts_dir
):
    groups = workflows_demo.ensure_groups()  # the roles, with access to the admin
    places = make_places()
    coordinator = make_user("coord", "Coordinateurs", organisation=places["aveyron"])
    direction = make_user("direction", DIRECTION, organisation=places["aveyron"])
    direction.user_permissions.add(*groups["Coordinateurs"].permissions.filter(
        codename="access_admin"
    ))  # fmt: skip
    publish_definition_from(default_elements(), organisation=places["aveyron"])
    for name in ("Alix", "Bao", "Chloé"):
        new_pathway(actor=coordinator, antenna=places["antenna"], first_name=name)
    context = browser.new_context(
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, live_server.url, direction.username, "x")
        page.goto(f"{live_server.url}/admin/indicateurs/")
        assert page.locator("svg.ml-chart").count() == 4
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        right_edges = page.locator(
            ".ml-figures select, .ml-figures input, .ml-figures svg, .ml-figures__scroll"
        ).evaluate_all("elements => elements.map(e => e.getBoundingClientRect().right)")
        assert max(right_edges) <= 375  # every field, chart and table wrapper fits
        page.screenshot(path=artifacts_dir / "indicateurs-mobile.png", full_page=True)
        assert_accessible(page)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=artifacts_dir / "indicateurs-desktop.png", full_page=True)
        page.emulate_media(media="print")
        page.screenshot(path=artifacts_dir / "indicateurs-print.png", full_page=True)
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 375, "height": 812})
        page.get_by_label("Période", exact=True).select_option("custom")
        page.get_by_label("Du", exact=True).fill("2026-03-31")
        page.get_by_label("Au", exact=True).fill("2026-03-01")
        page.get_by_role("button", name="Afficher", exact=True).click()
        page.get_by_text("La fin de la période précède son début.").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
