"""A typed, read-only view of one published revision of a definition, built once per
revision and cached by its id: services and screens read these dataclasses, never the
StreamField data."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from threading import Lock
from typing import Any

from django.apps import apps
from django.utils.translation import ngettext
from wagtail.models import Revision

from .actions import ACTIONS
from .catalogue import coerce_params
from .choices import FieldType, StageCategory, TimerKind
from .conditions import CONDITIONS
from .reporting import UNKNOWN, parse_reporting_map
from .rules import split_codes, starts_from


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    field_type: str
    required: bool = False
    help_text: str = ""
    choices: tuple[str, ...] = ()
    # Reserved to the référent and the allowed roles (workflows.sensitive).
    sensitive: bool = False
    # What the answer means for the figures (workflows.reporting): "" (none), "programme" or
    # "exit_reason", and each choice's category.
    reporting: str = ""
    reporting_map: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class ConditionSpec:
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ActionSpec:
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StageSpec:
    code: str
    label: str
    category: str
    order: int
    initial: bool = False
    final: bool = False
    reminder_days: int | None = None
    max_duration_days: int | None = None

    @property
    def category_label(self) -> str:
        # A draft being previewed may not have chosen its category yet.
        if self.category in StageCategory.values:
            return str(StageCategory(self.category).label)
        return self.category


@dataclass(frozen=True)
class TransitionSpec:
    code: str
    label: str
    sources: tuple[str, ...]
    target: str
    allowed_groups: frozenset[str]
    fields: tuple[FieldSpec, ...] = ()
    conditions: tuple[ConditionSpec, ...] = ()
    actions: tuple[ActionSpec, ...] = ()
    # A timed transition (TimerKind): "" when only a person fires it.
    timer: str = ""
    timer_days: int | None = None

    @property
    def is_timed(self) -> bool:
        return bool(self.timer and self.timer_days)

    @property
    def timer_description(self) -> str:
        """The rule in plain French, as the history and the screens say it."""
        return timer_description(self.timer, self.timer_days)

    def reporting_category(self, tag: str, answers: dict[str, Any]) -> str:
        """What the answer given to this transition's field tagged `tag` means for the
        figures (workflows.reporting): its choice's category, "unknown" without one."""
        for spec_field in self.fields:
            if spec_field.reporting == tag:
                answer = answers.get(spec_field.name)
                if isinstance(answer, str):
                    return spec_field.reporting_map.get(answer, UNKNOWN)
        return UNKNOWN


@dataclass(frozen=True)
class DefinitionSpec:
    revision_id: int | None
    stages: dict[str, StageSpec]
    transitions: dict[str, TransitionSpec]

    @property
    def initial_stage(self) -> StageSpec | None:
        return next((stage for stage in self.stages.values() if stage.initial), None)

    def stage_label(self, code: str) -> str:
        stage = self.stages.get(code)
        return stage.label if stage else code

    def transitions_from(self, stage_code: str) -> list[TransitionSpec]:
        return [t for t in self.transitions.values() if starts_from(t, stage_code)]

    @cached_property
    def sensitive_fields(self) -> frozenset[str]:
        """Names of the answers any transition marks sensitive: an answer is stored by name,
        so a name marked once is reserved wherever it was asked."""
        return frozenset(
            field.name
            for transition in self.transitions.values()
            for field in transition.fields
            if field.sensitive
        )


def timer_description(timer: str, days: int | None) -> str:
    """ "Automatique : 60 jours dans l'étape sans contact", or "" for no (or no valid) timer."""
    if not timer or not days:
        return ""
    if timer == TimerKind.NO_CONTACT:
        message = ngettext(
            "Automatique : %(days)s jour dans l'étape sans contact",
            "Automatique : %(days)s jours dans l'étape sans contact",
            days,
        )
    elif timer == TimerKind.IN_STAGE:
        message = ngettext(
            "Automatique : %(days)s jour dans l'étape",
            "Automatique : %(days)s jours dans l'étape",
            days,
        )
    else:
        return ""
    return message % {"days": days}


def spec_from_stream(elements, revision_id: int | None) -> DefinitionSpec:
    """Builds the spec from a definition's StreamValue (what `elements` holds)."""
    stages: dict[str, StageSpec] = {}
    transitions: dict[str, TransitionSpec] = {}
    for child in elements:
        value = child.value
        if child.block_type == "stage":
            stages.setdefault(
                value["code"],
                StageSpec(
                    code=value["code"],
                    label=value["label"],
                    category=value["category"],
                    order=len(stages),
                    initial=bool(value["initial"]),
                    final=bool(value["final"]),
                    reminder_days=value["reminder_days"],
                    max_duration_days=value["max_duration_days"],
                ),
            )
        elif child.block_type == "transition":
            transitions.setdefault(
                value["code"],
                TransitionSpec(
                    code=value["code"],
                    label=value["label"],
                    sources=split_codes(value["sources"]),
                    target=value["target"],
                    allowed_groups=frozenset(value["allowed_groups"] or ()),
                    fields=tuple(
                        FieldSpec(
                            name=item["name"],
                            label=item["label"],
                            field_type=item["field_type"] or FieldType.TEXT,
                            required=bool(item["required"]),
                            help_text=item["help_text"] or "",
                            choices=tuple(
                                line.strip()
                                for line in (item["choices"] or "").splitlines()
                                if line.strip()
                            ),
                            sensitive=bool(item.get("sensitive")),
                            reporting=item.get("reporting") or "",
                            reporting_map=(
                                parse_reporting_map(item.get("reporting_map"))
                                if item.get("reporting")
                                else {}
                            ),
                        )
                        for item in value["fields"]
                    ),
                    conditions=tuple(
                        ConditionSpec(
                            c.block_type,
                            coerce_params(CONDITIONS[c.block_type].params, dict(c.value)),
                        )
                        for c in value["conditions"]
                        if c.block_type in CONDITIONS
                    ),
                    actions=tuple(
                        ActionSpec(
                            a.block_type, coerce_params(ACTIONS[a.block_type].params, dict(a.value))
                        )
                        for a in value["actions"]
                        if a.block_type in ACTIONS
                    ),
                    # Revisions saved before timed transitions existed have neither key.
                    timer=value.get("timer") or "",
                    timer_days=value.get("timer_days"),
                ),
            )
    return DefinitionSpec(revision_id=revision_id, stages=stages, transitions=transitions)


# Keyed by (revision id, when it was published or created): a revision's content never
# changes, and the timestamp guards against ids reused after a database reset.
_CACHE: OrderedDict[tuple, DefinitionSpec] = OrderedDict()
_CACHE_SIZE = 64
_LOCK = Lock()


def _cached(key: tuple, build) -> DefinitionSpec:
    with _LOCK:
        spec = _CACHE.get(key)
        if spec is not None:
            _CACHE.move_to_end(key)
            return spec
    spec = build()
    with _LOCK:
        _CACHE[key] = spec
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return spec


def _revision_elements(revision_id: int):
    return Revision.objects.get(pk=revision_id).as_object().elements


def live_spec(definition) -> DefinitionSpec | None:
    """The published version of a definition, from the cache (no query once built). On a
    miss it is built from the live revision itself, never from the instance passed in: an
    editor's instance carries draft content."""
    if not definition.live or definition.live_revision_id is None:
        return None
    revision_id = definition.live_revision_id
    return _cached(
        ("live", revision_id, definition.last_published_at),
        lambda: spec_from_stream(_revision_elements(revision_id), revision_id),
    )


def live_spec_for(definition_id: int) -> DefinitionSpec | None:
    """The live spec from a definition id: one small query, the spec from the cache."""
    # Specs sit below the models (the definition model draws its preview with them), so the
    # model is named through the app registry rather than imported.
    definitions = apps.get_model("workflows", "WorkflowDefinition")
    row = (
        definitions.objects.filter(pk=definition_id, live=True)
        .values_list("live_revision_id", "last_published_at")
        .first()
    )
    if row is None or row[0] is None:
        return None
    return _cached(("live", *row), lambda: spec_from_stream(_revision_elements(row[0]), row[0]))


def revision_specs(revision_ids) -> dict[int, DefinitionSpec]:
    """The specs of these revisions, by id: one query for the revisions' dates, the specs from
    the cache (a revision never changes; the date guards against ids reused after a reset).
    A revision since deleted is missing from the answer."""
    rows = Revision.objects.filter(pk__in=set(revision_ids)).values_list("pk", "created_at")
    return {
        pk: _cached(
            ("revision", pk, created_at),
            lambda pk=pk: spec_from_stream(_revision_elements(pk), pk),
        )
        for pk, created_at in rows
    }


class SpecCache:
    """The live specs of the definitions a list of pathways uses, for one request: one small
    query per distinct definition (its live revision id, not the whole row), whatever the
    number of pathways; the specs themselves come from the module's cache."""

    def __init__(self) -> None:
        self._specs: dict[int, DefinitionSpec | None] = {}

    def get(self, definition_id: int) -> DefinitionSpec | None:
        if definition_id not in self._specs:
            self._specs[definition_id] = live_spec_for(definition_id)
        return self._specs[definition_id]

    def stage_label(self, pathway) -> str:
        """The label of the pathway's stage in its live definition (the code if dropped)."""
        spec = self.get(pathway.definition_id)
        return spec.stage_label(pathway.stage) if spec else pathway.stage
