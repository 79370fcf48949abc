"""Public API of the site (routed in cms/api.py): the permanence agenda and the "être
recontacté" request. Both read and write through the same selectors, form and services as the
pages, so the site and the API cannot disagree."""

from __future__ import annotations

import time
from datetime import timedelta

from django.core.cache import cache
from django.http import QueryDict
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api_common.conditional import conditional_response, make_etag
from api_common.errors import MessageSerializer, ProjectAPIMixin
from api_common.pagination import BoundedPageNumberPagination
from api_common.schema import error_responses
from page_cache.generation import current_generation, next_date_boundary
from public_site import selectors, spam
from public_site.models.permanences import AccessMode, PlaceField
from public_site.models.venues import Venue, VenueType
from public_site.services import TooManyContactRequests, receive_contact_request
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
        try:
            end = attrs.get("end") or start + timedelta(weeks=AGENDA_DEFAULT_WEEKS)
        except OverflowError:  # a start near year 9999
            raise serializers.ValidationError({"start": _("Date hors limites.")}) from None
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


class AgendaPlaceSerializer(serializers.Serializer):
    """Where the permanence happens, partner venue or Mission Locale antenna alike."""

    name = serializers.CharField()
    kind = serializers.CharField()
    address = serializers.CharField(help_text=_("Vide quand l'adresse n'est pas connue."))
    postcode = serializers.CharField()
    commune = serializers.CharField()
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
    place = AgendaPlaceSerializer(allow_null=True)
    venue = AgendaVenueSerializer(
        allow_null=True, help_text=_("Le lieu partenaire ; vide quand c'est une antenne.")
    )


def _venue_data(venue: Venue, place: dict, type_labels: dict[str, str]) -> dict:
    return {
        "id": venue.pk,
        "name": venue.name,
        "type": venue.venue_type,
        "type_label": type_labels.get(venue.venue_type, venue.venue_type),
        "address": venue.address,
        "commune": {"name": venue.commune.name, "insee_code": venue.commune.insee_code},
        "latitude": place["latitude"],
        "longitude": place["longitude"],
        "accessibility": venue.accessibility,
        "map_url": place["map_url"],
    }


def agenda_items(entries: list[selectors.AgendaEntry], request: Request) -> list[dict]:
    """Plain dicts (the serializers above document them): nested serializers would take
    several times longer. Each page, venue and antenna is described once per response:
    a place's labels go through Django's choice display, which costs a fraction of a
    millisecond each time."""
    type_labels = {value: str(label) for value, label in VenueType.choices}
    pages: dict[int, dict] = {}
    places: dict[tuple, tuple[dict | None, dict | None]] = {}
    items = []
    for entry in entries:
        page, occurrence = entry.page, entry.occurrence
        if page.pk not in pages:
            where = ("venue", page.venue_id) if page.venue_id else ("antenna", page.antenna_id)
            if where not in places:
                place = page.place
                place_data = PlaceField().to_representation(place) if place else None
                venue_data = (
                    _venue_data(page.venue, place_data, type_labels)
                    if page.venue_id and place_data
                    else None
                )
                places[where] = (place_data, venue_data)
            pages[page.pk] = {
                "page": {
                    "id": page.pk,
                    "title": page.title,
                    "url": page.get_full_url(request) or "",
                    "services": list(page.services),
                    "access_mode": page.access_mode,
                },
                "place": places[where][0],
                "venue": places[where][1],
            }
        items.append(
            {
                "date": occurrence.date.isoformat(),
                "start": occurrence.start.isoformat(),
                "end": occurrence.end.isoformat(),
                "status": "cancelled" if occurrence.cancelled else "scheduled",
                "reason": occurrence.reason,
                "extra": occurrence.extra,
                **pages[page.pk],
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
            "place": {
                "name": "CCAS d'Onet-le-Château",
                "kind": "CCAS (centre communal d'action sociale)",
                "address": "",
                "postcode": "12850",
                "commune": "Onet-le-Château",
                "latitude": None,
                "longitude": None,
                "accessibility": "",
                "map_url": "https://www.openstreetmap.org/search?query=CCAS",
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
            **error_responses(400, 404),
        },
    )
    def get(self, request: Request):
        query = AgendaQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        paginator = self.pagination_class()
        page_number = request.query_params.get(paginator.page_query_param, "1")
        page_size = paginator.get_page_size(request)
        # Public, the same for everyone, and forgotten by any publish or snippet save (the
        # page cache's generation, bumped on commit): computed once per change, not per call.
        key = "api:agenda:" + make_etag(
            current_generation(),
            sorted((name, str(value)) for name, value in params.items()),
            page_number,
            page_size,
        ).strip('"')
        cached = cache.get(key)
        if cached is None:
            cached = self._build(request, params, paginator)
            cache.set(key, cached, timeout=max(1, int(next_date_boundary() - time.time())))
        etag, last_modified, body = cached
        return conditional_response(
            request,
            etag=etag,
            last_modified=last_modified,
            max_age=AGENDA_MAX_AGE,
            build=lambda: body,
        )

    def _build(self, request: Request, params: dict, paginator) -> tuple:
        pages = selectors.agenda_permanences(
            commune_id=params.get("commune"),
            service=params.get("service"),
            venue_id=params.get("venue"),
        )
        entries = selectors.agenda(pages, params["start"], params["end"])
        page_entries = paginator.paginate_queryset(entries, request, view=self)
        body = dict(paginator.get_paginated_response(agenda_items(page_entries, request)).data)
        published = [page.last_published_at for page in pages if page.last_published_at]
        last_modified = max(published).timestamp() if published else None
        return make_etag(body), last_modified, body


# --- "Être recontacté" ----------------------------------------------------------------


class ContactFormTokenSerializer(serializers.Serializer):
    rendered_at = serializers.CharField(
        help_text=_("Jeton signé à renvoyer tel quel dans la demande (contrôle du temps).")
    )
    min_seconds = serializers.IntegerField(
        help_text=_("Délai minimal, en secondes, entre ce jeton et l'envoi de la demande.")
    )


class ContactRequestInputSerializer(serializers.Serializer):
    """Documents the body; validation is the site's form's (public_site.forms)."""

    first_name = serializers.CharField(max_length=100, help_text=_("Prénom."))
    phone = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Téléphone (ou e-mail, au moins l'un).")
    )
    email = serializers.CharField(required=False, allow_blank=True, help_text=_("E-mail."))
    commune = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Code INSEE de la commune.")
    )
    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=NeedArea.choices), required=False
    )
    consent = serializers.BooleanField(
        help_text=_("Accord explicite pour que la Mission Locale garde ces informations.")
    )
    website = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Piège à robots : laisser vide.")
    )
    rendered_at = serializers.CharField(help_text=_("Le jeton obtenu par GET."))


CONTACT_REQUEST_RECEIVED = _(
    "Merci ! Un conseiller ou une conseillère de la Mission Locale va te recontacter dans "
    "les prochains jours ouvrés."
)


def _form_data(data) -> QueryDict:
    """The JSON body as the site's form receives a POST. The commune is named by its INSEE
    code in the API and by its id in the form."""
    query = QueryDict(mutable=True)
    for name in ("first_name", "phone", "email", "website", "rendered_at"):
        value = data.get(name)
        if isinstance(value, str):
            query[name] = value
    needs = data.get("needs")
    if isinstance(needs, list):
        query.setlist("needs", [str(item) for item in needs])
    if data.get("consent") is True:
        query["consent"] = "on"
    commune = data.get("commune")
    if isinstance(commune, str) and commune:
        commune_id = Commune.objects.filter(insee_code=commune).values_list("pk", flat=True)
        # An unknown code stays an invalid choice for the form, which says so.
        query["commune"] = str(commune_id.first() or "inconnue")
    return query


class ContactRequestView(ProjectAPIMixin, APIView):
    """The site's "être recontacté" form as an API: same form, same consent, same honeypot,
    same time check and the same per-client rate limit (shared with the page)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="contact_requests_token",
        tags=["contact-requests"],
        summary=_("Jeton pour une demande « être recontacté »"),
        description=_(
            "À demander quand la personne ouvre le formulaire, et à renvoyer avec la demande : "
            "une demande envoyée moins de quelques secondes après est refusée, comme sur le "
            "site."
        ),
        responses={200: ContactFormTokenSerializer},
    )
    def get(self, request: Request):
        response = Response({"rendered_at": spam.sign_now(), "min_seconds": spam.MIN_FILL_SECONDS})
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        operation_id="contact_requests_create",
        tags=["contact-requests"],
        summary=_("Demander à être recontacté"),
        description=_(
            "Un jeune laisse son prénom, un moyen d'être joint (téléphone ou e-mail), sa "
            "commune, ses besoins et son accord. Les mêmes règles que le formulaire du site "
            "s'appliquent : messages par champ, accord obligatoire, champ piège, délai minimal "
            "depuis le jeton, et 5 demandes par heure et par connexion au plus (429). Une "
            "demande valide ouvre un parcours à la première étape, origine « site web »."
        ),
        request=ContactRequestInputSerializer,
        examples=[
            OpenApiExample(
                "Demande",
                value={
                    "first_name": "Lou",
                    "phone": "06 00 00 00 42",
                    "email": "",
                    "commune": "12176",
                    "needs": ["employment", "housing"],
                    "consent": True,
                    "website": "",
                    "rendered_at": "<jeton obtenu par GET>",
                },
                request_only=True,
            )
        ],
        responses={
            202: OpenApiResponse(
                MessageSerializer,
                description=_("Demande reçue."),
                examples=[
                    OpenApiExample(
                        "Reçue",
                        value={"detail": str(CONTACT_REQUEST_RECEIVED), "code": "received"},
                        response_only=True,
                    )
                ],
            ),
            **error_responses(400, 429),
        },
    )
    def post(self, request: Request):
        data = request.data if isinstance(request.data, dict) else {}
        try:
            form = receive_contact_request(request, _form_data(data))
        except TooManyContactRequests:
            raise Throttled(
                detail=_("Trop de demandes depuis cette connexion. Réessaie plus tard.")
            ) from None
        if not form.is_valid():
            errors = {
                ("non_field_errors" if name == "__all__" else name): list(messages)
                for name, messages in form.errors.items()
            }
            raise ValidationError(errors)
        return Response({"detail": str(CONTACT_REQUEST_RECEIVED), "code": "received"}, status=202)


urlpatterns = [
    path("agenda/", AgendaView.as_view(), name="api-agenda"),
    path("contact-requests/", ContactRequestView.as_view(), name="api-contact-requests"),
]


def register(router) -> None:
    """Add this app's viewsets to the project's DRF router."""
