"""Creating pathways and logging contacts. `start_pathway` is the one door in for the admin's
quick repérage, the API and the public "être recontacté" form: it checks the intake itself
(workflows.rules.intake_problems) and refuses with stable codes each caller words for its
audience."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import policies
from ..choices import ContactKind
from ..models import Contact, Pathway, TransitionRecord, WorkflowDefinition, Youth
from ..rules import (
    CONSENT_REQUIRED,
    CONTACT_REQUIRED,
    INVALID_PHONE,
    UNKNOWN_SOURCE,
    compute_due_on,
    intake_problems,
    normalise_phone,
    stage_entry,
)
from ..specs import DefinitionSpec, StageSpec, live_spec
from .errors import NoPublishedDefinition, NotAllowed

# The service's own wording, addressed to staff; forms and serializers word the codes for
# their audience (see workflows.screen_forms).
INTAKE_MESSAGES = {
    CONSENT_REQUIRED: gettext_lazy("Sans le consentement du jeune, rien n'est enregistré."),
    UNKNOWN_SOURCE: gettext_lazy("Origine inconnue : %(source)s."),
    CONTACT_REQUIRED: gettext_lazy(
        "Donnez au moins un moyen de joindre le jeune : téléphone ou e-mail."
    ),
    INVALID_PHONE: gettext_lazy("Numéro invalide : 10 chiffres, comme 06 00 00 00 01."),
}


def definition_for_new_pathways() -> tuple[WorkflowDefinition, DefinitionSpec, StageSpec]:
    """The definition new pathways follow, its live version and where they start."""
    definition = WorkflowDefinition.objects.for_new_pathways().first()
    spec = live_spec(definition) if definition is not None else None
    # Publishing refuses a version without exactly one initial stage.
    if definition is None or spec is None or spec.initial_stage is None:
        raise NoPublishedDefinition()
    return definition, spec, spec.initial_stage


def validate_intake(*, consent: bool, source: str, phone: str = "", email: str = "") -> None:
    """Raises a ValidationError keyed by field (consent, source, phone), each error carrying
    its code from workflows.rules, when a young person cannot be recorded as given."""
    problems = intake_problems(consent=consent, source=source, phone=phone, email=email)
    if problems:
        raise ValidationError(
            {
                field: ValidationError(INTAKE_MESSAGES[code], code=code, params={"source": source})
                for field, code in problems.items()
            }
        )


@transaction.atomic
def start_pathway(
    *,
    first_name: str,
    source: str,
    consent: bool,
    contact_phone: str = "",
    contact_email: str = "",
    commune=None,
    needs: Iterable[str] = (),
    actor=None,
    comment: str = "",
    last_name: str = "",
    date_of_birth: datetime.date | None = None,
    outreach_round=None,
    priority_neighbourhood=None,
    antenna=None,
    referent=None,
) -> Pathway:
    """A new young person and their pathway at the initial stage of the live definition,
    with a first history record naming who recorded it. Nothing is kept without consent.
    Without an explicit antenna, the pathway belongs to the antenna of the staff member who
    records it, so it lands in their colleagues' caseload.

    Refuses with `validate_intake`'s ValidationError (codes in workflows.rules) before
    anything is read or written."""
    validate_intake(consent=consent, source=source, phone=contact_phone, email=contact_email)
    definition, spec, initial = definition_for_new_pathways()
    now = timezone.now()
    recorded_by = actor if actor is not None and actor.is_authenticated else None
    if antenna is not None:
        antenna_id = antenna.pk
    elif recorded_by is not None:
        antenna_id = policies.user_antenna_id(recorded_by)
    else:
        antenna_id = None
    youth = Youth.objects.create(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        phone=normalise_phone(contact_phone),
        email=contact_email.strip(),
        commune=commune,
        priority_neighbourhood=priority_neighbourhood,
        consent_given=True,
        consent_recorded_at=now,
    )
    pathway = Pathway.objects.create(
        youth=youth,
        definition=definition,
        stage=initial.code,
        **stage_entry(initial, now=now),
        referent=referent,
        identified_by=recorded_by,
        antenna_id=antenna_id,
        source=source,
        outreach_round=outreach_round,
        needs=list(needs),
    )
    TransitionRecord.objects.create(
        pathway=pathway,
        kind=TransitionRecord.Kind.START,
        actor=pathway.identified_by,
        to_stage=initial.code,
        to_stage_label=initial.label,
        to_category=initial.category,
        comment=comment,
        revision_id=spec.revision_id,
    )
    return pathway


@transaction.atomic
def log_contact(
    pathway: Pathway,
    *,
    kind: str,
    actor,
    happened_at: datetime.datetime | None = None,
    note: str = "",
) -> Contact:
    """Records a contact and moves the pathway's last contact and due date forward. A
    contact in the future is refused: it would hold off reminders and retention."""
    if kind not in ContactKind.values:
        raise ValidationError({"kind": _("Type de contact inconnu : %(kind)s.") % {"kind": kind}})
    if actor is not None and not policies.can_view_pathway(actor, pathway):
        raise NotAllowed(_("Ce parcours ne fait pas partie de ceux que vous suivez."))
    now = timezone.now()
    if happened_at is not None and happened_at > now:
        raise ValidationError({"happened_at": _("Un contact ne peut pas être dans le futur.")})
    happened_at = happened_at or now
    contact = Contact.objects.create(
        pathway=pathway, kind=kind, happened_at=happened_at, author=actor, note=note
    )
    row = Pathway.objects.select_for_update().select_related("definition").get(pk=pathway.pk)
    last_contact_at = max(filter(None, [row.last_contact_at, happened_at]))
    spec = live_spec(row.definition)
    due_on = compute_due_on(
        spec.stages.get(row.stage) if spec else None, row.entered_stage_at, last_contact_at
    )
    Pathway.objects.filter(pk=row.pk).update(last_contact_at=last_contact_at, due_on=due_on)
    pathway.last_contact_at = last_contact_at
    pathway.due_on = due_on
    return contact
