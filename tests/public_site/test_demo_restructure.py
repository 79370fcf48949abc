"""load_demo_data over a database that holds the single home page of earlier versions: the
pages are moved into one section per organisation, never made twice; and a second run
changes nothing."""

import io
import json
from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page, Site

from public_site import demo
from public_site.models import (
    ContactRequestPage,
    FinderPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PermanenceIndexPage,
    PermanencePage,
    ServicePage,
)
from public_site.sections import section_of
from territories import demo as territories_demo

pytestmark = pytest.mark.django_db


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            FinderPage,
            HomePage,
            PermanenceIndexPage,
            PermanencePage,
            ServicePage,
            NewsIndexPage,
            NewsPage,
            ContactRequestPage,
            Page,
        )
    }


def build_single_home_demo() -> HomePage:
    """Today's demo before organisations had pages: one home, every permanence below it."""
    data = json.loads(demo.FIXTURE.read_text(encoding="utf-8"))
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Mission Locale", slug="accueil"))
    Site.objects.filter(is_default_site=True).update(root_page=home)
    index = home.add_child(instance=PermanenceIndexPage(title="Permanences", slug="permanences"))
    demo._permanences(index, data["permanences"], demo._venues(data["venues"]), None)
    for row in data["services"]:
        fields = {k: v for k, v in row.items() if k not in ("organisation", "permanences")}
        home.add_child(instance=ServicePage(**fields))
    news_index = home.add_child(instance=NewsIndexPage(title="Actualités", slug="actualites"))
    for row in data["news"]:
        fields = {k: v for k, v in row.items() if k != "organisation"}
        fields["date"] = date.fromisoformat(fields["date"])
        news_index.add_child(instance=NewsPage(**fields))
    home.add_child(instance=ContactRequestPage(title="Être recontacté", slug="etre-recontacte"))
    group = Group.objects.create(name=demo.EDITORS_GROUP)
    GroupPagePermission.objects.create(
        group=group,
        page=home,
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="change_page"
        ),
    )
    return home


def test_the_single_home_demo_is_restructured_not_duplicated():
    territories_demo.load(report=io.StringIO().write)
    old_home = build_single_home_demo()
    before = counts()

    demo.load(report=io.StringIO().write)
    after = counts()
    demo.load(report=io.StringIO().write)
    assert counts() == after, "a second run changes nothing"

    assert after["FinderPage"] == 1 and after["HomePage"] == 5
    assert not HomePage.objects.filter(organisation__isnull=True).exists()
    # The fixture's pages were moved, not made again.
    for name in ("PermanencePage", "ServicePage", "NewsPage"):
        assert after[name] == before[name], name
    # The old home is now the first organisation's section, below the finder.
    adopted = HomePage.objects.get(pk=old_home.pk)
    assert adopted.get_parent().specific_class is FinderPage
    assert adopted.url == f"/{adopted.organisation.slug}/"
    assert Site.objects.get(is_default_site=True).root_page.specific_class is FinderPage
    # Every permanence sits in the section of its antenna's organisation.
    for page in PermanencePage.objects.select_related("antenna"):
        assert section_of(page).pk == page.antenna.organisation_id, page.slug
        assert page.get_parent().specific_class is PermanenceIndexPage
    for page in NewsPage.objects.all():
        assert section_of(page) is not None
    # The editors of the single home no longer edit a whole section by that grant.
    assert not GroupPagePermission.objects.filter(group__name=demo.EDITORS_GROUP).exists()


def test_a_fresh_load_is_idempotent():
    territories_demo.load(report=io.StringIO().write)
    demo.load(report=io.StringIO().write)
    first = counts()
    demo.load(report=io.StringIO().write)
    assert counts() == first
    assert first["HomePage"] == 5 and first["PermanencePage"] == 6
