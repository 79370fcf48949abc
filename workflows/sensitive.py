"""Sensitive answers (health, housing, resources…): the one selector every screen, endpoint,
export and message reads answers through (docs/architecture.md, "Data protection").

A field the definition marks sensitive (`FieldSpec.sensitive`) is shown to the pathway's
référent and to the roles its definition allows (`WorkflowDefinition.sensitive_reader_roles`,
none by default); everyone else, whatever their scope, reads a placeholder in its place.
Every read of a real sensitive value writes one access-log entry, marked sensitive."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from access_log.models import Action, Channel
from access_log.services import record

from . import policies
from .access_logging import subject_of
from .models import Pathway
from .rules import is_blank
from .specs import DefinitionSpec, live_spec


def placeholder() -> str:
    """What stands in for a sensitive value, in the reader's language."""
    return _("Information réservée au référent")


def may_read_sensitive(user, pathway: Pathway) -> bool:
    """The pathway's référent, or a member of a role its definition allows. Nobody else:
    not the antenna's other counsellors, not the médiateur who identified the young
    person, not a coordinator or a superuser unless their role is allowed. No query once
    the user's groups are cached and the definition is selected with the pathway."""
    if user is None or not user.is_authenticated:
        return False
    if pathway.referent_id is not None and pathway.referent_id == user.pk:
        return True
    allowed = frozenset(pathway.definition.sensitive_reader_roles or ())
    return bool(allowed & policies.group_names(user))


def shown_answers(
    user,
    pathway: Pathway,
    answer_sets: Iterable[Mapping[str, Any]],
    spec: DefinitionSpec | None,
    *,
    channel: Channel,
) -> list[dict[str, Any]]:
    """Each set of answers (the pathway's own, its history's…) as `user` may read it, in
    the same order: a sensitive value given is replaced by the placeholder for anyone who
    may not read it. When the reader may, their reading is logged: one entry (one INSERT)
    for the whole call, through `channel`, naming the fields read, never their values.

    `spec` is the pathway's live definition, which says which fields are sensitive;
    without one (an unpublished definition) every answer is treated as sensitive."""
    sets = [dict(answers or {}) for answers in answer_sets]
    reserved = spec.sensitive_fields if spec is not None else None

    def is_reserved(name: str) -> bool:
        return reserved is None or name in reserved

    given = sorted(
        {name for answers in sets for name, value in answers.items() if not is_blank(value)}
    )
    sensitive_given = [name for name in given if is_reserved(name)]
    if not sensitive_given:
        return sets
    if may_read_sensitive(user, pathway):
        record(
            user,
            Action.READ,
            channel,
            [subject_of(pathway)],
            sensitive=True,
            detail=",".join(sensitive_given),
        )
        return sets
    hidden = placeholder()
    return [
        {
            name: hidden if is_reserved(name) and not is_blank(value) else value
            for name, value in answers.items()
        }
        for answers in sets
    ]


def shown_pathway_answers(
    user, pathway: Pathway, *, channel: Channel, spec: DefinitionSpec | None = None
) -> dict[str, Any]:
    """The pathway's own answers as `user` may read them (see `shown_answers`)."""
    spec = spec if spec is not None else live_spec(pathway.definition)
    return shown_answers(user, pathway, [pathway.answers], spec, channel=channel)[0]
