"""The finder at the root of the default site: a young person types their commune and is
sent to the section of the Mission Locale that covers it; the Missions Locales are listed
beside the form. A plain GET form: it works without JavaScript, and the browser suggests
the covered communes from a <datalist>."""

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page

from page_cache.mixins import CachedPageMixin
from public_site import finder, sections

# The GET parameter of the form: "/?commune=Rodez".
COMMUNE_PARAMETER = "commune"


class FinderPage(CachedPageMixin, Page):
    """Top of the default site; each Mission Locale's section sits below it."""

    intro = models.CharField(
        _("accroche"),
        max_length=255,
        blank=True,
        default="Tu as entre 16 et 25 ans ? Trouve la Mission Locale près de chez toi.",
    )
    body = RichTextField(_("texte"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    api_fields = [APIField("intro"), APIField("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "public_site.HomePage",
        "public_site.StandardPage",
        "public_site.PrivacyPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("page « trouver ma Mission Locale »")
        verbose_name_plural = _("pages « trouver ma Mission Locale »")

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        query = request.GET.get(COMMUNE_PARAMETER, "").strip()
        if query:
            homes = {org.pk: org.home_page for org in sections.organisations_with_section()}
            matches = finder.find_covered(query, finder.covered_communes())
            reachable = {match.organisation.pk for match in matches} & set(homes)
            if len(reachable) == 1:
                return redirect(homes[reachable.pop()].get_url(request))
        return super().serve(request, *args, **kwargs)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get(COMMUNE_PARAMETER, "").strip()[: finder.MAX_QUERY_LENGTH]
        organisations = sections.organisations_with_section()
        covered = finder.covered_communes()
        matches = finder.find_covered(query, covered) if query else []
        homes = {organisation.pk: organisation.home_page for organisation in organisations}
        context.update(
            query=query,
            organisations=organisations,
            suggestions=covered,
            # Several Missions Locales match (twin names, a shared postcode): let them choose.
            choices=[
                (match, homes[match.organisation.pk])
                for match in matches
                if match.organisation.pk in homes
            ],
            not_found=bool(query) and not matches,
        )
        return context
