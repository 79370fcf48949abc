"""Full-page cache for anonymous visitors, looked up at the WSGI layer before any middleware.

Why here and not in Django's cache middleware: a Wagtail page rendered through the whole
middleware stack ran at 0.04 × a bare "ok" view; Django's cache middleware reached 0.43 ×,
a lookup in front of Django 0.89 ×, and with a per-worker memory copy 1.06 ×
(docs/architecture.md, "Page cache").

How it stays correct:
- Only anonymous GET/HEAD requests without an Authorization header and without a cookie that
  changes the page (session, CSRF, messages, language) are served from or stored into the
  cache. A query string is allowed only if it names the parameters the site itself links to
  (`PAGE_CACHE_QUERY_PARAMETERS`: the agenda's period and filters), each once, with a short
  plain value; they are sorted into the key, so "?b=1&a=2" and "?a=2&b=1" share an entry. Any
  other query string (tracking tags, a search) bypasses the cache. A response to a query is
  stored only if the page accepted every value (`accept_cached_query`), so made-up values
  cannot fill the cache. Other cookies (analytics…) are ignored, so `Vary: Cookie`
  does not split the cache.
- A response is stored only if a page opted in (`CachedPageMixin`), the status is 200, it
  sets no cookie (a rendered CSRF token sets one) and it does not contain the Wagtail userbar.
- Entries are keyed by a *generation* kept in the shared cache backend (Redis in production,
  so every gunicorn worker sees it). Publishing, unpublishing, moving or deleting a page and
  saving any snippet bump it on commit (`page_cache.signals`), which makes every entry
  unreachable at once; so does `migrate`, which every deploy runs. Each worker keeps a small
  memory copy in front of the backend and re-checks the generation (one small read) on every
  request.
- Pages show "next dates", so every entry also expires at the next midnight, Europe/Paris.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http.cookie import parse_cookie

from page_cache.generation import cache_backend, current_generation, next_date_boundary
from page_cache.mixins import ENVIRON_EXPIRES_AT, ENVIRON_OPT_IN, ENVIRON_QUERY_ACCEPTED

logger = logging.getLogger(__name__)

ENTRY_KEY_PREFIX = "page-cache:entry"
STATUS_HEADER = "X-Page-Cache"
USERBAR_MARKER = b"data-wagtail-userbar"
# Cookies that change what a page shows. Others (analytics…) must not defeat the cache.
MESSAGES_COOKIE_NAME = "messages"  # django.contrib.messages' CookieStorage, not a setting
MAX_BODY_BYTES = 1_000_000
# A value the site links to is a number or a short slug; anything longer is not ours.
MAX_QUERY_VALUE_LENGTH = 40
QUERY_VALUE_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-")

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


@dataclass(frozen=True)
class Entry:
    generation: int
    expires_at: float
    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


class PageCache:
    """WSGI wrapper around Django's application; see the module docstring."""

    def __init__(self, app: WSGIApp, local_entries: int | None = None):
        self.app = app
        self.local_entries = local_entries or getattr(settings, "PAGE_CACHE_LOCAL_ENTRIES", 256)
        # key -> Entry, or key -> generation for "this worker found nothing to store here".
        self._local: OrderedDict[str, Entry | int] = OrderedDict()
        self._lock = threading.Lock()
        self._private_cookies = {
            settings.SESSION_COOKIE_NAME,
            settings.CSRF_COOKIE_NAME,
            settings.LANGUAGE_COOKIE_NAME,
            MESSAGES_COOKIE_NAME,
        }

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not settings.PAGE_CACHE_ENABLED or not self._is_cacheable_request(environ):
            return self.app(environ, start_response)
        query = self._normalised_query(environ.get("QUERY_STRING", ""))
        if query is None:
            return self.app(environ, start_response)
        key = self._key(environ, query)
        try:
            generation = current_generation()
            entry = self._lookup(key, generation)
        except Exception:  # the cache backend is down: serve without it
            logger.exception("Cache de pages indisponible")
            return self.app(environ, start_response)
        if entry is not None:
            start_response(entry.status, [*entry.headers, (STATUS_HEADER, "hit")])
            return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]
        return self._render(environ, start_response, key, generation)

    def _is_cacheable_request(self, environ: dict) -> bool:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return False
        if environ.get("HTTP_AUTHORIZATION"):
            return False
        raw_cookies = environ.get("HTTP_COOKIE")
        # Django's own parser: the one that will find the session. The standard library's
        # gives up on the whole header when any one cookie is malformed.
        return not (raw_cookies and self._private_cookies.intersection(parse_cookie(raw_cookies)))

    def _normalised_query(self, raw: str) -> str | None:
        """The query string as part of the key ("" without one), or None to bypass the cache:
        an unknown or repeated parameter, or a value that is not a short slug or number."""
        if not raw:
            return ""
        allowed = getattr(settings, "PAGE_CACHE_QUERY_PARAMETERS", ())
        pairs: dict[str, str] = {}
        for item in raw.split("&"):
            name, _sep, value = item.partition("=")
            if (
                name not in allowed
                or name in pairs
                or len(value) > MAX_QUERY_VALUE_LENGTH
                or not QUERY_VALUE_CHARACTERS.issuperset(value)
            ):
                return None
            pairs[name] = value
        return "&".join(f"{name}={pairs[name]}" for name in sorted(pairs))

    def _key(self, environ: dict, query: str) -> str:
        scheme = environ.get("wsgi.url_scheme", "http")
        proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        if proxy_header and environ.get(proxy_header[0]) == proxy_header[1]:
            scheme = "https"
        host = (environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")).lower()
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "/")
        url = f"{scheme}://{host}{path}?{query}"
        return hashlib.blake2b(url.encode(), digest_size=16).hexdigest()

    def _lookup(self, key: str, generation: int) -> Entry | None:
        now = time.time()
        with self._lock:
            local = self._local.get(key)
        if isinstance(local, Entry) and local.generation == generation and local.expires_at > now:
            return local
        if local == generation:  # this worker already rendered it: nothing storable there
            return None
        entry = cache_backend().get(f"{ENTRY_KEY_PREFIX}:{generation}:{key}")
        if entry is None or entry.expires_at <= now:
            return None
        self._remember(key, entry)
        return entry

    def _remember(self, key: str, value: Entry | int) -> None:
        with self._lock:
            self._local[key] = value
            self._local.move_to_end(key)
            while len(self._local) > self.local_entries:
                self._local.popitem(last=False)

    def _render(self, environ, start_response, key: str, generation: int) -> Iterable[bytes]:
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers, exc_info=exc_info)
            return lambda data: None  # the legacy write() callable, unused by Django

        result = self.app(environ, capture)
        status, headers = captured["status"], captured["headers"]
        if not self._is_storable(environ, status, headers) or (
            environ.get("QUERY_STRING") and environ.get(ENVIRON_QUERY_ACCEPTED) is not True
        ):
            self._remember(key, generation)
            start_response(status, [*headers, (STATUS_HEADER, "miss")], captured["exc_info"])
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        expires_at = min(next_date_boundary(), environ.get(ENVIRON_EXPIRES_AT, float("inf")))
        if len(body) <= MAX_BODY_BYTES and USERBAR_MARKER not in body and expires_at > time.time():
            self._store(key, Entry(generation, expires_at, status, tuple(headers), body))
        else:
            self._remember(key, generation)
        start_response(status, [*headers, (STATUS_HEADER, "miss")])
        return [body]

    def _is_storable(self, environ: dict, status: str, headers: list[tuple[str, str]]) -> bool:
        """Wagtail marks a page behind a view restriction `private`: never shared."""
        cache_control = ",".join(
            value.lower() for name, value in headers if name.lower() == "cache-control"
        )
        return (
            environ.get(ENVIRON_OPT_IN) is True
            and environ["REQUEST_METHOD"] == "GET"
            and status.startswith("200 ")
            and not any(name.lower() == "set-cookie" for name, _ in headers)
            and "private" not in cache_control
            and "no-store" not in cache_control
        )

    def _store(self, key: str, entry: Entry) -> None:
        timeout = max(1, int(entry.expires_at - time.time()))
        try:
            cache_backend().set(f"{ENTRY_KEY_PREFIX}:{entry.generation}:{key}", entry, timeout)
        except Exception:
            logger.exception("Cache de pages indisponible")
            return
        self._remember(key, entry)
