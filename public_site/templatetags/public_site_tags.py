"""Template helpers of the public site: navigation read in one query, French dates."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from wagtail.models import Page, Site

from public_site import schedules, sections
from public_site.models import ContactRequestPage, PrivacyPage, SearchPage, StandardPage

register = template.Library()


@register.simple_tag(takes_context=True)
def site_navigation(context) -> dict:
    """Header and footer links: the live children of the top of the current page's section
    (its Mission Locale's home), else of the site's root, read in one query.

    Pages with "show in menus" go to the header; plain pages (legal notice, accessibility),
    "Tes données personnelles" and the search page go to the footer. Also used by the 404
    page."""
    request: HttpRequest | None = context.get("request")
    empty = {"home_url": "/", "menu": [], "footer": [], "search_url": "", "brand": ""}
    if request is None:
        return empty
    cached = getattr(request, "_public_site_navigation", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request)
    navigation = dict(empty)
    page = context.get("page")
    organisation = sections.section_of(page) if isinstance(page, Page) else None
    if organisation is not None:
        navigation["brand"] = organisation.name
    if site is not None:
        footer_types = {
            ContentType.objects.get_for_model(StandardPage).pk,
            ContentType.objects.get_for_model(PrivacyPage).pk,
            ContentType.objects.get_for_model(SearchPage).pk,
        }
        search_type = ContentType.objects.get_for_model(SearchPage).pk
        root: Page = organisation.home_page if organisation is not None else site.root_page
        navigation["home_url"] = root.get_url(request) or "/"
        current = request.path
        for child in root.get_children().live().public().order_by("path"):
            url = child.get_url(request)
            link = {"title": child.title, "url": url, "current": current.startswith(url or "-")}
            if child.content_type_id == search_type:
                navigation["search_url"] = url
            if child.content_type_id in footer_types:
                navigation["footer"].append(link)
            elif child.show_in_menus:
                navigation["menu"].append(link)
    request._public_site_navigation = navigation
    return navigation


@register.simple_tag
def section_contact_page(page: Page) -> Page | None:
    """The "être recontacté" page of the page's Mission Locale (1 query), for the pages that
    tell a young person how to ask: "jours à confirmer"."""
    organisation = sections.section_of(page)
    if organisation is None:
        return None
    return ContactRequestPage.objects.live().descendant_of(organisation.home_page).first()


@register.filter
def french_date(value) -> str:
    """ "mardi 3 décembre 2025"."""
    return schedules.format_date(value, weekday=True) if value else ""


@register.filter
def time_range(occurrence) -> str:
    """ "de 9 h à 12 h" for an occurrence, "à partir de 14 h" when its end is not known."""
    end = occurrence.end.time() if occurrence.end is not None else None
    return schedules.describe_time_range(occurrence.start.time(), end)
