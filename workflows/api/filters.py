"""How the pathway list is filtered and ordered. The filters are those of the admin's
"Mes jeunes" (`workflows.filters.CaseloadFilterSet`), so a filter means the same thing on
both sides; the API adds the ordering."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter

PATHWAY_FILTER_BACKENDS = [DjangoFilterBackend, OrderingFilter]
PATHWAY_ORDERING_FIELDS = [
    "entered_stage_at",
    "due_on",
    "created_at",
    "last_contact_at",
    "youth__last_name",
]
