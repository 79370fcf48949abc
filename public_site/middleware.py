"""The "être recontacté" form without Django's CSRF token, so its page can be served from the
page cache: a same-origin post to the form's own route skips the token comparison, every
other post keeps Django's full check. The reasoning a reviewer needs is in public_site.spam."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from wagtail.models import Site

from public_site import spam
from public_site.models.contact import ContactRequestPage


def is_contact_form_post(request: HttpRequest) -> bool:
    """Whether the request posts to a live "être recontacté" page's form (not another route
    of it, not another page): Wagtail's own routing decides, as it will for the view."""
    site = Site.find_for_request(request)
    if site is None:
        return False
    components = [component for component in request.path_info.split("/") if component]
    try:
        route = site.root_page.localized.specific.route(request, components)
    except Http404:
        return False
    view = route.args[0] if route.args else None
    return isinstance(route.page, ContactRequestPage) and getattr(view, "__name__", "") == (
        ContactRequestPage.form_view.__name__
    )


class ContactFormCsrfMiddleware:
    """Placed before Django's CsrfViewMiddleware, whose own flag it sets."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and not request.path_info.startswith(("/admin/", "/api/"))
            and spam.same_origin(request)
            and is_contact_form_post(request)
        ):
            request._dont_enforce_csrf_checks = True  # noqa: SLF001  # Django's documented flag
        return self.get_response(request)
