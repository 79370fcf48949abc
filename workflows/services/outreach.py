"""Recording and changing maraudes: the one door for the admin's forms and the API. A round
belongs to its mediator's organisation, set once at creation; a mediator records and
changes rounds under their own name only, a coordinator any of their organisation's
(`policies.can_lead_round_as`, `policies.can_change_round`). Whoever may change a round
links to it the existing pathways of its organisation of the young people met there
(`link_pathway`), so that "dont repérés" counts them."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from access_log.models import Channel

from .. import policies
from ..access_logging import log_change
from ..choices import PathwayChange
from ..models import OutreachRound, Pathway
from .assignment import history_title
from .errors import NotAllowed, TransitionRefused


class AlreadyLinked(TransitionRefused):
    """The pathway already belongs to another maraude: where a young person was first met
    is not rewritten."""

    reason = "already_linked"


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


def link_pathway(
    outreach_round: OutreachRound, pathway: Pathway, *, by, channel: Channel = Channel.FORM
) -> Pathway:
    """Links an existing pathway to the maraude where its young person was met again, as
    `by` did it: the pathway's row locked, the rules checked on it, the link written to the
    pathway's history (the round by its place and date, no name) and to the access log.
    Refuses with `NotAllowed` (a round `by` may not change, a pathway of another
    organisation or closed) or `AlreadyLinked`. Linking it twice changes nothing."""
    with transaction.atomic():
        locked = Pathway.objects.select_for_update(of=("self",)).get(pk=pathway.pk)
        if not policies.can_change_round(by, outreach_round):
            raise NotAllowed(_("Vous ne pouvez rattacher des jeunes qu'à vos propres maraudes."))
        if locked.organisation_id != outreach_round.organisation_id or locked.closed_at:
            raise NotAllowed(
                _("Seuls les parcours en cours de la Mission Locale de la maraude s'y rattachent.")
            )
        if locked.outreach_round_id == outreach_round.pk:
            return locked
        if locked.outreach_round_id is not None:
            raise AlreadyLinked(_("Ce parcours est déjà rattaché à une autre maraude."))
        locked.outreach_round = outreach_round
        locked.save(update_fields=["outreach_round"])
        log(
            instance=locked,
            action=PathwayChange.ROUND_LINKED,
            user=by,
            title=history_title(locked),
            data={"round_id": outreach_round.pk, "round": str(outreach_round)},
        )
        log_change(by, locked, channel, detail="outreach_round")
    return locked
