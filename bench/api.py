"""Benchmark the API on PostgreSQL: requests per second, median and p95 latency, and SQL
query counts, for

1. the agenda (GET /api/agenda/, 8 weeks, 200 permanences);
2. the pathway list (GET /api/pathways/, 100,000 pathways), as a counsellor (scoped) and as
   a coordinator (every pathway), plain and filtered;
3. a transition (POST /api/pathways/{id}/transitions/fixer_premier_accueil/), each on a
   fresh pathway.

Requests go through Django's test Client in this process: the whole stack (middleware, token
authentication, DRF, selectors, services, PostgreSQL) without a network hop, so the figures
are the server's own time. Target: agenda and list p95 under 100 ms.

It creates its own database (dropped at the end unless --keep) and never touches another:

    .venv/bin/python bench/api.py [--pathways 100000] [--permanences 200] [--requests 200]
        [--transitions 200] [--server postgres://postgres@127.0.0.1:5432] [--keep]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DB_NAME = "ml_bench_api"
TARGET_P95_MS = 100.0


@dataclass(frozen=True)
class Figures:
    name: str
    requests: int
    per_second: float
    median_ms: float
    p95_ms: float
    queries: int
    status: int

    def line(self) -> str:
        return (
            f"{self.name:<46} {self.per_second:8.1f} req/s  médiane {self.median_ms:6.1f} ms  "
            f"p95 {self.p95_ms:6.1f} ms  {self.queries:3d} requêtes SQL  (HTTP {self.status})"
        )


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def measure(name: str, send, requests: int) -> Figures:
    """`send(i)` makes the i-th request and returns the response. The first one warms caches
    (spec, site root paths) and gives the query count; the next `requests` are timed."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        first = send(0)
    timings = []
    started = time.perf_counter()
    for number in range(1, requests + 1):
        before = time.perf_counter()
        response = send(number)
        timings.append((time.perf_counter() - before) * 1000)
        if response.status_code >= 500:
            raise RuntimeError(f"{name} : HTTP {response.status_code}")
    elapsed = time.perf_counter() - started
    return Figures(
        name=name,
        requests=requests,
        per_second=requests / elapsed if elapsed else 0.0,
        median_ms=statistics.median(timings),
        p95_ms=_p95(timings),
        queries=len(queries),
        status=first.status_code,
    )


def seed_permanences(count: int) -> None:
    from wagtail.models import Site

    from bench.permanences import add_permanences
    from public_site.models import PermanenceIndexPage, Venue
    from territories.models import Commune

    communes = [
        Commune.objects.get_or_create(insee_code=code, defaults={"name": name})[0]
        for code, name in (("12176", "Onet-le-Château"), ("12202", "Rodez"))
    ]
    venues = [
        Venue.objects.get_or_create(name=f"Lieu {number}", commune=communes[number % 2])[0]
        for number in range(20)
    ]
    root = Site.objects.get(is_default_site=True).root_page
    index = PermanenceIndexPage.objects.first() or root.add_child(
        instance=PermanenceIndexPage(title="Permanences", slug="permanences")
    )
    add_permanences(index, count, venues, prefix="api")


def run(*, requests: int, transitions: int, counsellor, coordinator, reserved_ids) -> list:
    """The measured scenarios, on whatever data the database holds."""
    from django.test import Client
    from django.utils import timezone

    from api_common.tokens import mint_token
    from page_cache.generation import bump_generation

    def client_for(user) -> Client:
        _token, secret = mint_token(owner=user, name="Banc d'essai", lifetime_days=1)
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_HOST="localhost")

    public = Client(HTTP_HOST="localhost")
    scoped, everything = client_for(counsellor), client_for(coordinator)
    agenda_etag = public.get("/api/agenda/")["ETag"]

    def cold_agenda(i):
        bump_generation()  # as a publish does: the next agenda is computed from scratch
        return public.get("/api/agenda/")

    figures = [
        measure("agenda, 8 semaines, recalculé (après publication)", cold_agenda, requests),
        measure(
            "agenda, 8 semaines (page de 100), en cache",
            lambda i: public.get("/api/agenda/"),
            requests,
        ),
        measure(
            "agenda, une commune, page de 200, en cache",
            lambda i: public.get("/api/agenda/", {"commune": "12176", "page_size": 200}),
            requests,
        ),
        measure(
            "agenda, 304 sur If-None-Match",
            lambda i: public.get("/api/agenda/", HTTP_IF_NONE_MATCH=agenda_etag),
            requests,
        ),
        measure(
            "parcours, conseiller (son périmètre)",
            lambda i: scoped.get("/api/pathways/"),
            requests,
        ),
        measure(
            "parcours, coordinateur (tous)",
            lambda i: everything.get("/api/pathways/"),
            requests,
        ),
        measure(
            "parcours, coordinateur, à relancer, page 20",
            lambda i: everything.get("/api/pathways/", {"overdue": "true", "page": 20}),
            requests,
        ),
        measure(
            "parcours, coordinateur, recherche « lucas morel »",
            lambda i: everything.get("/api/pathways/", {"q": "lucas morel"}),
            requests,
        ),
    ]
    today = timezone.localdate().isoformat()
    ids = list(reserved_ids)[: transitions + 1]
    if len(ids) > 1:
        figures.append(
            measure(
                "transition fixer_premier_accueil (POST)",
                # As a client should: only on the version it knows (a reserved pathway is
                # fresh, version 0), through If-Match.
                lambda i: everything.post(
                    f"/api/pathways/{ids[i]}/transitions/fixer_premier_accueil/",
                    {"answers": {"date_premier_accueil": today}, "comment": "Banc d'essai."},
                    content_type="application/json",
                    HTTP_IF_MATCH=f'"pathway-{ids[i]}-v0"',
                ),
                len(ids) - 1,
            )
        )
    return figures


def report(figures: list[Figures]) -> bool:
    for item in figures:
        print(item.line())
    reads = [item for item in figures if not item.name.startswith("transition")]
    worst = max(item.p95_ms for item in reads)
    ok = worst < TARGET_P95_MS
    print(
        f"Lectures : pire p95 {worst:.1f} ms, cible < {TARGET_P95_MS:.0f} ms : "
        f"{'atteinte' if ok else 'MANQUÉE'}"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pathways", type=int, default=100_000)
    parser.add_argument("--permanences", type=int, default=200)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--transitions", type=int, default=200)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--keep", action="store_true", help="garder la base à la fin")
    args = parser.parse_args(argv)

    from bench._db import create_database, drop_database
    from bench.transitions import seed, setup_django

    # Persistent connections, as production runs (DATABASE_CONN_MAX_AGE): a new PostgreSQL
    # connection per request would dominate every figure.
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")
    create_database(args.server, DB_NAME)
    try:
        setup_django(args.server, DB_NAME)
        started = time.perf_counter()
        definition, coordinator, counsellors, reserved = seed(args.pathways, args.transitions + 1)
        seed_permanences(args.permanences)
        print(
            f"Données : {args.pathways} parcours, {args.permanences} permanences "
            f"({time.perf_counter() - started:.1f} s)"
        )
        ok = report(
            run(
                requests=args.requests,
                transitions=args.transitions,
                counsellor=counsellors[0],
                coordinator=coordinator,
                reserved_ids=reserved,
            )
        )
    finally:
        if args.keep:
            print(f"Base gardée : {args.server}/{DB_NAME}")
        else:
            drop_database(args.server, DB_NAME)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
