"""The address of the request being served, kept for the log's writers: the selectors and
services that write the log are called from views, the API, tasks and commands alike, and
only a view holds the request. Tasks and commands run outside any request: no address.

Also what the request has already logged: a screen or endpoint that reads the same record
twice (the API's transition reads the pathway before and after it) writes it once."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from contextvars import ContextVar
from typing import TypeVar

from django.http import HttpRequest, HttpResponse

from .client import client_address

K = TypeVar("K", bound=Hashable)

_client_address: ContextVar[str | None] = ContextVar("access_log_client_address", default=None)
_recorded: ContextVar[set[Hashable] | None] = ContextVar("access_log_recorded", default=None)


def current_client_address() -> str | None:
    return _client_address.get()


def not_yet_recorded(keys: Iterable[K]) -> list[K]:
    """The keys this request has not recorded yet, now marked as recorded (all of them,
    once each, outside a request)."""
    recorded = _recorded.get()
    fresh = list(dict.fromkeys(keys))
    if recorded is None:
        return fresh
    fresh = [key for key in fresh if key not in recorded]
    recorded.update(fresh)
    return fresh


class ClientAddressMiddleware:
    """Keeps the client's address, and what the request logged, for the time of the
    request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _client_address.set(client_address(request))
        recorded = _recorded.set(set())
        try:
            return self.get_response(request)
        finally:
            _recorded.reset(recorded)
            _client_address.reset(token)
