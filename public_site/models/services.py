"""Service pages: the médiateur jeunesse and the Mission Locale's other services."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from page_cache.mixins import CachedPageMixin
from public_site import selectors

from .permanences import PLACE_RELATIONS, PermanencePage, attach_rules


class LinkedPagesField(serializers.Field):
    def to_representation(self, pages) -> list[dict]:
        return [{"id": page.pk, "title": page.title} for page in pages.all()]


class ServicePage(CachedPageMixin, Page):
    """What the service is, who it is for, where it goes, how to reach it."""

    intro = models.CharField(_("en une phrase"), max_length=255, blank=True)
    what = RichTextField(_("c'est quoi ?"), blank=True)
    audience = RichTextField(_("pour qui ?"), blank=True)
    where = RichTextField(_("où ?"), blank=True)
    how_to_reach = RichTextField(_("comment le joindre ?"), blank=True)
    body = RichTextField(_("pour aller plus loin"), blank=True)
    permanences = ParentalManyToManyField(
        "public_site.PermanencePage",
        verbose_name=_("permanences liées"),
        blank=True,
        related_name="service_pages",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("what"),
                FieldPanel("audience"),
                FieldPanel("where"),
                FieldPanel("how_to_reach"),
            ],
            heading=_("Le service"),
        ),
        FieldPanel("permanences"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("what"),
        index.SearchField("audience"),
        index.SearchField("where"),
        index.SearchField("body"),
    ]
    api_fields = [
        APIField("intro"),
        APIField("what"),
        APIField("audience"),
        APIField("where"),
        APIField("how_to_reach"),
        APIField("body"),
        APIField("permanences", serializer=LinkedPagesField()),
    ]
    parent_page_types = ["public_site.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("page service")
        verbose_name_plural = _("pages service")

    def get_context(self, request, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        # In preview the relation is held in memory (modelcluster): read ids, not a queryset.
        ids = [page.pk for page in self.permanences.all()]
        pages = list(
            selectors.public_only(PermanencePage.objects.filter(pk__in=ids).live())
            .select_related(*PLACE_RELATIONS)
            .order_by("title")
        )
        attach_rules(pages)
        context["linked_permanences"] = pages
        return context
