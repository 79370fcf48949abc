"""Recording and changing maraudes: the one door for the admin's forms and the API. A round
belongs to its mediator's organisation, set once at creation; a mediator records and
changes rounds under their own name only, a coordinator any of their organisation's
(`policies.can_lead_round_as`, `policies.can_change_round`)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .. import policies
from ..models import OutreachRound
from .errors import NotAllowed


def round_organisation_id(mediator, recorded_by) -> int | None:
    """The mediator's organisation, else that of whoever records the round."""
    for person in (mediator, recorded_by):
        if person is not None:
            organisation_id = policies.user_organisation_id(person)
            if organisation_id is not None:
                return organisation_id
    return None


def _refuse_mediator(by) -> NotAllowed:
    if not policies.can_record_rounds(by):
        return NotAllowed(_("Seuls les médiateurs et les coordinateurs enregistrent des maraudes."))
    if policies.is_coordinator(by):
        return NotAllowed(_("Ce médiateur ne fait pas partie de votre Mission Locale."))
    return NotAllowed(_("Vous ne pouvez enregistrer une maraude qu'à votre nom."))


@transaction.atomic
def save_round(outreach_round: OutreachRound, *, by) -> OutreachRound:
    """Saves a new or changed maraude (its fields already validated) as `by` did it. A
    change is checked against the round as stored (whose it was), then the mediator it
    names; `NotAllowed` (in French) when either is out of `by`'s reach. Nothing is saved
    then."""
    if outreach_round.pk is not None:
        stored = OutreachRound.objects.only("organisation_id", "mediator_id").get(
            pk=outreach_round.pk
        )
        if not policies.can_change_round(by, stored):
            raise NotAllowed(_("Vous ne pouvez modifier que vos propres maraudes."))
        changes_mediator = stored.mediator_id != outreach_round.mediator_id
    else:
        changes_mediator = True
        outreach_round.organisation_id = round_organisation_id(outreach_round.mediator, by)
    if changes_mediator and not policies.can_lead_round_as(by, outreach_round.mediator):
        raise _refuse_mediator(by)
    outreach_round.save()
    return outreach_round
