"""Who reads the figures, and of what: coordinators and the read-only Direction role, each
for their organisation (superusers across organisations), as workflows.policies scopes
everything else; the "Réseau" group for the organisations of the networks its members
belong to (indicators.models.Network), together, small counts hidden. The dashboard, its
exports and the API all ask here."""

from __future__ import annotations

from django.db.models import QuerySet

from workflows.policies import (
    DIRECTION,
    NETWORK,
    group_names,
    is_coordinator,
    of_users_organisation,
)

from .models import Network


def is_direction(user) -> bool:
    return bool(user and user.is_authenticated and DIRECTION in group_names(user))


def network_organisation_ids(user) -> frozenset[int] | None:
    """For a member of the "Réseau" group, the organisations of the networks they belong
    to (none without one); None for anyone else. One query, once per request."""
    if NETWORK not in group_names(user):
        return None
    if not hasattr(user, "_figure_network_organisations"):
        rows = Network.objects.filter(members=user).values_list("organisations", flat=True)
        user._figure_network_organisations = frozenset(pk for pk in rows if pk is not None)
    return user._figure_network_organisations


def hides_small_counts(user) -> bool:
    """A network member reads figures that leave their organisations: never a count from
    1 to 4 (indicators.disclosure). Membership wins over any other role."""
    return network_organisation_ids(user) is not None


def can_read_figures(user) -> bool:
    return is_coordinator(user) or is_direction(user) or hides_small_counts(user)


def in_figures_scope(user, queryset: QuerySet, lookup: str = "organisation_id") -> QuerySet:
    """The rows whose figures the user reads: a network's organisations for a member, the
    user's organisation otherwise (every one for a superuser); none for whom may not read
    figures. `lookup` names the path from a row to its organisation's id."""
    if not can_read_figures(user):
        return queryset.none()
    organisations = network_organisation_ids(user)
    if organisations is not None:
        return queryset.filter(**{f"{lookup}__in": organisations})
    return of_users_organisation(user, queryset, lookup)
