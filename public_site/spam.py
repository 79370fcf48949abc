"""Holding off spam without a third-party service: a honeypot field, a signed timestamp that
tells how fast the form was filled and is good for one submission, a per-client rate limit
kept in Django's cache, and, in place of Django's CSRF token, a same-origin check.

Why no CSRF token on the form page: it is served from the page cache, the same HTML for
every visitor, and a per-visitor token would make it uncacheable (issue 20). The form is
anonymous: a forged cross-site post could at worst leave a contact request in someone's name,
which is what the checks below refuse:
- `same_origin`: the browser's Origin header must name this very site (or one of
  CSRF_TRUSTED_ORIGINS); without Origin, on HTTPS, the Referer must. A cross-site form or
  fetch carries the attacker's origin (or "null") and is refused. This is the check Django's
  own CSRF middleware makes before it compares tokens; only the token comparison is left out.
- the signed timestamp embedded at render time (`sign_now`): a post without a valid,
  unexpired one is refused with a French message, answers kept;
- single use (`claim_token`): one timestamp, one client and one phone or e-mail make one
  request (a replay with another first name is still a replay). A cached page gives its
  visitors the same timestamp, so the client and the details are part of what is claimed:
  two young people on one Mission Locale's wifi may send the same cached form, a double
  click or a replay cannot send it twice;
- the honeypot and the per-client rate limit, unchanged.
The minimum fill time counts from the page's rendering, which for a cached copy is earlier
than the visitor's arrival: the rate limit, not the clock, holds back a robot that reads
cached copies. Only the form's own route is exempted from Django's CSRF middleware
(public_site.middleware), and only for a same-origin post."""

import hashlib
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

from access_log.client import client_address

SIGNING_SALT = "public_site.contact_request.rendered_at"
# A person needs more than a few seconds to read and fill the form.
MIN_FILL_SECONDS = getattr(settings, "CONTACT_FORM_MIN_SECONDS", 3)
# An hour-old form page is still fine; a day-old one is reloaded.
MAX_FILL_SECONDS = 24 * 3600
RATE_LIMIT = getattr(settings, "CONTACT_FORM_RATE_LIMIT", 10)  # posts…
RATE_WINDOW_SECONDS = getattr(settings, "CONTACT_FORM_RATE_WINDOW", 3600)  # …per window


def sign_now() -> str:
    return signing.dumps(time.time(), salt=SIGNING_SALT, compress=False)


def seconds_since(token: str) -> float | None:
    """Seconds since the form was rendered, or None when the token was tampered with."""
    try:
        rendered_at = signing.loads(token, salt=SIGNING_SALT, max_age=MAX_FILL_SECONDS)
    except signing.BadSignature:
        return None
    return time.time() - float(rendered_at)


def _used_token_key(token: str, claimed_by: tuple[str, ...]) -> str:
    material = "\x00".join((token, *claimed_by)).encode()
    return "public_site:contact-token:" + hashlib.sha256(material).hexdigest()


def claim_token(token: str, *claimed_by: str) -> bool:
    """Marks a signed timestamp as used by `claimed_by` (the client and the contact details
    sent, see the module docstring); False when it already was (a replayed submission).
    Remembered as long as the token itself is accepted (`MAX_FILL_SECONDS`), after which
    `seconds_since` refuses it anyway. `cache.add` is atomic: of two posts of one token at
    once, one claims it. Hashed: no personal data in the cache key."""
    return cache.add(_used_token_key(token, claimed_by), 1, MAX_FILL_SECONDS)


def same_origin(request: HttpRequest) -> bool:
    """Whether a post comes from a page of this site (see the module docstring)."""
    try:
        own = f"{request.scheme}://{request.get_host()}"
    except Exception:  # DisallowedHost: Django refuses the request anyway
        return False
    trusted = {own, *getattr(settings, "CSRF_TRUSTED_ORIGINS", ())}
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        return origin in trusted
    if not request.is_secure():
        return True  # plain HTTP (development): as Django, no Referer check there
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    return f"{referer.scheme}://{referer.netloc}" in trusted and referer.scheme == "https"


def _client_key(request: HttpRequest) -> str:
    return "public_site:contact-rate:" + (client_address(request) or "unknown")


def client_is_over_limit(request: HttpRequest) -> bool:
    return cache.get(_client_key(request), 0) >= RATE_LIMIT


def record_attempt(request: HttpRequest) -> None:
    key = _client_key(request)
    if cache.add(key, 1, RATE_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, RATE_WINDOW_SECONDS)
