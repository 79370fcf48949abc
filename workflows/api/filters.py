"""How the pathway list is filtered and ordered. The filters are those of the admin's
"Mes jeunes" (`workflows.filters.CaseloadFilterSet`), so a filter means the same thing on
both sides; the API adds the ordering, and refuses a typed filter sent empty."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from api_common.strict import empty_parameter_errors

# A yes/no filter as the schema types it (a boolean); the admin's drawer sends the same.
BOOLEANS = ("true", "false")
NOT_A_BOOLEAN = _("Valeurs possibles : « true » ou « false ».")


class TypedFilterBackend(DjangoFilterBackend):
    """The admin's drawer sends `?category=` for "all"; the API's schema types the filter as
    one of its values, so `?category=` there is a 400 (as `?antenna=`, `?qpv=`), not "all";
    a yes/no filter is `true` or `false`, nothing else read as "all". Text filters (a stage
    code, a slug, the search words) may be empty."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            typed = [
                name
                for name, declared in filterset_class.base_filters.items()
                if not isinstance(declared, django_filters.CharFilter)
                and not isinstance(declared, django_filters.ModelChoiceFilter)
            ]
            errors = empty_parameter_errors(request.query_params, typed)
            errors.update(
                {
                    name: [str(NOT_A_BOOLEAN)]
                    for name, declared in filterset_class.base_filters.items()
                    if isinstance(declared, django_filters.BooleanFilter)
                    and request.query_params.get(name, "true") not in BOOLEANS
                    and name not in errors
                }
            )
            if errors:
                raise ValidationError(errors)
        return super().filter_queryset(request, queryset, view)


PATHWAY_FILTER_BACKENDS = [TypedFilterBackend, OrderingFilter]
PATHWAY_ORDERING_FIELDS = [
    "entered_stage_at",
    "due_on",
    "created_at",
    "last_contact_at",
    "youth__last_name",
]
