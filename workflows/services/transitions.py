"""Firing a transition: the one entry point for the admin, the API and background tasks.

Checks, in order: the pathway has not moved since the caller saw it; the transition exists
in the published definition and starts from the current stage; the user's group may fire
it; its conditions hold; its fields are valid. Then, in one database transaction, the
django-fsm transition changes the stage and what entering it sets (workflows.rules), ONE
history record is written and the actions run; anything leaving the process is sent on
commit."""

from __future__ import annotations

import datetime
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from access_log.models import Channel

from .. import policies
from ..access_logging import log_change, log_changes
from ..actions import ACTIONS, ActionContext
from ..conditions import ConditionContext, blocking_conditions
from ..forms import build_transition_form
from ..models import FollowUp, Pathway, TransitionRecord
from ..rules import STAGE_ENTRY_COLUMNS, compute_due_on, given_answers, stage_entry, starts_from
from ..specs import DefinitionSpec, StageSpec, TransitionSpec, live_spec
from .errors import (
    ConditionFailed,
    InvalidFields,
    NoPublishedDefinition,
    NotAllowed,
    StalePathway,
    TransitionRefused,
    UnknownTransition,
    WrongStage,
)
from .history import append_history
from .pathways import refresh_due_on

logger = logging.getLogger(__name__)

# What a transition changes on the pathway row (django-fsm's lock adds "AND stage = …").
TRANSITION_FIELDS = ["stage", "answers", *STAGE_ENTRY_COLUMNS]


def check_transition(
    pathway: Pathway,
    spec: DefinitionSpec,
    transition_code: str,
    *,
    actor,
    answers: dict[str, Any],
    today: datetime.date | None = None,
) -> tuple[TransitionSpec, dict[str, Any]]:
    """Every check but staleness; returns the transition and the cleaned answers."""
    transition = spec.transitions.get(transition_code)
    if transition is None:
        raise UnknownTransition(
            _("La transition « %(code)s » n'existe pas dans la définition publiée.")
            % {"code": transition_code}
        )
    if not starts_from(transition, pathway.stage):
        raise WrongStage(
            _("« %(transition)s » ne part pas de l'étape « %(stage)s » où se trouve le parcours.")
            % {"transition": transition.label, "stage": spec.stage_label(pathway.stage)}
        )
    if actor is not None and not (
        policies.can_fire(actor, transition) and policies.can_view_pathway(actor, pathway)
    ):
        raise NotAllowed(
            _("Votre rôle ne permet pas « %(transition)s » sur ce parcours.")
            % {"transition": transition.label}
        )
    context = ConditionContext(
        pathway=pathway,
        answers={**pathway.answers, **given_answers(answers)},
        today=today or timezone.localdate(),
    )
    failures = blocking_conditions(transition, context)
    if failures:
        raise ConditionFailed(failures)
    form = build_transition_form(transition, data=answers)
    if not form.is_valid():
        raise InvalidFields(
            {name: [str(error) for error in errors] for name, errors in form.errors.items()}
        )
    return transition, form.answers()


def fire_transition(
    pathway: Pathway,
    transition_code: str,
    *,
    actor,
    answers: dict[str, Any] | None = None,
    comment: str = "",
    expected_version: int | None = None,
    channel: Channel = Channel.FORM,
    trigger: str = "",
) -> Pathway:
    """`expected_version` is the pathway version the caller saw (defaults to the instance
    passed in). `actor=None` means the system itself (a scheduled task, `channel` TASK),
    which has no group to check; `trigger` is then the timed rule that fired it
    (workflows.services.timed_transitions), and the history record says it was automatic.
    Returns the updated pathway, the change written to the access log under `channel` in
    the same transaction; raises a TransitionRefused subclass otherwise."""
    answers = answers or {}
    if expected_version is None:
        expected_version = pathway.version
    with transaction.atomic():
        locked = (
            Pathway.objects.select_for_update(of=("self",))
            .select_related("definition", "youth")
            .get(pk=pathway.pk)
        )
        spec = live_spec(locked.definition)
        if spec is None:
            raise NoPublishedDefinition()
        if locked.version != expected_version:
            raise StalePathway(locked.stage, spec.stage_label(locked.stage), locked.version)
        transition, clean_answers = check_transition(
            locked, spec, transition_code, actor=actor, answers=answers
        )

        from_stage = locked.stage
        target = spec.stages[transition.target]
        with locked.considering(transition):
            if not can_proceed(locked.move):
                raise WrongStage(_("Cette transition ne part pas de l'étape actuelle."))
            locked.move(transition, target)
        now = locked.entered_stage_at
        # A blank optional field does not erase what an earlier transition recorded; the
        # history record keeps the answers exactly as given.
        locked.answers = {**locked.answers, **given_answers(clean_answers)}
        try:
            locked.save(update_fields=TRANSITION_FIELDS)
        except ConcurrentTransition:
            current = Pathway.objects.values_list("stage", "version").get(pk=locked.pk)
            raise StalePathway(current[0], spec.stage_label(current[0]), current[1]) from None

        record = _transition_record(
            locked,
            transition,
            spec,
            from_stage,
            actor=actor,
            answers=clean_answers,
            comment=comment,
            trigger=trigger,
        )
        record.action_results = run_actions(transition, locked, record, actor, now)
        # The follow-ups the actions planned (or closed) count in the next relance.
        refresh_due_on(locked, target)
        append_history([record], specs={spec.revision_id: spec} if spec.revision_id else None)
        log_change(actor, locked, channel)
    return locked


def _transition_record(
    pathway: Pathway,
    transition: TransitionSpec,
    spec: DefinitionSpec,
    from_stage: str,
    *,
    actor,
    answers: dict | None = None,
    comment: str = "",
    trigger: str = "",
    **moment,
) -> TransitionRecord:
    """The history record of one move, by a person or by a timer alike (not saved: the
    caller stores it with `append_history`, which adds the facts the figures read)."""
    target = spec.stages[transition.target]
    return TransitionRecord(
        pathway=pathway,
        kind=TransitionRecord.Kind.TRANSITION,
        actor=actor,
        transition_code=transition.code,
        transition_label=transition.label,
        from_stage=from_stage,
        from_stage_label=spec.stage_label(from_stage),
        to_stage=target.code,
        to_stage_label=target.label,
        to_category=target.category,
        answers=answers or {},
        comment=comment,
        revision_id=spec.revision_id,
        automatic=bool(trigger),
        trigger=trigger,
        **moment,
    )


def run_actions(transition: TransitionSpec, pathway: Pathway, record, actor, now) -> list[dict]:
    """Each action in a savepoint: a failure is rolled back alone, recorded on the history
    record and logged (without personal data); the transition itself stands."""
    context = ActionContext(pathway=pathway, record=record, actor=actor, now=now)
    results = []
    for action in transition.actions:
        try:
            with transaction.atomic():
                ACTIONS[action.code].run(context, action.params)
        except Exception as error:  # recorded and logged, never swallowed silently
            logger.warning(
                "Action %s en échec (parcours %s, transition %s) : %s",
                action.code,
                pathway.pk,
                transition.code,
                type(error).__name__,
            )
            results.append(
                {"action": action.code, "status": "failed", "error": type(error).__name__}
            )
        else:
            results.append({"action": action.code, "status": "ok"})
    return results


@dataclass
class BulkOutcome:
    """What `fire_transition_in_bulk` did: the pathways moved (id, stage left) and the
    refusals, counted by their kind."""

    moved: list[tuple[int, str]] = field(default_factory=list)
    refused: Counter = field(default_factory=Counter)


def fire_transition_in_bulk(
    pathways: QuerySet[Pathway],
    transition_code: str,
    *,
    trigger: str,
    channel: Channel = Channel.TASK,
) -> BulkOutcome:
    """The system fires one transition on many pathways (a timed transition's batch,
    workflows.services.timed_transitions), with the checks and effects of `fire_transition`
    in a bounded number of statements: the rows of `pathways` are locked and read in one
    query; each one is checked by `check_transition` (stage, conditions, fields) and moved
    by the same django-fsm transition; then one UPDATE moves them all, at one moment, each
    history record marked automatic with `trigger` is written by one `append_history`, the
    actions run for each (in their savepoints, as for a person), the next relances are
    computed by the one rule and stored in one statement, and the access log gets one
    INSERT. Call it inside the caller's transaction, which holds the batch."""
    outcome = BulkOutcome()
    locked = list(
        pathways.select_for_update(of=("self",))
        .select_related("definition", "youth")
        .order_by("pk")
    )
    now = timezone.now()
    moved: list[tuple[Pathway, TransitionSpec, DefinitionSpec, str]] = []
    for pathway in locked:
        spec = live_spec(pathway.definition)
        try:
            if spec is None:
                raise NoPublishedDefinition()
            transition, _answers = check_transition(
                pathway, spec, transition_code, actor=None, answers={}
            )
            target = spec.stages[transition.target]
            from_stage = pathway.stage
            with pathway.considering(transition):
                if not can_proceed(pathway.move):
                    raise WrongStage(_("Cette transition ne part pas de l'étape actuelle."))
                pathway.move(transition, target)
        except (TransitionRefused, NoPublishedDefinition) as refusal:
            outcome.refused[type(refusal).__name__] += 1
            continue
        pathway.entered_stage_at = now  # one moment for the batch: one stay-closing UPDATE
        moved.append((pathway, transition, spec, from_stage))
    if not moved:
        return outcome

    by_target: dict[StageSpec, list[Pathway]] = defaultdict(list)
    for pathway, transition, spec, _from in moved:
        by_target[spec.stages[transition.target]].append(pathway)
    for target, group in by_target.items():
        entry = stage_entry(target, now=now, previous_version=F("version"))
        entry.pop("due_on")  # computed below, once the actions have planned their follow-ups
        Pathway.objects.filter(pk__in=[p.pk for p in group]).update(stage=target.code, **entry)
        for pathway in group:
            # As a save would: an action saving the pathway is checked against its new stage.
            pathway._update_initial_state()

    records = []
    for pathway, transition, spec, from_stage in moved:
        record = _transition_record(
            pathway, transition, spec, from_stage, actor=None, trigger=trigger, created_at=now
        )
        record.action_results = run_actions(transition, pathway, record, None, now)
        records.append(record)
        outcome.moved.append((pathway.pk, from_stage))
    _store_due_dates([(pathway, spec.stages[t.target]) for pathway, t, spec, _f in moved])
    append_history(records, specs={s.revision_id: s for _p, _t, s, _f in moved if s.revision_id})
    log_changes(None, [pathway for pathway, *_rest in moved], channel)
    return outcome


def _store_due_dates(moved: list[tuple[Pathway, StageSpec]]) -> None:
    """The next relance of each pathway moved, by `rules.compute_due_on` with the follow-ups
    still open (those the actions just planned included): two statements for the batch."""
    planned: dict[int, list] = defaultdict(list)
    for pathway_id, due_on in FollowUp.objects.filter(
        pathway_id__in=[pathway.pk for pathway, _stage in moved], done_at__isnull=True
    ).values_list("pathway_id", "due_on"):
        planned[pathway_id].append(due_on)
    for pathway, stage in moved:
        pathway.due_on = compute_due_on(
            stage, pathway.entered_stage_at, pathway.last_contact_at, planned[pathway.pk]
        )
    Pathway.objects.bulk_update([pathway for pathway, _stage in moved], ["due_on"])
