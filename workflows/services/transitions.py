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
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from access_log.models import Channel

from .. import policies
from ..access_logging import log_change
from ..actions import ACTIONS, ActionContext
from ..conditions import ConditionContext, blocking_conditions
from ..forms import build_transition_form
from ..models import Pathway, TransitionRecord
from ..rules import STAGE_ENTRY_COLUMNS, given_answers, starts_from
from ..specs import DefinitionSpec, TransitionSpec, live_spec
from .errors import (
    ConditionFailed,
    InvalidFields,
    NoPublishedDefinition,
    NotAllowed,
    StalePathway,
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

        record = TransitionRecord(
            pathway=locked,
            kind=TransitionRecord.Kind.TRANSITION,
            actor=actor,
            transition_code=transition.code,
            transition_label=transition.label,
            from_stage=from_stage,
            from_stage_label=spec.stage_label(from_stage),
            to_stage=target.code,
            to_stage_label=target.label,
            to_category=target.category,
            answers=clean_answers,
            comment=comment,
            revision_id=spec.revision_id,
            automatic=bool(trigger),
            trigger=trigger,
        )
        record.action_results = run_actions(transition, locked, record, actor, now)
        # The follow-ups the actions planned (or closed) count in the next relance.
        refresh_due_on(locked, target)
        append_history([record], specs={spec.revision_id: spec} if spec.revision_id else None)
        log_change(actor, locked, channel)
    return locked


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
