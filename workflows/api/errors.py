"""Refusals as HTTP answers: the services' typed refusals mapped to status codes (same
message, same reason code as in the admin), the bodies of conflicts, and the pathway's
version as ETag / If-Match."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.request import Request

from api_common.errors import APIError, ErrorSerializer, flatten_errors

from ..models import Pathway
from ..services import errors as service_errors
from ..specs import SpecCache


class ConflictSerializer(ErrorSerializer):
    # The body of a 409 or 412: the error, and where the pathway stands now.

    current_stage = serializers.DictField(
        required=False, help_text=_("L'étape où se trouve le parcours maintenant (code, libellé).")
    )
    version = serializers.IntegerField(
        required=False, help_text=_("La version actuelle du parcours.")
    )
    messages = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_("Les conditions non remplies, une phrase chacune."),
    )


def pathway_etag(pathway: Pathway) -> str:
    return f'"pathway-{pathway.pk}-v{pathway.version}"'


# A version is a 32-bit counter on every database; nine digits always fit.
MAX_VERSION_DIGITS = 9


def expected_version(request: Request, pathway: Pathway) -> int | None:
    """If-Match as the pathway's ETag or as a bare version number; None when absent."""
    header = request.META.get("HTTP_IF_MATCH", "").strip()
    if not header:
        return None
    if header == "*":
        return pathway.version
    prefix = f"pathway-{pathway.pk}-v"
    for tag in (part.strip() for part in header.split(",")):
        value = tag.removeprefix("W/").strip('"').removeprefix(prefix)
        if _is_version(value):
            return int(value)
    return -1  # present but unreadable: treat as stale rather than ignore it


def _is_version(value: str) -> bool:
    """ASCII digits that fit the version column: "²" or a 30-digit number is no version
    (they would fail in `int()` or in the database), so the header reads as stale."""
    return value.isascii() and value.isdigit() and len(value) <= MAX_VERSION_DIGITS


def where_it_stands(pathway: Pathway, specs: SpecCache) -> dict:
    """The stage and version the pathway has in the database now (it may have moved since
    `pathway` was read): the part of a conflict's body that tells the client where it is."""
    stage, version = Pathway.objects.values_list("stage", "version").get(pk=pathway.pk)
    spec = specs.get(pathway.definition_id)
    return {
        "current_stage": {"code": stage, "label": spec.stage_label(stage) if spec else stage},
        "version": version,
    }


# The one reason code of every 412: the pathway is no longer the version the client read
# (If-Match), whether that was seen before the write or by the write's own lock.
PRECONDITION_FAILED = "precondition_failed"


def precondition_failed(pathway: Pathway, specs: SpecCache) -> APIError:
    """If-Match named another version than the pathway's."""
    return APIError(
        412,
        str(_("Le parcours a changé depuis votre dernière lecture.")),
        PRECONDITION_FAILED,
        where_it_stands(pathway, specs),
    )


def unpublished(error: service_errors.NoPublishedDefinition) -> APIError:
    return APIError(409, str(error), "no_published_definition")


def refusal(
    error: service_errors.TransitionRefused,
    pathway: Pathway,
    specs: SpecCache,
    *,
    if_match: bool,
) -> APIError:
    """The service's refusal as an HTTP answer: same message, same reason code."""
    match error:
        case service_errors.InvalidFields():
            return APIError(
                400,
                error.message,
                error.reason,
                {"errors": flatten_errors({"answers": error.field_errors})},
            )
        case service_errors.NotAllowed():
            return APIError(403, error.message, error.reason)
        case service_errors.UnknownTransition():
            return APIError(404, error.message, error.reason)
        case service_errors.StalePathway():
            # With If-Match the client asked to act only on the version it read: a 412, with
            # the code of every 412; without, the 409 of any other conflict.
            return APIError(
                412 if if_match else 409,
                error.message,
                PRECONDITION_FAILED if if_match else error.reason,
                {
                    "current_stage": {
                        "code": error.current_stage,
                        "label": error.current_stage_label,
                    },
                    "version": error.current_version,
                },
            )
        case service_errors.ConditionFailed():
            return APIError(
                409,
                error.message,
                error.reason,
                {**where_it_stands(pathway, specs), "messages": list(error.messages)},
            )
        case _:
            return APIError(409, error.message, error.reason, where_it_stands(pathway, specs))
