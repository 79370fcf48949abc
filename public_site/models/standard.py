"""Plain pages: accessibility statement, legal notice and personal data, and the like."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from page_cache.mixins import CachedPageMixin


class StandardPage(CachedPageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True)
    body = RichTextField(_("texte"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]

    class Meta:
        verbose_name = _("page simple")
        verbose_name_plural = _("pages simples")
