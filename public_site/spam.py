"""Holding off spam without a third-party service: a honeypot field, a signed timestamp that
tells how fast the form was filled and is good for one submission, and a per-client rate
limit kept in Django's cache."""

import hashlib
import time

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


def _used_token_key(token: str) -> str:
    return "public_site:contact-token:" + hashlib.sha256(token.encode()).hexdigest()


def claim_token(token: str) -> bool:
    """Marks a signed timestamp as used; False when it already was (a replayed submission).
    Remembered as long as the token itself is accepted (`MAX_FILL_SECONDS`), after which
    `seconds_since` refuses it anyway. `cache.add` is atomic: of two posts of one token at
    once, one claims it."""
    return cache.add(_used_token_key(token), 1, MAX_FILL_SECONDS)


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
