"""Reads the counsellors' and mediators' screens need beyond `selectors.py`. Every read of
pathways starts from `policies.visible_pathways`, so a screen never sees more than its user
may."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from access_log.models import AccessLogEntry, Channel
from territories.models import Antenna, Organisation

from . import policies
from .access_logging import logging_reads
from .models import OutreachRound, Pathway, WorkflowDefinition, Youth
from .selectors import LIST_RELATED


def live_definitions(user) -> QuerySet[WorkflowDefinition]:
    """The published definitions of the user's organisation, the ones used for new pathways
    first (the board's default)."""
    return policies.visible_definitions(
        user, WorkflowDefinition.objects.filter(live=True)
    ).order_by("-for_new_pathways", "name", "pk")


def round_pathways(user, outreach_round: OutreachRound) -> QuerySet[Pathway]:
    """The pathways identified during a maraude that this user may see (a list: the rows
    read are written to the access log)."""
    return logging_reads(
        user,
        policies.visible_pathways(user)
        .filter(outreach_round=outreach_round)
        .select_related(*LIST_RELATED)
        .order_by("created_at", "pk"),
        Channel.LIST,
    )


def link_candidates(user, outreach_round: OutreachRound, words: str) -> QuerySet[Pathway]:
    """The open pathways of the round's organisation, linked to no maraude, whose young
    person's first or last name holds every word: whom the round's mediator may link to it
    (`services.outreach.link_pathway`). None for who may not change the round, nor without
    a word of two letters; ten at most. A list: the rows shown are written to the access
    log."""
    words_typed = [word for word in words.split() if len(word) >= 2]
    if not words_typed or not policies.can_change_round(user, outreach_round):
        return Pathway.objects.none()
    candidates = Pathway.objects.filter(
        organisation_id=outreach_round.organisation_id,
        outreach_round__isnull=True,
        closed_at__isnull=True,
    )
    for word in words_typed:
        candidates = candidates.filter(
            Q(youth__first_name__icontains=word) | Q(youth__last_name__icontains=word)
        )
    return logging_reads(
        user,
        candidates.select_related(*LIST_RELATED, "antenna").order_by(
            "youth__last_name", "youth__first_name", "pk"
        )[:10],
        Channel.LIST,
    )


def _staff_in_roles(user, roles: list[str]) -> QuerySet:
    """Active people in any of `roles`, of the user's organisation (of every one for a
    superuser), by name."""
    people = get_user_model().objects.filter(groups__name__in=roles, is_active=True)
    return (
        policies.of_users_organisation(user, people, "staff_profile__organisation_id")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def referents(user) -> QuerySet:
    """The people who can be a pathway's référent, for the "Mes jeunes" filter: the
    counsellors of the user's organisation."""
    return _staff_in_roles(user, [policies.COUNSELLORS])


def pathway_referents(pathway: Pathway) -> QuerySet:
    """Whom a pathway's référent can be (`policies.can_be_referent`): the active
    counsellors of the pathway's organisation, whoever chooses (a superuser too), by name."""
    if pathway.organisation_id is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(
            groups__name=policies.COUNSELLORS,
            is_active=True,
            staff_profile__organisation_id=pathway.organisation_id,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def field_staff(user) -> QuerySet:
    """Who can lead a maraude: the mediators and coordinators of the user's organisation."""
    return _staff_in_roles(user, [policies.MEDIATORS, policies.COORDINATORS])


def organisations(user) -> QuerySet[Organisation]:
    """The organisations whose pathways the user may see, for the "Mes jeunes" filter."""
    return policies.of_users_organisation(user, Organisation.objects.order_by("name"), "pk")


def antennas(user) -> QuerySet[Antenna]:
    """The antennas of the user's organisation (every one for a superuser)."""
    return policies.of_users_organisation(user, Antenna.objects.order_by("name"))


def rounds(user) -> QuerySet[OutreachRound]:
    """The maraudes the user may see (`policies.visible_rounds`), newest first, with what
    their lists show ("dont repérés": the pathways linked to each): the one read behind the
    maraudes' list, search, export, pages and API."""
    return (
        policies.visible_rounds(user)
        .select_related("mediator", "commune", "organisation")
        .annotate(identified_count=Count("pathways", distinct=True))
        .order_by("-date", "-pk")
    )


def round_leaders(user) -> QuerySet:
    """Whom the maraude form offers as its mediator: a coordinator (or superuser) the
    field staff of their organisation, anyone else only themselves."""
    if policies.is_coordinator(user):
        return field_staff(user)
    return get_user_model().objects.filter(pk=user.pk)


def recent_rounds(user, *, days: int = 30) -> QuerySet[OutreachRound]:
    """The maraudes a repérage can be attached to: the user's own recent rounds (every
    recent round of the organisation for a coordinator), newest first."""
    since = timezone.localdate() - datetime.timedelta(days=days)
    rounds = policies.visible_rounds(user).filter(date__gte=since).order_by("-date", "-pk")
    if not policies.is_coordinator(user):
        rounds = rounds.filter(mediator=user)
    return rounds


def todays_round(user) -> OutreachRound | None:
    """The round the mediator is on today, offered by default on the repérage form."""
    return recent_rounds(user).filter(date=timezone.localdate(), mediator=user).first()


def access_log_entries(user) -> QuerySet[AccessLogEntry]:
    """The access log of the user's organisation (every one for a superuser), newest first,
    for who handles the young people's data rights; none for anyone else."""
    if not policies.can_handle_data_rights(user):
        return AccessLogEntry.objects.none()
    return policies.of_users_organisation(user, AccessLogEntry.objects.all()).order_by("-at", "-pk")


def youth_ids_named(user, words: str) -> list[int]:
    """The young people of the user's organisation whose first or last name holds every
    word: the access log's search by name, turned into ids. Nothing of their record is
    shown, so nothing is logged, and the words are written nowhere."""
    if not policies.can_handle_data_rights(user):
        return []
    youths = policies.of_users_organisation(user, Youth.objects.all(), "pathways__organisation_id")
    for word in words.split():
        youths = youths.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return list(youths.values_list("pk", flat=True).distinct())


def log_readers(user) -> QuerySet:
    """The people whose reads the access log's "user" filter offers: every account of the
    user's organisation, former staff included (every account for a superuser)."""
    people = get_user_model().objects.all()
    return policies.of_users_organisation(user, people, "staff_profile__organisation_id").order_by(
        "last_name", "first_name", "username"
    )
