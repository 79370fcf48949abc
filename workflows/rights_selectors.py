"""Reads of the "Droits des jeunes" screen, already scoped: the young people whose rights the
user may answer (the data-protection officer and the coordinators of an organisation: the
young people with a pathway there; a superuser: everyone)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from . import policies
from .models import Youth


def rights_youths(user) -> QuerySet[Youth]:
    """Every young person the user answers for; none for anyone else."""
    if not policies.can_handle_data_rights(user):
        return Youth.objects.none()
    scoped = policies.of_users_organisation(user, Youth.objects.all(), "pathways__organisation_id")
    # Filtering through pathways may repeat a young person; ids keep the result plain.
    return Youth.objects.filter(pk__in=scoped.values("pk"))


def search_rights_youths(user, query: str) -> QuerySet[Youth]:
    """The young people whose first or last name holds every word typed, by name, with their
    commune and their number of pathways (one query per page)."""
    words = query.split()
    if not words:
        return Youth.objects.none()
    found = rights_youths(user)
    for word in words:
        found = found.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return (
        found.select_related("commune")
        .annotate(pathway_count=Count("pathways"))
        .order_by("last_name", "first_name", "pk")
    )


def rights_youth(user, pk: int) -> Youth | None:
    """One young person the user answers for, or None (out of scope reads as absent)."""
    return (
        rights_youths(user)
        .select_related("commune", "priority_neighbourhood")
        .filter(pk=pk)
        .first()
    )


def erasure_counts(youth: Youth) -> dict[str, int]:
    """What an erasure of the young person removes, counted for the confirmation step
    (one query)."""
    counts = Youth.objects.filter(pk=youth.pk).aggregate(
        pathway_count=Count("pathways", distinct=True),
        contact_count=Count("pathways__contacts", distinct=True),
        history_count=Count("pathways__history", distinct=True),
        follow_up_count=Count("pathways__follow_ups", distinct=True),
    )
    # Aliased apart from the relations they count, which the query still joins through.
    return {
        "pathways": counts["pathway_count"],
        "contacts": counts["contact_count"],
        "history": counts["history_count"],
        "follow_ups": counts["follow_up_count"],
    }
