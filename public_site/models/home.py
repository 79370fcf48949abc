"""The home page: next permanences, services, latest news, "être recontacté"."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page

from page_cache.mixins import CachedPageMixin, expire_cached_page_at
from public_site import selectors

from .agenda import PermanenceIndexPage
from .contact import ContactRequestPage
from .news import NewsPage
from .services import ServicePage

HOME_NEXT_PERMANENCES = 5
HOME_LATEST_NEWS = 3


class HomePage(CachedPageMixin, Page):
    """The site's root page."""

    intro = models.CharField(_("accroche"), max_length=255, blank=True)
    body = RichTextField(_("texte"), blank=True)
    call_to_action = models.CharField(
        _("texte de l'appel « être recontacté »"),
        max_length=255,
        blank=True,
        default="Laisse ton prénom et ton numéro : un conseiller te rappelle.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("call_to_action"),
        FieldPanel("body"),
    ]
    api_fields = [APIField("intro"), APIField("body"), APIField("call_to_action")]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(self.listed_content())
        if context["next_permanences"]:
            # The list keeps only dates still to come: store it until the first one ends.
            first_end = min(entry.occurrence.end for entry in context["next_permanences"])
            expire_cached_page_at(request, first_end)
        return context

    def listed_content(self) -> dict:
        """Everything the home page lists, in a fixed number of queries."""
        restricted = selectors.restricted_paths()
        return {
            "next_permanences": selectors.next_entries(HOME_NEXT_PERMANENCES, restricted),
            "services": list(
                selectors.public_only(ServicePage.objects.live(), restricted).order_by("path")
            ),
            "latest_news": list(
                selectors.public_only(NewsPage.objects.live(), restricted).order_by("-date", "-pk")[
                    :HOME_LATEST_NEWS
                ]
            ),
            "contact_page": selectors.public_only(
                ContactRequestPage.objects.live(), restricted
            ).first(),
            "permanence_index": selectors.public_only(
                PermanenceIndexPage.objects.live(), restricted
            ).first(),
        }
