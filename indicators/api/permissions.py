"""Who may read the figures through the API: the same rule as everywhere
(indicators.policies)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission, IsAuthenticated

from ..policies import can_read_figures


class CanReadFigures(BasePermission):
    message = _("Les indicateurs sont réservés aux coordinateurs, à la direction et aux réseaux.")

    def has_permission(self, request, view) -> bool:
        return can_read_figures(request.user)


FIGURES_PERMISSIONS = [IsAuthenticated, CanReadFigures]
