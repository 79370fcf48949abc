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


def query_problems(request: HttpRequest) -> dict[str, list[str]]:
    """{parameter: [message]} for what no endpoint can use; empty when all is well."""
    problems: dict[str, list[str]] = {}
    for key, values in request.GET.lists():
        name = key.replace("\x00", "") or "non_field_errors"
        for value in [key, *values]:
            if "\x00" in value:
                problems[name] = [_("Ce paramètre contient un octet nul.")]
            elif _INTEGER.match(value.strip()) and abs(int(value)) > MAX_INTEGER:
                problems[name] = [_("Ce nombre est trop grand.")]
    return problems


class HostileQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_request(request):
            problems = query_problems(request)
            if problems:
                # The shape of every 400 of the API (api_common.errors): detail, code, errors.
                body = error_body(
                    _("Certains paramètres de la requête sont invalides."), "invalid_query"
                )
                return JsonResponse({**body, "errors": problems}, status=400)
        return self.get_response(request)
