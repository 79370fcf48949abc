"""The home page: next permanences, services, latest news, "être recontacté"."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page

from page_cache.mixins import CachedPageMixin, expire_cached_page_at

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
        from public_site.selectors import home_content

        context = super().get_context(request, *args, **kwargs)
        context.update(home_content(self))
        if context["next_permanences"]:
            # The list keeps only dates still to come: store it until the first one ends.
            first_end = min(entry.occurrence.end for entry in context["next_permanences"])
            expire_cached_page_at(request, first_end)
        return context
