"""Writing a pathway's history: the one way every writer (a pathway started, a transition, a
move at publish, a closure by the retention clock) adds its records, so that each carries
what the figures read (indicators): the category it comes from, whether it is the pathway's
first entry into its category, what its tagged answers mean, and, on the record before it,
when the pathway left that stage. Counting a period is then a query over rows, never a walk
through every pathway's past."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from ..models.history import TransitionRecord
from ..reporting import ReportingTag
from ..specs import DefinitionSpec, revision_specs


def append_history(
    records: Sequence[TransitionRecord],
    *,
    specs: Mapping[int, DefinitionSpec] | None = None,
) -> None:
    """Saves `records`, each newer than anything its pathway already has (several for one
    pathway in their order; a writer of many gives them one time, which closes the stays
    before them in one statement). `specs` are the revisions' specs when the caller holds them
    (read otherwise, for the records with answers). Two statements, one more per distinct
    time closing a stay and one for the revisions, whatever the number of records. Call
    inside the writer's transaction, which holds the pathways' rows."""
    if not records:
        return
    pathway_ids = {record.pathway_id for record in records}
    reached: dict[int, set[str]] = defaultdict(set)
    current: dict[int, tuple[int, str]] = {}
    for pk, pathway_id, category, left_at in TransitionRecord.objects.filter(
        pathway_id__in=pathway_ids
    ).values_list("pk", "pathway_id", "to_category", "left_at"):
        reached[pathway_id].add(category)
        if left_at is None:
            current[pathway_id] = (pk, category)
    if specs is None:  # only the records with answers need theirs
        specs = revision_specs({r.revision_id for r in records if r.answers and r.revision_id})

    by_pathway: dict[int, list[TransitionRecord]] = defaultdict(list)
    for record in records:
        by_pathway[record.pathway_id].append(record)
    closing: dict = defaultdict(list)  # the stays the new records end, by the time they end
    for pathway_id, newer in by_pathway.items():
        came_from = ""
        if pathway_id in current:
            pk, came_from = current[pathway_id]
            closing[newer[0].created_at].append(pk)
        chain(newer, specs, came_from=came_from, reached=reached[pathway_id])

    for left_at, pks in closing.items():
        TransitionRecord.objects.filter(pk__in=pks).update(left_at=left_at)
    TransitionRecord.objects.bulk_create(records)


def chain(
    records: Sequence[TransitionRecord],
    specs: Mapping[int, DefinitionSpec],
    *,
    came_from: str = "",
    reached: set[str] | None = None,
) -> None:
    """Fills in what the figures read on one pathway's `records`, in their order, following
    a history whose last record went to `came_from` ("" when there is none) and which
    reached the categories `reached`. Pure: migration 0010 runs it over whole histories."""
    reached = reached if reached is not None else set()
    for record, following in zip(records, [*records[1:], None], strict=True):
        record.from_category = came_from
        record.first_in_category = record.to_category not in reached
        record.left_at = following.created_at if following is not None else None
        _read_answers(record, specs)
        reached.add(record.to_category)
        came_from = record.to_category


def _read_answers(record: TransitionRecord, specs: Mapping[int, DefinitionSpec]) -> None:
    """The programme and the exit outcome the record's answers meant under its revision,
    each "" when its transition asks no such question."""
    spec = specs.get(record.revision_id) if record.revision_id is not None else None
    transition = spec.transitions.get(record.transition_code) if spec else None
    tags = {field.reporting for field in transition.fields} if transition else set()
    record.programme = record.exit_outcome = ""
    if transition is None or not record.answers:
        return
    if ReportingTag.PROGRAMME in tags:
        record.programme = transition.reporting_category(ReportingTag.PROGRAMME, record.answers)
    if ReportingTag.EXIT_REASON in tags:
        record.exit_outcome = transition.reporting_category(
            ReportingTag.EXIT_REASON, record.answers
        )
