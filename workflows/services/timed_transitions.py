"""Timed transitions: a coordinator sets on a transition of the definition "after N days in
the source stage without a contact" (or "after N days in the stage"), and the daily task
fires it, as the system, for the pathways that waited that long.

Which pathways are due is one SQL statement per timed transition of each live definition
(their stage, their stage entry, their last contact: stored columns), never a walk through
every pathway. The due pathways then move in batches, each its own transaction, through the
transition service's bulk entry point (`fire_transition_in_bulk`): the batch's rows are
locked and read again under the timer (a contact logged meanwhile takes a pathway out), and
each is checked and moved as a person's click would be (stage, conditions, django-fsm,
actions, the next relance, the history record, the access log), in a bounded number of
statements per batch; the record says it was automatic and names the rule. A large backlog
is neither loaded nor locked at once, and a second run finds nothing left to do.

`run_timed_transitions` is the one entry point, for the daily task, the
`run_timed_transitions` command and the benchmark; `due_counts` is what the definition's
preview shows."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from access_log.models import Channel

from ..choices import TimerKind
from ..models import Pathway, WorkflowDefinition
from ..specs import DefinitionSpec, TransitionSpec, live_spec
from .transitions import fire_transition_in_bulk

BATCH_SIZE = 200


@dataclass(frozen=True)
class TimedRule:
    """One timed transition of one live definition."""

    definition_id: int
    spec: DefinitionSpec
    transition: TransitionSpec


@dataclass(frozen=True)
class Move:
    """A pathway the run moved (or, dry, would move): ids and codes, never a name."""

    pathway_id: int
    transition_code: str
    from_stage: str
    to_stage: str


@dataclass
class TimedRunReport:
    """What a run did: the moves, and the due pathways the service refused, by refusal
    (a condition that does not hold, a pathway moved meanwhile…)."""

    moves: list[Move] = field(default_factory=list)
    refused: Counter = field(default_factory=Counter)

    @property
    def moved(self) -> int:
        return len(self.moves)


# Told after each batch: the rule, the batch's moves, the run's total so far.
Progress = Callable[[TimedRule, list[Move], int], None]


def timed_rules(definitions: QuerySet[WorkflowDefinition] | None = None) -> list[TimedRule]:
    """The timed transitions of the live definitions (one query; specs from their cache)."""
    rows = (definitions if definitions is not None else WorkflowDefinition.objects).filter(
        live=True
    )
    rules = []
    for definition in rows.only("pk", "live", "live_revision_id", "last_published_at"):
        spec = live_spec(definition)
        if spec is None:
            continue
        rules += [
            TimedRule(definition.pk, spec, transition)
            for transition in spec.transitions.values()
            if transition.is_timed
        ]
    return rules


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def due_pathways(rule: TimedRule, as_of: datetime.date) -> QuerySet[Pathway]:
    """The open pathways of the rule's definition, in one of its transition's source stages,
    whose clock (stage entry, or the last contact after it for "sans contact") is at least
    `timer_days` whole days old on `as_of`: a clock on day D is due from D + N."""
    transition = rule.transition
    threshold = _start_of(as_of - datetime.timedelta(days=(transition.timer_days or 0) - 1))
    pathways = Pathway.objects.filter(
        definition_id=rule.definition_id,
        stage__in=[code for code in transition.sources if code in rule.spec.stages],
        closed_at__isnull=True,
    )
    if transition.timer == TimerKind.NO_CONTACT:
        return pathways.annotate(
            timer_clock=Greatest(
                "entered_stage_at", Coalesce("last_contact_at", "entered_stage_at")
            )
        ).filter(timer_clock__lt=threshold)
    return pathways.filter(entered_stage_at__lt=threshold)


def due_counts(
    definition_id: int | None, spec: DefinitionSpec, as_of: datetime.date | None = None
) -> dict[str, int]:
    """How many of the definition's pathways each timed transition of `spec` (the version
    being edited, in the editor's preview) would move on `as_of`, today by default: one
    COUNT each, by transition code."""
    as_of = as_of or timezone.localdate()
    timed = [transition for transition in spec.transitions.values() if transition.is_timed]
    if definition_id is None:  # a definition never saved has no pathway
        return {transition.code: 0 for transition in timed}
    return {
        transition.code: due_pathways(TimedRule(definition_id, spec, transition), as_of).count()
        for transition in timed
    }


def run_timed_transitions(
    as_of: datetime.date | None = None,
    *,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    channel: Channel = Channel.TASK,
) -> TimedRunReport:
    """Fires every due timed transition as of `as_of` (today by default), in batches of
    `batch_size`, each move written to the access log under `channel`; `dry_run` lists
    what would move without changing anything."""
    as_of = as_of or timezone.localdate()
    report = TimedRunReport()
    for rule in timed_rules():
        due = due_pathways(rule, as_of)
        for page in _pages(due, batch_size):
            if dry_run:
                moves = [_move(rule, pk, stage) for pk, stage in page.items()]
            else:
                moves = _fire_batch(rule, due, page, report.refused, channel)
            report.moves += moves
            if progress is not None:
                progress(rule, moves, report.moved)
    return report


def _pages(due: QuerySet[Pathway], size: int) -> Iterator[dict[int, str]]:
    """Pages of due pathways by increasing id, as {id: stage}, each read afresh: a pathway
    moved drops out, and the last id seen moves on past one the service refused."""
    rows = due.order_by("pk").values_list("pk", "stage")
    last_pk = 0
    while page := dict(rows.filter(pk__gt=last_pk)[:size]):
        yield page
        last_pk = max(page)


def _move(rule: TimedRule, pathway_id: int, stage: str) -> Move:
    return Move(pathway_id, rule.transition.code, stage, rule.transition.target)


def _fire_batch(
    rule: TimedRule,
    due: QuerySet[Pathway],
    page: dict[int, str],
    refused: Counter,
    channel: Channel,
) -> list[Move]:
    """Moves the page's pathways still due once their rows are locked (a contact logged
    since the page was read takes one out), through the transition service's bulk entry
    point, in one transaction: a bounded number of statements per batch."""
    with transaction.atomic():
        outcome = fire_transition_in_bulk(
            due.filter(pk__in=list(page)),
            rule.transition.code,
            trigger=rule.transition.timer_description,
            channel=channel,
        )
    refused.update(outcome.refused)
    return [_move(rule, pk, from_stage) for pk, from_stage in outcome.moved]
