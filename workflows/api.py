"""Workflow API (routed in cms/api.py): published definitions, pathways, transitions, history
and contacts, for authenticated users with a workflow role.

Every read starts from `policies.visible_pathways`, every write goes through the services
the admin screens use (`start_pathway`, `fire_transition`, `log_contact`), and refusals carry
the services' own French message and reason code: the API cannot drift from the admin."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from api_common.errors import APIError, ErrorSerializer, ProjectAPIMixin, flatten_errors
from api_common.schema import error_responses
from territories.models import Antenna, Commune, PriorityNeighbourhood

from . import policies, selectors
from .choices import FieldType, NeedArea, PathwaySource, StageCategory
from .models import Contact, Pathway, TransitionRecord, WorkflowDefinition
from .services import errors as service_errors
from .services.pathways import log_contact, start_pathway
from .services.transitions import fire_transition
from .specs import DefinitionSpec, live_spec

# --- Permissions and shared pieces -------------------------------------------------------


class HasWorkflowRole(BasePermission):
    """Coordinators, counsellors and mediators (Django groups); others get 403."""

    message = _("Votre compte n'a pas de rôle dans le suivi des parcours.")

    def has_permission(self, request, view) -> bool:
        return policies.has_workflow_role(request.user)


WORKFLOW_PERMISSIONS = [IsAuthenticated, HasWorkflowRole]
READ_ERRORS = (401, 403)


class ConflictSerializer(ErrorSerializer):
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


def _conflict_response(description: str, example: dict) -> OpenApiResponse:
    return OpenApiResponse(
        ConflictSerializer,
        description=description,
        examples=[OpenApiExample("Conflit", value=example, response_only=True)],
    )


# --- Definitions --------------------------------------------------------------------------


class FieldSpecSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    field_type = serializers.ChoiceField(choices=FieldType.choices)
    required = serializers.BooleanField()
    help_text = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())


class ConditionSpecSerializer(serializers.Serializer):
    code = serializers.CharField()
    params = serializers.DictField()


class StageSpecSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    category = serializers.ChoiceField(choices=StageCategory.choices)
    category_label = serializers.CharField()
    order = serializers.IntegerField()
    initial = serializers.BooleanField()
    final = serializers.BooleanField()
    reminder_days = serializers.IntegerField(allow_null=True)
    max_duration_days = serializers.IntegerField(allow_null=True)


class TransitionSpecSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())
    target = serializers.CharField()
    allowed_groups = serializers.ListField(child=serializers.CharField())
    fields = FieldSpecSerializer(many=True)
    conditions = ConditionSpecSerializer(many=True)


class DefinitionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    for_new_pathways = serializers.BooleanField()
    revision_id = serializers.IntegerField(
        allow_null=True, help_text=_("La version publiée que décrivent étapes et transitions.")
    )
    stages = StageSpecSerializer(many=True)
    transitions = TransitionSpecSerializer(many=True)


def _stage_data(stage) -> dict:
    return {
        "code": stage.code,
        "label": stage.label,
        "category": stage.category,
        "category_label": stage.category_label,
        "order": stage.order,
        "initial": stage.initial,
        "final": stage.final,
        "reminder_days": stage.reminder_days,
        "max_duration_days": stage.max_duration_days,
    }


def _transition_data(transition) -> dict:
    return {
        "code": transition.code,
        "label": transition.label,
        "sources": list(transition.sources),
        "target": transition.target,
        "allowed_groups": sorted(transition.allowed_groups),
        "fields": [
            {
                "name": field.name,
                "label": field.label,
                "field_type": field.field_type,
                "required": field.required,
                "help_text": field.help_text,
                "choices": list(field.choices),
            }
            for field in transition.fields
        ],
        "conditions": [
            {"code": condition.code, "params": dict(condition.params)}
            for condition in transition.conditions
        ],
    }


def definition_data(definition: WorkflowDefinition, spec: DefinitionSpec) -> dict:
    return {
        "id": definition.pk,
        "name": definition.name,
        "description": definition.description,
        "for_new_pathways": definition.for_new_pathways,
        "revision_id": spec.revision_id,
        "stages": [_stage_data(stage) for stage in spec.stages.values()],
        "transitions": [_transition_data(item) for item in spec.transitions.values()],
    }


@extend_schema_view(
    list=extend_schema(
        summary=_("Définitions publiées"),
        description=_(
            "Les définitions de parcours publiées : étapes, transitions, groupes autorisés, "
            "champs demandés et conditions, telles qu'un coordinateur les a publiées."
        ),
        responses={200: DefinitionSerializer(many=True), **error_responses(*READ_ERRORS)},
    ),
    retrieve=extend_schema(
        summary=_("Une définition publiée"),
        responses={200: DefinitionSerializer, **error_responses(*READ_ERRORS, 404)},
    ),
)
class DefinitionViewSet(ProjectAPIMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = WORKFLOW_PERMISSIONS
    serializer_class = DefinitionSerializer
    filter_backends: list = []
    pagination_class = None
    queryset = WorkflowDefinition.objects.filter(live=True).order_by("pk")

    def _data(self, definition: WorkflowDefinition) -> dict:
        spec = live_spec(definition)
        if spec is None:  # unpublished between the query and now
            raise APIError(404, str(_("Définition introuvable.")), "not_found")
        return definition_data(definition, spec)

    def list(self, request: Request, *args, **kwargs) -> Response:
        return Response([self._data(definition) for definition in self.get_queryset()])

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return Response(self._data(self.get_object()))


# --- Pathways -----------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class InseeCommuneFilter(django_filters.ModelChoiceFilter):
    """A commune named by its INSEE code (documented as a string)."""


class IdFilter(django_filters.NumberFilter):
    """An identifier: a whole number that fits a database key (1e30 would overflow it)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class PathwayFilter(django_filters.FilterSet):
    """The filters of the admin's "Mes jeunes" list, applied by the same selector
    (`selectors.caseload`), so a filter means the same thing on both sides."""

    stage = django_filters.CharFilter(help_text=_("Code de l'étape."))
    category = django_filters.ChoiceFilter(
        choices=StageCategory.choices, help_text=_("Catégorie de l'étape.")
    )
    referent = IdFilter(help_text=_("Identifiant du référent."))
    commune = InseeCommuneFilter(
        queryset=Commune.objects.all(),
        to_field_name="insee_code",
        help_text=_("Code INSEE de la commune du jeune."),
    )
    priority_neighbourhood = IdFilter(
        help_text=_("Identifiant du quartier prioritaire (QPV) du jeune.")
    )
    qpv = django_filters.BooleanFilter(
        help_text=_("Jeunes habitant (true) ou non (false) un quartier prioritaire.")
    )
    overdue = django_filters.BooleanFilter(
        help_text=_("À relancer (true) : date de relance dépassée ; false : à jour.")
    )
    q = django_filters.CharFilter(help_text=_("Recherche sur le prénom et le nom."))
    definition = IdFilter(help_text=_("Identifiant de la définition."))
    include_closed = django_filters.BooleanFilter(
        help_text=_("Inclure les parcours clos (sortis). Par défaut : non.")
    )
    source = django_filters.ChoiceFilter(
        field_name="source", choices=PathwaySource.choices, help_text=_("Origine du parcours.")
    )
    antenna = IdFilter(field_name="antenna_id", help_text=_("Identifiant de l'antenne."))

    class Meta:
        model = Pathway
        fields: list[str] = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        caseload = selectors.caseload(
            self.request.user,
            stage=data.get("stage") or None,
            category=data.get("category") or None,
            referent=data.get("referent"),
            commune=data.get("commune"),
            priority_neighbourhood=data.get("priority_neighbourhood"),
            in_qpv=data.get("qpv"),
            overdue=data.get("overdue"),
            search=data.get("q") or "",
            definition=data.get("definition"),
            include_closed=bool(data.get("include_closed")),
        ).select_related("antenna")
        if data.get("source"):
            caseload = caseload.filter(source=data["source"])
        if data.get("antenna") is not None:
            caseload = caseload.filter(antenna_id=data["antenna"])
        return caseload


class CommuneRefSerializer(serializers.Serializer):
    insee_code = serializers.CharField()
    name = serializers.CharField()


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class StageRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    category = serializers.ChoiceField(choices=StageCategory.choices)


class YouthSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    commune = CommuneRefSerializer(allow_null=True)
    qpv = serializers.BooleanField(help_text=_("Habite un quartier prioritaire."))


class YouthDetailSerializer(YouthSerializer):
    date_of_birth = serializers.DateField(allow_null=True)
    phone = serializers.CharField()
    email = serializers.CharField()
    priority_neighbourhood = NamedRefSerializer(allow_null=True)


class AvailableTransitionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    target = serializers.CharField()
    fields = FieldSpecSerializer(many=True)
    enabled = serializers.BooleanField(help_text=_("Faux tant qu'une condition bloque."))
    blocked_by = serializers.ListField(
        child=serializers.CharField(), help_text=_("Les conditions qui bloquent encore.")
    )


class PathwaySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    youth = YouthSerializer()
    definition = serializers.IntegerField()
    stage = StageRefSerializer()
    version = serializers.IntegerField(
        help_text=_("Augmente à chaque transition ; à renvoyer dans If-Match.")
    )
    referent = NamedRefSerializer(allow_null=True)
    antenna = NamedRefSerializer(allow_null=True)
    source = serializers.ChoiceField(choices=PathwaySource.choices)
    needs = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    entered_stage_at = serializers.DateTimeField()
    last_contact_at = serializers.DateTimeField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    closed_at = serializers.DateTimeField(allow_null=True)


class PathwayDetailSerializer(PathwaySerializer):
    youth = YouthDetailSerializer()
    answers = serializers.DictField(help_text=_("Réponses recueillies aux transitions."))
    available_transitions = AvailableTransitionSerializer(
        many=True, help_text=_("Les transitions que vous pouvez déclencher depuis cette étape.")
    )


def _user_ref(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.get_full_name() or user.get_username()}


def _dt(value) -> str | None:
    return value.isoformat() if value is not None else None


class SpecCache:
    """Live specs of the definitions a page of pathways uses: one small query per distinct
    definition, whatever the number of pathways."""

    def __init__(self) -> None:
        self._specs: dict[int, DefinitionSpec | None] = {}

    def get(self, definition_id: int) -> DefinitionSpec | None:
        if definition_id not in self._specs:
            definition = WorkflowDefinition.objects.filter(pk=definition_id).first()
            self._specs[definition_id] = live_spec(definition) if definition else None
        return self._specs[definition_id]


def pathway_data(
    pathway: Pathway, specs: SpecCache, *, detail: bool = False, user=None
) -> dict[str, Any]:
    spec = specs.get(pathway.definition_id)
    stage = spec.stages.get(pathway.stage) if spec else None
    youth = pathway.youth
    commune = youth.commune
    today = timezone.localdate()
    data: dict[str, Any] = {
        "id": pathway.pk,
        "youth": {
            "id": youth.pk,
            "first_name": youth.first_name,
            "last_name": youth.last_name,
            "commune": {"insee_code": commune.insee_code, "name": commune.name}
            if commune
            else None,
            "qpv": youth.priority_neighbourhood_id is not None,
        },
        "definition": pathway.definition_id,
        "stage": {
            "code": pathway.stage,
            "label": stage.label if stage else pathway.stage,
            "category": pathway.stage_category,
        },
        "version": pathway.version,
        "referent": _user_ref(pathway.referent),
        "antenna": {"id": pathway.antenna.pk, "name": pathway.antenna.name}
        if pathway.antenna
        else None,
        "source": pathway.source,
        "needs": list(pathway.needs or []),
        "created_at": _dt(pathway.created_at),
        "entered_stage_at": _dt(pathway.entered_stage_at),
        "last_contact_at": _dt(pathway.last_contact_at),
        "due_on": pathway.due_on.isoformat() if pathway.due_on else None,
        "overdue": bool(
            getattr(pathway, "is_overdue", None)
            if hasattr(pathway, "is_overdue")
            else pathway.due_on and pathway.due_on < today and pathway.closed_at is None
        ),
        "closed_at": _dt(pathway.closed_at),
    }
    if detail:
        neighbourhood = youth.priority_neighbourhood
        data["youth"].update(
            date_of_birth=youth.date_of_birth.isoformat() if youth.date_of_birth else None,
            phone=youth.phone,
            email=youth.email,
            priority_neighbourhood={"id": neighbourhood.pk, "name": neighbourhood.name}
            if neighbourhood
            else None,
        )
        data["answers"] = pathway.answers or {}
        data["available_transitions"] = [
            {
                "code": item.transition.code,
                "label": item.transition.label,
                "target": item.transition.target,
                "fields": _transition_data(item.transition)["fields"],
                "enabled": item.enabled,
                "blocked_by": list(item.blocked_by),
            }
            for item in selectors.available_transitions(user, pathway, spec)
        ]
    return data


def pathway_etag(pathway: Pathway) -> str:
    return f'"pathway-{pathway.pk}-v{pathway.version}"'


class PathwayCreateSerializer(serializers.Serializer):
    """What the mediator's quick repérage form asks, plus optional identity fields."""

    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100, required=False, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    phone = serializers.RegexField(
        r"^\+?[0-9 .\-()]{10,20}$",
        max_length=30,
        required=False,
        default="",
        error_messages={"invalid": _("Numéro invalide : 10 chiffres, comme 06 00 00 00 01.")},
    )
    email = serializers.EmailField(required=False, default="")
    commune = serializers.SlugRelatedField(
        slug_field="insee_code",
        queryset=Commune.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Code INSEE de la commune du jeune."),
    )
    priority_neighbourhood = serializers.PrimaryKeyRelatedField(
        queryset=PriorityNeighbourhood.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=NeedArea.choices), required=False, default=list
    )
    source = serializers.ChoiceField(choices=PathwaySource.choices)
    consent = serializers.BooleanField(
        help_text=_("Le jeune accepte que la Mission Locale garde ses coordonnées. Obligatoire.")
    )
    antenna = serializers.PrimaryKeyRelatedField(
        queryset=Antenna.objects.all(), required=False, allow_null=True, default=None
    )
    comment = serializers.CharField(required=False, default="", max_length=2000)

    def validate_consent(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(
                _("Sans le consentement du jeune, rien n'est enregistré.")
            )
        return value

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("phone") and not attrs.get("email"):
            raise serializers.ValidationError(
                {"phone": _("Donnez au moins un moyen de joindre le jeune : téléphone ou e-mail.")}
            )
        return attrs


class TransitionRequestSerializer(serializers.Serializer):
    answers = serializers.DictField(
        required=False,
        default=dict,
        help_text=_("Réponses aux champs que demande la transition, par nom de champ."),
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class HistorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=TransitionRecord.Kind.choices)
    created_at = serializers.DateTimeField()
    actor = NamedRefSerializer(allow_null=True)
    transition_code = serializers.CharField()
    transition_label = serializers.CharField()
    from_stage = serializers.CharField()
    from_stage_label = serializers.CharField()
    to_stage = serializers.CharField()
    to_stage_label = serializers.CharField()
    to_category = serializers.ChoiceField(choices=StageCategory.choices)
    answers = serializers.DictField()
    comment = serializers.CharField()
    revision_id = serializers.IntegerField(allow_null=True)


class ContactSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = ["id", "kind", "happened_at", "author", "note"]
        read_only_fields = ["id", "author"]
        extra_kwargs = {"happened_at": {"required": False}}

    @extend_schema_field(NamedRefSerializer(allow_null=True))
    def get_author(self, contact: Contact) -> dict | None:
        return _user_ref(contact.author)


def history_data(record: TransitionRecord) -> dict:
    return {
        "id": record.pk,
        "kind": record.kind,
        "created_at": record.created_at.isoformat(),
        "actor": _user_ref(record.actor),
        "transition_code": record.transition_code,
        "transition_label": record.transition_label,
        "from_stage": record.from_stage,
        "from_stage_label": record.from_stage_label,
        "to_stage": record.to_stage,
        "to_stage_label": record.to_stage_label,
        "to_category": record.to_category,
        "answers": record.answers or {},
        "comment": record.comment,
        "revision_id": record.revision_id,
    }


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        'L\'ETag du parcours (`"pathway-12-v3"`) ou sa version (`3`), tels que lus : la '
        "transition n'a lieu que si le parcours n'a pas bougé depuis, sinon 412."
    ),
)

STALE_EXAMPLE = {
    "detail": "Ce parcours a changé entre-temps : il est maintenant à l'étape « Diagnostic ». "
    "Rechargez la page avant d'agir.",
    "code": "stale",
    "current_stage": {"code": "diagnostic", "label": "Diagnostic"},
    "version": 4,
}


@extend_schema_view(
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
            "le formulaire de repérage. Le consentement est obligatoire. Sans `antenna`, le "
            "parcours est rattaché à votre antenne, comme dans l'administration."
        ),
        request=PathwayCreateSerializer,
        responses={
            201: PathwayDetailSerializer,
            **error_responses(400, *READ_ERRORS, 409),
        },
    ),
)
class PathwayViewSet(
    ProjectAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = WORKFLOW_PERMISSIONS
    serializer_class = PathwaySerializer
    filterset_class = PathwayFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = [
        "entered_stage_at",
        "due_on",
        "created_at",
        "last_contact_at",
        "youth__last_name",
    ]
    # No `ordering` by default: the selector's order (most urgent first, as in the admin)
    # stands unless the client asks for another.

    lookup_value_regex = r"\d+"

    def get_queryset(self):
        # The list's rows come from selectors.caseload (PathwayFilter); this scoped queryset
        # is what django-filter and the ordering start from.
        return policies.visible_pathways(self.request.user)

    def get_object(self) -> Pathway:
        """Through the selector the admin's pathway page uses: out of scope reads as absent."""
        try:
            return selectors.get_pathway(self.request.user, int(self.kwargs["pk"]))
        except (Pathway.DoesNotExist, ValueError):
            raise NotFound(_("Parcours introuvable.")) from None

    def get_serializer_class(self):
        if self.action == "create":
            return PathwayCreateSerializer
        if self.action == "retrieve":
            return PathwayDetailSerializer
        return PathwaySerializer

    def list(self, request: Request, *args, **kwargs) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        specs = SpecCache()
        return self.get_paginated_response([pathway_data(item, specs) for item in page])

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        pathway = self.get_object()
        response = Response(pathway_data(pathway, SpecCache(), detail=True, user=request.user))
        response["ETag"] = pathway_etag(pathway)
        return response

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = PathwayCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        try:
            pathway = start_pathway(
                first_name=data["first_name"],
                last_name=data["last_name"],
                date_of_birth=data["date_of_birth"],
                contact_phone=data["phone"],
                contact_email=data["email"],
                commune=data["commune"],
                priority_neighbourhood=data["priority_neighbourhood"],
                needs=data["needs"],
                source=data["source"],
                consent=data["consent"],
                antenna=data["antenna"],
                actor=user,
                comment=data["comment"],
            )
        except service_errors.NoPublishedDefinition as error:
            raise APIError(409, str(error), "no_published_definition") from None
        except DjangoValidationError as error:
            raise ValidationError({"non_field_errors": error.messages}) from None
        if policies.can_view_pathway(user, pathway):
            pathway = selectors.get_pathway(user, pathway.pk)
        response = Response(
            pathway_data(pathway, SpecCache(), detail=True, user=user),
            status=status.HTTP_201_CREATED,
        )
        response["ETag"] = pathway_etag(pathway)
        return response

    @extend_schema(
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
            "- 412 `precondition_failed` : l'en-tête `If-Match` ne correspond plus à la "
            "version du parcours (le corps donne l'étape et la version actuelles)."
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
                    412: _conflict_response(
                        str(_("La version envoyée dans If-Match n'est plus la bonne.")),
                        {**STALE_EXAMPLE, "code": "precondition_failed"},
                    )
                },
            ),
            409: _conflict_response(
                str(_("Le parcours a bougé, ou la transition ne s'applique pas maintenant.")),
                STALE_EXAMPLE,
            ),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"transitions/(?P<code>[\w-]+)",
        url_name="transition",
    )
    def transition(self, request: Request, pk=None, code: str = "") -> Response:
        pathway = self.get_object()
        body = TransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        expected = _expected_version(request, pathway)
        specs = SpecCache()
        if expected is not None and expected != pathway.version:
            raise APIError(
                412,
                str(_("Le parcours a changé depuis votre dernière lecture.")),
                "precondition_failed",
                _stage_extra(pathway, specs),
            )
        try:
            pathway = fire_transition(
                pathway,
                code,
                actor=request.user,
                answers=body.validated_data["answers"],
                comment=body.validated_data["comment"],
                expected_version=pathway.version,
            )
        except service_errors.TransitionRefused as error:
            raise _refusal(error, pathway, specs, if_match=expected is not None) from None
        except service_errors.NoPublishedDefinition as error:
            raise APIError(409, str(error), "no_published_definition") from None
        pathway = selectors.get_pathway(request.user, pathway.pk)
        response = Response(pathway_data(pathway, specs, detail=True, user=request.user))
        response["ETag"] = pathway_etag(pathway)
        return response

    @extend_schema(
        summary=_("Historique du parcours"),
        description=_(
            "Chaque changement d'étape, du plus récent au plus ancien : qui, quand, depuis, "
            "vers, la transition, les réponses, le commentaire et la version de la définition."
        ),
        responses={200: HistorySerializer(many=True), **error_responses(*READ_ERRORS, 404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request: Request, pk=None) -> Response:
        pathway = self.get_object()
        records = TransitionRecord.objects.filter(pathway=pathway).select_related("actor")
        return Response([history_data(record) for record in records])

    @extend_schema(
        methods=["GET"],
        summary=_("Contacts du parcours"),
        description=_(
            "Entretiens, appels, SMS, ateliers et visites, du plus récent au plus ancien."
        ),
        responses={200: ContactSerializer(many=True), **error_responses(*READ_ERRORS, 404)},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Noter un contact"),
        description=_(
            "Enregistre un contact (par défaut maintenant) ; la date du dernier contact et la "
            "date de relance du parcours avancent. Note factuelle seulement."
        ),
        request=ContactSerializer,
        responses={201: ContactSerializer, **error_responses(400, *READ_ERRORS, 404)},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def contacts(self, request: Request, pk=None) -> Response:
        pathway = self.get_object()
        if request.method == "GET":
            contacts = Contact.objects.filter(pathway=pathway).select_related("author")
            return Response(ContactSerializer(contacts, many=True).data)
        serializer = ContactSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            contact = log_contact(
                pathway,
                kind=serializer.validated_data["kind"],
                actor=request.user,
                happened_at=serializer.validated_data.get("happened_at"),
                note=serializer.validated_data.get("note", ""),
            )
        except service_errors.NotAllowed as error:
            raise APIError(403, error.message, error.reason) from None
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


def _expected_version(request: Request, pathway: Pathway) -> int | None:
    """If-Match as the pathway's ETag or as a bare version number; None when absent."""
    header = request.META.get("HTTP_IF_MATCH", "").strip()
    if not header:
        return None
    if header == "*":
        return pathway.version
    for tag in (part.strip() for part in header.split(",")):
        value = tag.removeprefix("W/").strip('"')
        if value.isdigit():
            return int(value)
        prefix = f"pathway-{pathway.pk}-v"
        if value.startswith(prefix) and value[len(prefix) :].isdigit():
            return int(value[len(prefix) :])
    return -1  # present but unreadable: treat as stale rather than ignore it


def _stage_extra(pathway: Pathway, specs: SpecCache, stage: str | None = None) -> dict:
    current = Pathway.objects.values_list("stage", "version").get(pk=pathway.pk)
    spec = specs.get(pathway.definition_id)
    code = stage or current[0]
    return {
        "current_stage": {"code": code, "label": spec.stage_label(code) if spec else code},
        "version": current[1],
    }


def _refusal(
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
            return APIError(
                412 if if_match else 409,
                error.message,
                error.reason,
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
                {**_stage_extra(pathway, specs), "messages": list(error.messages)},
            )
        case _:
            return APIError(409, error.message, error.reason, _stage_extra(pathway, specs))


urlpatterns: list = []


def register(router) -> None:
    """Add this app's viewsets to the project's DRF router."""
    router.register("definitions", DefinitionViewSet, basename="definition")
    router.register("pathways", PathwayViewSet, basename="pathway")
