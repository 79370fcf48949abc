"""Admin menu items shown by role: the "Parcours" submenu opens for the workflow roles only,
and each of its items for the roles that use that screen. Registered by `wagtail_hooks`."""

from __future__ import annotations

from django.urls import reverse_lazy
from wagtail.admin.menu import MenuItem, SubmenuMenuItem

from . import policies


class RoleMenuItem(MenuItem):
    def __init__(self, label, url_name, *, roles: frozenset[str], **kwargs):
        # Resolved lazily: the admin's URLs are not loaded when the menu is registered.
        super().__init__(label, reverse_lazy(url_name), **kwargs)
        self.roles = roles

    def is_shown(self, request):
        user = request.user
        return user.is_superuser or bool(policies.group_names(user) & self.roles)


class RoleSubmenuMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return policies.has_workflow_role(request.user)


class DataRightsMenuItem(MenuItem):
    """In the Reports menu, for those who answer the young people's rights."""

    def is_shown(self, request):
        return policies.can_handle_data_rights(request.user)
