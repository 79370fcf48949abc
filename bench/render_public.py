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

from bench._db import POSTGRES, create_database, drop_database

DATABASE = "ml_bench_render"


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
    create_database(POSTGRES, DATABASE)
    try:
        urls = _load_data(args.permanences)
        print(f"\n{'page':<30} {'médiane':>9} {'CPU':>9} {'requêtes':>9} {'HTML':>8}")
        for name, url in urls.items():
            median, cpu, queries, size = measure(url, args.runs)
            print(f"{name:<30} {median:>7.1f}ms {cpu:>7.1f}ms {queries:>9} {size / 1024:>6.0f}Ko")
    finally:
        drop_database(POSTGRES, DATABASE)
        print(f"\nBase {DATABASE} supprimée.")
    return 0


def _load_data(permanences: int) -> dict[str, str]:
    import django

    django.setup()
    from bench.permanences import load_public_demo
    from public_site.models import PermanencePage

    started = time.perf_counter()
    index, permanence = load_public_demo(permanences)
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
