"""Template helpers of the public site: navigation read in one query, how to reach the
Mission Locale, French dates."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from django.utils.translation import gettext
from wagtail.models import Page, Site

from public_site import schedules, sections
from public_site.models import ContactRequestPage, PrivacyPage, SearchPage, StandardPage
from territories.models import Antenna

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


def _contact_block(heading: str, **details: str) -> dict | None:
    return {"heading": heading, **details} if any(details.values()) else None


@register.inclusion_tag("public_site/includes/organisation_contact.html")
def public_contact(page: Page, antenna: Antenna | None = None, *, fallback: bool = True) -> dict:
    """How to reach the page's Mission Locale, and the antenna when given: address, opening
    hours, phone (a tap-to-call link), e-mail, website; only what is known. When nothing is,
    and ``fallback``, the "être recontacté" page instead (1 more query)."""
    organisation = sections.section_of(page)
    if organisation is None:
        return {"blocks": []}
    blocks = [
        _contact_block(
            "" if antenna.name == organisation.name else antenna.name,
            address=antenna.address,
            phone=antenna.phone,
            email=antenna.email,
        )
        if antenna is not None and antenna.organisation_id == organisation.pk
        else None,
        _contact_block(
            gettext("Siège") if antenna is not None else "",
            address=organisation.postal_address,
            opening_hours=organisation.opening_hours,
            phone=organisation.phone,
            email=organisation.email,
            website=organisation.website,
        ),
    ]
    found = [block for block in blocks if block is not None]
    if len(found) == 1:
        found[0]["heading"] = ""
    return {
        "organisation": organisation,
        "blocks": found,
        "contact_page": section_contact_page(page) if fallback and not found else None,
    }


@register.simple_tag
def section_contact_page(page: Page) -> Page | None:
    """The "être recontacté" page of the page's Mission Locale (1 query), for the pages that
    tell a young person how to ask: "jours à confirmer"."""
    organisation = sections.section_of(page)
    if organisation is None:
        return None
    return ContactRequestPage.objects.live().descendant_of(organisation.home_page).first()


@register.filter
def without_final_stop(value) -> str:
    """A label ending in a full stop ("… pour me recontacter.") before " : message" in the
    form's error summary, which would otherwise read "recontacter. : Coche…"."""
    return str(value).rstrip(" .:")


@register.filter
def french_date(value) -> str:
    """ "mardi 3 décembre 2025"."""
    return schedules.format_date(value, weekday=True) if value else ""


@register.filter
def time_range(occurrence) -> str:
    """ "de 9 h à 12 h" for an occurrence, "à partir de 14 h" when its end is not known."""
    end = occurrence.end.time() if occurrence.end is not None else None
    return schedules.describe_time_range(occurrence.start.time(), end)
