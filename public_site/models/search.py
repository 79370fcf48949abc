"""Search across the live, public pages (French full-text search on PostgreSQL)."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


class SearchPage(Page):
    max_count = 1
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
            site = Site.find_for_request(request)
            pages = Page.objects.live().public().not_type(SearchPage)
            if site is not None:
                pages = pages.descendant_of(site.root_page, inclusive=True)
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
