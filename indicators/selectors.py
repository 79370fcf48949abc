"""The figures for the comité de pilotage (issue 15), read from the pathways' history so that
they survive every edit of a definition: a stage counts by the category recorded when it was
entered, an answer by the meaning its tagged field had in the revision the transition ran
under (both written with the record: workflows.services.history), never by today's names.
One place per figure (indicators.counting); the API, the dashboard and the exports call
`figures`, `breakdowns`, `report` and `dashboard_report`.

Conventions, the same for every figure:
- the period is whole local days in Europe/Paris, `start` and `end` both included; a record
  is in it when its time is;
- a young person counts once per figure (and once per key of a breakdown);
- a "transition" is a record with a stage it comes from: the record that creates a pathway
  is its creation, never an entry into a category (`accompanied` still counts a pathway
  created straight into support);
- the medians are over young people: each one's first entry in the period.

Queries: one for the figures (and their breakdowns), one for the maraudes, one for the
months of the dashboard's chart, whatever the number of pathways."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from territories.models import Antenna, Commune, Organisation, PriorityNeighbourhood
from workflows.choices import AgeBand
from workflows.models import OutreachRound, Pathway
from workflows.reporting import UNKNOWN

from .counting import (
    INSIDE_QPV,
    NONE_KEY,
    OUTSIDE_QPV,
    TOTAL,
    Period,
    count,
    figures_of,
    monthly,
)
from .disclosure import protect
from .policies import hides_small_counts, in_figures_scope, network_organisation_ids


def scoped_pathways(
    user, *, antenna: int | None = None, commune: str | None = None, qpv: str | None = None
) -> QuerySet:
    """The pathways the figures count: the user's organisation (every one for a superuser),
    none for whom may not read figures; narrowed to one antenna, one commune (INSEE code of
    the young person's commune) or one QPV (its code)."""
    pathways = in_figures_scope(user, Pathway.objects.all())
    if antenna is not None:
        pathways = pathways.filter(antenna_id=antenna)
    if commune:
        pathways = pathways.filter(youth__commune__insee_code=commune)
    if qpv:
        pathways = pathways.filter(youth__priority_neighbourhood__code=qpv)
    return pathways


def _rounds(user, start, end, *, antenna, commune, qpv) -> dict[str, int]:
    """Maraudes dated in the period and the young people met there: one aggregate query.
    An antenna narrows them to its mediators' rounds, a commune or a QPV to the rounds held
    in that commune (the QPV's)."""
    rounds = in_figures_scope(user, OutreachRound.objects.filter(date__gte=start, date__lte=end))
    if antenna is not None:
        rounds = rounds.filter(mediator__staff_profile__antenna_id=antenna)
    if commune:
        rounds = rounds.filter(commune__insee_code=commune)
    if qpv:
        rounds = rounds.filter(commune__priority_neighbourhoods__code=qpv)
    totals = rounds.aggregate(count=Count("pk", distinct=True), met=Sum("young_people_met"))
    return {"outreach_rounds": totals["count"] or 0, "met_in_rounds": totals["met"] or 0}


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
    return _report(user, start, end, antenna, commune, qpv, with_breakdowns=True)["breakdowns"]


def report(
    user,
    start: datetime.date,
    end: datetime.date,
    *,
    antenna: int | None = None,
    commune: str | None = None,
    qpv: str | None = None,
) -> dict[str, Any]:
    """`figures` and, under "breakdowns", `breakdowns`, from one reading of the history."""
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
    """What `figures`, `report` and `dashboard_report` answer: each asks only for the parts
    it shows."""
    pathways = scoped_pathways(user, antenna=antenna, commune=commune, qpv=qpv)
    rows = count(pathways, Period.of_days(start, end), with_breakdowns=with_breakdowns)
    total = next((row[3:] for row in rows if row[0] == TOTAL), ())
    result = {
        **figures_of(total),
        **_rounds(user, start, end, antenna=antenna, commune=commune, qpv=qpv),
    }
    if with_breakdowns:
        result["breakdowns"] = _breakdowns(rows)
    if with_months:
        result["months"] = monthly(pathways, _months(start, end))
    return protect(result) if hides_small_counts(user) else result


def _breakdowns(rows: list[tuple]) -> dict[str, list[dict[str, Any]]]:
    """The groups of each breakdown from `counting.count`'s rows, labelled and ordered:
    antennas and communes by name, QPVs inside then outside then each by name, age bands
    in order with the unknown last."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for dimension, key, label, *sums in rows:
        if dimension != TOTAL:
            figures = figures_of(tuple(sums), with_medians=False)
            groups[dimension].append({"key": key, "label": label, "figures": figures})
    for group in groups["antenna"]:
        if not group["key"]:
            group.update(key=NONE_KEY, label=str(_("Sans antenne")))
    for group in groups["commune"]:
        if not group["key"]:
            group.update(key=NONE_KEY, label=str(_("Commune inconnue")))
    presence_labels = {INSIDE_QPV: str(_("Dans un QPV")), OUTSIDE_QPV: str(_("Hors QPV"))}
    for group in groups["qpv_presence"]:
        group["label"] = presence_labels[group["key"]]
    age_labels = {key: str(label) for key, label in AgeBand.choices}
    for group in groups["age_band"]:
        group["key"] = group["key"] or UNKNOWN
        group["label"] = age_labels.get(group["key"], str(_("Âge inconnu")))

    def by_label(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(entries, key=lambda g: g["label"])

    return {
        "antenna": by_label(groups["antenna"]),
        "commune": by_label(groups["commune"]),
        "qpv": sorted(groups["qpv_presence"], key=lambda g: g["key"] != INSIDE_QPV)
        + by_label(groups["qpv"]),
        "age_band": sorted(groups["age_band"], key=lambda g: (g["key"] == UNKNOWN, g["key"])),
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
    """What the dashboard's filters offer: the antennas of the organisations whose figures
    the user reads, the communes they cover and their QPVs (every one for a superuser),
    each as (value, label) sorted by name. Three queries."""
    antennas = in_figures_scope(user, Antenna.objects.all()).order_by("name")
    communes = (
        in_figures_scope(
            user, Commune.objects.filter(coverage__isnull=False), "coverage__organisation_id"
        )
        .distinct()
        .order_by("name")
    )
    qpvs = (
        in_figures_scope(
            user,
            PriorityNeighbourhood.objects.filter(commune__coverage__isnull=False),
            "commune__coverage__organisation_id",
        )
        .distinct()
        .order_by("name")
    )
    return {
        "antenna": [(str(pk), name) for pk, name in antennas.values_list("pk", "name")],
        "commune": list(communes.values_list("insee_code", "name")),
        "qpv": list(qpvs.values_list("code", "name")),
    }


def network_organisation_names(user) -> list[str] | None:
    """For a network member, the names of the organisations whose figures they read
    together (the dashboard says so); None for anyone else."""
    ids = network_organisation_ids(user)
    if ids is None:
        return None
    return list(
        Organisation.objects.filter(pk__in=ids).order_by("name").values_list("name", flat=True)
    )
