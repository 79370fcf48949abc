"""The session's limits: at most SESSION_COOKIE_AGE from login (8 hours), however active the
person is, and at most SESSION_IDLE_TIMEOUT (30 minutes) between two requests. Django alone
pushes the expiry back each time the session is saved, so both clocks are kept in the session
and checked here."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

LOGGED_IN_AT = "_logged_in_at"
LAST_SEEN_AT = "_last_seen_at"
# The last request's time is written at most once a minute: not one session write per request.
LAST_SEEN_RESOLUTION_SECONDS = 60


def start_session_clocks(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: both clocks start at login."""
    now = timezone.now().timestamp()
    request.session[LOGGED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def session_expired(request: HttpRequest, now: float) -> bool:
    """A session from before these clocks (no login time) counts from now."""
    logged_in_at = request.session.setdefault(LOGGED_IN_AT, now)
    last_seen_at = request.session.setdefault(LAST_SEEN_AT, now)
    return (
        now - logged_in_at > settings.SESSION_COOKIE_AGE
        or now - last_seen_at > settings.SESSION_IDLE_TIMEOUT
    )


class SessionLimitsMiddleware:
    """Logs out an expired session. In the admin the person lands on the login page with a
    French message; elsewhere (public pages, API) the request goes on as anonymous."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            if session_expired(request, now):
                logout(request)
                messages.info(
                    request, _("Votre session a expiré. Reconnectez-vous pour continuer.")
                )
                if request.path.startswith(reverse("wagtailadmin_home")):
                    return redirect_to_login(
                        request.get_full_path(), login_url=reverse("wagtailadmin_login")
                    )
            elif now - request.session[LAST_SEEN_AT] >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_AT] = now
        return self.get_response(request)
