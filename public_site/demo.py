"""Demo pages for the public site, from fixtures/public_site.json (drawn from the seeds).

Idempotent: venues are updated by natural key; a page is created only when its slug is
missing under its parent, so an editor's later changes are never overwritten."""

import json
from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path

from django.conf import settings
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

from territories.models import Antenna, Commune

from . import schedules
from .models import (
    ContactRequestPage,
    ExceptionKind,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PermanenceIndexPage,
    PermanencePage,
    ScheduleException,
    ScheduleRule,
    SearchPage,
    ServicePage,
    StandardPage,
    Venue,
)

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "public_site.json"
HOME_TITLE = "Mission Locale : votre avenir, on en parle ?"
EDITORS_GROUP = "Chargés de communication"

ACCESSIBILITY_BODY = (
    "<h2>État de conformité</h2>"
    "<p>Ce site vise la conformité au référentiel général d'amélioration de l'accessibilité "
    "(RGAA 4.1) et aux règles WCAG 2.1 de niveau AA. Il n'a pas encore fait l'objet d'un "
    "audit externe : il est donc, à ce jour, non conforme au sens de la loi, faute d'audit.</p>"
    "<h2>Ce que nous faisons</h2>"
    "<ul><li>Chaque page se lit sans JavaScript, sur un écran de 320 pixels de large.</li>"
    "<li>Un lien d'évitement mène directement au contenu ; le focus du clavier est visible.</li>"
    "<li>Les contrastes de couleur respectent le niveau AA ; chaque champ de formulaire a "
    "son étiquette.</li>"
    "<li>Les pages sont vérifiées automatiquement avec axe-core à chaque modification.</li></ul>"
    "<h2>Nous signaler un problème</h2>"
    "<p>Si tu n'arrives pas à lire une page ou à utiliser le formulaire, dis-le-nous avec le "
    "formulaire « Être recontacté » : nous te donnerons l'information autrement.</p>"
    "<h2>Voies de recours</h2>"
    "<p>Si tu n'obtiens pas de réponse, tu peux écrire au Défenseur des droits "
    "(defenseurdesdroits.fr).</p>"
)
LEGAL_BODY = (
    "<h2>Éditeur du site</h2>"
    "<p>La Mission Locale, association loi 1901 chargée d'une mission de service public "
    "auprès des jeunes de 16 à 25 ans.</p>"
    "<h2>Données personnelles</h2>"
    "<p>Le formulaire « Être recontacté » recueille ton prénom, un moyen de te joindre, ta "
    "commune et tes besoins, avec ton accord. Ces informations servent uniquement à te "
    "recontacter et à t'accompagner. Elles sont gardées au plus 2 ans après ton dernier "
    "contact avec la Mission Locale, puis effacées.</p>"
    "<p>Tu peux demander à voir, corriger ou effacer tes données, ou t'opposer à leur "
    "utilisation, en écrivant à la Mission Locale. Tu peux aussi saisir la CNIL (cnil.fr).</p>"
    "<h2>Cookies</h2>"
    "<p>Ce site ne dépose aucun cookie de mesure d'audience ni de publicité. Un cookie "
    "technique protège le formulaire contre les envois frauduleux.</p>"
)


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


def _home() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        if root is None:
            # Transactional tests flush the tables Wagtail's migrations filled.
            Locale.objects.get_or_create(
                language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
            )
            root = Page.add_root(instance=Page(title="Root", slug="root"))
        # Wagtail's first migration leaves a "Welcome" page as the default site's root.
        for page in root.get_children().exact_type(Page):
            page.delete()
        home = root.add_child(
            instance=HomePage(
                title=HOME_TITLE,
                slug="accueil",
                intro=(
                    "Tu as entre 16 et 25 ans ? La Mission Locale t'accompagne pour l'emploi, "
                    "la formation, le logement, la santé et la mobilité."
                ),
            )
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Mission Locale",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return home


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
    """Cancel the second coming date, so the demo shows a cancelled date among the next."""
    today = timezone.localdate()
    coming = schedules.occurrences(
        rule.recurrence(exceptions=[]), today, today + timedelta(weeks=10)
    )
    day = coming[1].date if len(coming) > 1 else today + timedelta(weeks=2)
    return ScheduleException(kind=ExceptionKind.CANCELLED, date=day, reason=reason)


def _permanences(index: PermanenceIndexPage, rows: list[dict], venues: dict) -> dict:
    pages = {}
    for row in rows:
        row = dict(row)
        slug = row.pop("slug")
        existing = _child(index, PermanencePage, slug)
        if existing is not None:
            pages[slug] = existing
            continue
        organisation, antenna_name = row.pop("antenna")
        venue_key = row.pop("venue")
        rules = []
        cancellation_reason = row.pop("demo_cancellation", "")
        for rule_row in row.pop("rules"):
            rule = ScheduleRule(
                frequency=rule_row["frequency"],
                weekday=rule_row["weekday"],
                month_weeks=rule_row["month_weeks"],
                start_time=time.fromisoformat(rule_row["start_time"]),
                end_time=time.fromisoformat(rule_row["end_time"]),
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


def _editors_group(home: HomePage) -> Group:
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    venue_type = ContentType.objects.get_for_model(Venue)
    group.permissions.add(*Permission.objects.filter(content_type=venue_type))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=home,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
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


@transaction.atomic
def load(report: Callable[[str], None] = print) -> HomePage:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    home = _home()
    venues = _venues(data["venues"])

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
    permanences = _permanences(index, data["permanences"], venues)

    for row in data["services"]:
        row = dict(row)
        linked = [permanences[slug] for slug in row.pop("permanences")]
        service, created = _ensure(home, ServicePage, row.pop("slug"), show_in_menus=True, **row)
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
        row = dict(row)
        row["date"] = date.fromisoformat(row["date"])
        _ensure(news_index, NewsPage, row.pop("slug"), **row)

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
    _ensure(
        home,
        StandardPage,
        "accessibilite",
        title="Déclaration d'accessibilité",
        intro="<p>Accessibilité : non conforme (pas encore audité).</p>",
        body=ACCESSIBILITY_BODY,
    )
    _ensure(
        home,
        StandardPage,
        "mentions-legales",
        title="Mentions légales et données personnelles",
        body=LEGAL_BODY,
    )
    _editors_group(home)
    report(
        f"Site public : {len(venues)} lieux, {len(permanences)} permanences, "
        f"{len(data['services'])} services, {len(data['news'])} actualités, "
        f"groupe « {EDITORS_GROUP} »."
    )
    return home
