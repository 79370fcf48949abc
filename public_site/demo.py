"""Demo pages for the public site. Idempotent: pages are found by slug before being made."""

from collections.abc import Callable

from django.db import transaction
from wagtail.models import Page, Site

from .models import HomePage

HOME_TITLE = "Mission Locale : votre avenir, on en parle ?"


@transaction.atomic
def load(report: Callable[[str], None] = print) -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
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
    report(f"Site public : page d'accueil « {home.title} ».")
    return home
