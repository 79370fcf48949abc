"""The read API's viewsets: Wagtail's own, with the project's refusals. Content is public
(the project's default permission, authenticated only, is for the workflow API); Wagtail
already lists only live pages whose section is not restricted."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from api_common.errors import ProjectAPIMixin

from .errors import bad_request, invalid_query
from .pagination import BoundedWagtailPagination

# What a person types in a search box; far more is no search.
MAX_SEARCH_LENGTH = 255
# `fields` names a few fields, nested a level or two; its parser recurses on parentheses.
MAX_FIELDS_LENGTH = 1000
SEARCH_OPERATORS = ("and", "or")
FILTER_VALUE_REFUSED = gettext_lazy(
    "Une valeur de filtre ne convient pas à son champ (date, nombre ou oui/non hors limites)."
)


def query_problems(request: Request) -> dict[str, list[str]]:
    """What Wagtail would take as is and fail on deeper down (a search operator it does not
    know, an `id` that is no number), or that no client needs (a search of a page long)."""
    params = request.GET
    problems: dict[str, list[str]] = {}
    if len(params.get("search", "")) > MAX_SEARCH_LENGTH:
        problems["search"] = [
            _("La recherche dépasse %(max)s caractères.") % {"max": MAX_SEARCH_LENGTH}
        ]
    if params.get("search_operator") not in (None, *SEARCH_OPERATORS):
        problems["search_operator"] = [_("Valeurs possibles : « and » ou « or ».")]
    if len(params.get("fields", "")) > MAX_FIELDS_LENGTH:
        problems["fields"] = [
            _("La liste de champs dépasse %(max)s caractères.") % {"max": MAX_FIELDS_LENGTH}
        ]
    if "id" in params and not (params["id"].isascii() and params["id"].isdigit()):
        problems["id"] = [_("Un identifiant (nombre entier positif) est attendu.")]
    if len(params.get("html_path", "")) > MAX_FIELDS_LENGTH:
        problems["html_path"] = [
            _("Le chemin dépasse %(max)s caractères.") % {"max": MAX_FIELDS_LENGTH}
        ]
    return problems


class ProjectReadAPIMixin(ProjectAPIMixin):
    """Public, and refusing in the API's shape and in French (`errors`)."""

    permission_classes = [AllowAny]
    pagination_class = BoundedWagtailPagination
    # As Wagtail answers: public content, its caching left to Wagtail and the proxies.
    shared_cache = True
    not_found_message = gettext_lazy("Introuvable.")

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        problems = query_problems(request)
        if problems:
            raise invalid_query(problems)

    def listing_view(self, request: Request):
        """Wagtail's field filters hand the raw value to the field: a date of year 1 (which
        no time zone can shift) fails when the query runs, a word for a date when it is
        built. Either is the client's value, refused here with a 400."""
        try:
            return super().listing_view(request)  # type: ignore[misc]  # mixed into a viewset
        except (DjangoValidationError, OverflowError):
            raise invalid_query({"non_field_errors": [str(FILTER_VALUE_REFUSED)]}) from None

    def handle_exception(self, exc: Exception):
        if isinstance(exc, BadRequestError):
            exc = bad_request(exc)
        elif isinstance(exc, Http404):
            exc = NotFound(self.not_found_message)
        return super().handle_exception(exc)  # type: ignore[misc]  # mixed into a viewset


def prefetch_for_api(pages: list) -> None:
    """Let each page model read what its API fields need for the whole listing page at once
    (a classmethod `prefetch_for_api(pages)` on the model), so the listing's queries do not
    grow with the number of items whatever `fields` asks for. Duck-typed: this app knows no
    page model. Every page's `meta.locale` is read here, one query for all."""
    prefetch_related_objects(pages, "locale")
    by_model: dict[type, list] = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for model, same in by_model.items():
        prefetch = getattr(model, "prefetch_for_api", None)
        if prefetch is not None:
            prefetch(same)


class ProjectPagesAPIViewSet(ProjectReadAPIMixin, PagesAPIViewSet):
    not_found_message = gettext_lazy(
        "Aucune page publiée ne correspond (identifiant, chemin, langue ou site)."
    )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is None:
            return None
        items = list(page)
        prefetch_for_api(items)
        return items


class ProjectImagesAPIViewSet(ProjectReadAPIMixin, ImagesAPIViewSet):
    not_found_message = gettext_lazy("Aucune image ne porte cet identifiant.")


class ProjectDocumentsAPIViewSet(ProjectReadAPIMixin, DocumentsAPIViewSet):
    not_found_message = gettext_lazy("Aucun document ne porte cet identifiant.")
