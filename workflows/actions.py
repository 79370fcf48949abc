"""The automatic actions a coordinator may attach to a transition. They run inside the
transition's database transaction; anything that talks to the outside world is queued with
django-q2 on commit. A failing action is recorded on the history record and logged."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_q import tasks as django_q_tasks
from wagtail import blocks

from .catalogue import Param, struct_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from .models import Pathway, TransitionRecord


@dataclass(frozen=True)
class ActionContext:
    pathway: Pathway
    # The history record of this transition; it is saved right after the actions run, with
    # their results, so read its primary key only on commit.
    record: TransitionRecord
    actor: AbstractBaseUser | None
    now: datetime.datetime

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)


@dataclass(frozen=True)
class ActionType:
    code: str
    label: Promise | str
    params: tuple[Param, ...]
    run: Callable[[ActionContext, dict[str, Any]], None]


ACTIONS: dict[str, ActionType] = {}


def register(action: ActionType) -> ActionType:
    ACTIONS[action.code] = action
    return action


def _schedule_followup(context: ActionContext, params: dict[str, Any]) -> None:
    context.pathway.follow_ups.create(
        due_on=context.today + datetime.timedelta(days=params["days"]),
        note=params.get("note") or "",
        created_by=context.actor,
    )


def _notify_referent(context: ActionContext, params: dict[str, Any]) -> None:
    record = context.record
    transaction.on_commit(
        lambda: django_q_tasks.async_task("workflows.tasks.notify_referent", record.pk)
    )


def _assign_referent(context: ActionContext, params: dict[str, Any]) -> None:
    if context.actor is None or (context.pathway.referent_id and not params.get("replace")):
        return
    context.pathway.referent = context.actor
    context.pathway.save(update_fields=["referent"])


def _close_followups(context: ActionContext, params: dict[str, Any]) -> None:
    context.pathway.follow_ups.filter(done_at__isnull=True).update(done_at=context.now)


register(
    ActionType(
        "schedule_followup",
        _("Programmer une relance"),
        (
            Param("days", _("dans (jours)"), "int", default=7, min_value=0),
            Param("note", _("note"), "str", required=False),
        ),
        _schedule_followup,
    )
)
register(ActionType("notify_referent", _("Prévenir le référent"), (), _notify_referent))
register(
    ActionType(
        "assign_referent",
        _("Désigner comme référent la personne qui agit"),
        (
            Param(
                "replace", _("remplacer le référent actuel"), "bool", required=False, default=False
            ),
        ),
        _assign_referent,
    )
)
register(ActionType("close_followups", _("Clore les relances ouvertes"), (), _close_followups))


def action_stream_block() -> blocks.StreamBlock:
    return blocks.StreamBlock(
        [(code, struct_for(entry.label, entry.params)) for code, entry in ACTIONS.items()],
        required=False,
        label=_("Actions automatiques"),
    )
