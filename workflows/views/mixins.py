"""What every workflow screen shares: who may open it and how its title shows."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .. import policies


class RoleRequiredMixin:
    """Screens for the workflow roles only; anyone else is refused before any read."""

    def dispatch(self, request, *args, **kwargs):
        if not policies.has_workflow_role(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TitledMixin:
    """The page's title as the last breadcrumb: Wagtail's slim header shows it as the
    page heading."""

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]
