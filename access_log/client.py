"""Where a request comes from, read the same way by the rate limits, the login lockout
(django-axes) and the access log."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The visitor's address, or None when it is not a valid IP address (a request built in
    code, as `force_login` does; a proxy's garbled header): the lockout and the log store it
    in IP-address columns, which PostgreSQL checks. Behind N reverse proxies of our own
    (TRUSTED_PROXY_COUNT), it is the Nth address from the right of X-Forwarded-For, the one
    our outermost proxy saw; anything further left was written by the client and could be
    chosen by a bot. Without proxies, REMOTE_ADDR alone."""
    proxies = settings.TRUSTED_PROXY_COUNT
    address = request.META.get("REMOTE_ADDR", "")
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
