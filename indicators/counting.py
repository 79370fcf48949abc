"""The figures counted by the database, in one statement per reading, whatever the number of
pathways: the history records carry what a figure needs (workflows.services.history: the
category a record comes from, its first entry into a category, when its stay ended, what
its answers meant), so a period's figures are a scan of the records of that period (and of
the support stays still open when it began), grouped three times:

1. by pathway: which flags its records raise ("entered support in the period?"), packed as
   the bits of one integer, and when it first entered reception and support;
2. by young person and antenna, adding the pathway's own flags (created in the period, its
   source, what it reached by the end), then by young person with their commune, QPV and
   age band: each flag ORed, so that a young person counts once per figure;
3. per answer: each flag counted, for the whole scope and for each group of each breakdown
   (through a small "cube" of the young people by commune, QPV and age band), and the
   medians of the days for the whole.

The SQL is the same on PostgreSQL and SQLite but for two pieces: days between two moments,
and the median (PostgreSQL's percentile_cont); SQLite gets `median` and `bit_or` as
aggregates registered when a connection opens (`register_sqlite_aggregates`)."""

from __future__ import annotations

import datetime
import re
import statistics
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from territories.models import Antenna, Commune, PriorityNeighbourhood
from workflows.choices import PathwaySource, StageCategory
from workflows.models import Pathway, TransitionRecord, Youth
from workflows.reporting import UNKNOWN, ExitOutcome, Programme

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

    @property
    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        return self.since, self.until


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=PARIS)


def _text(value: str) -> str:
    """A code of ours (a category, a source) as an SQL literal; never a user's text."""
    if not re.fullmatch(r"[a-z_]+", value):
        raise ValueError(value)
    return f"'{value}'"


def _among(values) -> str:
    return "(" + ", ".join(_text(v) for v in values) + ")"


# What a history record `r` is, for the figures (a "transition" moves the pathway from a
# stage: every record but its creation, whose from_category is "").
MOVED = "r.from_category <> ''"
SUPPORT_ENTRY = (
    f"{MOVED} AND r.to_category = {_text(SUPPORT)} AND r.from_category <> {_text(SUPPORT)}"
)
EXIT_ENTRY = f"{MOVED} AND r.to_category = {_text(EXIT)}"
LOST_CONTACT_ENTRY = f"{MOVED} AND r.to_category = {_text(LOST_CONTACT)}"
RE_ENGAGEMENT = (
    f"r.from_category = {_text(LOST_CONTACT)} AND r.to_category NOT IN "
    f"{_among((LOST_CONTACT, EXIT))}"
)


# Every flag of a row is one bit of an integer, so that each grouping level ORs one column
# instead of taking the MAX of thirty: a record's and the categories reached (by pathway),
# then a pathway's own (by young person and antenna).
BIT_NAMES = (
    "accompanied",
    "support_entries",
    *(f"programme_{p}" for p in [*Programme.values, UNKNOWN]),
    "exits",
    *(f"outcome_{o}" for o in [*ExitOutcome.values, UNKNOWN]),
    "lost_contact",
    "re_engaged",
    *(f"reached_{c}" for c in StageCategory.values),
    "identified",
    *(f"source_{s}" for s in PathwaySource.values),
    "identified_in_rounds",
    *(f"funnel_{c}" for c in StageCategory.values),
)
BIT = {name: 1 << index for index, name in enumerate(BIT_NAMES)}


def _bit_set(column: str, name: str) -> str:
    return f"({column} & {BIT[name]}) <> 0"


def _bits(flags: tuple[Flag, ...]) -> str:
    """The flags that hold, as one integer (distinct powers of two, so a sum)."""
    return " + ".join(f"CASE WHEN {f.held()} THEN {BIT[f.name]} ELSE 0 END" for f in flags)


@dataclass(frozen=True)
class Flag:
    """One bit of a row: whether `condition` held. A record's flag is read over the
    pathway's records (`r`, with `r.in_period` when `in_period`); a pathway's over the
    pathway (`p`, with `p.created` for "created in the period") and its records' bits (`h`)."""

    name: str
    condition: str
    in_period: bool = True

    def held(self) -> str:
        return f"r.in_period = 1 AND {self.condition}" if self.in_period else self.condition


KNOWN_PROGRAMMES = _among(Programme.values)
KNOWN_OUTCOMES = _among(ExitOutcome.values)

RECORD_FLAGS: tuple[Flag, ...] = (
    # Every support record read is a stay that overlaps the period (see _scan).
    Flag("accompanied", f"r.to_category = {_text(SUPPORT)}", in_period=False),
    Flag("support_entries", SUPPORT_ENTRY),
    *(
        Flag(f"programme_{p}", f"{SUPPORT_ENTRY} AND r.programme = {_text(p)}")
        for p in Programme.values
    ),
    Flag(f"programme_{UNKNOWN}", f"{SUPPORT_ENTRY} AND r.programme NOT IN {KNOWN_PROGRAMMES}"),
    Flag("exits", EXIT_ENTRY),
    *(
        Flag(f"outcome_{o}", f"{EXIT_ENTRY} AND r.exit_outcome = {_text(o)}")
        for o in ExitOutcome.values
    ),
    Flag(f"outcome_{UNKNOWN}", f"{EXIT_ENTRY} AND r.exit_outcome NOT IN {KNOWN_OUTCOMES}"),
    Flag("lost_contact", LOST_CONTACT_ENTRY),
    Flag("re_engaged", RE_ENGAGEMENT),
)
# The categories a pathway reached by the period's end (for the funnel); not an answer.
REACHED = tuple(
    Flag(f"reached_{c}", f"r.to_category = {_text(c)}", in_period=False)
    for c in StageCategory.values
)
PATHWAY_FLAGS: tuple[Flag, ...] = tuple(
    Flag(name, condition, in_period=False)
    for name, condition in (
        ("identified", "p.created = 1"),
        *(
            (f"source_{source}", f"p.created = 1 AND p.source = {_text(source)}")
            for source in PathwaySource.values
        ),
        ("identified_in_rounds", "p.created = 1 AND p.outreach_round_id IS NOT NULL"),
        # What a pathway created in the period reached by its end (all its records read).
        *(
            (f"funnel_{c}", f"p.created = 1 AND {_bit_set('h.bits', f'reached_{c}')}")
            for c in StageCategory.values
        ),
    )
)
FLAGS = RECORD_FLAGS + PATHWAY_FLAGS  # the answer's, in its order
# Days from the pathway's creation to its first entry into a category, when in the period.
DURATIONS = {"days_to_reception": RECEPTION, "days_to_support": SUPPORT}


def _days(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0"
    return f"(julianday({later}) - julianday({earlier}))"


def _median(expression: str) -> str:
    if connection.vendor == "postgresql":
        return f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {expression})"
    return f"median({expression})"


class _Median:
    """SQLite's median aggregate (NULLs ignored, as percentile_cont does)."""

    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: float | None) -> None:
        if value is not None:
            self.values.append(value)

    def finalize(self) -> float | None:
        return statistics.median(self.values) if self.values else None


class _BitOr:
    """SQLite's bit_or aggregate, as PostgreSQL has it."""

    def __init__(self) -> None:
        self.value = 0

    def step(self, value: int | None) -> None:
        if value is not None:
            self.value |= value

    def finalize(self) -> int:
        return self.value


def register_sqlite_aggregates(sender, connection, **kwargs) -> None:
    """On each new SQLite connection (the `connection_created` signal): what PostgreSQL
    has and the counting needs."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("median", 1, _Median)
        connection.connection.create_aggregate("bit_or", 1, _BitOr)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _scan(scope_sql: str) -> str:
    """The records a period's figures read: those of the period, and the support stays
    begun before it and not left when it began. Parameters: since (in_period), the
    scope's, until, since, since."""
    return f"""
        SELECT r.pathway_id, r.to_category, r.from_category, r.first_in_category,
               r.programme, r.exit_outcome, r.created_at,
               CASE WHEN r.created_at >= %s THEN 1 ELSE 0 END AS in_period
        FROM {_table(TransitionRecord)} r
        WHERE r.pathway_id IN ({scope_sql})
          AND r.created_at < %s
          AND (r.created_at >= %s OR (r.to_category = {_text(SUPPORT)}
               AND (r.left_at IS NULL OR r.left_at > %s)))"""


def _by_pathway(scope_sql: str) -> str:
    """One row per pathway: its records' bits (and the categories it reached), the
    moments of its first entries in the period."""
    firsts = ", ".join(
        f"MIN(CASE WHEN r.in_period = 1 AND r.first_in_category AND r.to_category = "
        f"{_text(category)} THEN r.created_at END) AS first_{name}"
        for name, category in DURATIONS.items()
    )
    return f"""
        SELECT r.pathway_id, BIT_OR({_bits(RECORD_FLAGS + REACHED)}) AS bits, {firsts}
        FROM ({_scan(scope_sql)}) r
        GROUP BY r.pathway_id"""


def _by_youth_antenna() -> str:
    """One row per young person and antenna, with the pathways' own bits. Parameters:
    since, until (created in the period)."""
    durations = ", ".join(
        f"MIN({_days(f'h.first_{name}', 'p.created_at')}) AS {name}" for name in DURATIONS
    )
    return f"""
        SELECT p.youth_id, p.antenna_id, BIT_OR(h.bits + {_bits(PATHWAY_FLAGS)}) AS bits,
               {durations}
        FROM by_pathway h
        JOIN (SELECT q.id, q.youth_id, q.antenna_id, q.source, q.outreach_round_id,
                     q.created_at,
                     CASE WHEN q.created_at >= %s AND q.created_at < %s
                          THEN 1 ELSE 0 END AS created
              FROM {_table(Pathway)} q) p ON p.id = h.pathway_id
        GROUP BY p.youth_id, p.antenna_id"""


def _by_youth() -> str:
    """One row per young person, with what the breakdowns group them by."""
    durations = ", ".join(f"MIN(g.{name}) AS {name}" for name in DURATIONS)
    return f"""
        SELECT g.youth_id, v.commune_id, v.priority_neighbourhood_id,
               v.age_band_at_entry AS age_band, BIT_OR(g.bits) AS bits, {durations}
        FROM by_youth_antenna g JOIN {_table(Youth)} v ON v.id = g.youth_id
        GROUP BY g.youth_id, v.commune_id, v.priority_neighbourhood_id, v.age_band_at_entry"""


def _counts(bits: str) -> str:
    """Each flag of the answer counted over the rows of `bits`."""
    return ", ".join(f"SUM(({bits} & {BIT[f.name]}) / {BIT[f.name]}) AS {f.name}" for f in FLAGS)


def _sums(alias: str) -> str:
    """The counts of cube rows added up."""
    return ", ".join(f"SUM({alias}.{f.name})" for f in FLAGS)


def _params(period: Period, scope_params: tuple) -> list:
    since, until = (connection.ops.adapt_datetimefield_value(m) for m in period.bounds)
    return [since, *scope_params, until, since, since, since, until]


def _scope(pathways: QuerySet) -> tuple[str, tuple] | None:
    """The pathways' ids as a subquery, or None when the scope is empty by construction."""
    try:
        return pathways.values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None


# The rows of `count`: the whole scope's, then each group's (dimension, key, label).
TOTAL = "total"
# Groups with no key of their own (no antenna, no commune, no age band recorded), and the
# two halves of the QPV breakdown.
NONE_KEY = "none"
INSIDE_QPV = "inside"
OUTSIDE_QPV = "outside"


def count(pathways: QuerySet, period: Period, *, with_breakdowns: bool) -> list[tuple]:
    """The rows of the answer: (dimension, key, label, *counts, *medians), the whole
    scope's first under TOTAL, then each group of each breakdown when asked (their medians
    null: a median is not a count, and would cost a pass per group). One statement."""
    scope = _scope(pathways)
    if scope is None:
        return []
    scope_sql, scope_params = scope
    medians = ", ".join(_median(f"y.{name}") for name in DURATIONS)
    no_medians = ", ".join("NULL" for _name in DURATIONS)
    ctes = [
        f"by_pathway AS ({_by_pathway(scope_sql)})",
        f"by_youth_antenna AS ({_by_youth_antenna()})",
        f"by_youth AS ({_by_youth()})",
    ]
    if not with_breakdowns:
        branches = [f"SELECT '{TOTAL}', '', '', {_counts('y.bits')}, {medians} FROM by_youth y"]
    else:
        # The young people counted once per group of what they are (commune, QPV, age):
        # the whole and those breakdowns add these few rows up.
        ctes.append(
            f"""cube AS (
                SELECT y.commune_id, y.priority_neighbourhood_id, y.age_band,
                       {_counts("y.bits")}
                FROM by_youth y
                GROUP BY y.commune_id, y.priority_neighbourhood_id, y.age_band)"""
        )
        presence = (
            f"CASE WHEN k.priority_neighbourhood_id IS NULL THEN {_text(OUTSIDE_QPV)} "
            f"ELSE {_text(INSIDE_QPV)} END"
        )
        branches = [
            f"""SELECT '{TOTAL}', '', '', t.*, m.*
                FROM (SELECT {_sums("k")} FROM cube k) t
                CROSS JOIN (SELECT {medians} FROM by_youth y) m""",
            f"""SELECT 'antenna', COALESCE(CAST(g.antenna_id AS VARCHAR(20)), ''),
                       COALESCE(MAX(a.name), ''), {_counts("g.bits")}, {no_medians}
                FROM by_youth_antenna g LEFT JOIN {_table(Antenna)} a ON a.id = g.antenna_id
                GROUP BY g.antenna_id""",
            f"""SELECT 'commune', COALESCE(c.insee_code, ''), COALESCE(MAX(c.name), ''),
                       {_sums("k")}, {no_medians}
                FROM cube k LEFT JOIN {_table(Commune)} c ON c.id = k.commune_id
                GROUP BY c.insee_code""",
            f"""SELECT 'qpv_presence', {presence}, '', {_sums("k")}, {no_medians}
                FROM cube k GROUP BY {presence}""",
            f"""SELECT 'qpv', q.code, MAX(q.name), {_sums("k")}, {no_medians}
                FROM cube k JOIN {_table(PriorityNeighbourhood)} q
                     ON q.id = k.priority_neighbourhood_id
                GROUP BY q.code""",
            f"""SELECT 'age_band', k.age_band, '', {_sums("k")}, {no_medians}
                FROM cube k GROUP BY k.age_band""",
        ]
    sql = f"WITH {', '.join(ctes)} {' UNION ALL '.join(branches)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(period, scope_params))
        return cursor.fetchall()


def figures_of(values: tuple, *, with_medians: bool = True) -> dict[str, Any]:
    """A row's counts (and medians) as the figures read from the history, under their
    keys (every count 0 for no row)."""
    values = values or (0,) * len(FLAGS) + (None,) * len(DURATIONS)
    counted = {f.name: int(v or 0) for f, v in zip(FLAGS, values, strict=False)}
    exits = counted["exits"]
    result = {
        "identified": counted["identified"],
        "identified_by_source": {s: counted[f"source_{s}"] for s in PathwaySource.values},
        "identified_in_rounds": counted["identified_in_rounds"],
        "accompanied": counted["accompanied"],
        "support_entries": counted["support_entries"],
        "support_entries_by_programme": {
            p: counted[f"programme_{p}"] for p in [*Programme.values, UNKNOWN]
        },
        "exits": exits,
        "exits_by_outcome": {o: counted[f"outcome_{o}"] for o in [*ExitOutcome.values, UNKNOWN]},
        "positive_exit_rate": (
            round(counted[f"outcome_{ExitOutcome.POSITIVE}"] / exits, 4) if exits else None
        ),
        "lost_contact": counted["lost_contact"],
        "re_engaged": counted["re_engaged"],
        "funnel": {c: counted[f"funnel_{c}"] for c in StageCategory.values},
    }
    if with_medians:
        reception, support = values[len(FLAGS) :]
        result["median_days_to_reception"] = _rounded(reception)
        result["median_days_to_support"] = _rounded(support)
    return result


def _rounded(days) -> float | None:
    return None if days is None else round(float(days), 1)


def monthly(pathways: QuerySet, months: list[tuple[datetime.date, Period]]) -> list[dict]:
    """Entries into support and exits in each of `months` (consecutive periods), each
    young person once a month: one statement."""
    scope = _scope(pathways)
    if scope is None or not months:
        return [{"month": first, "support_entries": 0, "exits": 0} for first, _p in months]
    scope_sql, scope_params = scope
    adapt = connection.ops.adapt_datetimefield_value
    bucket = " ".join(f"WHEN r.created_at < %s THEN {n}" for n in range(len(months)))
    sql = f"""
        SELECT m.bucket,
               COUNT(DISTINCT CASE WHEN m.support_entry = 1 THEN m.youth_id END),
               COUNT(DISTINCT CASE WHEN m.exit_entry = 1 THEN m.youth_id END)
        FROM (
            SELECT p.youth_id, CASE {bucket} END AS bucket,
                   CASE WHEN {SUPPORT_ENTRY} THEN 1 ELSE 0 END AS support_entry,
                   CASE WHEN {EXIT_ENTRY} THEN 1 ELSE 0 END AS exit_entry
            FROM {_table(TransitionRecord)} r
            JOIN {_table(Pathway)} p ON p.id = r.pathway_id
            WHERE r.pathway_id IN ({scope_sql})
              AND r.created_at >= %s AND r.created_at < %s
              AND r.to_category IN {_among((SUPPORT, EXIT))}
        ) m
        GROUP BY m.bucket"""
    params = [
        *(adapt(period.until) for _first, period in months),
        *scope_params,
        adapt(months[0][1].since),
        adapt(months[-1][1].until),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counted = {bucket: (entries, exits) for bucket, entries, exits in cursor.fetchall()}
    return [
        {
            "month": first,
            "support_entries": counted.get(n, (0, 0))[0],
            "exits": counted.get(n, (0, 0))[1],
        }
        for n, (first, _period) in enumerate(months)
    ]
