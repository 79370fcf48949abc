"""The figures for the comité de pilotage (issue 15), read from the pathways' history so that
they survive every edit of a definition: a stage counts by the category recorded when it was
entered (TransitionRecord.to_category), an answer by the reporting tag of the revision the
transition ran under (workflows.reporting), never by today's names. One place per figure;
the API (and later the dashboard and the exports) call `figures` and `breakdowns`.

Conventions, the same for every figure:
- the period is whole local days in Europe/Paris, `start` and `end` both included; a record
  is in it when its time is;
- a young person counts once per figure (and once per key of a breakdown);
- a "transition" is a record with a stage it comes from: the record that creates a pathway
  is its creation, never an entry into a category (`accompanied` still counts a pathway
  created straight into support);
- the category a record comes from is the one the pathway's previous record went to.

Queries: one for the history of the pathways in scope (a bounded set of columns), one for
the maraudes, one for the revisions' dates (workflows.specs.revision_specs; a revision's spec
is built once per process), whatever the number of pathways."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, F, JSONField, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _

from territories.models import Antenna, Commune, PriorityNeighbourhood
from workflows.choices import AgeBand, PathwaySource, StageCategory
from workflows.models import OutreachRound, Pathway, TransitionRecord
from workflows.policies import of_users_organisation
from workflows.reporting import UNKNOWN, ExitOutcome, Programme, ReportingTag
from workflows.specs import DefinitionSpec, revision_specs

from .policies import can_read_figures

PARIS = ZoneInfo("Europe/Paris")

SUPPORT = StageCategory.SUPPORT.value
EXIT = StageCategory.EXIT.value
LOST_CONTACT = StageCategory.LOST_CONTACT.value
RECEPTION = StageCategory.RECEPTION.value


@dataclass(frozen=True)
class Period:
    """[since, until): from `start` at midnight to the midnight after `end`, in Paris."""

    since: datetime.datetime
    until: datetime.datetime

    @classmethod
    def of_days(cls, start: datetime.date, end: datetime.date) -> Period:
        return cls(_midnight(start), _midnight(end + datetime.timedelta(days=1)))

    def __contains__(self, moment: datetime.datetime) -> bool:
        return self.since <= moment < self.until


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=PARIS)


@dataclass
class _Record:
    at: datetime.datetime
    kind: str
    to_category: str
    from_category: str | None
    transition_code: str
    revision_id: int | None
    answers: dict[str, Any]


@dataclass
class _Pathway:
    youth_id: int
    source: str
    outreach_round_id: int | None
    # The breakdowns' keys: the pathway's antenna, the young person's commune, QPV and age
    # band at entry.
    antenna_id: int | None = None
    antenna_name: str | None = None
    commune_code: str | None = None
    commune_name: str | None = None
    qpv_code: str | None = None
    qpv_name: str | None = None
    age_band: str = ""
    records: list[_Record] = field(default_factory=list)

    @property
    def created_at(self) -> datetime.datetime:
        return self.records[0].at

    def transitions(self) -> Iterable[_Record]:
        """The records that move the pathway from a stage (all but its creation)."""
        return (r for r in self.records if r.from_category is not None)


def scoped_pathways(
    user, *, antenna: int | None = None, commune: str | None = None, qpv: str | None = None
) -> QuerySet:
    """The pathways the figures count: the user's organisation (every one for a superuser),
    none for whom may not read figures; narrowed to one antenna, one commune (INSEE code of
    the young person's commune) or one QPV (its code)."""
    pathways = Pathway.objects.all()
    if not can_read_figures(user):
        return pathways.none()
    pathways = of_users_organisation(user, pathways)
    if antenna is not None:
        pathways = pathways.filter(antenna_id=antenna)
    if commune:
        pathways = pathways.filter(youth__commune__insee_code=commune)
    if qpv:
        pathways = pathways.filter(youth__priority_neighbourhood__code=qpv)
    return pathways


# What each history row carries of its pathway, in `_Pathway`'s order.
PATHWAY_COLUMNS = (
    "pathway__youth_id",
    "pathway__source",
    "pathway__outreach_round_id",
    "pathway__antenna_id",
    "pathway__antenna__name",
    "pathway__youth__commune__insee_code",
    "pathway__youth__commune__name",
    "pathway__youth__priority_neighbourhood__code",
    "pathway__youth__priority_neighbourhood__name",
    "pathway__youth__age_band_at_entry",
)


def _histories(pathways: QuerySet, period: Period) -> list[_Pathway]:
    """Every record up to the period's end of the pathways that may count in it (not closed
    before it began), in order, each with the category it comes from: one query."""
    rows = (
        TransitionRecord.objects.filter(
            pathway__in=pathways.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=period.since)),
            created_at__lt=period.until,
        )
        # Only the answers a figure reads (entries into support and exit in the period):
        # the rest of the history stays in the database.
        .annotate(
            counted_answers=Case(
                When(
                    to_category__in=(SUPPORT, EXIT),
                    created_at__gte=period.since,
                    then=F("answers"),
                ),
                default=Value(None, output_field=JSONField()),
                output_field=JSONField(),
            )
        )
        .order_by("pathway_id", "created_at", "pk")
        .values_list(
            "pathway_id",
            "kind",
            "created_at",
            "to_category",
            "transition_code",
            "revision_id",
            "counted_answers",
            *PATHWAY_COLUMNS,
        )
    )
    by_pathway: dict[int, _Pathway] = {}
    for pathway_id, kind, at, to_category, code, rev, answers, *about in rows:
        pathway = by_pathway.get(pathway_id)
        if pathway is None:
            pathway = by_pathway[pathway_id] = _Pathway(*about)
        previous = pathway.records[-1].to_category if pathway.records else None
        pathway.records.append(_Record(at, kind, to_category, previous, code, rev, answers or {}))
    return list(by_pathway.values())


def _reporting_category(record: _Record, tag: str, specs: dict[int, DefinitionSpec]) -> str:
    """The category (workflows.reporting) of the answer the record's transition gave to its
    field tagged `tag`, in the revision it ran under; "unknown" without one."""
    spec = specs.get(record.revision_id) if record.revision_id is not None else None
    transition = spec.transitions.get(record.transition_code) if spec else None
    if transition is None:
        return UNKNOWN
    for spec_field in transition.fields:
        if spec_field.reporting == tag:
            answer = record.answers.get(spec_field.name)
            if isinstance(answer, str):
                return spec_field.reporting_map.get(answer, UNKNOWN)
    return UNKNOWN


def _counted(groups: dict[str, set[int]], keys: Iterable[str]) -> dict[str, int]:
    return {key: len(groups.get(key, ())) for key in keys}


def _median_days(durations: list[datetime.timedelta]) -> float | None:
    if not durations:
        return None
    return round(statistics.median(d.total_seconds() / 86400 for d in durations), 1)


def _first_entry_durations(
    pathways: list[_Pathway], category: str, period: Period
) -> list[datetime.timedelta]:
    """From creation to the first record into `category`, for the pathways whose first entry
    falls in the period."""
    durations = []
    for pathway in pathways:
        first = next((r for r in pathway.records if r.to_category == category), None)
        if first is not None and first.at in period:
            durations.append(first.at - pathway.created_at)
    return durations


def _accompanied(pathways: list[_Pathway], period: Period) -> set[int]:
    """Young people with a pathway in a support stage at some moment of the period: a stay
    from one record to the next overlaps [since, until)."""
    youths = set()
    for pathway in pathways:
        for record, following in zip(pathway.records, [*pathway.records[1:], None], strict=True):
            left_at = following.at if following is not None else None
            if (
                record.to_category == SUPPORT
                and record.at < period.until
                and (left_at is None or left_at > period.since)
            ):
                youths.add(pathway.youth_id)
                break
    return youths


def _rounds(user, start, end, *, antenna, commune, qpv) -> dict[str, int]:
    """Maraudes dated in the period and the young people met there: one aggregate query.
    An antenna narrows them to its mediators' rounds, a commune or a QPV to the rounds held
    in that commune (the QPV's)."""
    rounds = OutreachRound.objects.none()
    if can_read_figures(user):
        rounds = of_users_organisation(user, OutreachRound.objects.all())
    rounds = rounds.filter(date__gte=start, date__lte=end)
    if antenna is not None:
        rounds = rounds.filter(mediator__staff_profile__antenna_id=antenna)
    if commune:
        rounds = rounds.filter(commune__insee_code=commune)
    if qpv:
        rounds = rounds.filter(commune__priority_neighbourhoods__code=qpv)
    totals = rounds.aggregate(count=Count("pk", distinct=True), met=Sum("young_people_met"))
    return {"outreach_rounds": totals["count"] or 0, "met_in_rounds": totals["met"] or 0}


def _pathway_figures(
    pathways: list[_Pathway], specs: dict[int, DefinitionSpec], period: Period
) -> dict[str, Any]:
    """The figures read from these pathways' history (all but the maraudes')."""
    created = [p for p in pathways if p.created_at in period]
    by_source: dict[str, set[int]] = defaultdict(set)
    for pathway in created:
        by_source[pathway.source].add(pathway.youth_id)

    support_entries: set[int] = set()
    by_programme: dict[str, set[int]] = defaultdict(set)
    exits: set[int] = set()
    by_outcome: dict[str, set[int]] = defaultdict(set)
    lost_contact: set[int] = set()
    re_engaged: set[int] = set()
    for pathway in pathways:
        for record in pathway.transitions():
            if record.at not in period:
                continue
            youth = pathway.youth_id
            if record.to_category == SUPPORT and record.from_category != SUPPORT:
                support_entries.add(youth)
                by_programme[_reporting_category(record, ReportingTag.PROGRAMME, specs)].add(youth)
            if record.to_category == EXIT:
                exits.add(youth)
                by_outcome[_reporting_category(record, ReportingTag.EXIT_REASON, specs)].add(youth)
            if record.to_category == LOST_CONTACT:
                lost_contact.add(youth)
            if record.from_category == LOST_CONTACT and record.to_category not in (
                LOST_CONTACT,
                EXIT,
            ):
                re_engaged.add(youth)

    funnel: dict[str, set[int]] = defaultdict(set)
    for pathway in created:
        for record in pathway.records:
            funnel[record.to_category].add(pathway.youth_id)

    positive = len(by_outcome.get(ExitOutcome.POSITIVE, ()))
    return {
        "identified": len({p.youth_id for p in created}),
        "identified_by_source": _counted(by_source, PathwaySource.values),
        "identified_in_rounds": len(
            {p.youth_id for p in created if p.outreach_round_id is not None}
        ),
        "accompanied": len(_accompanied(pathways, period)),
        "support_entries": len(support_entries),
        "support_entries_by_programme": _counted(by_programme, [*Programme.values, UNKNOWN]),
        "exits": len(exits),
        "exits_by_outcome": _counted(by_outcome, [*ExitOutcome.values, UNKNOWN]),
        "positive_exit_rate": round(positive / len(exits), 4) if exits else None,
        "lost_contact": len(lost_contact),
        "re_engaged": len(re_engaged),
        "funnel": _counted(funnel, StageCategory.values),
        "median_days_to_reception": _median_days(
            _first_entry_durations(pathways, RECEPTION, period)
        ),
        "median_days_to_support": _median_days(_first_entry_durations(pathways, SUPPORT, period)),
    }


def _read(user, start, end, antenna, commune, qpv):
    period = Period.of_days(start, end)
    pathways = _histories(scoped_pathways(user, antenna=antenna, commune=commune, qpv=qpv), period)
    specs = revision_specs(
        {r.revision_id for p in pathways for r in p.records if r.revision_id is not None}
    )
    return period, pathways, specs


def figures(
    user,
    start: datetime.date,
    end: datetime.date,
    *,
    antenna: int | None = None,
    commune: str | None = None,
    qpv: str | None = None,
) -> dict[str, Any]:
    """Every figure of issue 15, under its key, for the user's organisation over the days
    from `start` to `end` (both included)."""
    return _report(user, start, end, antenna, commune, qpv)


# Groups with no key of their own (no antenna, no commune, no age band recorded).
NONE_KEY = "none"
INSIDE_QPV = "inside"
OUTSIDE_QPV = "outside"


def breakdowns(
    user,
    start: datetime.date,
    end: datetime.date,
    *,
    antenna: int | None = None,
    commune: str | None = None,
    qpv: str | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The figures read from the history (every one but the maraudes'), by antenna, by the
    young person's commune (INSEE code), by QPV (inside any, outside, then each) and by age
    band at entry: each group a {key, label, figures} entry, in a stable order. Same
    queries as `figures`, whatever the number of groups."""
    period, pathways, specs = _read(user, start, end, antenna, commune, qpv)
    return _breakdowns(pathways, specs, period)


def report(
    user,
    start: datetime.date,
    end: datetime.date,
    *,
    antenna: int | None = None,
    commune: str | None = None,
    qpv: str | None = None,
) -> dict[str, Any]:
    """`figures` and, under "breakdowns", `breakdowns`, from one read of the history."""
    return _report(user, start, end, antenna, commune, qpv, with_breakdowns=True)


def _report(
    user,
    start: datetime.date,
    end: datetime.date,
    antenna: int | None,
    commune: str | None,
    qpv: str | None,
    *,
    with_breakdowns: bool = False,
    with_months: bool = False,
) -> dict[str, Any]:
    """What `figures`, `report` and `dashboard_report` answer, from one read of the history:
    each asks only for the parts it shows (the monthly passes cost as much as the rest)."""
    period, pathways, specs = _read(user, start, end, antenna, commune, qpv)
    result = {
        **_pathway_figures(pathways, specs, period),
        **_rounds(user, start, end, antenna=antenna, commune=commune, qpv=qpv),
    }
    if with_breakdowns:
        result["breakdowns"] = _breakdowns(pathways, specs, period)
    if with_months:
        result["months"] = [
            {"month": first, **_monthly(_pathway_figures(pathways, specs, month))}
            for first, month in _months(start, end)
        ]
    return result


def _monthly(counted: dict[str, Any]) -> dict[str, Any]:
    return {"support_entries": counted["support_entries"], "exits": counted["exits"]}


def _breakdowns(
    pathways: list[_Pathway], specs: dict[int, DefinitionSpec], period: Period
) -> dict[str, list[dict[str, Any]]]:
    def groups(key_of) -> list[dict[str, Any]]:
        members: dict[tuple[str, str], list[_Pathway]] = defaultdict(list)
        for pathway in pathways:
            for key in key_of(pathway):
                members[key].append(pathway)
        return [
            {"key": key, "label": label, "figures": _pathway_figures(group, specs, period)}
            for (key, label), group in sorted(members.items(), key=lambda item: item[0][1])
        ]

    no_antenna = str(_("Sans antenne"))
    unknown_commune = str(_("Commune inconnue"))
    age_labels = dict(AgeBand.choices)
    by_qpv = groups(
        lambda p: (
            [(OUTSIDE_QPV, str(_("Hors QPV")))]
            if p.qpv_code is None
            else [(INSIDE_QPV, str(_("Dans un QPV"))), (p.qpv_code, p.qpv_name or p.qpv_code)]
        )
    )
    # Inside and outside first, then each QPV by name.
    by_qpv.sort(key=lambda g: (g["key"] not in (INSIDE_QPV, OUTSIDE_QPV), g["key"] != INSIDE_QPV))
    return {
        "antenna": groups(
            lambda p: (
                [(str(p.antenna_id), p.antenna_name or "")]
                if p.antenna_id is not None
                else [(NONE_KEY, no_antenna)]
            )
        ),
        "commune": groups(
            lambda p: (
                [(p.commune_code, p.commune_name or p.commune_code)]
                if p.commune_code
                else [(NONE_KEY, unknown_commune)]
            )
        ),
        "qpv": by_qpv,
        "age_band": sorted(
            groups(
                lambda p: (
                    [(p.age_band, str(age_labels.get(p.age_band, p.age_band)))]
                    if p.age_band
                    else [(UNKNOWN, str(_("Âge inconnu")))]
                )
            ),
            key=lambda g: (g["key"] == UNKNOWN, g["key"]),
        ),
    }


def _months(start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, Period]]:
    """Each calendar month the days from `start` to `end` touch, cut to those days."""
    months = []
    first = start.replace(day=1)
    while first <= end:
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        last = following - datetime.timedelta(days=1)
        months.append((first, Period.of_days(max(first, start), min(last, end))))
        first = following
    return months


def dashboard_report(
    user,
    start: datetime.date,
    end: datetime.date,
    *,
    antenna: int | None = None,
    commune: str | None = None,
    qpv: str | None = None,
) -> dict[str, Any]:
    """`report`, and under "months" the entries into support and the exits of each month
    of the period (the dashboard's chart), from the same read of the history: the number
    of queries does not grow with the months or the pathways."""
    return _report(user, start, end, antenna, commune, qpv, with_breakdowns=True, with_months=True)


def filter_choices(user) -> dict[str, list[tuple[str, str]]]:
    """What the dashboard's filters offer: the antennas of the user's organisation, the
    communes it covers and their QPVs (every one for a superuser), each as (value, label)
    sorted by name. Three queries."""
    if not can_read_figures(user):
        return {"antenna": [], "commune": [], "qpv": []}
    antennas = of_users_organisation(user, Antenna.objects.all()).order_by("name")
    communes = of_users_organisation(
        user, Commune.objects.filter(coverage__isnull=False), "coverage__organisation_id"
    ).order_by("name")
    qpvs = of_users_organisation(
        user,
        PriorityNeighbourhood.objects.filter(commune__coverage__isnull=False),
        "commune__coverage__organisation_id",
    ).order_by("name")
    return {
        "antenna": [(str(pk), name) for pk, name in antennas.values_list("pk", "name")],
        "commune": list(communes.values_list("insee_code", "name")),
        "qpv": list(qpvs.values_list("code", "name")),
    }
