"""Refuses, at the door of the API, query strings no endpoint can use: a NUL byte (which
PostgreSQL and SQLite refuse deep in a query) or a number too large for any column. Every
endpoint is covered, Wagtail's pages API included, with the API's JSON shape in French."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from api_common.errors import error_body, is_api_request

# Integers of a query parameter must fit a signed 64-bit column.
MAX_INTEGER = 2**63 - 1
_INTEGER = re.compile(r"^[+-]?\d+$")


def query_problem(request: HttpRequest) -> str | None:
    for key, values in request.GET.lists():
        for value in [key, *values]:
            if "\x00" in value:
                return _("Un paramètre de la requête contient un octet nul.")
            if _INTEGER.match(value.strip()) and abs(int(value)) > MAX_INTEGER:
                return _("Le paramètre « %(name)s » est un nombre trop grand.") % {"name": key}
    return None


class HostileQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_request(request):
            problem = query_problem(request)
            if problem is not None:
                return JsonResponse(error_body(problem, "invalid_query"), status=400)
        return self.get_response(request)
