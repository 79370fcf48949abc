"""Reads for the admin's home screen, one per panel, each scoped by `policies` like every
other list (they start from `selectors.caseload` or `policies.visible_pathways`) and each in
a fixed number of queries, whatever the number of pathways: a count, a short list, and the
access log entry of the rows shown."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from access_log.models import Channel

from . import policies, selectors
from .access_logging import log_pathways_read, logging_reads
from .models import FollowUp, Pathway
from .specs import SpecCache

# How many rows a panel lists; the rest is one link away ("Mes jeunes" with its filter).
PANEL_ROWS = 5


@dataclass(frozen=True)
class ShortList:
    """A panel's list: how many in all, the first few."""

    count: int
    items: list[Pathway] = field(default_factory=list)


def _short_list(queryset, rows: int) -> ShortList:
    """Two queries, however many there are."""
    return ShortList(count=queryset.count(), items=list(queryset[:rows]))


def requests_to_take(user, *, rows: int = PANEL_ROWS) -> ShortList:
    """Requests waiting for a référent that the user sees (a counsellor: their antenna's),
    oldest first: the first one waiting is the first to take."""
    queryset = selectors.caseload(user, to_assign=True, channel=Channel.LIST).order_by(
        "created_at", "pk"
    )
    return _short_list(queryset, rows)


@dataclass(frozen=True)
class DueReminders:
    """The user's own pathways to follow up today: how many are late, how many fall due
    today, the most urgent first."""

    overdue: int
    today: int
    items: list[Pathway] = field(default_factory=list)


def reminders_due(
    user, *, today: datetime.date | None = None, rows: int = PANEL_ROWS
) -> DueReminders:
    """The pathways the user is référent of whose relance date (`Pathway.due_on`, set by
    workflows.rules.compute_due_on) is today or past, most urgent first."""
    today = today or timezone.localdate()
    queryset = selectors.caseload(user, referent=user, today=today, channel=Channel.LIST).filter(
        due_on__lte=today
    )
    counts = queryset.order_by().aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)), today=Count("pk", filter=Q(due_on=today))
    )
    return DueReminders(
        overdue=counts["overdue"], today=counts["today"], items=list(queryset[:rows])
    )


@dataclass(frozen=True)
class StageCount:
    label: str
    count: int
    overdue: int = 0


def pathways_by_stage(
    user, *, referent=None, today: datetime.date | None = None
) -> list[StageCount]:
    """Open pathways the user sees (only those `referent` follows, when given), counted by
    stage in the definition's order, with how many are late. One query, plus one small
    one per definition in use (its live version)."""
    today = today or timezone.localdate()
    queryset = policies.visible_pathways(user).filter(closed_at__isnull=True)
    if referent is not None:
        queryset = queryset.filter(referent=referent)
    rows = (
        queryset.order_by()
        .values("definition_id", "stage")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
    )
    specs = SpecCache()
    counted: dict[str, list[int]] = {}
    order: dict[str, tuple[int, int]] = {}
    for row in rows:
        spec = specs.get(row["definition_id"])
        label = spec.stage_label(row["stage"]) if spec else row["stage"]
        position = (
            list(spec.stages).index(row["stage"]) if spec and row["stage"] in spec.stages else 99
        )
        order.setdefault(label, (position, row["definition_id"]))
        total = counted.setdefault(label, [0, 0])
        total[0] += row["n"]
        total[1] += row["late"]
    return [
        StageCount(label=label, count=counted[label][0], overdue=counted[label][1])
        for label in sorted(counted, key=lambda label: (order[label], label))
    ]


def follow_ups_this_week(
    user, *, today: datetime.date | None = None, rows: int = PANEL_ROWS
) -> list[FollowUp]:
    """The open follow-ups ("relances" planned by an action or a reminder) of the user's
    own pathways, from Monday to Sunday of this week, earliest first; the pathways shown
    are written to the access log (one INSERT)."""
    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    items = list(
        FollowUp.objects.filter(
            pathway__in=policies.visible_pathways(user).filter(
                referent=user, closed_at__isnull=True
            ),
            done_at__isnull=True,
            due_on__range=(monday, monday + datetime.timedelta(days=6)),
        )
        .select_related("pathway__youth")
        .order_by("due_on", "pk")[:rows]
    )
    if items:
        log_pathways_read(user, [item.pathway for item in items], Channel.LIST)
    return items


def recent_identifications(user, *, rows: int = PANEL_ROWS) -> list[Pathway]:
    """The young people the user recorded last (a mediator's repérages), newest first."""
    queryset = logging_reads(
        user,
        policies.visible_pathways(user)
        .filter(identified_by=user)
        .select_related("youth", "youth__commune")
        .order_by("-created_at", "-pk"),
        Channel.LIST,
    )
    return list(queryset[:rows])


@dataclass(frozen=True)
class WaitingRequests:
    """Open pathways nobody follows yet: in an antenna ("à attribuer"), or in none (only
    the coordination can place them)."""

    in_antennas: int
    without_antenna: int


def waiting_requests(user) -> WaitingRequests:
    """One query."""
    counts = (
        policies.visible_pathways(user)
        .filter(closed_at__isnull=True, referent__isnull=True)
        .aggregate(
            in_antennas=Count("pk", filter=Q(antenna__isnull=False)),
            without_antenna=Count("pk", filter=Q(antenna__isnull=True)),
        )
    )
    return WaitingRequests(counts["in_antennas"], counts["without_antenna"])


@dataclass(frozen=True)
class AntennaCount:
    antenna: str
    count: int
    overdue: int


def overdue_by_antenna(user, *, today: datetime.date | None = None) -> list[AntennaCount]:
    """Open pathways the user sees and how many are late, per antenna (those with some
    late first). One query."""
    today = today or timezone.localdate()
    rows = (
        policies.visible_pathways(user)
        .filter(closed_at__isnull=True)
        .order_by()
        .values("antenna__name")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
    )
    counts = [
        AntennaCount(row["antenna__name"] or gettext("Sans antenne"), row["n"], row["late"])
        for row in rows
    ]
    return sorted(counts, key=lambda item: (-item.overdue, item.antenna))
