"""News: conventions signed, experiments and their results."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from page_cache.mixins import CachedPageMixin

NEWS_PER_PAGE = 10


class NewsIndexPage(CachedPageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    subpage_types = ["public_site.NewsPage"]
    parent_page_types = ["public_site.HomePage"]

    class Meta:
        verbose_name = _("liste des actualités")
        verbose_name_plural = _("listes des actualités")

    def get_context(self, request, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        articles = NewsPage.objects.live().public().child_of(self).order_by("-date", "-pk")
        paginator = Paginator(articles, NEWS_PER_PAGE)
        try:
            articles_page = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            articles_page = paginator.page(1)
        except EmptyPage:
            articles_page = paginator.page(paginator.num_pages)
        context["articles"] = articles_page
        return context


class NewsPage(CachedPageMixin, Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.CharField(_("chapô"), max_length=300, blank=True)
    body = RichTextField(_("texte"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("L'article ou le document d'origine, s'il y en a un."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("source"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    api_fields = [APIField("date"), APIField("intro"), APIField("body"), APIField("source")]
    parent_page_types = ["public_site.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")
