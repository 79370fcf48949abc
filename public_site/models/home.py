"""The home page of a Mission Locale's section: its name and public contact, its next
permanences, services, latest news, "être recontacté". One per organisation."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page

from page_cache.mixins import CachedPageMixin, expire_cached_page_at
from public_site import selectors
from territories.models import Organisation

from .agenda import PermanenceIndexPage
from .contact import ContactRequestPage
from .news import NewsPage
from .services import ServicePage

HOME_NEXT_PERMANENCES = 5
HOME_LATEST_NEWS = 3


class OrganisationField(serializers.Field):
    """The organisation as the pages API shows it: who they are and how to reach them, each
    contact field empty when unknown."""

    def to_representation(self, organisation: Organisation | None) -> dict | None:
        if organisation is None:
            return None
        return {
            "slug": organisation.slug,
            "name": organisation.name,
            "short_name": organisation.short_name,
            "postal_address": organisation.postal_address,
            "phone": organisation.phone,
            "email": organisation.email,
            "website": organisation.website,
            "opening_hours": organisation.opening_hours,
        }


class HomePage(CachedPageMixin, Page):
    """The top of a Mission Locale's section (or, on an install with one organisation and no
    finder, the site's root page). Everything it lists is taken from its own section."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("Mission Locale"),
        related_name="home_page",
        on_delete=models.PROTECT,
        # Empty only for a home made before organisations existed (load_demo_data ties it).
        null=True,
        blank=True,
        help_text=_("La Mission Locale dont cette page est l'accueil."),
    )

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
        # Which organisation a section belongs to is the administrators' choice alone.
        FieldPanel("organisation", permission="superuser"),
        FieldPanel("intro"),
        FieldPanel("call_to_action"),
        FieldPanel("body"),
    ]
    api_fields = [
        APIField("organisation", serializer=OrganisationField()),
        APIField("intro"),
        APIField("body"),
        APIField("call_to_action"),
    ]
    parent_page_types = ["wagtailcore.Page", "public_site.FinderPage"]

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(self.listed_content())
        if context["next_permanences"]:
            # The list keeps only dates still to come: store it until the first one ends.
            first_end = min(entry.occurrence.over_at for entry in context["next_permanences"])
            expire_cached_page_at(request, first_end)
        return context

    def listed_content(self) -> dict:
        """Everything the home page lists, from its own section only, in a fixed number of
        queries however many organisations share the install."""
        restricted = selectors.restricted_paths()

        def in_section(model: type[Page]):
            return selectors.public_only(model.objects.live().descendant_of(self), restricted)

        return {
            "next_permanences": selectors.next_entries(
                HOME_NEXT_PERMANENCES, restricted, within=self
            ),
            "services": list(in_section(ServicePage).order_by("path")),
            "latest_news": list(in_section(NewsPage).order_by("-date", "-pk")[:HOME_LATEST_NEWS]),
            "contact_page": in_section(ContactRequestPage).first(),
            "permanence_index": in_section(PermanenceIndexPage).first(),
        }
