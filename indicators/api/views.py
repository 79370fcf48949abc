"""`GET /api/indicators/`: the figures of a period, computed by the same selector as every
other reader of them (indicators.selectors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api_common.errors import ProjectAPIMixin
from api_common.schema import error_responses

from ..selectors import report
from .permissions import FIGURES_PERMISSIONS
from .serializers import FiguresQuerySerializer, FiguresSerializer

ROUNDS_EXAMPLE = {"outreach_rounds": 1, "met_in_rounds": 5}
HISTORY_EXAMPLE = {
    "identified": 1,
    "identified_by_source": {
        "outreach_round": 0,
        "permanence": 1,
        "partner": 0,
        "website": 0,
        "walk_in": 0,
    },
    "identified_in_rounds": 0,
    "accompanied": 0,
    "support_entries": 0,
    "support_entries_by_programme": {"cej": 0, "pacea": 0, "other": 0, "unknown": 0},
    "exits": 1,
    "exits_by_outcome": {"positive": 0, "neutral": 0, "negative": 1, "unknown": 0},
    "positive_exit_rate": 0.0,
    "lost_contact": 0,
    "re_engaged": 0,
    "funnel": {
        "identification": 1,
        "reception": 1,
        "assessment": 0,
        "referral": 0,
        "support": 0,
        "lost_contact": 0,
        "exit": 1,
    },
    "median_days_to_reception": 3.0,
    "median_days_to_support": None,
}


def _group(key: str, label: str) -> dict:
    counts = {k: v for k, v in HISTORY_EXAMPLE.items() if not k.startswith("median_")}
    return {"key": key, "label": label, "figures": counts}


# One young person, received after three days, left without a solution.
EXAMPLE = {
    "start": "2026-03-01",
    "end": "2026-03-31",
    **HISTORY_EXAMPLE,
    **ROUNDS_EXAMPLE,
    "breakdowns": {
        "antenna": [_group("3", "Antenne de Villefranche-de-Rouergue")],
        "commune": [_group("12176", "Onet-le-Château")],
        "qpv": [_group("inside", "Dans un QPV"), _group("QP012001", "Quatre Saisons")],
        "age_band": [_group("16-17", "16-17 ans")],
    },
}


class FiguresView(ProjectAPIMixin, APIView):
    permission_classes = FIGURES_PERMISSIONS

    @extend_schema(
        operation_id="indicators_retrieve",
        tags=["indicators"],
        summary=_("Indicateurs pour le comité de pilotage"),
        description=_(
            "Les chiffres d'une période (jours entiers, heure de Paris, début et fin inclus ; "
            "trois ans au plus) pour la Mission Locale de l'utilisateur, lus dans l'historique "
            "des parcours : par catégorie d'étape et par sens des réponses, ils ne changent "
            "pas quand la définition est modifiée. Un jeune compte une fois par indicateur. "
            "Réservé aux coordinateurs et à la direction."
        ),
        parameters=[FiguresQuerySerializer],
        responses={
            200: OpenApiResponse(
                FiguresSerializer,
                examples=[OpenApiExample("Mars", value=EXAMPLE, response_only=True)],
            ),
            **error_responses(400, 401, 403),
        },
    )
    def get(self, request: Request) -> Response:
        query = FiguresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        result = report(
            request.user,
            params["start"],
            params["end"],
            antenna=params.get("antenna"),
            commune=params.get("commune"),
            qpv=params.get("qpv"),
        )
        return Response(
            FiguresSerializer({"start": params["start"], "end": params["end"], **result}).data
        )
