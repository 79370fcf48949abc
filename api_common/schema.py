"""OpenAPI pieces shared by every endpoint: documented error responses, and which
endpoints the schema covers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse

from api_common.errors import ErrorSerializer, ValidationErrorSerializer

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


# A database key: a whole number from 1, within a signed 64-bit column.
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
WRITE_METHODS = ("post", "put", "patch")
RETRY_AFTER = {
    "Retry-After": {
        "description": str(_("Secondes à attendre avant de réessayer.")),
        "schema": {"type": "integer", "minimum": 1},
    }
}


def _error_response(description: str, detail: str, code: str) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "examples": {code: {"value": {"detail": detail, "code": code}}},
            }
        },
    }


def document_what_every_endpoint_does(result: dict, generator, request, public) -> dict:
    """What the project's plumbing does for every endpoint, written once into each
    operation: a query string it cannot use is a 400 (`api_common.middleware`); an `id` in
    the path is a key from 1; a write whose body is too large is a 413 and one in another
    format a 415 (`api_common.parsers`); a 429 says how long to wait in `Retry-After`."""
    too_large = _error_response(
        str(
            _("Corps de la requête trop grand (64 Ko sans authentification), refusé avant lecture.")
        ),
        "Le corps de la requête dépasse 64 Ko.",
        "too_large",
    )
    unsupported = _error_response(
        str(_("Format du corps non pris en charge : envoyez du JSON (application/json).")),
        "Type de média « text/plain » non pris en charge dans cette requête.",
        "unsupported_media_type",
    )
    invalid_query = {
        "description": str(
            _(
                "Paramètres de la requête invalides (octet nul, nombre de plus de 64 bits, "
                "valeur hors du type annoncé) : messages par paramètre dans `errors`."
            )
        ),
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/ValidationError"},
                "examples": {
                    "invalid_query": {
                        "value": {
                            "detail": "Certains paramètres de la requête sont invalides.",
                            "code": "invalid_query",
                            "errors": {"organisation": ["Ce paramètre contient un octet nul."]},
                        }
                    }
                },
            }
        },
    }
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            # `api_common.middleware` refuses these at the door of every endpoint.
            if any(item["in"] == "query" for item in operation.get("parameters", [])):
                operation.setdefault("responses", {}).setdefault("400", invalid_query)
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "id":
                    parameter["schema"] = dict(ID_SCHEMA)
            responses = operation.setdefault("responses", {})
            if method in WRITE_METHODS:
                responses.setdefault("413", too_large)
                responses.setdefault("415", unsupported)
            if "429" in responses:
                responses["429"].setdefault("headers", {}).update(RETRY_AFTER)
    return result
