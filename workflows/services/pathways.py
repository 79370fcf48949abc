"""Creating pathways and logging contacts. `start_pathway` is the one door in for the admin's
quick repérage, the API and the public "être recontacté" form: it checks the intake itself
(workflows.rules.intake_problems) and refuses with stable codes each caller words for its
audience."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_q import tasks as django_q_tasks

from access_log.models import Channel
from territories.selectors import coverage_of, default_antenna_id

from .. import policies
from ..access_logging import log_change
from ..choices import ContactKind
from ..models import Contact, FollowUp, Pathway, TransitionRecord, WorkflowDefinition, Youth
from ..rules import (
    CONSENT_REQUIRED,
    CONTACT_IN_FUTURE,
    CONTACT_REQUIRED,
    CONTACT_TOO_OLD,
    IMPLAUSIBLE_BIRTH_DATE,
    INVALID_PHONE,
    UNKNOWN_SOURCE,
    age_band,
    birth_date_problem,
    compute_due_on,
    contact_date_problem,
    intake_problems,
    normalise_phone,
    stage_entry,
)
from ..specs import DefinitionSpec, StageSpec, live_spec
from .errors import NoPublishedDefinition, NotAllowed
from .history import append_history

# The service's own wording, addressed to staff; forms and serializers word the codes for
# their audience (see workflows.screen_forms).
INTAKE_MESSAGES = {
    CONSENT_REQUIRED: gettext_lazy("Sans le consentement du jeune, rien n'est enregistré."),
    UNKNOWN_SOURCE: gettext_lazy("Origine inconnue : %(source)s."),
    CONTACT_REQUIRED: gettext_lazy(
        "Donnez au moins un moyen de joindre le jeune : téléphone ou e-mail."
    ),
    INVALID_PHONE: gettext_lazy("Numéro invalide : 10 chiffres, comme 06 00 00 00 01."),
    IMPLAUSIBLE_BIRTH_DATE: gettext_lazy(
        "Date de naissance invraisemblable : le jeune aurait moins de 13 ans ou plus de 35 ans."
    ),
}
CONTACT_DATE_MESSAGES = {
    CONTACT_IN_FUTURE: gettext_lazy("Un contact ne peut pas être dans le futur."),
    CONTACT_TOO_OLD: gettext_lazy("Un contact ne peut pas dater d'avant l'an 2000."),
}


NO_ORGANISATION = "no_organisation"
ANTENNA_OF_ANOTHER_ORGANISATION = "antenna_of_another_organisation"
ANTENNA_OUT_OF_SCOPE = "antenna_out_of_scope"


def _check_antenna_in_reach(recorded_by, antenna) -> None:
    """A staff member opens pathways in their own antenna only (a coordinator: in their
    organisation's), whichever screen or endpoint asks (`policies.can_start_pathway_in`).
    Checked before anything is placed, so the refusal names the rule, not a side effect."""
    if antenna is None or recorded_by is None:
        return
    if not policies.can_start_pathway_in(recorded_by, antenna):
        message = (
            _("Vous ne pouvez créer un parcours que dans votre antenne.")
            if policies.user_antenna_id(recorded_by) is not None
            and not policies.is_coordinator(recorded_by)
            else _("Vous ne pouvez créer un parcours que dans une antenne de votre Mission Locale.")
        )
        raise ValidationError({"antenna": ValidationError(message, code=ANTENNA_OUT_OF_SCOPE)})


def definition_for_new_pathways(
    organisation_id: int | None,
) -> tuple[WorkflowDefinition, DefinitionSpec, StageSpec]:
    """The definition an organisation's new pathways follow, its live version and where they
    start."""
    definition = (
        WorkflowDefinition.objects.for_new_pathways().of_organisation(organisation_id).first()
    )
    spec = live_spec(definition) if definition is not None else None
    # Publishing refuses a version without exactly one initial stage.
    if definition is None or spec is None or spec.initial_stage is None:
        raise NoPublishedDefinition()
    return definition, spec, spec.initial_stage


def validate_intake(
    *,
    consent: bool,
    source: str,
    phone: str = "",
    email: str = "",
    date_of_birth: datetime.date | None = None,
) -> None:
    """Raises a ValidationError keyed by field (consent, source, phone, date_of_birth), each
    error carrying its code from workflows.rules, when a young person cannot be recorded as
    given."""
    problems = intake_problems(consent=consent, source=source, phone=phone, email=email)
    if code := birth_date_problem(date_of_birth, timezone.localdate()):
        problems["date_of_birth"] = code
    if problems:
        raise ValidationError(
            {
                field: ValidationError(INTAKE_MESSAGES[code], code=code, params={"source": source})
                for field, code in problems.items()
            }
        )


def _place_of_new_pathway(*, organisation, antenna, recorded_by, commune) -> tuple[int, int | None]:
    """(organisation id, antenna id) of a new pathway. The organisation is the one given,
    else the staff member's who records it, else the given antenna's, else (the public
    form) the one covering the young person's commune. The antenna is the one given, else
    the recorder's, else the covering antenna when it belongs to that organisation, else
    the organisation's default antenna: a request always reaches an antenna whose
    counsellors see it when the organisation has named one. The coverage and the default
    are read only when those come to it (one query each)."""
    covering = functools.cache(lambda: coverage_of(commune))
    if organisation is not None:
        organisation_id = organisation.pk
    elif recorded_by is not None and policies.user_organisation_id(recorded_by) is not None:
        organisation_id = policies.user_organisation_id(recorded_by)
    elif antenna is not None:
        organisation_id = antenna.organisation_id
    elif (coverage := covering()) is not None:
        organisation_id = coverage.organisation.pk
    else:
        raise ValidationError(
            _("Aucune Mission Locale ne couvre cette commune : le parcours n'est pas créé."),
            code=NO_ORGANISATION,
        )
    if antenna is not None:
        if antenna.organisation_id != organisation_id:
            raise ValidationError(
                {
                    "antenna": ValidationError(
                        _("Cette antenne dépend d'une autre Mission Locale."),
                        code=ANTENNA_OF_ANOTHER_ORGANISATION,
                    )
                }
            )
        return organisation_id, antenna.pk
    if recorded_by is not None and policies.user_organisation_id(recorded_by) == organisation_id:
        own_antenna = policies.user_antenna_id(recorded_by)
        if own_antenna is not None:
            return organisation_id, own_antenna
    coverage = covering()
    if (
        coverage is not None
        and coverage.antenna is not None
        and coverage.antenna.organisation_id == organisation_id
    ):
        return organisation_id, coverage.antenna.pk
    return organisation_id, default_antenna_id(
        organisation if organisation is not None else organisation_id
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
    organisation=None,
    channel: Channel = Channel.FORM,
) -> Pathway:
    """A new young person and their pathway at the initial stage of their organisation's
    live definition, with a first history record naming who recorded it. Nothing is kept
    without consent. The pathway belongs to an organisation for good (see
    `_place_of_new_pathway`): without an explicit antenna, it lands in the recorder's
    antenna, else in the one covering the young person's commune. A pathway that lands
    there without a référent waits "à attribuer", and the antenna's counsellors are told by
    e-mail (a django-q2 task, on commit, without personal data).

    Refuses with `validate_intake`'s ValidationError (codes in workflows.rules) before
    anything is read or written, then with code `no_organisation` when no organisation
    can be found, `antenna_out_of_scope` for an antenna the recorder may not open pathways
    in, and `antenna_of_another_organisation` for an antenna of another organisation. The
    creation is written to the access log under `channel` (the API, a command, else a
    form)."""
    validate_intake(
        consent=consent,
        source=source,
        phone=contact_phone,
        email=contact_email,
        date_of_birth=date_of_birth,
    )
    now = timezone.now()
    recorded_by = actor if actor is not None and actor.is_authenticated else None
    _check_antenna_in_reach(recorded_by, antenna)
    organisation_id, antenna_id = _place_of_new_pathway(
        organisation=organisation, antenna=antenna, recorded_by=recorded_by, commune=commune
    )
    definition, spec, initial = definition_for_new_pathways(organisation_id)
    youth = Youth.objects.create(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        age_band_at_entry=age_band(date_of_birth, timezone.localdate(now)),
        phone=normalise_phone(contact_phone),
        email=contact_email.strip(),
        commune=commune,
        priority_neighbourhood=priority_neighbourhood,
        consent_given=True,
        consent_recorded_at=now,
    )
    pathway = Pathway.objects.create(
        youth=youth,
        organisation_id=organisation_id,
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
    append_history(
        [
            TransitionRecord(
                pathway=pathway,
                kind=TransitionRecord.Kind.START,
                actor=pathway.identified_by,
                to_stage=initial.code,
                to_stage_label=initial.label,
                to_category=initial.category,
                comment=comment,
                revision_id=spec.revision_id,
            )
        ]
    )
    log_change(recorded_by, pathway, channel)
    if policies.awaits_referent(pathway) and policies.COUNSELLORS not in policies.group_names(
        recorded_by
    ):
        # The antenna's counsellors learn a request waits for them (a counsellor who
        # records one knows already); sent once the pathway is committed.
        antenna_id, pathway_id = pathway.antenna_id, pathway.pk
        transaction.on_commit(
            lambda: django_q_tasks.async_task(
                "workflows.tasks.notify_antenna_of_requests", antenna_id, pathway_id
            )
        )
    return pathway


def open_follow_up_dates(pathway: Pathway) -> list[datetime.date]:
    """The due dates of the pathway's follow-ups still to do (one query)."""
    return list(
        FollowUp.objects.filter(pathway=pathway, done_at__isnull=True).values_list(
            "due_on", flat=True
        )
    )


def refresh_due_on(pathway: Pathway, stage: StageSpec | None) -> datetime.date | None:
    """Stores the pathway's next relance as `rules.compute_due_on` decides it, follow-ups
    planned included: called once a transition's actions have run and after each contact,
    so that the page, the board and "Mes jeunes" announce the same day."""
    due_on = compute_due_on(
        stage, pathway.entered_stage_at, pathway.last_contact_at, open_follow_up_dates(pathway)
    )
    if due_on != pathway.due_on:
        Pathway.objects.filter(pk=pathway.pk).update(due_on=due_on)
        pathway.due_on = due_on
    return due_on


@transaction.atomic
def log_contact(
    pathway: Pathway,
    *,
    kind: str,
    actor,
    happened_at: datetime.datetime | None = None,
    note: str = "",
    channel: Channel = Channel.FORM,
) -> Contact:
    """Records a contact and moves the pathway's last contact and due date forward; the
    follow-ups due by the contact's day are done (the contact answered them), those planned
    later stay. A contact in the future is refused (it would hold off reminders and
    retention), and so is one before 2000 (a typing slip). Written to the access log under
    `channel`."""
    if kind not in ContactKind.values:
        raise ValidationError({"kind": _("Type de contact inconnu : %(kind)s.") % {"kind": kind}})
    if actor is not None and not policies.can_view_pathway(actor, pathway):
        raise NotAllowed(_("Ce parcours ne fait pas partie de ceux que vous suivez."))
    now = timezone.now()
    if happened_at is not None and (code := contact_date_problem(happened_at, now)):
        raise ValidationError(
            {"happened_at": ValidationError(CONTACT_DATE_MESSAGES[code], code=code)}
        )
    happened_at = happened_at or now
    contact = Contact.objects.create(
        pathway=pathway, kind=kind, happened_at=happened_at, author=actor, note=note
    )
    row = Pathway.objects.select_for_update().select_related("definition").get(pk=pathway.pk)
    FollowUp.objects.filter(
        pathway=row, done_at__isnull=True, due_on__lte=timezone.localdate(happened_at)
    ).update(done_at=now)
    row.last_contact_at = max(filter(None, [row.last_contact_at, happened_at]))
    Pathway.objects.filter(pk=row.pk).update(last_contact_at=row.last_contact_at)
    spec = live_spec(row.definition)
    refresh_due_on(row, spec.stages.get(row.stage) if spec else None)
    pathway.last_contact_at = row.last_contact_at
    pathway.due_on = row.due_on
    log_change(actor, pathway, channel)
    return contact
