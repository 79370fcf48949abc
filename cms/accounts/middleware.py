"""Holds a session that has a password but not yet its second factor to the enrolment or
verification page. Runs after django-otp's OTPMiddleware, which says whether the session
is verified."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve, reverse

from .second_factor import has_confirmed_device, is_verified, requires_second_factor

# What a session without its second factor may still open in the admin.
OPEN_URL_NAMES = frozenset(
    {
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
        "second_factor_enrol",
        "second_factor_verify",
    }
)


def _url_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


class SecondFactorMiddleware:
    """In the admin, an unverified member of a workflow role is sent to enrol (no device yet)
    or to give a code. Everywhere else (API, documents, public pages) such a session counts as
    anonymous: a password alone opens nothing. API tokens are read later by DRF, not from the
    session, and are not affected."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if requires_second_factor(user) and not is_verified(user):
            if not request.path.startswith(reverse("wagtailadmin_home")):
                request.user = AnonymousUser()
            elif _url_name(request) not in OPEN_URL_NAMES:
                target = (
                    "second_factor_verify" if has_confirmed_device(user) else "second_factor_enrol"
                )
                return redirect_to_login(request.get_full_path(), login_url=reverse(target))
        return self.get_response(request)
