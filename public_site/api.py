"""Public API of the site (routed in cms/api.py): the permanence agenda and the "être
recontacté" request. Both read and write through the same selectors, form and services as the
pages, so the site and the API cannot disagree."""

from __future__ import annotations

from datetime import timedelta

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from cms.api_common import (
    BoundedPageNumberPagination,
    ProjectAPIMixin,
    conditional_response,
    error_responses,
    make_etag,
)
from public_site import selectors
from public_site.models.permanences import AccessMode
from public_site.models.venues import Venue, VenueType
from territories.models import Commune
from workflows.choices import NeedArea

AGENDA_DEFAULT_WEEKS = 8
AGENDA_MAX_DAYS = 366
AGENDA_MAX_AGE = 300  # seconds: a cancellation reaches clients within five minutes


# --- Agenda -----------------------------------------------------------------------------


class AgendaQuerySerializer(serializers.Serializer):
    start = serializers.DateField(
        required=False, help_text=_("Premier jour (AAAA-MM-JJ). Par défaut : aujourd'hui.")
    )
    end = serializers.DateField(
        required=False,
        help_text=_("Dernier jour inclus. Par défaut : 8 semaines après le début. Un an au plus."),
    )
    commune = serializers.RegexField(
        r"^[0-9][0-9AB][0-9]{3}$",
        required=False,
        help_text=_("Code INSEE de la commune du lieu, par exemple 12176 (Onet-le-Château)."),
        error_messages={"invalid": _("Un code INSEE a 5 caractères, par exemple 12176.")},
    )
    service = serializers.ChoiceField(
        choices=NeedArea.choices, required=False, help_text=_("Service proposé.")
    )
    venue = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Identifiant du lieu partenaire.")
    )

    def validate_commune(self, value: str) -> int:
        commune_id = Commune.objects.filter(insee_code=value).values_list("pk", flat=True).first()
        if commune_id is None:
            raise serializers.ValidationError(_("Aucune commune n'a ce code INSEE."))
        return commune_id

    def validate(self, attrs: dict) -> dict:
        start = attrs.get("start") or timezone.localdate()
        end = attrs.get("end") or start + timedelta(weeks=AGENDA_DEFAULT_WEEKS)
        if end < start:
            raise serializers.ValidationError({"end": _("La fin doit suivre le début.")})
        if (end - start).days >= AGENDA_MAX_DAYS:
            raise serializers.ValidationError({"end": _("La période ne peut dépasser un an.")})
        return {**attrs, "start": start, "end": end}


class AgendaCommuneSerializer(serializers.Serializer):
    name = serializers.CharField()
    insee_code = serializers.CharField()


class AgendaVenueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    type = serializers.ChoiceField(choices=VenueType.choices)
    type_label = serializers.CharField()
    address = serializers.CharField(help_text=_("Vide quand l'adresse n'est pas connue."))
    commune = AgendaCommuneSerializer()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    accessibility = serializers.CharField()
    map_url = serializers.URLField()


class AgendaPageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(help_text=_("Adresse de la page de la permanence."))
    services = serializers.ListField(child=serializers.ChoiceField(choices=NeedArea.choices))
    access_mode = serializers.ChoiceField(choices=AccessMode.choices)


class AgendaOccurrenceSerializer(serializers.Serializer):
    date = serializers.DateField()
    start = serializers.DateTimeField(help_text=_("Heure de Paris, avec son décalage."))
    end = serializers.DateTimeField()
    status = serializers.ChoiceField(
        choices=[("scheduled", _("Prévue")), ("cancelled", _("Annulée"))]
    )
    reason = serializers.CharField(help_text=_("Raison de l'annulation (vide sinon)."))
    extra = serializers.BooleanField(help_text=_("Date ajoutée en plus de la série."))
    page = AgendaPageSerializer()
    venue = AgendaVenueSerializer(allow_null=True)


def _venue_data(venue: Venue | None) -> dict | None:
    if venue is None:
        return None
    return {
        "id": venue.pk,
        "name": venue.name,
        "type": venue.venue_type,
        "type_label": str(venue.get_venue_type_display()),
        "address": venue.address,
        "commune": {"name": venue.commune.name, "insee_code": venue.commune.insee_code},
        "latitude": float(venue.latitude) if venue.latitude is not None else None,
        "longitude": float(venue.longitude) if venue.longitude is not None else None,
        "accessibility": venue.accessibility,
        "map_url": venue.map_url,
    }


def agenda_items(entries: list[selectors.AgendaEntry], request: Request) -> list[dict]:
    """Plain dicts (the serializers above document them): 1,500 entries are built in a few
    milliseconds, where nested serializers would take tens."""
    pages: dict[int, dict] = {}
    venues: dict[int, dict | None] = {}
    items = []
    for entry in entries:
        page, occurrence = entry.page, entry.occurrence
        if page.pk not in pages:
            pages[page.pk] = {
                "id": page.pk,
                "title": page.title,
                "url": page.get_full_url(request) or "",
                "services": list(page.services),
                "access_mode": page.access_mode,
            }
            venues[page.pk] = _venue_data(page.venue)
        items.append(
            {
                "date": occurrence.date.isoformat(),
                "start": occurrence.start.isoformat(),
                "end": occurrence.end.isoformat(),
                "status": "cancelled" if occurrence.cancelled else "scheduled",
                "reason": occurrence.reason,
                "extra": occurrence.extra,
                "page": pages[page.pk],
                "venue": venues[page.pk],
            }
        )
    return items


class AgendaPagination(BoundedPageNumberPagination):
    page_size = 100


AGENDA_EXAMPLE = {
    "count": 1,
    "next": None,
    "previous": None,
    "results": [
        {
            "date": "2026-12-01",
            "start": "2026-12-01T09:00:00+01:00",
            "end": "2026-12-01T12:00:00+01:00",
            "status": "cancelled",
            "reason": "Congés",
            "extra": False,
            "page": {
                "id": 12,
                "title": "Permanence au CCAS d'Onet-le-Château",
                "url": "https://mission-locale.example.org/permanences/ccas-onet/",
                "services": ["employment", "training"],
                "access_mode": "walk_in",
            },
            "venue": {
                "id": 3,
                "name": "CCAS d'Onet-le-Château",
                "type": "ccas",
                "type_label": "CCAS (centre communal d'action sociale)",
                "address": "",
                "commune": {"name": "Onet-le-Château", "insee_code": "12176"},
                "latitude": None,
                "longitude": None,
                "accessibility": "",
                "map_url": "https://www.openstreetmap.org/search?query=CCAS",
            },
        }
    ],
}


class AgendaView(ProjectAPIMixin, APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    pagination_class = AgendaPagination

    @extend_schema(
        operation_id="agenda_list",
        tags=["agenda"],
        summary=_("Agenda des permanences"),
        description=_(
            "Les dates des permanences publiées, dans l'ordre, annulations comprises "
            "(`status` = `cancelled`, avec leur raison). Période par défaut : aujourd'hui et "
            "les 8 semaines suivantes ; un an au plus. Réponse publique et mise en cache : "
            "`ETag`, `Last-Modified`, `Cache-Control` ; un `If-None-Match` égal à l'ETag "
            "reçu donne 304 sans corps."
        ),
        parameters=[AgendaQuerySerializer],
        responses={
            200: OpenApiResponse(
                AgendaOccurrenceSerializer(many=True),
                examples=[OpenApiExample("Agenda", value=AGENDA_EXAMPLE, response_only=True)],
            ),
            304: OpenApiResponse(description=_("Inchangé depuis l'ETag envoyé (sans corps).")),
            **error_responses(400),
        },
    )
    def get(self, request: Request):
        query = AgendaQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        pages = selectors.live_permanences(
            commune_id=params.get("commune"),
            service=params.get("service"),
            venue_id=params.get("venue"),
        )
        entries = selectors.agenda(pages, params["start"], params["end"])
        paginator = self.pagination_class()
        page_entries = paginator.paginate_queryset(entries, request, view=self)
        items = agenda_items(page_entries, request)
        body = paginator.get_paginated_response(items).data
        published = [page.last_published_at for page in pages if page.last_published_at]
        last_modified = max(published).timestamp() if published else None
        return conditional_response(
            request,
            etag=make_etag(body),
            last_modified=last_modified,
            max_age=AGENDA_MAX_AGE,
            build=lambda: body,
        )


urlpatterns = [path("agenda/", AgendaView.as_view(), name="api-agenda")]


def register(router) -> None:
    """Add this app's viewsets to the project's DRF router."""
