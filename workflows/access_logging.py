"""What the workflow app writes in the access log (the `access_log` app): which young
person's record was read, exported or changed, by whom, through which channel. Called by
the selectors and services themselves, never by a screen, so no screen, export, endpoint or
task can forget it. Entries hold ids only; a superuser's read of another organisation's
pathway is marked "other_organisation", so that access across organisations stands out
(docs/architecture.md, "Organisations")."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from access_log.models import Action, Channel
from access_log.reads import on_read
from access_log.services import Subject, record

from . import policies
from .models import Pathway

OTHER_ORGANISATION = "other_organisation"


def subject_of(pathway: Pathway) -> Subject:
    return Subject(
        youth_id=pathway.youth_id,
        organisation_id=pathway.organisation_id,
        pathway_id=pathway.pk,
    )


def read_action(channel: Channel) -> Action:
    """An export is logged as such; every other read is a consultation."""
    return Action.EXPORT if channel == Channel.EXPORT else Action.READ


def log_pathway_read(user, pathway: Pathway, channel: Channel) -> None:
    """One pathway opened (page, form, API detail or history)."""
    cross = policies.user_organisation_id(user) != pathway.organisation_id
    record(
        user,
        read_action(channel),
        channel,
        [subject_of(pathway)],
        detail=OTHER_ORGANISATION if cross and user is not None else "",
    )


def log_pathways_read(user, pathways: Iterable[Pathway], channel: Channel) -> None:
    """The rows of a list, a board or an export, in one INSERT."""
    record(user, read_action(channel), channel, [subject_of(pathway) for pathway in pathways])


def logging_reads(user, queryset: QuerySet[Pathway], channel: Channel) -> QuerySet[Pathway]:
    """`queryset`, logging the pathways it reads once the caller has filtered, ordered and
    paginated it: only the rows actually shown or exported are logged."""
    return on_read(queryset, lambda pathways: log_pathways_read(user, pathways, channel))


def log_change(user, pathway: Pathway, channel: Channel) -> None:
    """A pathway created, moved, or a contact recorded on it (`user` None: the system)."""
    record(user, Action.CHANGE, channel, [subject_of(pathway)])


def log_changes(user, pathways: list[Pathway], channel: Channel) -> None:
    """Pathways moved together (a timed transition's batch): one INSERT for all."""
    record(user, Action.CHANGE, channel, [subject_of(pathway) for pathway in pathways])
