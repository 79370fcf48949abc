"""Benchmark: expand the schedules of 500 permanences over the next 8 weeks.

Target (issue 3): under 50 ms for the whole 500. Prints the median and p95 over many
repetitions, both "cold" (the parsed-rule cache emptied before each repetition, as after a
deploy) and "warm" (what every later page view costs).

    .venv/bin/python bench/schedules.py [--count 500] [--weeks 8] [--repetitions 50]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import time as timer
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.conf import settings

TARGET_MS = 50.0


@dataclass(frozen=True)
class Result:
    count: int
    occurrences: int
    cold_ms: list[float]
    warm_ms: list[float]
    cold_cpu_ms: list[float]
    warm_cpu_ms: list[float]


def build_recurrences(count: int, today: date, seed: int = 2026) -> list:
    """A deterministic mix of the shapes an editor can choose, with some exceptions."""
    from public_site.schedules import Frequency, Recurrence, occurrences

    rng = random.Random(seed)
    shapes = [
        (Frequency.WEEKLY, (), 1),  # "every Thursday"
        (Frequency.MONTHLY, (1, 3), 1),  # "1st and 3rd Tuesday"
        (Frequency.MONTHLY, (-1,), 1),  # "last Tuesday"
        (Frequency.WEEKLY, (), 2),  # "every other Wednesday"
        (Frequency.MONTHLY, (2, 4), 1),
        (Frequency.MONTHLY, (5,), 1),
        (Frequency.MONTHLY, (1,), 2),  # "the 1st Wednesday, every other month"
    ]
    recurrences = []
    for index in range(count):
        frequency, month_weeks, interval = shapes[index % len(shapes)]
        start_hour = rng.choice([8, 9, 9, 10, 13, 14, 14])
        start_date = today - timedelta(days=rng.randint(0, 3 * 365))
        end_date = today + timedelta(days=rng.randint(10, 400)) if rng.random() < 0.3 else None
        recurrence = Recurrence(
            frequency=frequency.value,
            weekdays=(rng.randint(0, 5),),
            start_date=start_date,
            start_time=time(start_hour, rng.choice([0, 0, 30])),
            end_time=time(start_hour + rng.choice([2, 3, 4]), 0),
            month_weeks=month_weeks,
            interval=interval,
            end_date=end_date,
        )
        if rng.random() < 0.4:
            # Cancel one of its coming dates and add an extra one, as editors do.
            coming = occurrences(recurrence, today, today + timedelta(weeks=8))
            cancelled = {rng.choice(coming).date: "Fermeture exceptionnelle"} if coming else {}
            extra = (today + timedelta(days=rng.randint(0, 55)),)
            recurrence = dataclasses.replace(recurrence, cancelled=cancelled, extra_dates=extra)
        recurrences.append(recurrence)
    return recurrences


def run(count: int = 500, weeks: int = 8, repetitions: int = 50) -> Result:
    from public_site import schedules

    today = date.today()
    end = today + timedelta(weeks=weeks)
    recurrences = build_recurrences(count, today)

    def expand_all() -> tuple[float, float, int]:
        began, began_cpu = timer.perf_counter(), timer.thread_time()
        found = schedules.merge_occurrences(
            schedules.occurrences(recurrence, today, end) for recurrence in recurrences
        )
        return (
            (timer.perf_counter() - began) * 1000,
            (timer.thread_time() - began_cpu) * 1000,
            len(found),
        )

    cold, warm, cold_cpu, warm_cpu, total = [], [], [], [], 0
    for _ in range(repetitions):
        schedules.clear_caches()
        elapsed, cpu, total = expand_all()
        cold.append(elapsed)
        cold_cpu.append(cpu)
        elapsed, cpu, _total = expand_all()
        warm.append(elapsed)
        warm_cpu.append(cpu)
    return Result(count, total, cold, warm, cold_cpu, warm_cpu)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--repetitions", type=int, default=50)
    args = parser.parse_args(argv)
    if not settings.configured:  # the expansion needs no database: no project settings either
        settings.configure(USE_I18N=False)

    result = run(args.count, args.weeks, args.repetitions)
    print(
        f"{result.count} schedules over {args.weeks} weeks = {result.occurrences} dates, "
        f"{args.repetitions} repetitions"
    )
    for label, values in (
        ("cold, wall clock", result.cold_ms),
        ("cold, CPU time  ", result.cold_cpu_ms),
        ("warm, wall clock", result.warm_ms),
        ("warm, CPU time  ", result.warm_cpu_ms),
    ):
        print(
            f"  {label}: median {statistics.median(values):6.2f} ms   "
            f"p95 {percentile(values, 0.95):6.2f} ms   max {max(values):6.2f} ms"
        )
    # CPU time is what the expansion costs; wall clock adds whatever else the machine runs.
    cold_p95_cpu = percentile(result.cold_cpu_ms, 0.95)
    cold_p95_wall = percentile(result.cold_ms, 0.95)
    ok = cold_p95_cpu < TARGET_MS
    print(
        f"  target < {TARGET_MS:.0f} ms: cold p95 CPU {cold_p95_cpu:.2f} ms, "
        f"cold p95 wall {cold_p95_wall:.2f} ms -> {'OK' if ok else 'TOO SLOW'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
