"""The young person's rights under the GDPR, answered by the data-protection officer or a
coordinator (admin screen) or an operator (`manage.py youth_data`): a copy of everything held
about them (access, portability), rectification of their identity and contact details, and
erasure on request. Every copy kept above this app is reached through the registry
(`workflows.personal_data`), and each action is written to the access log with its channel.

Erasure deletes; retention (`services.retention`) anonymises after two years and keeps the
figures. Both blank the public form's copy through the same registry."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access_log.models import Action, Channel
from access_log.services import Subject, record

from .. import personal_data
from ..access_logging import subject_of
from ..choices import NeedArea
from ..models import OutreachRound, Pathway, Youth
from ..rules import (
    CONTACT_REQUIRED,
    EMAIL_MAX_LENGTH,
    INVALID_PHONE,
    birth_date_problem,
    is_blank,
    is_valid_phone,
    mention_pattern,
    normalise_phone,
)
from ..selectors import display_name
from ..specs import SpecCache
from .pathways import INTAKE_MESSAGES

# The fields a rectification may change: who the young person is and how to reach them.
# The rest (stages, answers, needs) is the counsellors' work, changed through the pathway.
RECTIFIABLE_FIELDS = ("first_name", "last_name", "date_of_birth", "phone", "email")
NAME_MAX_LENGTH = 100
# What replaces the young person's name in the notes of a maraude once they are erased.
ERASED_MENTION = gettext_lazy("[jeune effacé]")


class UnknownFields(ValueError):
    """A rectification named fields that are not identity or contact fields."""


# --- reading ------------------------------------------------------------------------------


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.isoformat()


def _pathways(youth: Youth) -> list[Pathway]:
    """Every pathway of the young person with what hangs from it, in a fixed number of
    queries whatever their number."""
    return list(
        Pathway.objects.filter(youth=youth)
        .select_related(
            "organisation", "antenna", "referent", "identified_by", "outreach_round__commune"
        )
        .prefetch_related("history__actor", "contacts__author", "follow_ups")
        .order_by("created_at", "pk")
    )


def _longest_first(terms: Iterable[str]) -> list[str]:
    """Longest first, so that "Camille Test" is replaced whole rather than word by word."""
    return sorted({term for term in terms if len(term) >= 2}, key=len, reverse=True)


def _name_terms(youth: Youth) -> tuple[list[str], list[str]]:
    """(every way the notes may name the young person, the ways that name them without
    doubt). A first name alone is searched only in the rounds where they were met."""
    first, last = youth.first_name.strip(), youth.last_name.strip()
    certain = _longest_first([f"{first} {last}", f"{last} {first}", last] if last else [])
    return _longest_first([*certain, first]), certain


def _rounds_naming(
    youth: Youth, pathways: Sequence[Pathway]
) -> list[tuple[OutreachRound, re.Pattern[str]]]:
    """The maraudes whose notes name the young person, each with the pattern to look for:
    the rounds where they were met (first name included), and the other rounds of their
    Missions Locales naming them by their last or full name."""
    every, certain = _name_terms(youth)
    every_pattern, certain_pattern = mention_pattern(every), mention_pattern(certain)
    met_in = {p.outreach_round_id for p in pathways if p.outreach_round_id}
    organisations = {p.organisation_id for p in pathways if p.organisation_id}
    where = Q(pk__in=met_in)
    for term in certain:
        where |= Q(organisation_id__in=organisations, notes__icontains=term)
    if every_pattern is None or not (met_in or (organisations and certain)):
        return []
    found = []
    for outreach_round in OutreachRound.objects.filter(where).order_by("date", "pk"):
        pattern = every_pattern if outreach_round.pk in met_in else certain_pattern
        if pattern is not None and pattern.search(outreach_round.notes):
            found.append((outreach_round, pattern))
    return found


def _sentences_naming(text: str, pattern: re.Pattern[str]) -> list[str]:
    """The sentences of a note that name the young person, not the whole note: the rest of
    a maraude's notes is about other people."""
    sentences = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [s.strip() for s in sentences if s.strip() and pattern.search(s)]


def _need_labels(needs: Iterable[str]) -> list[str]:
    labels = dict(NeedArea.choices)
    return [str(labels.get(need, need)) for need in needs]


def _subjects(youth: Youth, pathways: Sequence[Pathway]) -> list[Subject]:
    """One log subject per pathway, so that each Mission Locale reads the action in its own
    log; the young person alone when they have none."""
    if not pathways:
        return [Subject(youth_id=youth.pk)]
    return [subject_of(pathway) for pathway in pathways]


def _sensitive_given(pathways: Sequence[Pathway], specs: SpecCache) -> list[str]:
    """The sensitive fields (workflows.sensitive) answered in the pathways or their
    history: a copy for the young person holds them all, and the log says they were read.
    Without a live definition every answer counts as sensitive, as in `workflows.sensitive`."""
    given: set[str] = set()
    for pathway in pathways:
        spec = specs.get(pathway.definition_id)
        reserved = spec.sensitive_fields if spec is not None else None
        for answers in [pathway.answers, *(item.answers for item in pathway.history.all())]:
            given.update(
                name
                for name, value in (answers or {}).items()
                if not is_blank(value) and (reserved is None or name in reserved)
            )
    return sorted(given)


def _collect(youth: Youth) -> tuple[dict[str, Any], list[Pathway], list[str]]:
    """(everything held, the pathways, the sensitive fields answered)."""
    pathways = _pathways(youth)
    specs = SpecCache()
    return _youth_data(youth, pathways, specs), pathways, _sensitive_given(pathways, specs)


def youth_data(youth: Youth) -> dict[str, Any]:
    """Everything held about the young person, JSON-ready, without logging it (for the
    services here and their tests; screens and commands call `read_youth` or
    `export_youth`, which log)."""
    return _collect(youth)[0]


def _youth_data(youth: Youth, pathways: list[Pathway], specs: SpecCache) -> dict[str, Any]:
    copies = []
    pathway_ids = [p.pk for p in pathways]
    for holder in personal_data.holders():
        rows = holder.export(pathway_ids) if pathway_ids else []
        copies.append({"label": str(holder.label), "rows": rows})
    return {
        "exported_at": _iso(timezone.now()),
        "youth": {
            "id": youth.pk,
            "first_name": youth.first_name,
            "last_name": youth.last_name,
            "date_of_birth": _iso(youth.date_of_birth),
            "phone": youth.phone,
            "email": youth.email,
            "commune": str(youth.commune) if youth.commune_id else None,
            "priority_neighbourhood": (
                youth.priority_neighbourhood.name if youth.priority_neighbourhood else None
            ),
            "consent_given": youth.consent_given,
            "consent_recorded_at": _iso(youth.consent_recorded_at),
            "created_at": _iso(youth.created_at),
            "anonymised_at": _iso(youth.anonymised_at),
        },
        "pathways": [_pathway_data(p, specs) for p in pathways],
        "outreach_round_mentions": [
            {
                "date": _iso(outreach_round.date),
                "place": outreach_round.place,
                "excerpts": _sentences_naming(outreach_round.notes, pattern),
            }
            for outreach_round, pattern in _rounds_naming(youth, pathways)
        ],
        "copies": copies,
    }


def _labelled(answers: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """Answers under the question asked (the field's label in the live definition), so the
    young person reads "Motif de sortie", not "motif_sortie"."""
    return {labels.get(name, name): value for name, value in answers.items()}


def _answer_labels(spec) -> dict[str, str]:
    labels: dict[str, str] = {}
    if spec is not None:
        for transition in spec.transitions.values():
            for field in transition.fields:
                labels.setdefault(field.name, str(field.label))
    return labels


def _pathway_data(pathway: Pathway, specs: SpecCache) -> dict[str, Any]:
    outreach_round = pathway.outreach_round
    labels = _answer_labels(specs.get(pathway.definition_id))
    return {
        "id": pathway.pk,
        "organisation": str(pathway.organisation) if pathway.organisation_id else None,
        "antenna": str(pathway.antenna) if pathway.antenna_id else None,
        "stage": specs.stage_label(pathway),
        "stage_category": pathway.get_stage_category_display(),
        "source": pathway.get_source_display(),
        "referent": display_name(pathway.referent),
        "identified_by": display_name(pathway.identified_by),
        "outreach_round": (
            {
                "date": _iso(outreach_round.date),
                "place": outreach_round.place,
                "commune": str(outreach_round.commune) if outreach_round.commune_id else None,
            }
            if outreach_round
            else None
        ),
        "needs": _need_labels(pathway.needs),
        "answers": _labelled(pathway.answers, labels),
        "created_at": _iso(pathway.created_at),
        "entered_stage_at": _iso(pathway.entered_stage_at),
        "last_contact_at": _iso(pathway.last_contact_at),
        "due_on": _iso(pathway.due_on),
        "closed_at": _iso(pathway.closed_at),
        "history": [
            {
                "at": _iso(item.created_at),
                "kind": item.get_kind_display(),
                "by": display_name(item.actor),
                "transition": item.transition_label,
                "from": item.from_stage_label,
                "to": item.to_stage_label,
                "answers": _labelled(item.answers, labels),
                "comment": item.comment,
            }
            for item in sorted(pathway.history.all(), key=lambda r: (r.created_at, r.pk))
        ],
        "contacts": [
            {
                "at": _iso(contact.happened_at),
                "kind": contact.get_kind_display(),
                "by": display_name(contact.author),
                "note": contact.note,
            }
            for contact in sorted(pathway.contacts.all(), key=lambda c: (c.happened_at, c.pk))
        ],
        "follow_ups": [
            {"due_on": _iso(f.due_on), "note": f.note, "done_at": _iso(f.done_at)}
            for f in sorted(pathway.follow_ups.all(), key=lambda f: (f.due_on, f.pk))
        ],
    }


def read_youth(youth: Youth, *, user, channel: Channel = Channel.PAGE) -> dict[str, Any]:
    """Everything held about the young person, shown to staff (the screen's summary),
    logged as a read (marked sensitive, naming the fields, when sensitive answers are
    among it)."""
    return _collect_logged(youth, user=user, action=Action.READ, channel=channel)


def export_youth(youth: Youth, *, user=None, channel: Channel = Channel.EXPORT) -> dict[str, Any]:
    """Everything held about the young person (right of access and portability), sensitive
    answers included: the copy is the young person's own. Logged as an export through
    `channel` (marked sensitive, naming the fields, when sensitive answers are among it)."""
    return _collect_logged(youth, user=user, action=Action.EXPORT, channel=channel)


def _collect_logged(youth: Youth, *, user, action: Action, channel: Channel) -> dict[str, Any]:
    data, pathways, sensitive = _collect(youth)
    record(
        user,
        action,
        channel,
        _subjects(youth, pathways),
        sensitive=bool(sensitive),
        detail=",".join(sensitive),
    )
    return data


# --- rectifying ---------------------------------------------------------------------------


def rectification_problems(youth: Youth, changes: dict[str, Any]) -> dict[str, str]:
    """What stops the rectification, as {field: French message}: the rules of intake
    (workflows.rules) applied to the record as it would become."""
    after = {name: getattr(youth, name) for name in RECTIFIABLE_FIELDS} | changes
    problems: dict[str, str] = {}
    first_name = (after["first_name"] or "").strip()
    if not first_name:
        problems["first_name"] = _("Le prénom ne peut pas être vide.")
    for name in ("first_name", "last_name"):
        if len((after[name] or "").strip()) > NAME_MAX_LENGTH:
            problems[name] = _("%(max)s caractères au plus.") % {"max": NAME_MAX_LENGTH}
    phone = normalise_phone(after["phone"])
    email = (after["email"] or "").strip()
    if phone and not is_valid_phone(phone):
        problems["phone"] = str(INTAKE_MESSAGES[INVALID_PHONE])
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems["email"] = _("Adresse e-mail invalide, par exemple prenom@exemple.fr.")
        if len(email) > EMAIL_MAX_LENGTH:
            problems["email"] = _("%(max)s caractères au plus.") % {"max": EMAIL_MAX_LENGTH}
    if not phone and not email:
        problems["phone"] = str(INTAKE_MESSAGES[CONTACT_REQUIRED])
    date_of_birth = after["date_of_birth"]
    if date_of_birth is not None and not isinstance(date_of_birth, datetime.date):
        problems["date_of_birth"] = _("Date invalide.")
    elif code := birth_date_problem(date_of_birth, timezone.localdate()):
        problems["date_of_birth"] = str(INTAKE_MESSAGES[code])
    return problems


def cleaned_details(fields: dict[str, Any]) -> dict[str, Any]:
    """Identity and contact values as stored: a phone normalised, text stripped. Raises
    UnknownFields for any other field (the rest of the record is the stages' work)."""
    unknown = set(fields) - set(RECTIFIABLE_FIELDS)
    if unknown:
        raise UnknownFields(", ".join(sorted(unknown)))
    return {
        name: (normalise_phone(value) if name == "phone" else (value or "").strip())
        if name != "date_of_birth"
        else value
        for name, value in fields.items()
    }


def changed_details(youth: Youth, cleaned: dict[str, Any]) -> list[str]:
    """The names of the fields whose cleaned value differs from the record, in form order."""
    return [
        name
        for name in RECTIFIABLE_FIELDS
        if name in cleaned and getattr(youth, name) != cleaned[name]
    ]


@transaction.atomic
def rectify_youth(user, youth: Youth, *, channel: Channel = Channel.FORM, **fields) -> Youth:
    """Corrects the young person's identity and contact details. Refuses, with a
    ValidationError keyed by field (in French), what intake would refuse: a malformed phone,
    neither phone nor e-mail, an implausible birth date, an empty first name. Logs which
    fields changed (their names, never their values). Raises UnknownFields for any other
    field."""
    cleaned = cleaned_details(fields)
    if problems := rectification_problems(youth, cleaned):
        raise ValidationError(problems)
    changed = changed_details(youth, cleaned)
    if not changed:
        return youth
    for name in changed:
        setattr(youth, name, cleaned[name])
    youth.save(update_fields=changed)
    pathways = Pathway.objects.filter(youth=youth).only("pk", "organisation_id")
    record(
        user, Action.RECTIFY, channel, _subjects(youth, list(pathways)), detail=",".join(changed)
    )
    return youth


# --- erasing ------------------------------------------------------------------------------

# What an erasure removes, as the confirmation step says it.
ERASURE_CONSEQUENCES = (
    gettext_lazy(
        "son identité et ses coordonnées (prénom, nom, date de naissance, téléphone, "
        "e-mail, commune) ;"
    ),
    gettext_lazy(
        "tous ses parcours, avec leur historique, les réponses données, les "
        "commentaires, les contacts et leurs notes, les relances et les besoins ;"
    ),
    gettext_lazy("sa demande « être recontacté » envoyée depuis le site ;"),
    gettext_lazy("son nom dans les observations des maraudes."),
)


@transaction.atomic
def erase_youth(youth: Youth, *, reason: str, user=None, channel: Channel) -> dict[str, int]:
    """Erasure on request: deletes the young person, their pathways and everything hanging
    from them (history, answers, contacts, follow-ups, needs), blanks every copy in the
    registry (the public form's request), and takes their name out of the maraudes' notes.
    Keeps nothing identifying; the access log keeps the act (ids and the reason, which must
    hold no personal data). Returns counts of what was removed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif de l'effacement.")})
    pathways = list(
        Pathway.objects.filter(youth=youth).only("pk", "organisation_id", "outreach_round_id")
    )
    pathway_ids = [p.pk for p in pathways]
    # Found while the pathways that point at the rounds still exist.
    rounds = _rounds_naming(youth, pathways)
    record(user, Action.ERASE, channel, _subjects(youth, pathways), detail=reason)
    counts = {"pathways": len(pathway_ids), "copies": 0, "outreach_rounds": 0}
    for holder in personal_data.holders():
        if pathway_ids:
            counts["copies"] += holder.erase(pathway_ids)
    replacement = str(ERASED_MENTION)
    for outreach_round, pattern in rounds:
        outreach_round.notes = pattern.sub(replacement, outreach_round.notes)
        outreach_round.save(update_fields=["notes"])
        counts["outreach_rounds"] += 1
    youth.delete()
    return counts
