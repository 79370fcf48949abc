"""Retention (CNIL guidance for social support records): a young person's data is kept at
most their organisation's retention period (`Organisation.retention_days`, two years by
default) after their last contact, whatever the stage.

A pathway left that long without contact is closed by the system, with a history record
saying why (no user); once none of their pathways is open or recent, the young person is
anonymised. What the comité de pilotage's figures need stays: stages, categories, commune,
QPV, the age band at entry, the answers chosen from a list (but the sensitive ones), and
dates at month precision.
Every copy goes: names, contact details, date of birth, free text (contact and follow-up
notes, comments, typed answers, mentions in maraude notes), needs, and the copies other apps
keep (workflows.personal_data, e.g. the public form's request).

`anonymise_expired` is the one entry point, for the daily task and the `anonymise_expired`
command alike. It works in batches, each its own transaction, so that a large backlog is
neither loaded nor locked at once, and a second run finds nothing left to do."""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from access_log.models import Action, Channel
from access_log.services import Subject, record
from territories.models import Organisation

from .. import personal_data
from ..access_logging import subject_of
from ..choices import FieldType, StageCategory
from ..models import Contact, FollowUp, OutreachRound, Pathway, TransitionRecord, Youth
from ..rules import age_band, mention_pattern, stage_entry
from ..specs import DefinitionSpec, SpecCache, StageSpec, revision_specs
from .history import append_history

# For pathways without an organisation; an organisation's own is `retention_days`.
DEFAULT_RETENTION_DAYS = 730
BATCH_SIZE = 200
# Answers picked from a list or a number say nothing of who the young person is and feed the
# figures (programme, exit outcome, diagnostic); a date keeps its month; typed text goes.
KEPT_ANSWER_TYPES = frozenset(
    {FieldType.CHOICE, FieldType.MULTIPLE_CHOICE, FieldType.YES_NO, FieldType.NUMBER}
)
# A maraude's notes are searched for a young person's name in the rounds of their
# organisation from this long before their first pathway up to their last contact.
ROUND_MARGIN = datetime.timedelta(days=31)


@dataclass
class RetentionReport:
    """What a run did (or, dry, would do): counts by organisation id (None: pathways recorded
    before organisations existed). A young person counts under their latest pathway's."""

    closed: Counter = field(default_factory=Counter)
    anonymised: Counter = field(default_factory=Counter)


def period_in_words(days: int) -> str:
    """How a closure names the silence: "deux ans", "un an", else "500 jours"."""
    return {365: _("un an"), 730: _("deux ans")}.get(days) or _("%(days)s jours") % {"days": days}


def _clock():
    """When a pathway's retention clock started: its last contact, or its creation (the first
    meeting) when no later contact is recorded. Stage changes do not count: "sans nouvelles"
    is itself a stage, entered precisely when contact is lost."""
    return Greatest(Coalesce("last_contact_at", "created_at"), "created_at")


def _expired(now: datetime.datetime) -> Q:
    """Pathways (annotated with `clock`) silent for longer than their organisation's period.
    One term per distinct period, not per organisation: the condition stays short."""
    periods = Organisation.objects.values_list("retention_days", flat=True).distinct()
    condition = Q(
        organisation__isnull=True,
        clock__lt=now - datetime.timedelta(days=DEFAULT_RETENTION_DAYS),
    )
    for days in periods.order_by():
        condition |= Q(
            organisation__retention_days=days, clock__lt=now - datetime.timedelta(days=days)
        )
    return condition


def silent_open_pathways(now: datetime.datetime, expired: Q | None = None) -> QuerySet[Pathway]:
    """Open pathways left without contact for their organisation's retention period."""
    return (
        Pathway.objects.filter(closed_at__isnull=True)
        .annotate(clock=_clock())
        .filter(expired if expired is not None else _expired(now))
    )


def youths_to_anonymise(now: datetime.datetime, expired: Q | None = None) -> QuerySet[Youth]:
    """Young people not yet anonymised none of whose pathways is still within its retention
    period (an open one among them is closed first)."""
    expired = expired if expired is not None else _expired(now)
    pathways = Pathway.objects.filter(youth=OuterRef("pk"))
    retained = pathways.annotate(clock=_clock()).exclude(expired)
    return (
        Youth.objects.filter(anonymised_at__isnull=True)
        .filter(~Exists(retained))
        .filter(
            Exists(pathways)
            | Q(created_at__lt=now - datetime.timedelta(days=DEFAULT_RETENTION_DAYS))
        )
    )


def _latest_organisation() -> Subquery:
    """A young person's organisation in the report: their latest pathway's."""
    latest = Pathway.objects.filter(youth=OuterRef("pk")).order_by("-created_at", "-pk")
    return Subquery(latest.values("organisation_id")[:1])


def anonymise_expired(
    now: datetime.datetime | None = None,
    *,
    dry_run: bool = False,
    channel: Channel = Channel.TASK,
    batch_size: int = BATCH_SIZE,
) -> RetentionReport:
    """Closes the silent open pathways, then anonymises the young people whose retention
    period is over, as of `now`. `dry_run` counts without changing anything."""
    now = now or timezone.now()
    expired = _expired(now)
    report = RetentionReport()
    to_close = silent_open_pathways(now, expired)
    to_anonymise = youths_to_anonymise(now, expired)
    if dry_run:
        report.closed.update(
            dict(to_close.order_by().values_list("organisation_id").annotate(n=Count("pk")))
        )
        organisations = to_anonymise.annotate(organisation=_latest_organisation())
        report.anonymised.update(organisations.values_list("organisation", flat=True).iterator())
        return report
    for page in _pages(to_close.values_list("pk", "organisation_id"), batch_size):
        report.closed.update(_close_silent(list(page), expired, now, channel))
    youths = to_anonymise.annotate(organisation=_latest_organisation())
    for page in _pages(youths.values_list("pk", "organisation"), batch_size):
        done = anonymise(list(page), now=now, channel=channel, detail="retention")
        report.anonymised.update(page[pk] for pk in done)
    return report


def _pages(rows: QuerySet, size: int) -> Iterable[dict[int, Any]]:
    """Pages of `size` rows (id, organisation id) by increasing id, as {id: organisation id},
    each read afresh: rows handled drop out of the query, and the last id seen moves on past
    any that stay."""
    last_pk = 0
    while page := dict(rows.filter(pk__gt=last_pk).order_by("pk")[:size]):
        yield page
        last_pk = max(page)


# --- closing a silent pathway ---------------------------------------------------------------


def _exit_stage(spec: DefinitionSpec | None) -> StageSpec | None:
    """Where the system closes a pathway: the definition's first final stage of the "Sortie"
    category, else its first final stage (publishing refuses a definition without one)."""
    if spec is None:
        return None
    finals = [stage for stage in spec.stages.values() if stage.final]
    exits = [stage for stage in finals if stage.category == StageCategory.EXIT]
    return next(iter(exits or finals), None)


@transaction.atomic
def _close_silent(
    ids: Sequence[int], expired: Q, now: datetime.datetime, channel: Channel
) -> Counter:
    """Closes those of `ids` still open and silent (a contact may have come in since they were
    listed), each with a history record of its own; returns the count by organisation."""
    pathways = list(
        Pathway.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, closed_at__isnull=True)
        .annotate(clock=_clock(), retention_days=F("organisation__retention_days"))
        .filter(expired)
        .order_by("pk")
    )
    specs = SpecCache()
    by_target: dict[StageSpec | None, list[int]] = defaultdict(list)
    records = []
    for pathway in pathways:
        spec = specs.get(pathway.definition_id)
        target = _exit_stage(spec)
        by_target[target].append(pathway.pk)
        period = period_in_words(pathway.retention_days or DEFAULT_RETENTION_DAYS)
        records.append(
            TransitionRecord(
                pathway_id=pathway.pk,
                kind=TransitionRecord.Kind.EXPIRY,
                created_at=now,
                actor=None,
                transition_label=_("Sortie automatique : sans contact depuis %(period)s")
                % {"period": period},
                from_stage=pathway.stage,
                from_stage_label=spec.stage_label(pathway.stage) if spec else pathway.stage,
                to_stage=target.code if target else pathway.stage,
                to_stage_label=target.label
                if target
                else (spec.stage_label(pathway.stage) if spec else pathway.stage),
                to_category=target.category if target else pathway.stage_category,
                revision_id=spec.revision_id if spec else None,
            )
        )
    for target, pks in by_target.items():
        rows = Pathway.objects.filter(pk__in=pks)
        if target is None:  # no published definition: closed where it stands
            rows.update(closed_at=now, due_on=None, version=F("version") + 1)
        else:  # what entering a final stage sets, as for a transition or a publish move
            rows.update(
                stage=target.code, **stage_entry(target, now=now, previous_version=F("version"))
            )
    append_history(records)
    subjects = [subject_of(pathway) for pathway in pathways]
    record(None, Action.CHANGE, channel, subjects, detail="retention: closure")
    return Counter(pathway.organisation_id for pathway in pathways)


# --- anonymising a young person -------------------------------------------------------------


def _month(name: str):
    """A moment brought back to the first of its month, 00:00 UTC."""
    return TruncMonth(name, tzinfo=datetime.UTC)


def _month_day(name: str):
    """A date brought back to the first of its month."""
    return TruncMonth(name)


def _month_of_date(value: Any) -> str | None:
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return None
    return day.replace(day=1).isoformat()


def kept_answers(answers: dict[str, Any], field_types: dict[str, str]) -> dict[str, Any]:
    """What anonymisation keeps of a set of answers: those picked from a list, yes/no and
    numbers; dates at month precision; nothing typed, nor any answer of an unknown type
    (`field_types` leaves out the sensitive ones)."""
    kept: dict[str, Any] = {}
    for name, value in answers.items():
        field_type = field_types.get(name)
        if field_type in KEPT_ANSWER_TYPES:
            kept[name] = value
        elif field_type == FieldType.DATE and (month := _month_of_date(value)) is not None:
            kept[name] = month
    return kept


def _field_types(records: Sequence[TransitionRecord]) -> dict[int, dict[str, str]]:
    """Each record's answer types (record id -> field name -> type), from the revision of
    the definition it ran under. An answer marked sensitive (health, housing, resources) in
    any of these revisions gets no type, so it goes whatever its type."""
    specs = revision_specs(r.revision_id for r in records if r.revision_id is not None)
    sensitive = frozenset().union(*(spec.sensitive_fields for spec in specs.values()))
    types: dict[int, dict[str, str]] = {}
    for history_record in records:
        spec = specs.get(history_record.revision_id)  # type: ignore[arg-type]
        transition = spec.transitions.get(history_record.transition_code) if spec else None
        fields = transition.fields if transition else ()
        types[history_record.pk] = {f.name: f.field_type for f in fields if f.name not in sensitive}
    return types


def _anonymise_answers(pathway_ids: Sequence[int]) -> None:
    """Answers on the history and on the pathways, reduced to `kept_answers`. A pathway's
    answers gather its transitions': their types come from the records, latest last."""
    records = list(
        TransitionRecord.objects.filter(pathway_id__in=pathway_ids)
        .only("pk", "pathway_id", "transition_code", "revision_id", "answers")
        .order_by("created_at", "pk")
    )
    types = _field_types(records)
    pathway_types: dict[int, dict[str, str]] = defaultdict(dict)
    for history_record in records:
        pathway_types[history_record.pathway_id].update(types[history_record.pk])
        history_record.answers = kept_answers(history_record.answers, types[history_record.pk])
    TransitionRecord.objects.bulk_update(records, ["answers"], batch_size=BATCH_SIZE)
    # With the stage: django-fsm's lock reads it from every instance.
    pathways = list(Pathway.objects.filter(pk__in=pathway_ids).only("pk", "stage", "answers"))
    for pathway in pathways:
        pathway.answers = kept_answers(pathway.answers, pathway_types[pathway.pk])
    Pathway.objects.bulk_update(pathways, ["answers"], batch_size=BATCH_SIZE)


def _identifying_terms(youths: Sequence[Youth]) -> list[str]:
    """What names a young person in a text: full name, names, phone (as typed and as digits),
    e-mail. Longest first, so that a full name goes before its parts."""
    terms: set[str] = set()
    for youth in youths:
        digits = re.sub(r"\D", "", youth.phone)
        for term in (
            f"{youth.first_name} {youth.last_name}",
            youth.first_name,
            youth.last_name,
            youth.phone,
            digits,
            youth.email,
        ):
            term = term.strip()
            if len(term) >= 2:
                terms.add(term)
    return sorted(terms, key=len, reverse=True)


def _scrub_round_notes(youths: Sequence[Youth], pathway_rows: Sequence[dict]) -> int:
    """Removes the young people's names and contact details from the notes of the maraudes
    they were met at, and of their organisations' rounds from a month before their first
    pathway to their last contact. Returns how many rounds changed."""
    pattern = mention_pattern(_identifying_terms(youths))
    if pattern is None or not pathway_rows:
        return 0
    linked = {row["outreach_round_id"] for row in pathway_rows if row["outreach_round_id"]}
    organisations = {row["organisation_id"] for row in pathway_rows if row["organisation_id"]}
    since = min(row["created_at"] for row in pathway_rows) - ROUND_MARGIN
    until = max(row["clock"] for row in pathway_rows)
    rounds = list(
        OutreachRound.objects.select_for_update()
        .filter(
            Q(pk__in=linked)
            | Q(
                organisation_id__in=organisations,
                date__gte=timezone.localdate(since),
                date__lte=timezone.localdate(until),
            )
        )
        .exclude(notes="")
        .only("pk", "notes")
    )
    changed = []
    for outreach_round in rounds:
        notes = pattern.sub(_("[retiré]"), outreach_round.notes)
        if notes != outreach_round.notes:
            outreach_round.notes = notes
            changed.append(outreach_round)
    OutreachRound.objects.bulk_update(changed, ["notes"], batch_size=BATCH_SIZE)
    return len(changed)


def anonymise(
    youth_ids: Sequence[int],
    now: datetime.datetime | None = None,
    *,
    user=None,
    action: Action = Action.ANONYMISE,
    channel: Channel = Channel.TASK,
    detail: str = "",
) -> list[int]:
    """Erases what identifies these young people, wherever it was copied, in one
    transaction, and logs it (one access log entry per pathway, `action` by `user` through
    `channel`; the system when `user` is None). Their pathways are expected closed. Returns
    the ids actually anonymised (one already anonymised is left alone)."""
    now = now or timezone.now()
    with transaction.atomic():
        youths = list(
            Youth.objects.select_for_update()
            .filter(pk__in=youth_ids, anonymised_at__isnull=True)
            .order_by("pk")
        )
        if not youths:
            return []
        ids = [youth.pk for youth in youths]
        pathway_rows = list(
            Pathway.objects.filter(youth_id__in=ids)
            .annotate(clock=_clock())
            .values("pk", "youth_id", "organisation_id", "outreach_round_id", "created_at", "clock")
        )
        pathway_ids = [row["pk"] for row in pathway_rows]

        # The age band outlives the date of birth: set it if it was never set.
        unbanded = [y for y in youths if not y.age_band_at_entry and y.date_of_birth]
        for youth in unbanded:
            youth.age_band_at_entry = age_band(
                youth.date_of_birth, timezone.localdate(youth.created_at)
            )
        Youth.objects.bulk_update(unbanded, ["age_band_at_entry"])

        _scrub_round_notes(youths, pathway_rows)
        _anonymise_answers(pathway_ids)
        for holder in personal_data.holders():
            holder.erase(pathway_ids)
        Youth.objects.filter(pk__in=ids).update(
            first_name=_("Anonymisé"),
            last_name="",
            date_of_birth=None,
            phone="",
            email="",
            anonymised_at=now,
            created_at=_month("created_at"),
            consent_recorded_at=_month("consent_recorded_at"),
        )
        Pathway.objects.filter(pk__in=pathway_ids).update(
            needs=[],
            created_at=_month("created_at"),
            entered_stage_at=_month("entered_stage_at"),
            last_contact_at=_month("last_contact_at"),
            closed_at=_month("closed_at"),
            due_on=_month_day("due_on"),
        )
        TransitionRecord.objects.filter(pathway_id__in=pathway_ids).update(
            comment="", created_at=_month("created_at"), left_at=_month("left_at")
        )
        Contact.objects.filter(pathway_id__in=pathway_ids).update(
            note="", happened_at=_month("happened_at"), created_at=_month("created_at")
        )
        FollowUp.objects.filter(pathway_id__in=pathway_ids).update(
            note="",
            due_on=_month_day("due_on"),
            done_at=_month("done_at"),
            created_at=_month("created_at"),
        )
        with_pathway = {row["youth_id"] for row in pathway_rows}
        subjects = [
            Subject(row["youth_id"], row["organisation_id"], row["pk"]) for row in pathway_rows
        ] + [Subject(pk) for pk in ids if pk not in with_pathway]
        record(user, action, channel, subjects, detail=detail)
    return ids
