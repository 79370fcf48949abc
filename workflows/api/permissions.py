"""Who may call the workflow API: authenticated users with a workflow role. Which pathways
each one sees is `policies.visible_pathways`' business, not a permission class's."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission, IsAuthenticated

from .. import policies


class HasWorkflowRole(BasePermission):
    """Coordinators, counsellors and mediators (Django groups); others get 403."""

    message = _("Votre compte n'a pas de rôle dans le suivi des parcours.")

    def has_permission(self, request, view) -> bool:
        return policies.has_workflow_role(request.user)


WORKFLOW_PERMISSIONS = [IsAuthenticated, HasWorkflowRole]
