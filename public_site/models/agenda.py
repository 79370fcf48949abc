"""The permanences index: an agenda of the coming weeks, filters, one calendar feed."""

from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page

from page_cache.mixins import CachedPageMixin, accept_cached_query
from public_site import selectors
from public_site.forms import AgendaFilterForm

from .calendar_feed import CalendarFeedMixin, CalendarUrlField
from .permanences import PermanencePage

# GET parameter of the agenda's later weeks ("?periode=2"). The first period has none, so
# the default view stays a plain URL.
PERIOD_PARAMETER = "periode"
# GET parameter of a period's later dates ("?periode=2&page=2"): a page holds at most
# AGENDA_PAGE_DATES dates, however many permanences a Mission Locale has.
PAGE_PARAMETER = "page"
AGENDA_PAGE_DATES = 40
# Every parameter the agenda reads: the page cache stores a response to these alone
# (settings.PAGE_CACHE_QUERY_PARAMETERS lists them too).
AGENDA_PARAMETERS = frozenset({PERIOD_PARAMETER, PAGE_PARAMETER, "commune", "service", "near"})


def _period_number(value: str | None) -> int:
    try:
        return int(value or 1)
    except ValueError:
        return 1


def _agenda_url(request: HttpRequest, period: int, page: int = 1) -> str:
    """The same agenda (filters kept) for another period or page of dates, as a plain link;
    the first of either has no parameter."""
    query = request.GET.copy()
    query.pop(PERIOD_PARAMETER, None)
    query.pop(PAGE_PARAMETER, None)
    if period > 1:
        query[PERIOD_PARAMETER] = str(period)
    if page > 1:
        query[PAGE_PARAMETER] = str(page)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


class PermanenceIndexPage(CachedPageMixin, CalendarFeedMixin, Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro"), APIField("ical_url", serializer=CalendarUrlField())]
    subpage_types = ["public_site.PermanencePage"]
    parent_page_types = ["public_site.HomePage"]

    class Meta:
        verbose_name = _("liste des permanences")
        verbose_name_plural = _("listes des permanences")

    def _filters(self, query: QueryDict) -> tuple[AgendaFilterForm, dict]:
        """The agenda's filters as chosen (invalid ones ignored): the form to show again,
        and the selector's arguments, for the page and its calendar file alike."""
        form = AgendaFilterForm(query or None)
        commune = service = None
        if form.is_bound and form.is_valid():
            commune = form.cleaned_data["commune"]
            service = form.cleaned_data["service"] or None
        return form, {"commune_id": commune.pk if commune else None, "service": service}

    @staticmethod
    def _near(form: AgendaFilterForm):
        """The commune the young person asked the nearest permanences of, if any."""
        return form.cleaned_data.get("near") if form.is_bound and form.is_valid() else None

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        form, filters = self._filters(request.GET)
        pages = selectors.agenda_permanences(**filters, within=self)
        today = timezone.localdate()
        period = selectors.agenda_period(today, _period_number(request.GET.get(PERIOD_PARAMETER)))
        entries = selectors.agenda(pages, period.start, period.end)
        last_page = max(1, -(-len(entries) // AGENDA_PAGE_DATES))
        number = min(_period_number(request.GET.get(PAGE_PARAMETER)), last_page)
        number = max(number, 1)
        shown = entries[(number - 1) * AGENDA_PAGE_DATES : number * AGENDA_PAGE_DATES]
        if self._query_is_canonical(request.GET, form, period, number):
            accept_cached_query(request)
        near = self._near(form)
        context.update(
            filter_form=form,
            filtered=any(filters.values()) or near is not None,
            near=near,
            nearest=selectors.nearest(pages, near) if near is not None else [],
            to_confirm=[page for page in pages if page.days_to_confirm],
            agenda_groups=selectors.group_agenda(shown, today),
            period=period,
            previous_period_url=_agenda_url(request, period.number - 1)
            if period.has_previous
            else "",
            next_period_url=_agenda_url(request, period.number + 1) if period.has_next else "",
            previous_dates_url=_agenda_url(request, period.number, number - 1)
            if number > 1
            else "",
            next_dates_url=_agenda_url(request, period.number, number + 1)
            if number < last_page
            else "",
            ical_path=self._filtered_ical_path(filters),
        )
        return context

    @staticmethod
    def _query_is_canonical(
        query: QueryDict, form: AgendaFilterForm, period: selectors.AgendaPeriod, page: int
    ) -> bool:
        """Whether the page cache may store this agenda under its query: only parameters of
        the agenda, each once, each value one the page used as given (a commune that has
        permanences, a known service, a period in range). The variety of entries is then
        bounded by the communes, services and periods, whatever a client types."""
        if not query:
            return True
        if not AGENDA_PARAMETERS.issuperset(query) or any(
            len(query.getlist(name)) != 1 for name in query
        ):
            return False
        if PERIOD_PARAMETER in query and query[PERIOD_PARAMETER] != str(period.number):
            return False
        if PAGE_PARAMETER in query and query[PAGE_PARAMETER] != str(page):
            return False
        return not form.is_bound or form.is_valid()

    def _filtered_ical_path(self, filters: dict) -> str:
        """ "Add to my calendar" gives what the agenda shows: the same commune and service."""
        path = self.ical_path
        query = {
            name: value
            for name, value in (("commune", filters["commune_id"]), ("service", filters["service"]))
            if value
        }
        return f"{path}?{urlencode(query)}" if path and query else path

    def calendar_pages(self, request: HttpRequest) -> list[PermanencePage]:
        _form, filters = self._filters(request.GET)
        return selectors.live_permanences(**filters, within=self)

    def calendar_name(self) -> str:
        return gettext("Permanences de la Mission Locale")

    def calendar_filename(self) -> str:
        return "permanences"
