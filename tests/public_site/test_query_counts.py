"""The public pages run the same number of SQL queries with 5 permanences as with 200, and
with 5 Missions Locales as with 50.

A list that reads one row per permanence (an N+1) would pass with the demo's handful and
collapse on a real agenda. The page cache is off: these count what rendering costs."""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.permanences import add_permanences
from public_site.models import FinderPage, HomePage, PermanenceIndexPage, PermanencePage, Venue
from territories.models import Commune, CommuneCoverage, Organisation

ONET_SLUG = "ccas-onet-le-chateau"


def normalised(sql: str) -> str:
    """The query's shape, without the values, so that repeats of one query group together."""
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    return re.sub(r"IN \([?, ]+\)", "IN (…)", sql)


def queries_for(client, url: str) -> list[str]:
    client.get(url)  # the first visit fills per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


def explain_growth(url: str, few: list[str], many: list[str]) -> str:
    few_shapes, many_shapes = Counter(map(normalised, few)), Counter(map(normalised, many))
    grown = {sql: n - few_shapes[sql] for sql, n in many_shapes.items() if n > few_shapes[sql]}
    lines = [f"{url}: {len(few)} requêtes avec 5 permanences, {len(many)} avec 200."]
    lines += [f"  +{extra} × {sql}" for sql, extra in sorted(grown.items(), key=lambda i: -i[1])]
    return "\n".join(lines)


@pytest.fixture
def five_permanences(public_demo, settings):
    """The demo's permanences, trimmed to five (the Onet CCAS one is kept)."""
    settings.PAGE_CACHE_ENABLED = False
    live = PermanencePage.objects.live().exclude(slug=ONET_SLUG).order_by("path")
    for page in live[: max(0, PermanencePage.objects.live().count() - 5)]:
        page.delete()
    assert PermanencePage.objects.live().count() == 5
    return PermanenceIndexPage.objects.get(url_path__endswith="/aveyron/permanences/")


def test_public_pages_run_a_fixed_number_of_queries(client, five_permanences, settings):
    index = five_permanences
    # Search and reference indexing of the new pages is not what this test counts: queue it
    # without running it, which halves the time it takes to add 195 pages.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    onet = PermanencePage.objects.get(slug=ONET_SLUG)
    urls = [
        "/",  # the finder
        "/?commune=zzz",  # the finder, nothing found
        "/aveyron/",
        onet.url,
        index.url,
        f"{index.url}?service=employment",
        f"{index.url}?periode=2",  # the following weeks of the agenda
    ]
    few = {url: queries_for(client, url) for url in urls}

    add_permanences(index, 195, list(Venue.objects.all()))
    assert PermanencePage.objects.live().count() == 200
    many = {url: queries_for(client, url) for url in urls}

    growth = [
        explain_growth(url, few[url], many[url]) for url in urls if len(few[url]) != len(many[url])
    ]
    assert not growth, "\n".join(growth)


def add_organisations(count: int) -> None:
    """`count` more Missions Locales, each covering a commune, with a section below the
    finder: a home page with a permanence index."""
    finder = FinderPage.objects.get()
    for number in range(count):
        organisation = Organisation.objects.create(
            name=f"Mission Locale test {number}",
            short_name=f"Test {number}",
            slug=f"test-{number}",
            phone="05 00 00 00 00",
        )
        commune = Commune.objects.create(
            name=f"Commune test {number}", insee_code=f"99{number:03d}", postcodes="99000"
        )
        CommuneCoverage.objects.create(organisation=organisation, commune=commune)
        home = finder.add_child(
            instance=HomePage(
                title=organisation.name, slug=organisation.slug, organisation=organisation
            )
        )
        home.add_child(instance=PermanenceIndexPage(title="Permanences", slug="permanences"))


def test_public_pages_cost_the_same_with_5_and_with_50_organisations(client, public_demo, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    onet = PermanencePage.objects.get(slug=ONET_SLUG)
    urls = [
        "/",
        "/?commune=zzz",
        "/aveyron/",
        "/aveyron/permanences/",
        "/aveyron/etre-recontacte/",
        "/aveyron/actualites/",
        onet.url,
    ]
    assert Organisation.objects.count() == 5
    few = {url: queries_for(client, url) for url in urls}
    add_organisations(45)
    assert HomePage.objects.count() == 50
    many = {url: queries_for(client, url) for url in urls}
    growth = [
        explain_growth(url, few[url], many[url]) for url in urls if len(few[url]) != len(many[url])
    ]
    assert not growth, "\n".join(growth)
