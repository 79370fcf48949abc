"""What a page class uses to opt in to the page cache, and to shorten its entry's life.

Both only mark the WSGI environ (Django's `request.META` is that very dict); the WSGI layer
(`page_cache.wsgi`) reads the marks back when it decides whether to store the response."""

from __future__ import annotations

from datetime import datetime

ENVIRON_OPT_IN = "page_cache.allowed"
ENVIRON_EXPIRES_AT = "page_cache.expires_at"
ENVIRON_QUERY_ACCEPTED = "page_cache.query_accepted"


class CachedPageMixin:
    """Put first in a Wagtail page class's bases to let its anonymous responses be cached.

    Only pages that render the same HTML for every anonymous visitor may opt in: never a page
    with a form (its CSRF token is personal). Opting in only marks the request; the WSGI layer
    still refuses anything but a 200 that sets no cookie."""

    def serve(self, request, *args, **kwargs):
        # Django's WSGIRequest.META is the WSGI environ itself, which the cache layer reads back.
        request.META[ENVIRON_OPT_IN] = True
        return super().serve(request, *args, **kwargs)


def expire_cached_page_at(request, moment: datetime) -> None:
    """Let a page that drops items during the day ("still to come today") be stored only
    until `moment`, sooner than the next midnight. The earliest call wins."""
    expires_at = moment.timestamp()
    current = request.META.get(ENVIRON_EXPIRES_AT)
    if current is None or expires_at < current:
        request.META[ENVIRON_EXPIRES_AT] = expires_at


def accept_cached_query(request) -> None:
    """Say that this response, rendered for a query string, may be stored under it: the page
    found every parameter its own and valid (an agenda's "?periode=2&service=housing"). The
    WSGI layer already refused any query with a parameter outside
    `settings.PAGE_CACHE_QUERY_PARAMETERS`; this check, with the page's own knowledge of the
    values (does the commune exist?), keeps what the cache holds bounded: a made-up value is
    rendered but never stored."""
    request.META[ENVIRON_QUERY_ACCEPTED] = True
