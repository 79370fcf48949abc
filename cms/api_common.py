"""What every DRF endpoint of the project shares: one error shape, bounded pagination,
conditional GET (ETag / 304), and the OpenAPI pieces that document them.

Apps' `api.py` modules import this; it imports no app, so the arrows of DESIGN.md stay
one-way."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.http import http_date, parse_etags
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

MAX_PAGE_SIZE = 200


class BoundedPageNumberPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (at most 200): a client cannot ask for the whole table."""

    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = _("Nombre de résultats par page (200 au plus).")
    page_query_description = _("Numéro de la page, à partir de 1.")
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = _("Cette page n'existe pas.")


# --- One error shape -------------------------------------------------------------------


class MessageSerializer(serializers.Serializer):
    """A French sentence to show as is, and a stable code a program can test."""

    detail = serializers.CharField(help_text=_("Message en français, à montrer tel quel."))
    code = serializers.CharField(help_text=_("Code stable, pour les programmes."))


class ErrorSerializer(MessageSerializer):
    """The body of every refusal; `code` is the reason."""


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_(
            "Messages par champ. Les champs imbriqués sont nommés avec un point "
            "(« answers.motif ») ; « non_field_errors » regroupe les erreurs générales."
        ),
    )


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF nests errors as the data is nested; clients want one flat map field -> messages."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, messages in flatten_errors(value, name).items():
                flat.setdefault(field, []).extend(messages)
    elif isinstance(detail, list | tuple):
        if all(not isinstance(item, Mapping | list | tuple) for item in detail):
            flat[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                name = f"{prefix}.{index}" if prefix else str(index)
                for field, messages in flatten_errors(item, name).items():
                    flat.setdefault(field, []).extend(messages)
    else:
        flat[prefix or "non_field_errors"] = [str(detail)]
    return flat


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, then the project's shape: `{detail, code}` plus `errors` on a 400."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": str(_("Certaines données sont invalides.")),
            "code": "invalid",
            "errors": flatten_errors(exc.detail),
        }
        return response
    codes = exc.get_codes()
    response.data = {
        "detail": str(exc.detail) if not isinstance(exc.detail, dict) else str(exc.default_detail),
        "code": codes if isinstance(codes, str) else exc.default_code,
        **(getattr(exc, "extra", None) or {}),
    }
    if response.status_code == 400:  # e.g. a body that did not parse: same shape as above
        response.data.setdefault("errors", {})
    return response


class ProjectAPIMixin:
    """Mix into every DRF view of the project (not Wagtail's API v2, which has its own)."""

    def get_exception_handler(self):
        return api_exception_handler


class APIError(exceptions.APIException):
    """A refusal with a given status, French message, reason code and extra body fields."""

    def __init__(
        self, status_code: int, detail: str, code: str, extra: Mapping[str, Any] | None = None
    ):
        self.status_code = status_code
        super().__init__(detail=detail, code=code)
        self.extra = dict(extra or {})


# --- Documented error responses ---------------------------------------------------------

_ERROR_EXAMPLES: dict[int, tuple[str, dict]] = {
    400: (
        _("Données invalides"),
        {
            "detail": "Certaines données sont invalides.",
            "code": "invalid",
            "errors": {"start": ["Saisissez une date valide."]},
        },
    ),
    401: (
        _("Non authentifié"),
        {
            "detail": "Informations d'authentification non fournies.",
            "code": "not_authenticated",
        },
    ),
    403: (
        _("Interdit"),
        {
            "detail": "Vous n'avez pas la permission d'effectuer cette action.",
            "code": "permission_denied",
        },
    ),
    404: (_("Introuvable"), {"detail": "Pas trouvé.", "code": "not_found"}),
    412: (
        _("Version périmée"),
        {
            "detail": "Le parcours a changé depuis votre dernière lecture.",
            "code": "precondition_failed",
        },
    ),
    429: (
        _("Trop de demandes"),
        {
            "detail": "Trop de demandes depuis cette connexion. Réessayez plus tard.",
            "code": "throttled",
        },
    ),
}

_ERROR_DESCRIPTIONS = {
    400: _("Données invalides : messages par champ dans `errors`."),
    401: _("Authentification requise (jeton ou session)."),
    403: _("Action non permise pour cet utilisateur."),
    404: _("Ressource introuvable, hors de votre périmètre, ou page de résultats inexistante."),
    409: _("Conflit avec l'état actuel de la ressource."),
    412: _("L'en-tête If-Match ne correspond plus à la version actuelle."),
    429: _("Trop de demandes : réessayez après le délai indiqué par Retry-After."),
}


def error_responses(*codes: int, overrides: Mapping[int, Any] | None = None) -> dict:
    """`extend_schema(responses=...)` entries for the given error statuses."""
    responses: dict[int, Any] = {}
    for code in codes:
        if overrides and code in overrides:
            responses[code] = overrides[code]
            continue
        serializer = ValidationErrorSerializer if code == 400 else ErrorSerializer
        examples = []
        if code in _ERROR_EXAMPLES:
            name, value = _ERROR_EXAMPLES[code]
            examples.append(OpenApiExample(str(name), value=value, response_only=True))
        responses[code] = OpenApiResponse(
            serializer, description=str(_ERROR_DESCRIPTIONS[code]), examples=examples
        )
    return responses


def exclude_non_drf_endpoints(endpoints: Iterable, **kwargs) -> list:
    """The schema documents the project's DRF API only. Wagtail's API v2 has its own
    conventions (and its own documentation); its viewsets are left out of the schema."""
    return [
        endpoint
        for endpoint in endpoints
        if endpoint[0].startswith("/api/") and not endpoint[0].startswith("/api/v2/")
    ]


# --- Conditional GET --------------------------------------------------------------------


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
