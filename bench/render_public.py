"""What rendering a public page costs when the page cache cannot help: an editor logged in,
the first visit after a publish, or a URL with a query string.

    .venv/bin/python -m bench.render_public [--permanences 200] [--runs 30]

In process (Django's test client, no network, no gunicorn), on a fresh PostgreSQL database
(ml_bench_render) with the demo data plus enough permanences to reach --permanences, the page
cache switched off. Prints the median render time (wall clock, and CPU time of this process),
the number of SQL queries and the HTML size of the home page, a permanence page and the
permanences index (default view, the following weeks, a filter). The database is removed at
the end."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

DATABASE = "ml_bench_render"
POSTGRES = "postgres://postgres@127.0.0.1:5432"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--permanences", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=f"{POSTGRES}/{DATABASE}",
        DATABASE_CONN_MAX_AGE="600",
        PAGE_CACHE="0",
        DJANGO_SECRET_KEY="bench-only-not-a-secret",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="WARNING",
    )
    _run_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)', f'CREATE DATABASE "{DATABASE}"')
    try:
        urls = _load_data(args.permanences)
        print(f"\n{'page':<30} {'médiane':>9} {'CPU':>9} {'requêtes':>9} {'HTML':>8}")
        for name, url in urls.items():
            median, cpu, queries, size = measure(url, args.runs)
            print(f"{name:<30} {median:>7.1f}ms {cpu:>7.1f}ms {queries:>9} {size / 1024:>6.0f}Ko")
    finally:
        from django.db import connections

        connections.close_all()
        _run_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        print(f"\nBase {DATABASE} supprimée.")
    return 0


def _run_sql(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def _load_data(permanences: int) -> dict[str, str]:
    import django

    django.setup()
    from django.core.management import call_command

    from bench.permanences import add_permanences
    from public_site.models import PermanenceIndexPage, PermanencePage, Venue

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    index = PermanenceIndexPage.objects.live().first()
    missing = permanences - PermanencePage.objects.live().count()
    if missing > 0:
        add_permanences(index, missing, list(Venue.objects.all()))
    permanence = (
        PermanencePage.objects.live().filter(venue__name__icontains="CCAS").first()
        or PermanencePage.objects.live().first()
    )
    print(
        f"Base {DATABASE} prête en {time.perf_counter() - started:.0f} s : "
        f"{PermanencePage.objects.live().count()} permanences publiées."
    )
    return {
        "accueil": "/",
        "permanence": permanence.url,
        "liste des permanences": index.url,
        "liste, semaines suivantes": f"{index.url}?periode=2",
        "liste, filtre service": f"{index.url}?service=employment",
    }


def measure(url: str, runs: int) -> tuple[float, float, int, int]:
    """Median wall time and median CPU time of this process (the Python share, less
    disturbed by a busy machine), in ms, then SQL queries and bytes of one render of `url`."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    response = client.get(url)  # warms per-process caches (site root paths, templates)
    if response.status_code != 200:
        raise RuntimeError(f"{url} répond {response.status_code}.")
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return (
        statistics.median(wall),
        statistics.median(cpu),
        len(captured.captured_queries),
        len(response.content),
    )


if __name__ == "__main__":
    sys.exit(main())
