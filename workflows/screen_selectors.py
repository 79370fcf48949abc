"""Reads the counsellors' and mediators' screens need beyond `selectors.py`. Every read of
pathways starts from `policies.visible_pathways`, so a screen never sees more than its user
may."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from . import policies
from .models import OutreachRound, Pathway, WorkflowDefinition
from .selectors import LIST_RELATED


def live_definitions() -> QuerySet[WorkflowDefinition]:
    """The published definitions, the ones used for new pathways first (the board's
    default)."""
    return WorkflowDefinition.objects.filter(live=True).order_by("-for_new_pathways", "name")


def round_pathways(user, outreach_round: OutreachRound) -> QuerySet[Pathway]:
    """The pathways identified during a maraude that this user may see."""
    return (
        policies.visible_pathways(user)
        .filter(outreach_round=outreach_round)
        .select_related(*LIST_RELATED)
        .order_by("created_at", "pk")
    )


def referents():
    """The people who can be a pathway's référent, for the "Mes jeunes" filter."""
    return (
        get_user_model()
        .objects.filter(groups__name=policies.COUNSELLORS, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def recent_rounds(user, *, days: int = 30) -> QuerySet[OutreachRound]:
    """The maraudes a repérage can be attached to: the user's own recent rounds (every
    recent round for a coordinator), newest first."""
    since = timezone.localdate() - datetime.timedelta(days=days)
    rounds = OutreachRound.objects.filter(date__gte=since).order_by("-date", "-pk")
    if not policies.is_coordinator(user):
        rounds = rounds.filter(mediator=user)
    return rounds


def todays_round(user) -> OutreachRound | None:
    """The round the mediator is on today, offered by default on the repérage form."""
    return recent_rounds(user).filter(date=timezone.localdate(), mediator=user).first()
