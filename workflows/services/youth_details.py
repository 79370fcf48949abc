"""Correcting a young person's identity and contact details from their pathway page: the
one entry point for the screen and any other caller, as `transitions.fire_transition` is for
stages. The pathway row is locked and the rule (`policies.can_edit_youth`: its référent or
the coordination, while it is open) checked again on it; only the identity and contact
fields (`subject_rights.RECTIFIABLE_FIELDS`) can change, under the intake rules; the
history and the access log name the fields changed, never their values, so that neither
holds anything to anonymise."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from access_log.models import Channel

from .. import policies
from ..access_logging import log_change
from ..choices import PathwayChange
from ..models import Pathway
from .assignment import history_title
from .errors import NotAllowed, TransitionRefused
from .subject_rights import (
    UnknownFields,
    changed_details,
    cleaned_details,
    rectification_problems,
)


class InvalidDetails(TransitionRefused):
    """What intake would refuse (a malformed phone, no way to reach the young person, an
    implausible birth date, an empty first name, a field that is not identity or contact),
    by field, in French."""

    reason = "invalid_details"

    def __init__(self, field_errors: dict[str, str]):
        super().__init__(_("Corrigez les champs signalés."))
        self.field_errors = field_errors


def update_youth_details(
    pathway: Pathway, *, actor, changes: dict[str, Any], channel: Channel = Channel.FORM
) -> list[str]:
    """Applies `changes` (field name → new value) to the young person of `pathway` as
    `actor` did it, and returns the names of the fields that changed (none: nothing is
    written). Raises `NotAllowed` or `InvalidDetails`; nothing is saved then."""
    with transaction.atomic():
        locked = (
            Pathway.objects.select_for_update(of=("self",))
            .select_related("youth")
            .get(pk=pathway.pk)
        )
        if not policies.can_edit_youth(actor, locked):
            raise NotAllowed(
                _("Seuls le référent du parcours et la coordination corrigent ces informations.")
            )
        youth = locked.youth
        try:
            cleaned = cleaned_details(changes)
        except UnknownFields as unknown:
            raise InvalidDetails(
                {"__all__": _("Champs non modifiables ici : %(fields)s.") % {"fields": unknown}}
            ) from None
        if problems := rectification_problems(youth, cleaned):
            raise InvalidDetails(problems)
        changed = changed_details(youth, cleaned)
        if not changed:
            return []
        for name in changed:
            setattr(youth, name, cleaned[name])
        youth.save(update_fields=changed)
        log(
            instance=locked,
            action=PathwayChange.YOUTH_DETAILS,
            user=actor,
            title=history_title(locked),
            data={"fields": changed},
        )
        log_change(actor, locked, channel, detail=",".join(changed))
    return changed
