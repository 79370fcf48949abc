"""Which Mission Locale a page belongs to: the organisation of its section.

Each organisation has its own section of the page tree, whose top is a home page tied to it
(`HomePage.organisation`, reverse name `home_page`). A page finds its organisation from the
paths of its ancestors in one query, remembered on the page. Only territories' models are
read here, never the page modules that call these reads (docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Iterable

from wagtail.models import Page

from territories.models import Organisation

SECTION_CACHE_ATTRIBUTE = "_section_organisation"
_MISSING = object()


def ancestor_paths(page: Page) -> list[str]:
    """Tree paths of the page and of every page above it (treebeard's fixed-width steps)."""
    step = page.steplen
    return [page.path[:end] for end in range(step, len(page.path) + 1, step)]


def section_of(page: Page) -> Organisation | None:
    """The organisation whose section holds `page` (the page itself may be the section's
    home), with its home page loaded; None outside every section (the finder). One query,
    then remembered on the page."""
    cached = getattr(page, SECTION_CACHE_ATTRIBUTE, _MISSING)
    if cached is not _MISSING:
        return cached  # type: ignore[return-value]
    organisation = None
    if page.path:
        organisation = (
            Organisation.objects.select_related("home_page")
            .filter(home_page__path__in=ancestor_paths(page))
            .first()
        )
    setattr(page, SECTION_CACHE_ATTRIBUTE, organisation)
    return organisation


def home_of(organisation: Organisation) -> Page | None:
    """The home page of the organisation's section, or None when it has none (1 query)."""
    return Page.objects.filter(homepage__organisation=organisation).first()


def organisations_with_section() -> list[Organisation]:
    """Every organisation whose section's home is live, home loaded, by short name ("Aveyron",
    "Clermont…": the full names mostly start alike) (1 query)."""
    return list(
        Organisation.objects.filter(home_page__live=True)
        .select_related("home_page")
        .order_by("short_name")
    )


def organisation_by_path(pages: Iterable[Page]) -> dict[int, Organisation]:
    """For many pages at once (the agenda API), each page's organisation by page id, from one
    query over the sections however many pages and organisations there are."""
    homes = {
        organisation.home_page.path: organisation
        for organisation in Organisation.objects.filter(home_page__isnull=False).select_related(
            "home_page"
        )
    }
    found = {}
    for page in pages:
        for path in ancestor_paths(page):
            if path in homes:
                found[page.pk] = homes[path]
                break
    return found
