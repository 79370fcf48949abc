"""Who may see and do what. Roles are Django groups; every selector starts from
`visible_pathways`, and the transition service asks `can_fire`."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Pathway, StaffProfile
from .specs import TransitionSpec

COORDINATORS = "Coordinateurs"
COUNSELLORS = "Conseillers"
MEDIATORS = "Médiateurs"
ROLES = (COORDINATORS, COUNSELLORS, MEDIATORS)


def group_names(user) -> frozenset[str]:
    """Cached on the user object: a page asks several times."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_workflow_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._workflow_group_names = cached
    return cached


def user_antenna_id(user) -> int | None:
    cached = getattr(user, "_workflow_antenna_id", False)
    if cached is False:
        cached = StaffProfile.objects.filter(user=user).values_list("antenna_id", flat=True).first()
        user._workflow_antenna_id = cached
    return cached


def is_coordinator(user) -> bool:
    return bool(
        user and user.is_authenticated and (user.is_superuser or COORDINATORS in group_names(user))
    )


def has_workflow_role(user) -> bool:
    return bool(
        user and user.is_authenticated and (user.is_superuser or group_names(user) & set(ROLES))
    )


def visible_pathways(user, queryset: QuerySet | None = None) -> QuerySet:
    """Coordinators see every pathway; counsellors their caseload (référent) and their
    antenna's; mediators the ones they identified or follow. Anyone else sees none."""
    queryset = Pathway.objects.all() if queryset is None else queryset
    if not has_workflow_role(user):
        return queryset.none()
    if is_coordinator(user):
        return queryset
    groups = group_names(user)
    scope = Q(referent=user)
    if COUNSELLORS in groups:
        antenna_id = user_antenna_id(user)
        if antenna_id is not None:
            scope |= Q(antenna_id=antenna_id)
    if MEDIATORS in groups:
        scope |= Q(identified_by=user)
    return queryset.filter(scope)


def can_view_pathway(user, pathway) -> bool:
    """The same rule as `visible_pathways`, read from a loaded pathway (no query once the
    user's groups and antenna are cached)."""
    if not has_workflow_role(user):
        return False
    if is_coordinator(user) or pathway.referent_id == user.pk:
        return True
    groups = group_names(user)
    if (
        COUNSELLORS in groups
        and pathway.antenna_id is not None
        and pathway.antenna_id == user_antenna_id(user)
    ):
        return True
    return MEDIATORS in groups and pathway.identified_by_id == user.pk


def can_fire(user, transition: TransitionSpec) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or bool(group_names(user) & transition.allowed_groups)
