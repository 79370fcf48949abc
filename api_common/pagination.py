"""Bounded pagination for every DRF list of the project."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 200


class BoundedPageNumberPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (at most 200): a client cannot ask for the whole table.
    A `page_size` that is no whole number from 1 is a 400, as the schema types it (DRF would
    silently use the default); a larger one than 200 gives 200."""

    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = _("Nombre de résultats par page, à partir de 1 (200 au plus).")
    page_query_description = _("Numéro de la page, à partir de 1.")
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = _("Cette page n'existe pas.")

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        str(_("Un nombre entier à partir de 1 est attendu."))
                    ]
                }
            )
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters
