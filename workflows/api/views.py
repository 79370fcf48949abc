"""The workflow API's viewsets. They read through `policies` / `selectors`, write through
the services, and hand objects to the response serializers; refusals are mapped in
`errors`, the documentation is in `schema`."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from access_log.models import Channel
from api_common.errors import APIError, ProjectAPIMixin

from .. import policies, screen_selectors, selectors
from ..filters import CaseloadFilterSet
from ..models import Contact, OutreachRound, Pathway, TransitionRecord, WorkflowDefinition
from ..sensitive import shown_answers
from ..services import errors as service_errors
from ..services.outreach import save_round
from ..services.pathways import log_contact, start_pathway
from ..services.transitions import fire_transition
from ..specs import SpecCache, live_spec
from . import errors
from .filters import PATHWAY_FILTER_BACKENDS, PATHWAY_ORDERING_FIELDS
from .permissions import WORKFLOW_PERMISSIONS
from .schema import definition_schema, outreach_round_schema, pathway_schema
from .serializers import (
    ContactSerializer,
    DefinitionSerializer,
    HistorySerializer,
    OutreachRoundSerializer,
    OutreachRoundWriteSerializer,
    PathwayCreateSerializer,
    PathwayDetailSerializer,
    PathwaySerializer,
    PublishedDefinition,
    TransitionRequestSerializer,
)


@definition_schema
class DefinitionViewSet(ProjectAPIMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = WORKFLOW_PERMISSIONS
    serializer_class = DefinitionSerializer
    filter_backends: list = []
    pagination_class = None
    queryset = WorkflowDefinition.objects.none()

    def get_queryset(self):
        """The live definitions of the token's organisation (`policies.visible_definitions`),
        narrowed by `?organisation=<slug>`: another organisation's read as absent."""
        queryset = policies.visible_definitions(
            self.request.user, WorkflowDefinition.objects.filter(live=True)
        )
        slug = self.request.query_params.get("organisation")
        if slug:
            queryset = queryset.filter(organisation__slug=slug)
        return queryset.select_related("organisation").order_by("pk")

    def _published(self, definition: WorkflowDefinition) -> PublishedDefinition:
        spec = live_spec(definition)
        if spec is None:  # unpublished between the query and now
            raise APIError(404, str(_("Définition introuvable.")), "not_found")
        return PublishedDefinition(definition, spec)

    def list(self, request: Request, *args, **kwargs) -> Response:
        items = [self._published(definition) for definition in self.get_queryset()]
        return Response(DefinitionSerializer(items, many=True).data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return Response(DefinitionSerializer(self._published(self.get_object())).data)


@pathway_schema
class PathwayViewSet(
    ProjectAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = WORKFLOW_PERMISSIONS
    serializer_class = PathwaySerializer
    filterset_class = CaseloadFilterSet
    filter_backends = PATHWAY_FILTER_BACKENDS
    ordering_fields = PATHWAY_ORDERING_FIELDS
    # No `ordering` by default: the selector's order (most urgent first, as in the admin)
    # stands unless the client asks for another.

    lookup_value_regex = r"\d+"

    def get_queryset(self):
        # The list's rows come from selectors.caseload (CaseloadFilterSet); this scoped
        # queryset is what django-filter and the ordering start from.
        return policies.visible_pathways(self.request.user)

    def get_object(self) -> Pathway:
        """Through the selector the admin's pathway page uses: out of scope reads as absent;
        the reading is in the access log."""
        try:
            return selectors.get_pathway(
                self.request.user, int(self.kwargs["pk"]), channel=Channel.API
            )
        except (Pathway.DoesNotExist, ValueError):
            raise NotFound(_("Parcours introuvable.")) from None

    def get_serializer_class(self):
        if self.action == "create":
            return PathwayCreateSerializer
        if self.action == "retrieve":
            return PathwayDetailSerializer
        return PathwaySerializer

    def _detail(self, pathway: Pathway, specs: SpecCache, status_code: int = 200) -> Response:
        """The pathway as `GET /pathways/{id}/` shows it, with its version as ETag."""
        context = {"specs": specs, "user": self.request.user}
        response = Response(PathwayDetailSerializer(pathway, context=context).data, status_code)
        response["ETag"] = errors.pathway_etag(pathway)
        return response

    def list(self, request: Request, *args, **kwargs) -> Response:
        queryset = self.filter_queryset(self.get_queryset()).select_related("antenna")
        page = self.paginate_queryset(queryset)
        serializer = PathwaySerializer(page, many=True, context={"specs": SpecCache()})
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return self._detail(self.get_object(), SpecCache())

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
                channel=Channel.API,
            )
        except service_errors.NoPublishedDefinition as error:
            raise errors.unpublished(error) from None
        except DjangoValidationError as error:
            raise ValidationError(
                error.message_dict
                if hasattr(error, "error_dict")
                else {"non_field_errors": error.messages}
            ) from None
        if policies.can_view_pathway(user, pathway):
            pathway = selectors.get_pathway(user, pathway.pk, channel=Channel.API)
        return self._detail(pathway, SpecCache(), status.HTTP_201_CREATED)

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
        expected = errors.expected_version(request, pathway)
        specs = SpecCache()
        if expected is not None and expected != pathway.version:
            raise errors.precondition_failed(pathway, specs)
        try:
            pathway = fire_transition(
                pathway,
                code,
                actor=request.user,
                answers=body.validated_data["answers"],
                comment=body.validated_data["comment"],
                expected_version=pathway.version,
                channel=Channel.API,
            )
        except service_errors.TransitionRefused as error:
            raise errors.refusal(error, pathway, specs, if_match=expected is not None) from None
        except service_errors.NoPublishedDefinition as error:
            raise errors.unpublished(error) from None
        return self._detail(
            selectors.get_pathway(request.user, pathway.pk, channel=Channel.API), specs
        )

    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request: Request, pk=None) -> Response:
        pathway = self.get_object()
        records = list(TransitionRecord.objects.filter(pathway=pathway).select_related("actor"))
        shown = shown_answers(
            request.user,
            pathway,
            [record.answers for record in records],
            SpecCache().get(pathway.definition_id),
            channel=Channel.API,
        )
        context = {"answers": {r.pk: answers for r, answers in zip(records, shown, strict=True)}}
        return Response(HistorySerializer(records, many=True, context=context).data)

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
                channel=Channel.API,
            )
        except service_errors.NotAllowed as error:
            raise APIError(403, error.message, error.reason) from None
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


@outreach_round_schema
class OutreachRoundViewSet(
    ProjectAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The maraudes the caller may see (`screen_selectors.rounds`, as the admin's list),
    recorded and changed through `services.outreach.save_round`, as the admin's form."""

    permission_classes = WORKFLOW_PERMISSIONS
    serializer_class = OutreachRoundSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return screen_selectors.rounds(self.request.user)

    def get_object(self) -> OutreachRound:
        """Out of scope reads as absent, as an id that does not exist."""
        try:
            return self.get_queryset().get(pk=int(self.kwargs["pk"]))
        except (OutreachRound.DoesNotExist, ValueError):
            raise NotFound(_("Maraude introuvable.")) from None

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return OutreachRoundWriteSerializer
        return OutreachRoundSerializer

    def _save(self, outreach_round: OutreachRound, data: dict, status_code: int) -> Response:
        for name, value in data.items():
            setattr(outreach_round, name, value)
        try:
            save_round(outreach_round, by=self.request.user)
        except service_errors.NotAllowed as error:
            raise APIError(403, error.message, error.reason) from None
        shown = self.get_queryset().filter(pk=outreach_round.pk).first() or outreach_round
        return Response(OutreachRoundSerializer(shown).data, status=status_code)

    def create(self, request: Request, *args, **kwargs) -> Response:
        body = OutreachRoundWriteSerializer(data=request.data, user=request.user)
        body.is_valid(raise_exception=True)
        data = {"mediator": request.user, **body.validated_data}
        return self._save(OutreachRound(), data, status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        outreach_round = self.get_object()
        body = OutreachRoundWriteSerializer(
            outreach_round,
            data=request.data,
            partial=kwargs.get("partial", False),
            user=request.user,
        )
        body.is_valid(raise_exception=True)
        return self._save(outreach_round, body.validated_data, status.HTTP_200_OK)
