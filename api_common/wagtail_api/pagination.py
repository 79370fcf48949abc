"""Wagtail's `offset` / `limit` pagination, checked first with French messages: a client
learns which parameter to fix, and no offset beyond what a database counts reaches a query."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from wagtail.api.v2.pagination import WagtailPagination

from .errors import invalid_query

# Far beyond any listing of pages, well inside a 64-bit OFFSET on every database.
MAX_OFFSET = 2**31 - 1


def _bounded_integer(raw: str | None, maximum: int) -> int | None:
    """The value as an integer between 0 and `maximum`, None when absent; ValueError else."""
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise ValueError
    value = int(raw)
    if value > maximum:
        raise ValueError
    return value


class BoundedWagtailPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        limit_max = getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20)
        problems: dict[str, list[str]] = {}
        try:
            _bounded_integer(request.GET.get("offset"), MAX_OFFSET)
        except ValueError:
            problems["offset"] = [
                _("Un nombre entier entre 0 et %(max)s est attendu.") % {"max": MAX_OFFSET}
            ]
        try:
            _bounded_integer(request.GET.get("limit"), limit_max or MAX_OFFSET)
        except ValueError:
            problems["limit"] = [
                _("Un nombre entier entre 0 et %(max)s est attendu.")
                % {"max": limit_max or MAX_OFFSET}
            ]
        if problems:
            raise invalid_query(problems)
        return super().paginate_queryset(queryset, request, view)
