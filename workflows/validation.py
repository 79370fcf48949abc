"""The checks a definition must pass to be published, beside the block each concerns. Pure:
they read plain (block type, value) pairs and what the caller gives, never the database, so
the editor's blocks and form, the model's publish and the publish service all import them.
Drafts are never checked (Wagtail defers validation on draft save and autosave); every
publish is, from the editor or from code. See docs/architecture.md."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import FieldType
from .reporting import CATEGORIES, parse_reporting_map
from .rules import split_codes

if TYPE_CHECKING:
    from .specs import DefinitionSpec


@dataclass
class DefinitionReport:
    """Errors keyed by the index of the block in the StreamField, then by child block name
    (None: the block as a whole); `general` holds what belongs to no block."""

    by_block: dict[int, dict[str | None, list[str]]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def add(self, index: int, name: str | None, message: str) -> None:
        self.by_block.setdefault(index, {}).setdefault(name, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_block or self.general)

    def messages(self) -> list[str]:
        flat = list(self.general)
        for errors in self.by_block.values():
            for messages in errors.values():
                flat.extend(messages)
        return flat


def check_definition(items: list[tuple[str, dict[str, Any]]]) -> DefinitionReport:
    """The publish rules, on (block type, value) pairs in editor order."""
    report = DefinitionReport()
    stages: dict[str, tuple[int, dict[str, Any]]] = {}
    transitions: list[tuple[int, dict[str, Any], tuple[str, ...]]] = []
    transition_codes: set[str] = set()

    for index, (block_type, value) in enumerate(items):
        code = value.get("code") or ""
        if block_type == "stage":
            if code in stages:
                report.add(
                    index,
                    "code",
                    _("Le code « %(code)s » est déjà celui d'une autre étape.") % {"code": code},
                )
            else:
                stages[code] = (index, value)
        elif block_type == "transition":
            if code in transition_codes:
                report.add(
                    index,
                    "code",
                    _("Le code « %(code)s » est déjà celui d'une autre transition.")
                    % {"code": code},
                )
            transition_codes.add(code)
            transitions.append((index, value, split_codes(value.get("sources"))))

    if not stages:
        report.general.append(_("La définition n'a aucune étape."))
        return report

    initial = [code for code, (_i, v) in stages.items() if v.get("initial")]
    if not initial:
        report.general.append(
            _(
                "Aucune étape initiale : cochez « étape initiale » sur l'étape "
                "où commencent les parcours."
            )
        )
    elif len(initial) > 1:
        for code in initial:
            report.add(
                stages[code][0],
                "initial",
                _("Une seule étape peut être initiale ; il y en a %(count)s (%(codes)s).")
                % {"count": len(initial), "codes": ", ".join(initial)},
            )
    finals = {code for code, (_i, v) in stages.items() if v.get("final")}
    if not finals:
        report.general.append(
            _("Aucune étape finale : cochez « étape finale » sur au moins une étape de sortie.")
        )
    for code in set(initial) & finals:
        report.add(stages[code][0], "final", _("L'étape initiale ne peut pas être finale."))

    edges: dict[str, set[str]] = {code: set() for code in stages}
    for index, value, sources in transitions:
        if not sources:
            report.add(index, "sources", _("Indiquez au moins une étape de départ."))
        unknown = [code for code in sources if code not in stages]
        if unknown:
            report.add(
                index,
                "sources",
                ngettext(
                    "Étape inconnue : %(codes)s.", "Étapes inconnues : %(codes)s.", len(unknown)
                )
                % {"codes": ", ".join(unknown)},
            )
        from_final = [code for code in sources if code in finals]
        if from_final:
            report.add(
                index,
                "sources",
                _("Une étape finale ne peut pas être un point de départ : %(codes)s.")
                % {"codes": ", ".join(from_final)},
            )
        target = value.get("target") or ""
        if target not in stages:
            report.add(index, "target", _("Étape inconnue : %(code)s.") % {"code": target})
        timed = bool(value.get("timer"))
        if not value.get("allowed_groups") and not timed:
            report.add(index, "allowed_groups", _("Choisissez au moins un groupe autorisé."))
        for name, message in timer_errors(value, sources):
            report.add(index, name, message)
        names = Counter(item["name"] for item in value.get("fields") or [] if item.get("name"))
        duplicates = [name for name, count in names.items() if count > 1]
        if duplicates:
            report.add(
                index,
                None,
                _("Deux champs ont le même code : %(codes)s.") % {"codes": ", ".join(duplicates)},
            )
        for item in value.get("fields") or []:
            for message in reporting_errors(item):
                report.add(index, None, message)
        for source in sources:
            if source in stages and target in stages:
                edges[source].add(target)

    if len(initial) == 1:
        reached = {initial[0]}
        queue = deque(initial)
        while queue:
            for target in edges[queue.popleft()]:
                if target not in reached:
                    reached.add(target)
                    queue.append(target)
        for code, (index, value) in stages.items():
            if code not in reached:
                report.add(
                    index,
                    None,
                    _(
                        "L'étape « %(label)s » n'est atteinte par aucune transition "
                        "depuis l'étape initiale."
                    )
                    % {"label": value.get("label") or code},
                )
    for code, (index, value) in stages.items():
        if code not in finals and not edges[code]:
            report.add(
                index,
                None,
                _("L'étape « %(label)s » n'est pas finale et aucune transition n'en sort.")
                % {"label": value.get("label") or code},
            )
    return report


def timer_errors(value: dict[str, Any], sources: tuple[str, ...]) -> list[tuple[str | None, str]]:
    """Why a transition's timer (workflows.services.timed_transitions) cannot be published,
    as (child block, message): a timer without its delay or the other way round, a timed
    transition back to where it starts, or one that asks a required field: the system
    fires it, and nobody is there to answer."""
    timer = value.get("timer") or ""
    days = value.get("timer_days")
    if not timer:
        if days:
            return [
                (
                    "timer",
                    _(
                        "Un délai est indiqué : choisissez quand la transition est franchie "
                        "automatiquement, ou effacez le délai."
                    ),
                )
            ]
        return []
    errors: list[tuple[str | None, str]] = []
    if not days:
        errors.append(
            ("timer_days", _("Indiquez au bout de combien de jours la transition est franchie."))
        )
    if (value.get("target") or "") in sources:
        errors.append(
            ("target", _("Une transition automatique doit mener à une autre étape que son départ."))
        )
    required = [
        item.get("label") or item.get("name") or ""
        for item in value.get("fields") or []
        if item.get("required")
    ]
    if required:
        errors.append(
            (
                None,
                ngettext(
                    "Une transition franchie automatiquement ne peut pas demander de champ "
                    "obligatoire : personne n'est là pour y répondre. Décochez « obligatoire » "
                    "pour : %(fields)s.",
                    "Une transition franchie automatiquement ne peut pas demander de champ "
                    "obligatoire : personne n'est là pour y répondre. Décochez « obligatoire » "
                    "pour : %(fields)s.",
                    len(required),
                )
                % {"fields": ", ".join(f"« {label} »" for label in required)},
            )
        )
    return errors


def reporting_errors(item: dict[str, Any]) -> list[str]:
    """Why a field's reporting tag (workflows.reporting) cannot be published: a tag on a
    field that is not a single choice, a choice left unmapped, a category the tag does not
    have, or a mapped value that is not one of the choices."""
    tag = item.get("reporting") or ""
    if not tag:
        return []
    name = item.get("name") or ""
    if tag not in CATEGORIES:
        message = _("Le champ « %(name)s » a un sens inconnu : %(tag)s.")
        return [message % {"name": name, "tag": tag}]
    if item.get("field_type") != FieldType.CHOICE:
        return [
            _(
                "Le champ « %(name)s » a un sens pour les indicateurs mais n'est pas "
                "un choix unique."
            )
            % {"name": name}
        ]
    allowed = CATEGORIES[tag]
    mapping = parse_reporting_map(item.get("reporting_map"))
    choices = [line.strip() for line in (item.get("choices") or "").splitlines() if line.strip()]
    errors = []
    for choice in choices:
        category = mapping.get(choice)
        if not category:
            errors.append(
                _(
                    "Champ « %(name)s » : le choix « %(choice)s » n'a pas de catégorie dans "
                    "la correspondance (%(allowed)s)."
                )
                % {"name": name, "choice": choice, "allowed": ", ".join(sorted(allowed))}
            )
        elif category not in allowed:
            errors.append(
                _(
                    "Champ « %(name)s » : la catégorie « %(category)s » du choix "
                    "« %(choice)s » est inconnue (%(allowed)s)."
                )
                % {
                    "name": name,
                    "choice": choice,
                    "category": category,
                    "allowed": ", ".join(sorted(allowed)),
                }
            )
    for choice in mapping:
        if choice not in choices:
            errors.append(
                _(
                    "Champ « %(name)s » : la correspondance nomme « %(choice)s », "
                    "qui n'est pas un choix."
                )
                % {"name": name, "choice": choice}
            )
    return errors


def items_from_stream(elements) -> list[tuple[str, dict[str, Any]]]:
    return [(child.block_type, _plain(child.value)) for child in elements]


def _plain(value) -> dict[str, Any]:
    plain = dict(value)
    if "fields" in plain:
        plain["fields"] = [dict(item) for item in plain["fields"]]
    return plain


def stage_moves_from_value(stage_moves) -> dict[str, str]:
    return {
        child.value["from_stage"]: child.value["to_stage"]
        for child in stage_moves or []
        if child.value.get("from_stage") and child.value.get("to_stage")
    }


def stage_codes(elements) -> set[str]:
    """The stage codes of a definition's StreamValue (what `elements` holds)."""
    return {child.value["code"] for child in elements if child.block_type == "stage"}


def missing_stage_moves_message(
    *,
    old_spec: DefinitionSpec | None,
    new_codes: Iterable[str],
    in_use: dict[str, int],
    stage_moves: dict[str, str],
) -> str | None:
    """The French sentence to show when the new version (its stage codes `new_codes`) drops
    stages still in use (`in_use`: pathways per stage code) without saying where their
    pathways go, or points them at a stage it does not have."""
    new_codes = set(new_codes)
    problems = []
    for code, count in sorted(in_use.items()):
        if code in new_codes:
            continue
        label = old_spec.stage_label(code) if old_spec else code
        target = stage_moves.get(code)
        if target is None:
            problems.append(
                ngettext(
                    "« %(label)s » (%(code)s) : %(count)s parcours",
                    "« %(label)s » (%(code)s) : %(count)s parcours",
                    count,
                )
                % {"label": label, "code": code, "count": count}
            )
        elif target not in new_codes:
            problems.append(
                _(
                    "« %(label)s » (%(code)s) : l'étape « %(target)s » "
                    "n'existe pas dans cette version"
                )
                % {"label": label, "code": code, "target": target}
            )
    if not problems:
        return None
    return _(
        "Cette version retire des étapes où se trouvent encore des parcours — %(list)s. "
        "Indiquez où ils vont dans « Déplacement des parcours » (code de l'étape retirée → "
        "code de la nouvelle étape)."
    ) % {"list": " ; ".join(problems)}
