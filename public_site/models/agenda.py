"""The permanences index: an agenda of the coming weeks, filters, one calendar feed."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page

from page_cache.mixins import CachedPageMixin
from public_site import selectors
from public_site.forms import AgendaFilterForm

from .calendar_feed import CalendarFeedMixin
from .permanences import PermanencePage

# GET parameter of the agenda's later weeks ("?periode=2"). The first period has none, so
# the default view stays a plain URL that the page cache stores.
PERIOD_PARAMETER = "periode"


def _period_number(value: str | None) -> int:
    try:
        return int(value or 1)
    except ValueError:
        return 1


def _period_url(request: HttpRequest, number: int) -> str:
    """The same agenda (filters kept) for another period, as a plain link."""
    query = request.GET.copy()
    query.pop(PERIOD_PARAMETER, None)
    if number > 1:
        query[PERIOD_PARAMETER] = str(number)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


class PermanenceIndexPage(CachedPageMixin, CalendarFeedMixin, Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro"), APIField("ical_url")]
    subpage_types = ["public_site.PermanencePage"]
    parent_page_types = ["public_site.HomePage"]

    class Meta:
        verbose_name = _("liste des permanences")
        verbose_name_plural = _("listes des permanences")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        form = AgendaFilterForm(request.GET or None)
        commune = service = None
        if form.is_bound and form.is_valid():
            commune = form.cleaned_data["commune"]
            service = form.cleaned_data["service"] or None
        pages = selectors.agenda_permanences(
            commune_id=commune.pk if commune else None, service=service, within=self
        )
        today = timezone.localdate()
        period = selectors.agenda_period(today, _period_number(request.GET.get(PERIOD_PARAMETER)))
        entries = selectors.agenda(pages, period.start, period.end)
        context.update(
            filter_form=form,
            filtered=bool(commune or service),
            agenda_groups=selectors.group_agenda(entries, today),
            period=period,
            previous_period_url=_period_url(request, period.number - 1)
            if period.has_previous
            else "",
            next_period_url=_period_url(request, period.number + 1) if period.has_next else "",
            ical_path=self.ical_path,
        )
        return context

    def calendar_pages(self) -> list[PermanencePage]:
        return selectors.live_permanences(within=self)

    def calendar_name(self) -> str:
        return gettext("Permanences de la Mission Locale")

    def calendar_filename(self) -> str:
        return "permanences"
