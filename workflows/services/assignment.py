"""Giving a pathway its référent: a counsellor takes a request waiting in their antenna ("Je
m'en occupe"), or a coordinator names the counsellor who follows it. One entry point for the
screens and any other caller, as `transitions.fire_transition` is for stages: the row is
locked, the rule (`policies`) checked again on the locked row, the change written to the
pathway's history (Wagtail's log, actions registered in `wagtail_hooks`) and to the access
log, and the new référent told by e-mail once the change is committed."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django_q import tasks as django_q_tasks
from wagtail.log_actions import log

from access_log.models import Channel

from .. import policies
from ..access_logging import log_change
from ..choices import ReferentChange
from ..models import Pathway
from ..selectors import display_name
from .errors import NotAllowed, TransitionRefused


class AlreadyTaken(TransitionRefused):
    """Someone became the référent first; the caller is told who."""

    reason = "already_taken"


class InvalidReferent(TransitionRefused):
    reason = "invalid_referent"


def history_title(pathway: Pathway) -> str:
    """How a log entry names its pathway: by number, never by the young person's name, so
    that the log holds nothing to anonymise."""
    return _("Parcours n° %(pk)s") % {"pk": pathway.pk}


def assign_referent(
    pathway: Pathway, *, actor, referent=None, channel: Channel = Channel.FORM
) -> Pathway:
    """Without `referent`: `actor` takes the pathway (a counsellor, while it awaits a
    référent: `policies.can_take_pathway`). With one: a coordinator names them
    (`policies.can_assign_pathway`), who must be an active counsellor of the pathway's
    organisation (`policies.can_be_referent`). Returns the updated pathway.

    Refuses with `NotAllowed`, `AlreadyTaken` (another counsellor was first; checked on the
    locked row, so of two at once exactly one wins) or `InvalidReferent`."""
    taking = referent is None
    with transaction.atomic():
        locked = Pathway.objects.select_for_update(of=("self",)).get(pk=pathway.pk)
        if taking:
            if locked.referent_id is not None and locked.referent_id != actor.pk:
                raise AlreadyTaken(
                    _("%(name)s s'occupe déjà de ce parcours.")
                    % {"name": display_name(locked.referent)}
                )
            if locked.referent_id == actor.pk:
                return locked
            if not policies.can_take_pathway(actor, locked):
                raise NotAllowed(_("Vous ne pouvez pas prendre ce parcours en charge."))
            referent = actor
        else:
            if not policies.can_assign_pathway(actor, locked):
                raise NotAllowed(_("Seule la coordination attribue un parcours à un conseiller."))
            if not policies.can_be_referent(referent, locked):
                raise InvalidReferent(
                    _("Choisissez un conseiller ou une conseillère de la Mission Locale.")
                )
            if locked.referent_id == referent.pk:
                return locked
        previous = locked.referent
        locked.referent = referent
        locked.save(update_fields=["referent"])
        entry = log(
            instance=locked,
            action=ReferentChange.TAKEN if taking else ReferentChange.ASSIGNED,
            user=actor,
            title=history_title(locked),
            data={
                "referent_id": referent.pk,
                "referent": display_name(referent),
                "previous_referent": display_name(previous),
            },
        )
        log_change(actor, locked, channel)
        if referent.pk != actor.pk:
            transaction.on_commit(
                lambda: django_q_tasks.async_task(
                    "workflows.tasks.notify_new_referent", locked.pk, referent.pk, entry.pk
                )
            )
    return locked
