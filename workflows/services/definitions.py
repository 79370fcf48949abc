"""Publishing a definition: the checks (workflows.validation) run on the revision about to go
live, then the pathways of stages the new version drops are moved as the coordinator said,
with a history record each, in the publish transaction. `WorkflowDefinition.publish` calls
`prepare_publish`: every publish passes through it, from the editor or from code."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

# From their own modules, not from the models package: the definition model imports this
# module while that package loads (Wagtail publishes through the model's `publish`).
from ..models.history import TransitionRecord
from ..models.pathway import Pathway
from ..rules import stage_entry
from ..specs import DefinitionSpec, live_spec, spec_from_stream
from ..validation import check_definition, items_from_stream, stage_moves_from_value
from .errors import DefinitionInvalid
from .history import append_history


def prepare_publish(definition, revision, *, actor) -> None:
    """Validates the revision about to go live and moves the pathways of dropped stages where
    its "déplacement des parcours" says, recording each move. Runs inside the publish
    transaction (WorkflowDefinition.publish)."""
    new_object = revision.as_object()
    report = check_definition(items_from_stream(new_object.elements))
    if report:
        raise DefinitionInvalid(report.messages())
    stage_moves = stage_moves_from_value(new_object.stage_moves)
    message = definition.stranded_pathways_message(new_object.elements, stage_moves)
    if message:
        raise DefinitionInvalid(message)

    old_spec = live_spec(definition)
    new_spec = spec_from_stream(new_object.elements, revision.pk)
    move_pathways_for_publish(
        definition,
        revision,
        old_spec=old_spec,
        new_spec=new_spec,
        stage_moves=stage_moves,
        actor=actor,
    )
    # Categories are stored on pathways for lists and reports: keep them in step.
    for stage in new_spec.stages.values():
        Pathway.objects.filter(definition=definition, stage=stage.code).exclude(
            stage_category=stage.category
        ).update(stage_category=stage.category)


def move_pathways_for_publish(
    definition,
    revision,
    *,
    old_spec: DefinitionSpec | None,
    new_spec: DefinitionSpec,
    stage_moves: dict[str, str],
    actor,
) -> int:
    """Moves the pathways standing in stages the new revision drops, as the coordinator
    said, with one history record each pointing at the new revision. Returns how many
    moved. Call inside the publish transaction."""
    now = timezone.now()
    moved = 0
    for from_code, to_code in stage_moves.items():
        if from_code in new_spec.stages:
            continue
        pathways = Pathway.objects.select_for_update().filter(
            definition=definition, stage=from_code
        )
        ids = list(pathways.values_list("pk", flat=True))
        if not ids:  # a move left over from an earlier version: nothing stands there now
            continue
        target = new_spec.stages[to_code]  # checked by stranded_pathways_message
        # The stage's columns for every row (a bulk update: no last contact per row, which
        # cannot be later than now anyway).
        entry = stage_entry(target, now=now, previous_version=F("version"))
        # A closed pathway keeps its closing date (the retention clock runs from it) and
        # stays closed; an open one enters its new stage afresh.
        Pathway.objects.filter(pk__in=ids, closed_at__isnull=False).update(
            stage=to_code, stage_category=entry["stage_category"], version=entry["version"]
        )
        Pathway.objects.filter(pk__in=ids, closed_at__isnull=True).update(stage=to_code, **entry)
        append_history(
            [
                TransitionRecord(
                    pathway_id=pk,
                    kind=TransitionRecord.Kind.MOVE,
                    created_at=now,
                    actor=actor,
                    from_stage=from_code,
                    from_stage_label=old_spec.stage_label(from_code) if old_spec else from_code,
                    to_stage=to_code,
                    to_stage_label=target.label,
                    to_category=target.category,
                    comment=_("Étape retirée de la définition à la publication."),
                    revision=revision,
                )
                for pk in ids
            ]
        )
        moved += len(ids)
    return moved
