"""Bounded pagination for every DRF list of the project."""

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 200


class BoundedPageNumberPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (at most 200): a client cannot ask for the whole table."""

    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = _("Nombre de résultats par page (200 au plus).")
    page_query_description = _("Numéro de la page, à partir de 1.")
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = _("Cette page n'existe pas.")
