"""JSON bodies as every DRF endpoint accepts them: bounded in size before they are read,
in depth while they are parsed, and free of characters no column can hold (NUL, lone
surrogates), so that hostile input is a French 400 or 413, never a 500 deeper down."""

from __future__ import annotations

import codecs
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.utils import json

from api_common.errors import APIError

# A young person's form nests two levels; a workflow answer three. Far above, far below
# what makes the parser recurse into a crash.
MAX_DEPTH = 20


def body_limit(request: Request | None) -> int:
    """Anonymous clients (the "être recontacté" endpoint) may send a small body only; staff
    and partner tokens up to Django's upload limit.

    Never asks DRF's `request.user` while authentication may be under way: a session's CSRF
    check reads the body, the body's limit would ask who is there, which runs the session's
    CSRF check again (a recursion, and a 500, found by schemathesis). The user DRF already
    authenticated, else the session's (Django's middleware), tells."""
    if request is None:
        return settings.API_ANONYMOUS_MAX_BODY_BYTES
    user = request.__dict__.get("_user")
    if user is None:
        user = getattr(getattr(request, "_request", None), "user", None)
    if user is not None and user.is_authenticated:
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return settings.API_ANONYMOUS_MAX_BODY_BYTES


def too_large(limit: int) -> APIError:
    return APIError(
        status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        _("Le corps de la requête dépasse %(size)s Ko.") % {"size": limit // 1024},
        "too_large",
    )


def forbidden_character(value: str) -> bool:
    """NUL, or a lone surrogate (half of a character, which UTF-8 cannot store)."""
    return "\x00" in value or any("\ud800" <= char <= "\udfff" for char in value)


def check_value(value: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ParseError(_("Le JSON est trop imbriqué."), code="too_deep")
    if isinstance(value, str):
        if forbidden_character(value):
            raise ParseError(
                _(
                    "Le texte envoyé contient un caractère interdit (octet nul ou caractère "
                    "incomplet)."
                ),
                code="forbidden_character",
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            check_value(key, depth + 1)
            check_value(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            check_value(item, depth + 1)


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        parser_context = parser_context or {}
        request = parser_context.get("request")
        limit = body_limit(request)
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise too_large(limit)  # refused before a byte is read
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise too_large(limit)
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(raw, encoding)
            data = json.loads(text)  # NaN and Infinity refused, as DRF does
        except RecursionError:
            raise ParseError(_("Le JSON est trop imbriqué."), code="too_deep") from None
        except (ValueError, LookupError):
            raise ParseError(_("Le corps de la requête n'est pas du JSON valide.")) from None
        check_value(data)
        return data
