"""The public API's views: the permanence agenda and the "être recontacté" request. Both read
and write through the same selectors, form and services as the pages, so the site and the API
cannot disagree."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
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
from public_site import sections, selectors, spam
from public_site.services import TooManyContactRequests, receive_contact_request
from territories.models import Commune

from .examples import AGENDA_EXAMPLE
from .representation import agenda_items
from .serializers import (
    AgendaOccurrenceSerializer,
    AgendaQuerySerializer,
    ContactFormTokenSerializer,
    ContactRequestInputSerializer,
)

AGENDA_MAX_AGE = 300  # seconds: a cancellation reaches clients within five minutes


class AgendaPagination(BoundedPageNumberPagination):
    page_size = 100


class AgendaView(ProjectAPIMixin, APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    shared_cache = True  # public dates, the same for everyone: `conditional_response` caches
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
        organisation = params.get("organisation")
        home = sections.home_of(organisation) if organisation is not None else None
        pages = (
            []
            if organisation is not None and home is None  # a Mission Locale without pages yet
            else selectors.agenda_permanences(
                commune_id=params.get("commune"),
                service=params.get("service"),
                venue_id=params.get("venue"),
                within=home,
            )
        )
        slugs = {
            page_id: found.slug for page_id, found in sections.organisation_by_path(pages).items()
        }
        entries = selectors.agenda(pages, params["start"], params["end"])
        page_entries = paginator.paginate_queryset(entries, request, view=self)
        items = agenda_items(page_entries, request, slugs)
        body = dict(paginator.get_paginated_response(items).data)
        published = [page.last_published_at for page in pages if page.last_published_at]
        last_modified = max(published).timestamp() if published else None
        return make_etag(body), last_modified, body


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
            "site. Un jeton ne sert qu'à une demande reçue : renvoyé une seconde fois, il est "
            "refusé (400, « Ce formulaire a déjà été envoyé. ») ; une demande refusée pour une "
            "autre raison le garde valable."
        ),
        responses={200: ContactFormTokenSerializer},
    )
    def get(self, request: Request):
        # Kept by no cache (ProjectAPIMixin): each form needs its own moment.
        return Response({"rendered_at": spam.sign_now(), "min_seconds": spam.MIN_FILL_SECONDS})

    @extend_schema(
        operation_id="contact_requests_create",
        tags=["contact-requests"],
        summary=_("Demander à être recontacté"),
        description=format_lazy(
            _(
                "Un jeune laisse son prénom, un moyen d'être joint (téléphone ou e-mail), sa "
                "commune, ses besoins et son accord. Les mêmes règles que le formulaire du site "
                "s'appliquent : messages par champ, accord obligatoire, champ piège, délai "
                "minimal depuis le jeton, et {limit} demandes par heure et par connexion au plus "
                "(429, avec l'en-tête Retry-After en secondes). Une demande valide ouvre un "
                "parcours à la première étape, origine « site web »."
            ),
            limit=spam.RATE_LIMIT,
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
            refusal = Throttled(
                detail=_("Trop de demandes depuis cette connexion. Réessaie plus tard.")
            )
            # Set after: given to the constructor, DRF would append its own sentence.
            refusal.wait = spam.RATE_WINDOW_SECONDS  # sent as Retry-After
            raise refusal from None
        if not form.is_valid():
            errors = {
                ("non_field_errors" if name == "__all__" else name): list(messages)
                for name, messages in form.errors.items()
            }
            raise ValidationError(errors)
        return Response({"detail": str(CONTACT_REQUEST_RECEIVED), "code": "received"}, status=202)
