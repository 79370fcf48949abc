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

from ..selectors import figures
from .permissions import FIGURES_PERMISSIONS
from .serializers import FiguresQuerySerializer, FiguresSerializer

EXAMPLE = {
    "start": "2026-03-01",
    "end": "2026-03-31",
    "identified": 3,
    "identified_by_source": {
        "outreach_round": 1,
        "permanence": 1,
        "partner": 0,
        "website": 1,
        "walk_in": 0,
    },
    "outreach_rounds": 2,
    "met_in_rounds": 8,
    "identified_in_rounds": 1,
    "accompanied": 4,
    "support_entries": 3,
    "support_entries_by_programme": {"cej": 1, "pacea": 1, "other": 0, "unknown": 1},
    "exits": 2,
    "exits_by_outcome": {"positive": 1, "neutral": 0, "negative": 1, "unknown": 0},
    "positive_exit_rate": 0.5,
    "lost_contact": 2,
    "re_engaged": 2,
    "funnel": {
        "identification": 3,
        "reception": 2,
        "assessment": 0,
        "referral": 1,
        "support": 1,
        "lost_contact": 1,
        "exit": 1,
    },
    "median_days_to_reception": 4.0,
    "median_days_to_support": 25.0,
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
            "Réservé aux coordinateurs."
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
        result = figures(
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
