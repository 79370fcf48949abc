"""Which role opens which admin screen: Wagtail permission policies read from the workflow
roles (the groups of `policies`), not from Django model permissions, because the roles are
what the coordinators manage. Which rows a user sees stays in `policies`; see
docs/architecture.md."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from . import policies
from .models import OutreachRound, Pathway


class RolePermissionPolicy(BasePermissionPolicy):
    """Permissions by role (the groups of `policies`), not by Django model permissions: the
    roles are what the coordinators manage. Row scoping stays in `policies`."""

    def __init__(self, model, roles_by_action: dict[str, frozenset[str]]):
        super().__init__(model)
        self.roles_by_action = roles_by_action

    def user_has_permission(self, user, action):
        if not (user and user.is_active and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        return bool(policies.group_names(user) & self.roles_by_action.get(action, frozenset()))

    def users_with_any_permission(self, actions):
        roles = set().union(*(self.roles_by_action.get(action, frozenset()) for action in actions))
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__name__in=roles))
            .distinct()
        )

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if isinstance(instance, OutreachRound):
            if action in ("change", "delete"):
                return policies.can_change_round(user, instance)
            return policies.in_scope_organisation(user, instance.organisation_id)
        return True


ALL_ROLES = frozenset(policies.ROLES)
FIELD_ROLES = policies.FIELD_ROLES
COUNSELLING_ROLES = frozenset({policies.COORDINATORS, policies.COUNSELLORS})

pathway_policy = RolePermissionPolicy(Pathway, {"view": ALL_ROLES})
outreach_policy = RolePermissionPolicy(
    OutreachRound,
    {
        "view": ALL_ROLES,
        "add": FIELD_ROLES,
        "change": FIELD_ROLES,
        "delete": frozenset({policies.COORDINATORS}),
    },
)
