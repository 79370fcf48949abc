"""The address of the request being served, kept for the log's writers: the selectors and
services that write the log are called from views, the API, tasks and commands alike, and
only a view holds the request. Tasks and commands run outside any request: no address."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

from .client import client_address

_client_address: ContextVar[str | None] = ContextVar("access_log_client_address", default=None)


def current_client_address() -> str | None:
    return _client_address.get()


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


class ClientAddressMiddleware:
    """Keeps the client's address for the time of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _client_address.set(_valid_address(client_address(request)))
        try:
            return self.get_response(request)
        finally:
            _client_address.reset(token)
