"""The permanences index: an agenda of the coming weeks, filters, one calendar feed."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms.page_cache import CachedPageMixin

from .permanences import ICS_FILENAME


class PermanenceIndexPage(CachedPageMixin, RoutablePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro"), APIField("ical_url")]
    subpage_types = ["public_site.PermanencePage"]
    parent_page_types = ["public_site.HomePage"]

    class Meta:
        verbose_name = _("liste des permanences")
        verbose_name_plural = _("listes des permanences")

    @property
    def ical_url(self) -> str:
        url = self.get_full_url()
        return f"{url}{ICS_FILENAME}" if url else ""

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from public_site.forms import AgendaFilterForm
        from public_site.selectors import AGENDA_WEEKS, agenda, group_agenda, live_permanences

        context = super().get_context(request, *args, **kwargs)
        form = AgendaFilterForm(request.GET or None)
        commune = service = None
        if form.is_bound and form.is_valid():
            commune = form.cleaned_data["commune"]
            service = form.cleaned_data["service"] or None
        pages = live_permanences(
            commune_id=commune.pk if commune else None, service=service, within=self
        )
        today = timezone.localdate()
        entries = agenda(pages, today, today + timedelta(weeks=AGENDA_WEEKS))
        context.update(
            filter_form=form,
            filtered=bool(commune or service),
            permanences=pages,
            agenda_groups=group_agenda(entries, today),
            agenda_weeks=AGENDA_WEEKS,
            ical_path=(self.url or "") + ICS_FILENAME,
        )
        return context

    @path("calendrier/", name="ical")
    def ical(self, request: HttpRequest) -> HttpResponse:
        from public_site.selectors import ics_response, live_permanences

        return ics_response(
            live_permanences(within=self),
            request,
            calendar_name=str(_("Permanences de la Mission Locale")),
            filename="permanences",
        )
