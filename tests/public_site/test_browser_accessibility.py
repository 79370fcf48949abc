"""Every public page of the demo, at 320 px and at 1280 px: no accessibility violation that
axe-core finds, whatever its impact, and no horizontal scrolling (issue 18)."""

from __future__ import annotations

from wagtail.models import Page

from tests.axe import load_axe

from .test_browser import page, site  # noqa: F401

WIDTHS = (320, 1280)


def public_urls() -> list[str]:
    """Read before browsing (see `site`): every live page anyone may read, and a search."""
    pages = Page.objects.live().public().filter(depth__gt=1).specific()
    urls = sorted({public.url for public in pages if public.url})
    search = next(url for url in urls if url.endswith("/recherche/"))
    return [*urls, f"{search}?q=emploi"]


def violations(page) -> list[dict]:  # noqa: F811
    load_axe(page)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def test_every_public_page_is_accessible_at_320_and_1280_px(site, page):  # noqa: F811
    urls = public_urls()
    assert len(urls) >= 15
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            response = page.goto(site.url + url)
            assert response.status == 200, url
            problems = violations(page)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                problems.append({"id": "reflow", "scroll_width": scroll_width})
            if problems:
                found[f"{url} à {width} px"] = problems
    assert not found, found
