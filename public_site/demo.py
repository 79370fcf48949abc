"""Demo pages for the public site, from fixtures/public_site.json (drawn from the seeds).

The default site opens on the commune finder; below it, each Mission Locale has its own
section (home, permanences, services, news, "être recontacté", search, legal pages), edited
by its own group of communication officers.

Idempotent: venues are updated by natural key; a page is created only when its slug is
missing under its parent, so an editor's later changes are never overwritten. A database
holding the single home page of earlier versions is restructured, not duplicated: that home
becomes the first organisation's section, and the pages of the others move to theirs."""

import json
from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
)

from territories.models import Antenna, Commune, Organisation
from workflows.demo import DEMO_PASSWORD

from . import schedules
from .demo_texts import ACCESSIBILITY_BODY, LEGAL_BODY
from .models import (
    ContactRequestPage,
    ExceptionKind,
    FinderPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PermanenceIndexPage,
    PermanencePage,
    PrivacyPage,
    ScheduleException,
    ScheduleRule,
    SearchPage,
    ServicePage,
    StandardPage,
    Venue,
)

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "public_site.json"
FINDER_TITLE = "Trouve ta Mission Locale"
HOME_INTRO = (
    "Tu as entre 16 et 25 ans ? La Mission Locale t'accompagne pour l'emploi, la formation, "
    "le logement, la santé et la mobilité."
)
# Shared by every communication officer: the admin, partner venues, images and documents.
EDITORS_GROUP = "Chargés de communication"
# Page permissions on one section only; "Communication – Aveyron".
SECTION_GROUP = "Communication – {short_name}"
SECTION_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
# Communication officers of the demo, by organisation slug.
DEMO_EDITORS = {
    "aveyron": ("communication.aveyron", "Camille", "Aveyron"),
    "toulouse": ("communication.toulouse", "Sacha", "Toulouse"),
}


def _child(parent: Page, model: type[Page], slug: str) -> Page | None:
    return model.objects.child_of(parent).filter(slug=slug).first()


def _publish_new(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _ensure(parent: Page, model: type[Page], slug: str, **fields) -> tuple[Page, bool]:
    existing = _child(parent, model, slug)
    if existing is not None:
        return existing, False
    return _publish_new(parent, model(slug=slug, **fields)), True


def _ensure_root() -> Page:
    root = Page.get_first_root_node()
    if root is None:
        # Transactional tests flush the tables Wagtail's migrations filled.
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def _finder() -> FinderPage:
    """The finder at the root of the default site (made once)."""
    finder = FinderPage.objects.first()
    root = _ensure_root()
    if finder is None:
        # Wagtail's first migration leaves a "Welcome" page as the default site's root.
        for page in root.get_children().exact_type(Page):
            page.delete()
        finder = _publish_new(root, FinderPage(title=FINDER_TITLE, slug="trouver"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=finder,
            is_default_site=True,
            site_name="Mission Locale",
        )
    elif site.root_page_id != finder.pk:
        site.root_page = finder
        site.save()
    return finder


def _adopt_single_home(finder: FinderPage, organisations: list[Organisation]) -> HomePage | None:
    """The home page of earlier versions (no organisation, all permanences) becomes the
    section of the first organisation without one, below the finder. Returns it, so that the
    other organisations' pages can be moved out of it; None when there is nothing to adopt."""
    old = HomePage.objects.filter(organisation__isnull=True).first()
    homeless = [org for org in organisations if not HomePage.objects.filter(organisation=org)]
    if old is None or not homeless:
        return None
    organisation = homeless[0]
    if old.get_parent().pk != finder.pk:
        old.move(finder, pos="last-child")
        old = HomePage.objects.get(pk=old.pk)
    old.organisation, old.slug, old.title = organisation, organisation.slug, organisation.name
    old.save_revision().publish()
    # Its editors had the whole site: the sections' own groups replace that permission.
    GroupPagePermission.objects.filter(group__name=EDITORS_GROUP).delete()
    return old


def _section_home(finder: FinderPage, organisation: Organisation) -> HomePage:
    home = HomePage.objects.filter(organisation=organisation).first()
    if home is not None:
        return home
    home = HomePage(
        title=organisation.name, slug=organisation.slug, organisation=organisation, intro=HOME_INTRO
    )
    return _publish_new(finder, home)


def _take(parent: Page, model: type[Page], slug: str, adopted: HomePage | None) -> Page | None:
    """A page of that slug left in the adopted home's section (it belonged to another
    organisation), moved under `parent`; None when there is none."""
    if adopted is None or adopted.pk == parent.pk or parent.is_descendant_of(adopted):
        return None
    found = model.objects.descendant_of(adopted).filter(slug=slug).first()
    if found is None:
        return None
    found.move(parent, pos="last-child")
    return model.objects.get(pk=found.pk)


def _ensure_or_take(
    parent: Page, model: type[Page], slug: str, adopted: HomePage | None, **fields
) -> tuple[Page, bool]:
    """Like _ensure, but a page left in the adopted home's section is moved, not made again."""
    existing = _child(parent, model, slug) or _take(parent, model, slug, adopted)
    if existing is not None:
        return existing, False
    return _publish_new(parent, model(slug=slug, **fields)), True


def _venues(rows: list[dict]) -> dict[str, Venue]:
    communes = {commune.insee_code: commune for commune in Commune.objects.all()}
    venues = {}
    for row in rows:
        row = dict(row)
        key = row.pop("key")
        commune = communes[row.pop("commune")]
        venues[key], _created = Venue.objects.update_or_create(
            commune=commune, name=row.pop("name"), defaults=row
        )
    return venues


def _demo_cancellation(rule: ScheduleRule, reason: str) -> ScheduleException:
    """Cancel the second date still to come, so the demo shows a cancelled date among the
    next and still a date to go to before it (a date already over today is not counted: on a
    monthly permanence, cancelling the one after it would leave nothing for six weeks)."""
    today = timezone.localdate()
    now = timezone.now()
    coming = [
        occurrence
        for occurrence in schedules.occurrences(
            rule.recurrence(exceptions=[]), today, today + timedelta(weeks=10)
        )
        if occurrence.over_at >= now
    ]
    day = coming[1].date if len(coming) > 1 else today + timedelta(weeks=2)
    return ScheduleException(kind=ExceptionKind.CANCELLED, date=day, reason=reason)


def _permanences(
    index: PermanenceIndexPage, rows: list[dict], venues: dict, adopted: HomePage | None
) -> dict:
    pages = {}
    for row in rows:
        row = dict(row)
        slug = row.pop("slug")
        existing = _child(index, PermanencePage, slug)
        if existing is None:
            existing = _take(index, PermanencePage, slug, adopted)
        if existing is not None:
            pages[slug] = existing
            continue
        organisation, antenna_name = row.pop("antenna")
        venue_key = row.pop("venue")
        rules = []
        cancellation_reason = row.pop("demo_cancellation", "")
        for rule_row in row.pop("rules"):
            end_time = rule_row["end_time"]
            rule = ScheduleRule(
                frequency=rule_row["frequency"],
                interval=rule_row.get("interval", 1),
                weekdays=rule_row["weekdays"],
                month_weeks=rule_row["month_weeks"],
                start_time=time.fromisoformat(rule_row["start_time"]),
                # Unknown when the venue announces only the start ("à partir de 14 h").
                end_time=time.fromisoformat(end_time) if end_time else None,
                start_date=date.fromisoformat(rule_row["start_date"]),
                end_date=date.fromisoformat(rule_row["end_date"]) if rule_row["end_date"] else None,
            )
            if cancellation_reason:
                rule.exceptions = [_demo_cancellation(rule, cancellation_reason)]
            rules.append(rule)
        page = PermanencePage(
            slug=slug,
            # No venue: the permanence is held at the antenna itself (territories.Antenna).
            venue=venues[venue_key] if venue_key else None,
            antenna=Antenna.objects.filter(
                organisation__name=organisation, name=antenna_name
            ).first(),
            **row,
        )
        page.schedule_rules = rules
        pages[slug] = _publish_new(index, page)
    return pages


def _shared_editors_group() -> Group:
    """What every communication officer needs whatever their section: the admin, the partner
    venues, images and documents. No page permission: those are the sections' groups'."""
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    venue_type = ContentType.objects.get_for_model(Venue)
    group.permissions.add(*Permission.objects.filter(content_type=venue_type))
    root_collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for app_label, codenames in (
        ("wagtailimages", ("add_image", "choose_image")),
        ("wagtaildocs", ("add_document", "choose_document")),
    ):
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )
    return group


def _section_group(organisation: Organisation, home: HomePage) -> Group:
    """The organisation's communication officers: add, change and publish in its section only."""
    group, _created = Group.objects.get_or_create(
        name=SECTION_GROUP.format(short_name=organisation.short_name)
    )
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for codename in SECTION_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=home,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    return group


def _demo_editor(username: str, first_name: str, last_name: str, groups: list[Group]) -> None:
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name}
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.groups.add(*groups)


def _section(
    finder: FinderPage,
    organisation: Organisation,
    data: dict,
    venues: dict,
    adopted: HomePage | None,
) -> tuple[HomePage, int]:
    """One organisation's section with its own permanences, services and news."""
    home = _section_home(finder, organisation)
    index, _created = _ensure(
        home,
        PermanenceIndexPage,
        "permanences",
        title="Les permanences près de chez toi",
        show_in_menus=True,
        intro=(
            "<p>Des conseillers de la Mission Locale viennent dans des lieux près de chez toi. "
            "Viens sans rendez-vous, sauf mention contraire.</p>"
        ),
    )
    rows = [row for row in data["permanences"] if row["antenna"][0] == organisation.name]
    permanences = _permanences(index, rows, venues, adopted)

    for row in data["services"]:
        if row["organisation"] != organisation.slug:
            continue
        row = {key: value for key, value in row.items() if key != "organisation"}
        linked = [permanences[slug] for slug in row.pop("permanences")]
        service, created = _ensure_or_take(
            home, ServicePage, row.pop("slug"), adopted, show_in_menus=True, **row
        )
        if created and linked:
            service.permanences.set(linked)
            service.save_revision().publish()

    news_index, _created = _ensure(
        home,
        NewsIndexPage,
        "actualites",
        title="Actualités",
        show_in_menus=True,
        intro="<p>Conventions signées, expériences menées et leurs résultats.</p>",
    )
    for row in data["news"]:
        if row["organisation"] != organisation.slug:
            continue
        row = {key: value for key, value in row.items() if key != "organisation"}
        row["date"] = date.fromisoformat(row["date"])
        _ensure_or_take(news_index, NewsPage, row.pop("slug"), adopted, **row)

    _ensure(
        home,
        ContactRequestPage,
        "etre-recontacte",
        title="Être recontacté",
        show_in_menus=True,
        intro=(
            "<p>Laisse-nous ton prénom et un moyen de te joindre : un conseiller ou une "
            "conseillère de la Mission Locale te recontacte. C'est gratuit.</p>"
        ),
    )
    _ensure(home, SearchPage, "recherche", title="Rechercher")
    _legal_pages(home)
    return home, len(permanences)


def _legal_pages(parent: Page) -> None:
    _ensure(
        parent,
        StandardPage,
        "accessibilite",
        title="Déclaration d'accessibilité",
        intro="<p>Accessibilité : non conforme (pas encore audité).</p>",
        body=ACCESSIBILITY_BODY,
    )
    _ensure(
        parent,
        StandardPage,
        "mentions-legales",
        title="Mentions légales et données personnelles",
        body=LEGAL_BODY,
    )
    # Its text is the page type's default, written for a 16-year-old.
    _ensure(parent, PrivacyPage, "donnees-personnelles", title="Tes données personnelles")


@transaction.atomic
def load(report: Callable[[str], None] = print) -> FinderPage:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    organisations = list(Organisation.objects.order_by("pk"))
    finder = _finder()
    adopted = _adopt_single_home(finder, organisations)
    venues = _venues(data["venues"])
    shared_group = _shared_editors_group()
    permanence_count = 0
    for organisation in organisations:
        home, count = _section(finder, organisation, data, venues, adopted)
        permanence_count += count
        group = _section_group(organisation, home)
        if organisation.slug in DEMO_EDITORS:
            _demo_editor(*DEMO_EDITORS[organisation.slug], groups=[shared_group, group])
    _legal_pages(finder)
    report(
        f"Site public : {len(organisations)} sections, {len(venues)} lieux, "
        f"{permanence_count} permanences, {len(data['services'])} services, "
        f"{len(data['news'])} actualités ; rédacteurs : "
        + ", ".join(username for username, _first, _last in DEMO_EDITORS.values())
        + f" (mot de passe « {DEMO_PASSWORD} »)."
    )
    return finder
