"""What the OpenAPI document adds to the code: summaries, descriptions, examples and the
documented error answers of each endpoint. Bodies and parameters come from the serializers
and the filter set themselves."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)

from api_common.schema import error_responses

from .errors import ConflictSerializer
from .serializers import (
    ContactSerializer,
    DefinitionSerializer,
    HistorySerializer,
    OutreachRoundSerializer,
    OutreachRoundWriteSerializer,
    PathwayCreateSerializer,
    PathwayDetailSerializer,
    PathwaySerializer,
    TransitionRequestSerializer,
)

READ_ERRORS = (401, 403)


def conflict_response(description: str, example: dict) -> OpenApiResponse:
    return OpenApiResponse(
        ConflictSerializer,
        description=description,
        examples=[OpenApiExample("Conflit", value=example, response_only=True)],
    )


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        "La façon de n'agir que sur ce que vous avez lu : renvoyez l'`ETag` reçu avec le "
        'parcours (`"pathway-12-v3"`), ou sa version (`3`). La transition n\'a lieu que si '
        "le parcours est toujours à cette version ; sinon 412 `precondition_failed`, avec "
        "l'étape et la version actuelles, et rien n'est changé. Sans cet en-tête, la "
        "transition s'applique à l'état où se trouve le parcours au moment de l'envoi, même "
        "si une autre personne l'a fait bouger depuis votre lecture. Recommandé."
    ),
    examples=[
        OpenApiExample("ETag lu", value='"pathway-12-v3"'),
        OpenApiExample("Version lue", value="3"),
    ],
)

STALE_EXAMPLE = {
    "detail": "Ce parcours a changé entre-temps : il est maintenant à l'étape « Diagnostic ». "
    "Rechargez la page avant d'agir.",
    "code": "stale",
    "current_stage": {"code": "diagnostic", "label": "Diagnostic"},
    "version": 4,
}


definition_schema = extend_schema_view(
    list=extend_schema(
        summary=_("Définitions publiées"),
        description=_(
            "Les définitions de parcours publiées : étapes, transitions, groupes autorisés, "
            "champs demandés et conditions, telles qu'un coordinateur les a publiées. "
            "Seulement celles de la Mission Locale du jeton."
        ),
        parameters=[
            OpenApiParameter(
                "organisation",
                str,
                description=_("Slug de la Mission Locale (une autre ne donne rien)."),
            )
        ],
        responses={200: DefinitionSerializer(many=True), **error_responses(*READ_ERRORS)},
    ),
    retrieve=extend_schema(
        summary=_("Une définition publiée"),
        responses={200: DefinitionSerializer, **error_responses(*READ_ERRORS, 404)},
    ),
)

pathway_schema = extend_schema_view(
    list=extend_schema(
        summary=_("Parcours visibles"),
        description=_(
            "Les parcours que vous suivez, avec les filtres de la liste « Mes jeunes » de "
            "l'administration : étape, catégorie, référent, antenne, commune, QPV, origine, "
            "à relancer, en cours, recherche par nom. Par défaut, les plus urgents d'abord "
            "(date de relance), comme dans l'administration ; autre tri par `ordering`."
        ),
        responses={
            200: PathwaySerializer(many=True),
            **error_responses(400, *READ_ERRORS, 404),
        },
    ),
    retrieve=extend_schema(
        summary=_("Un parcours"),
        description=_(
            "Le parcours, ses réponses et les transitions que vous pouvez déclencher. "
            "L'en-tête `ETag` porte sa version, à renvoyer dans `If-Match`. Un parcours hors "
            "de votre périmètre répond 404, comme un parcours qui n'existe pas."
        ),
        responses={200: PathwayDetailSerializer, **error_responses(*READ_ERRORS, 404)},
    ),
    create=extend_schema(
        summary=_("Créer un parcours (repérage)"),
        description=_(
            "Crée le jeune et son parcours à l'étape initiale de la définition publiée, comme "
            "le formulaire de repérage. Sans `antenna`, le parcours est rattaché à votre "
            "antenne, comme dans l'administration.\n\n"
            "Répond 400 (messages par champ dans `errors`) quand une règle n'est pas "
            "respectée : prénom, origine et consentement obligatoires ; un téléphone ou un "
            "e-mail au moins (e-mail de 254 caractères au plus) ; une date de naissance qui "
            "donne entre 13 et 35 ans ; des besoins pris dans la liste, sans doublon ; une "
            "commune connue (code INSEE) ; une antenne où vous pouvez ouvrir un parcours "
            "(la vôtre ; pour un coordinateur, une de sa Mission Locale). 409 si aucune "
            "définition n'est publiée."
        ),
        request=PathwayCreateSerializer,
        examples=[
            OpenApiExample(
                "Repérage",
                value={
                    "first_name": "Lou",
                    "phone": "06 00 00 00 42",
                    "source": "walk_in",
                    "needs": ["employment"],
                    "consent": True,
                },
                request_only=True,
            ),
            OpenApiExample(
                "Antenne hors de portée",
                value={
                    "detail": "Certaines données sont invalides.",
                    "code": "invalid",
                    "errors": {
                        "antenna": ["Vous ne pouvez créer un parcours que dans votre antenne."]
                    },
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
        responses={
            201: PathwayDetailSerializer,
            **error_responses(400, *READ_ERRORS, 409),
        },
    ),
    transition=extend_schema(
        summary=_("Déclencher une transition"),
        description=_(
            "Fait passer le parcours à l'étape suivante par la transition `code`, avec les "
            "réponses aux champs qu'elle demande et un commentaire. Mêmes vérifications que "
            "dans l'administration, dans le même ordre, avec les mêmes messages :\n\n"
            "- 200 : le parcours dans son nouvel état ;\n"
            "- 400 `invalid_fields` : réponses à corriger, par champ (`answers.<nom>`) ;\n"
            "- 403 `not_allowed` : votre rôle ne permet pas cette transition ;\n"
            "- 404 : parcours introuvable ou hors de votre périmètre, ou transition inconnue "
            "(`unknown_transition`) ;\n"
            "- 409 `stale` : le parcours a changé entre-temps (une autre personne a agi) ; "
            "`wrong_stage` : la transition ne part pas de l'étape actuelle ; "
            "`condition_failed` : une condition n'est pas remplie (`messages`) ; le corps "
            "donne l'étape actuelle ;\n"
            "- 412 `precondition_failed` (toujours ce code) : l'en-tête `If-Match` ne "
            "correspond plus à la version du parcours, que ce soit vu avant l'écriture ou par "
            "son verrou ; le corps donne l'étape et la version actuelles.\n\n"
            "Envoyez `If-Match` avec l'`ETag` lu (`GET /api/pathways/{id}/`) pour n'agir que "
            "sur ce que vous avez lu."
        ),
        parameters=[
            OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH),
            IF_MATCH,
        ],
        request=TransitionRequestSerializer,
        examples=[
            OpenApiExample(
                "Orientation",
                value={"answers": {"programme": "CEJ"}, "comment": "Entretien du 3 mars."},
                request_only=True,
            )
        ],
        responses={
            200: PathwayDetailSerializer,
            **error_responses(
                400,
                *READ_ERRORS,
                404,
                412,
                overrides={
                    412: conflict_response(
                        str(_("La version envoyée dans If-Match n'est plus la bonne.")),
                        {**STALE_EXAMPLE, "code": "precondition_failed"},
                    )
                },
            ),
            409: conflict_response(
                str(_("Le parcours a bougé, ou la transition ne s'applique pas maintenant.")),
                STALE_EXAMPLE,
            ),
        },
    ),
    history=extend_schema(
        summary=_("Historique du parcours"),
        description=_(
            "Chaque changement d'étape, du plus récent au plus ancien : qui, quand, depuis, "
            "vers, la transition, les réponses, le commentaire et la version de la définition."
        ),
        responses={200: HistorySerializer(many=True), **error_responses(*READ_ERRORS, 404)},
    ),
    contacts=[
        extend_schema(
            methods=["GET"],
            summary=_("Contacts du parcours"),
            description=_(
                "Entretiens, appels, SMS, ateliers et visites, du plus récent au plus ancien."
            ),
            responses={200: ContactSerializer(many=True), **error_responses(*READ_ERRORS, 404)},
        ),
        extend_schema(
            methods=["POST"],
            summary=_("Noter un contact"),
            description=_(
                "Enregistre un contact (par défaut maintenant) ; la date du dernier contact et la "
                "date de relance du parcours avancent. Note factuelle seulement.\n\n"
                "Répond 400 (messages par champ dans `errors`) pour un type de contact hors "
                "de la liste, une date dans le futur ou avant l'an 2000, ou une note de plus "
                "de 2 000 caractères."
            ),
            request=ContactSerializer,
            examples=[
                OpenApiExample(
                    "Entretien",
                    value={"kind": "interview", "note": "Point sur la recherche de stage."},
                    request_only=True,
                ),
                OpenApiExample(
                    "Date dans le futur",
                    value={
                        "detail": "Certaines données sont invalides.",
                        "code": "invalid",
                        "errors": {"happened_at": ["Un contact ne peut pas être dans le futur."]},
                    },
                    response_only=True,
                    status_codes=["400"],
                ),
            ],
            responses={201: ContactSerializer, **error_responses(400, *READ_ERRORS, 404)},
        ),
    ],
)

_ROUND_WRITE_ANSWERS = {
    **error_responses(400, *READ_ERRORS, 404),
}

outreach_round_schema = extend_schema_view(
    list=extend_schema(
        summary=_("Maraudes visibles"),
        description=_(
            "Les maraudes que vous pouvez voir, les plus récentes d'abord : un médiateur les "
            "siennes et celles des médiateurs de son antenne, un conseiller celles de son "
            "antenne, un coordinateur celles de sa Mission Locale."
        ),
        responses={
            200: OutreachRoundSerializer(many=True),
            **error_responses(400, *READ_ERRORS, 404),
        },
    ),
    retrieve=extend_schema(
        summary=_("Une maraude"),
        description=_("Une maraude hors de votre périmètre répond 404, comme une inexistante."),
        responses={200: OutreachRoundSerializer, **error_responses(*READ_ERRORS, 404)},
    ),
    create=extend_schema(
        summary=_("Enregistrer une maraude"),
        description=_(
            "Comme le formulaire de l'administration : un médiateur l'enregistre à son nom "
            "seulement (sans `mediator`, c'est vous) ; sinon 403 `not_allowed`."
        ),
        request=OutreachRoundWriteSerializer,
        responses={201: OutreachRoundSerializer, **error_responses(400, *READ_ERRORS)},
    ),
    update=extend_schema(
        summary=_("Modifier une maraude"),
        description=_("Un médiateur modifie ses propres maraudes, un coordinateur toutes."),
        request=OutreachRoundWriteSerializer,
        responses={200: OutreachRoundSerializer, **_ROUND_WRITE_ANSWERS},
    ),
    partial_update=extend_schema(
        summary=_("Modifier une partie d'une maraude"),
        request=OutreachRoundWriteSerializer,
        responses={200: OutreachRoundSerializer, **_ROUND_WRITE_ANSWERS},
    ),
)
