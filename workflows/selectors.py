"""Reads for the admin screens and the API, already scoped to the user's role. Lists read
stored columns (stage, category, référent, due date), never evaluate the state machine row by
row, and run a fixed number of queries whatever the number of pathways."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import Case, Count, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext
from django_fsm import can_proceed
from wagtail.fields import StreamField
from wagtail.models import ModelLogEntry

from access_log.models import Channel

from . import policies
from .access_logging import log_pathway_read, logging_reads
from .choices import PathwayChange, ReferentChange
from .conditions import ConditionContext, blocking_conditions
from .models import Contact, Pathway, TransitionRecord, Youth
from .specs import DefinitionSpec, StageSpec, TransitionSpec, live_spec

LIST_RELATED = (
    "youth",
    "youth__commune",
    "youth__priority_neighbourhood",
    "referent",
    "organisation",
)


# A request "à attribuer": placed in an antenna, followed by nobody yet (closed pathways are
# left out by the lists themselves). `policies.awaits_referent` reads the same rule from a
# loaded pathway.
TO_ASSIGN = Q(antenna__isnull=False, referent__isnull=True)


def _overdue_annotation(today: datetime.date):
    # Closed pathways have no due date, so "due before today" is enough.
    return Case(When(due_on__lt=today, then=Value(True)), default=Value(False))


def display_name(user) -> str:
    """How the screens and the API name a person: full name, else username ("" for nobody)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def caseload(
    user,
    *,
    stage: str | None = None,
    category: str | None = None,
    referent: Any = None,
    commune: Any = None,
    priority_neighbourhood: Any = None,
    in_qpv: bool | None = None,
    overdue: bool | None = None,
    to_assign: bool | None = None,
    search: str = "",
    definition: Any = None,
    include_closed: bool = False,
    source: str | None = None,
    antenna: Any = None,
    organisation: str | None = None,
    today: datetime.date | None = None,
    channel: Channel,
) -> QuerySet[Pathway]:
    """ "Mes jeunes": the user's visible pathways with filters; ids or instances accepted
    (`organisation` by its slug: only narrows what the user may already see). Each row
    carries `is_overdue`. Most urgent first. The rows the caller finally reads (a page, an
    export) are written to the access log under `channel`, in one INSERT; the searched
    words never are."""
    today = today or timezone.localdate()
    queryset = policies.visible_pathways(user).select_related(*LIST_RELATED)
    if not include_closed:
        queryset = queryset.filter(closed_at__isnull=True)
    filters = {
        "definition": definition,
        "stage": stage,
        "stage_category": category,
        "referent": referent,
        "youth__commune": commune,
        "youth__priority_neighbourhood": priority_neighbourhood,
        "source": source,
        "antenna": antenna,
        "organisation__slug": organisation,
    }
    queryset = queryset.filter(**{key: value for key, value in filters.items() if value})
    if in_qpv is not None:
        queryset = queryset.filter(youth__priority_neighbourhood__isnull=not in_qpv)
    if overdue is True:
        queryset = queryset.filter(due_on__lt=today)
    elif overdue is False:
        queryset = queryset.exclude(due_on__lt=today)
    if to_assign is True:
        queryset = queryset.filter(TO_ASSIGN)
    elif to_assign is False:
        queryset = queryset.exclude(TO_ASSIGN)
    for word in search.split():
        queryset = queryset.filter(
            Q(youth__first_name__icontains=word) | Q(youth__last_name__icontains=word)
        )
    queryset = queryset.annotate(is_overdue=_overdue_annotation(today)).order_by(
        F("due_on").asc(nulls_last=True), "-entered_stage_at", "pk"
    )
    return logging_reads(user, queryset, channel)


@dataclass
class BoardColumn:
    stage: StageSpec
    count: int = 0
    overdue_count: int = 0
    to_assign_count: int = 0
    cards: list[Pathway] = field(default_factory=list)


def board(
    user,
    definition,
    *,
    per_stage: int = 10,
    today: datetime.date | None = None,
    **filters: Any,
) -> list[BoardColumn]:
    """One column per stage of the live definition, in the editor's order: the count, the
    overdue count, how many await a référent ("à attribuer") and the first `per_stage`
    cards (most urgent first). Three queries whatever the number of pathways or stages:
    counts per stage; the card ids, one indexed LIMIT per stage joined by UNION ALL; the
    cards themselves (and their access log entries, one INSERT)."""
    today = today or timezone.localdate()
    spec = live_spec(definition)
    if spec is None:
        return []
    base = caseload(
        user,
        definition=definition,
        include_closed=True,
        today=today,
        channel=Channel.BOARD,
        **filters,
    )
    columns = {code: BoardColumn(stage=stage) for code, stage in spec.stages.items()}
    counts = (
        base.order_by()
        .values("stage")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=Q(due_on__lt=today)),
            waiting=Count("pk", filter=TO_ASSIGN & Q(closed_at__isnull=True)),
        )
    )
    for row in counts:
        column = columns.get(row["stage"])
        if column is not None:
            column.count, column.overdue_count = row["n"], row["late"]
            column.to_assign_count = row["waiting"]
    stages_with_cards = [code for code, column in columns.items() if column.count]
    if not stages_with_cards:
        return list(columns.values())
    if connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL: one indexed "ORDER BY … LIMIT n" per stage, joined by UNION ALL.
        per_stage_ids = [
            base.filter(stage=code).values_list("pk", flat=True)[:per_stage]
            for code in stages_with_cards
        ]
        ids_query = per_stage_ids[0].union(*per_stage_ids[1:], all=True)
    else:
        # SQLite cannot limit the parts of a UNION: rank within each stage instead (only the
        # stages the board shows: a pathway may stand in one the live version dropped).
        ids_query = (
            base.filter(stage__in=stages_with_cards)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("stage")],
                    order_by=[
                        F("due_on").asc(nulls_last=True),
                        F("entered_stage_at").desc(),
                        F("pk"),
                    ],
                )
            )
            .filter(rank__lte=per_stage)
            .values_list("pk", flat=True)
        )
    cards = base.filter(pk__in=list(ids_query))
    for pathway in cards:
        columns[pathway.stage].cards.append(pathway)
    return list(columns.values())


def get_pathway(user, pk: int, *, channel: Channel) -> Pathway:
    """A pathway the user may see (Pathway.DoesNotExist otherwise: a 404 for screens),
    its reading written to the access log under `channel`."""
    pathway = (
        policies.visible_pathways(user)
        .select_related(
            *LIST_RELATED,
            "definition",
            "antenna",
            "outreach_round",
            "identified_by",
        )
        .annotate(is_overdue=_overdue_annotation(timezone.localdate()))
        .get(pk=pk)
    )
    log_pathway_read(user, pathway, channel)
    return pathway


@dataclass(frozen=True)
class TimelineEntry:
    # "start", "transition", "move", "expiry", "contact", "referent" or "change" (details
    # corrected, maraude linked)
    kind: str
    at: datetime.datetime
    actor: str
    title: str
    from_stage_label: str = ""
    to_stage_label: str = ""
    answers: dict = field(default_factory=dict)
    comment: str = ""
    action_results: list = field(default_factory=list)
    # The timed rule that fired it, when the system moved the pathway by itself.
    trigger: str = ""


def _youth_field_label(name: str) -> str:
    """A field of the young person's record by its label (a correction names fields)."""
    try:
        return str(Youth._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except FieldDoesNotExist:  # a field dropped since the entry was written
        return name


def _log_entry_title(entry: ModelLogEntry) -> str:
    """A référent change, a correction or a maraude link, as the timeline words it: the
    corrected fields by their labels, the round as it was named when linked."""
    if entry.action == PathwayChange.YOUTH_DETAILS:
        labels = [_youth_field_label(name) for name in entry.data.get("fields", [])]
        return gettext("Coordonnées corrigées : %(fields)s") % {"fields": ", ".join(labels)}
    if entry.action == PathwayChange.ROUND_LINKED:
        return gettext("Rattaché à la maraude %(round)s") % {"round": entry.data.get("round", "")}
    name = entry.data.get("referent", "")
    if entry.action == ReferentChange.TAKEN:
        return gettext("Pris en charge par %(name)s") % {"name": name}
    return gettext("Attribué à %(name)s") % {"name": name}


def pathway_timeline(pathway: Pathway) -> list[TimelineEntry]:
    """History, référent changes and contacts, newest first, in three queries. The caller
    has already obtained `pathway` through `get_pathway`, which checks the user's scope."""
    entries = [
        TimelineEntry(
            kind=record.kind,
            at=record.created_at,
            actor=display_name(record.actor),
            title=record.transition_label or record.get_kind_display(),
            from_stage_label=record.from_stage_label,
            to_stage_label=record.to_stage_label,
            answers=record.answers,
            comment=record.comment,
            action_results=record.action_results,
            trigger=record.trigger if record.automatic else "",
        )
        for record in TransitionRecord.objects.filter(pathway=pathway).select_related("actor")
    ]
    entries += [
        TimelineEntry(
            kind="contact",
            at=contact.happened_at,
            actor=display_name(contact.author),
            title=contact.get_kind_display(),
            comment=contact.note,
        )
        for contact in Contact.objects.filter(pathway=pathway).select_related("author")
    ]
    entries += [
        TimelineEntry(
            kind="referent" if entry.action in ReferentChange.values else "change",
            at=entry.timestamp,
            actor=display_name(entry.user),
            title=_log_entry_title(entry),
        )
        for entry in ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Pathway),
            object_id=str(pathway.pk),
            action__in=[*ReferentChange.values, *PathwayChange.values],
        ).select_related("user")
    ]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


@dataclass(frozen=True)
class AvailableTransition:
    transition: TransitionSpec
    # Conditions that do not hold yet: the button is shown disabled with these reasons.
    blocked_by: tuple[str, ...] = ()

    @property
    def enabled(self) -> bool:
        return not self.blocked_by


def available_transitions(
    user, pathway: Pathway, spec: DefinitionSpec | None = None
) -> list[AvailableTransition]:
    """The transitions this user may fire from the pathway's stage, in the editor's order,
    each with the conditions that still block it. No query per transition beyond what a
    condition itself needs."""
    spec = spec or live_spec(pathway.definition)
    if spec is None or pathway.closed_at is not None:
        return []
    context = ConditionContext(pathway=pathway, answers=pathway.answers, today=timezone.localdate())
    result = []
    for transition in spec.transitions_from(pathway.stage):
        if not policies.can_fire(user, transition):
            continue
        with pathway.considering(transition):
            if not can_proceed(pathway.move):
                continue
        blocked = blocking_conditions(transition, context, before_form=True)
        result.append(AvailableTransition(transition, tuple(blocked)))
    return result


def stage_choices(definition) -> list[tuple[str, str]]:
    """(code, label) of the live definition's stages, for filters."""
    spec = live_spec(definition)
    return [(stage.code, stage.label) for stage in spec.stages.values()] if spec else []


def has_unpublished_draft(definition) -> bool:
    """Whether the definition's latest revision says something else than its live one, in
    any field its editor shows (Wagtail's `has_unpublished_changes` is also set by a save or
    an autosave that changed nothing). Reads the revisions the list selected with the row."""
    if not definition.live or not definition.has_unpublished_changes:
        return False
    latest, live = definition.latest_revision, definition.live_revision
    if latest is None or live is None or latest.pk == live.pk:
        return False
    meta = type(definition)._meta
    return any(
        _as_saved(meta.get_field(name), latest.content.get(name))
        != _as_saved(meta.get_field(name), live.content.get(name))
        for name in definition.edited_field_names()
    )


def _as_saved(model_field, value):
    """A revision's field as the editor would save it again: a StreamField through its
    blocks (defaults filled in) and without the blocks' ids, which a save may renew."""
    if not isinstance(model_field, StreamField):
        return value
    if isinstance(value, str):
        value = json.loads(value or "[]")
    stream = model_field.stream_block.to_python(value or [])
    # Child by child: a stream keeps the raw data of a child nobody read, older formats
    # included; reading each value converts it.
    return [
        {"type": child.block_type, "value": _without_ids(child.block.get_prep_value(child.value))}
        for child in stream
    ]


def _without_ids(value):
    """…and with an empty text read the same whether stored as "" or null."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value
