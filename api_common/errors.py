"""One error shape for every DRF endpoint: `{detail, code}`, plus `errors` on a 400.

Views mix in `ProjectAPIMixin` (which also keeps their responses out of caches, see
`api_common.privacy`); a refusal with its own status and body fields is an
`APIError`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from api_common.privacy import PrivateResponseMixin


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


class ProjectAPIMixin(PrivateResponseMixin):
    """Mix into every DRF view of the project (not Wagtail's API v2, which has its own): the
    error shape, and responses kept by no cache unless the view is public
    (`api_common.privacy`)."""

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


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(settings.API_URL_PREFIX)


def error_body(detail: str, code: str) -> dict[str, str]:
    return {"detail": detail, "code": code}


@csrf_exempt  # it changes nothing; a POST to an unknown address is a 404, not a CSRF page
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """The API's last route: an unknown address gets JSON, not the site's HTML 404 page."""
    return JsonResponse(
        error_body(str(_("Cette adresse n'existe pas dans l'API.")), "not_found"), status=404
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's `handler500`: an API client gets the API's JSON shape, without internals;
    a person gets the site's page."""
    if is_api_request(request):
        return JsonResponse(
            error_body(
                str(_("Une erreur interne est survenue. Réessayez plus tard.")), "server_error"
            ),
            status=500,
        )
    return defaults.server_error(request)
