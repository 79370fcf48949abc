"""Conditional requests: strong ETags, If-None-Match (304) and Last-Modified."""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils.http import http_date, parse_etags
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response


def make_etag(*parts: Any) -> str:
    """A strong ETag from the values a response is a pure function of."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()
    return f'"{digest[:32]}"'


def etag_matches(request: Request, etag: str, header: str = "HTTP_IF_NONE_MATCH") -> bool:
    value = request.META.get(header)
    if not value:
        return False
    tags = parse_etags(value)
    weak = etag.removeprefix("W/")
    return "*" in tags or etag in tags or weak in {tag.removeprefix("W/") for tag in tags}


def conditional_response(
    request: Request,
    *,
    etag: str,
    last_modified: float | None,
    max_age: int,
    build: Any,
) -> Response:
    """Answer 304 when the client already holds this representation, else build it.
    `build` is only called when needed, so a 304 costs only the queries behind the ETag."""
    if etag_matches(request, etag):
        response = Response(status=status.HTTP_304_NOT_MODIFIED)
    else:
        response = Response(build())
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response
