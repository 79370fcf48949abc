"""Search across the live, public pages of a section (French full-text search on PostgreSQL)."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from public_site import sections

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


class SearchPage(Page):
    max_count_per_parent = 1
    parent_page_types = ["public_site.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("page de recherche")
        verbose_name_plural = _("pages de recherche")

    def get_context(self, request, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        results = None
        if query:
            # Within the Mission Locale's section, else within the whole site.
            organisation = sections.section_of(self)
            site = Site.find_for_request(request)
            top = organisation.home_page if organisation is not None else None
            if top is None and site is not None:
                top = site.root_page
            pages = Page.objects.live().public().not_type(SearchPage)
            if top is not None:
                pages = pages.descendant_of(top, inclusive=True)
            found = pages.specific().search(query)
            paginator = Paginator(found, RESULTS_PER_PAGE)
            try:
                results = paginator.page(request.GET.get("page", 1))
            except PageNotAnInteger:
                results = paginator.page(1)
            except EmptyPage:
                results = paginator.page(paginator.num_pages)
        context.update(search_query=query, results=results)
        return context
