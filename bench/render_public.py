"""What rendering a public page costs when the page cache cannot help: an editor logged in,
the first visit after a publish, or a URL with a query string.

    .venv/bin/python -m bench.render_public [--permanences 1000] [--runs 30]

In process (Django's test client, no network, no gunicorn), on a fresh PostgreSQL database
(ml_bench_render) with the demo data plus enough permanences to reach --permanences, the page
cache switched off. Prints the median render time (wall clock, and CPU time of this process),
the number of SQL queries and the HTML size of the home page, a permanence page, the
permanences index (default view, the following weeks, a commune and a service filter), the
"être recontacté" form and the pages API with every field. Targets (issue 20): home and
permanence page under 15 ms of CPU, any agenda page under 30 ms.

Then the query counts of the same addresses with the demo's permanences alone beside those
with --permanences (they must be equal), and whether each agenda page the index links to,
and the form, is a page-cache hit on its second request (the WSGI layer, in process, with
the local-memory cache). The database is removed at the end."""

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
    parser.add_argument("--permanences", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database", default=DATABASE)
    args = parser.parse_args()
    database = args.database

    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=f"{POSTGRES}/{database}",
        DATABASE_CONN_MAX_AGE="600",
        PAGE_CACHE="0",
        DJANGO_SECRET_KEY="bench-only-not-a-secret",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="WARNING",
    )
    create_database(POSTGRES, database)
    try:
        urls = _load_data(0)
        few = {name: count_queries(url) for name, url in urls.items()}
        urls = _load_data(args.permanences)
        print(f"\n{'page':<34} {'médiane':>9} {'CPU':>9} {'requêtes':>9} {'HTML':>8}")
        many = {}
        for name, url in urls.items():
            median, cpu, queries, size = measure(url, args.runs)
            many[name] = queries
            print(f"{name:<34} {median:>7.1f}ms {cpu:>7.1f}ms {queries:>9} {size / 1024:>6.0f}Ko")
        print(f"\n{'requêtes':<34} {'démo':>9} {args.permanences:>9}")
        for name in urls:
            flag = "" if few[name] == many[name] else "  ← croît"
            print(f"{name:<34} {few[name]:>9} {many[name]:>9}{flag}")
        print("\nCache de pages, seconde requête :")
        for url, status in second_request_cache_status(urls).items():
            print(f"  {status:<5} {url}")
    finally:
        drop_database(POSTGRES, database)
        print(f"\nBase {database} supprimée.")
    return 0


def _load_data(permanences: int) -> dict[str, str]:
    import django

    django.setup()
    from bench.permanences import load_public_demo
    from public_site.models import ContactRequestPage, HomePage, PermanencePage

    started = time.perf_counter()
    index, permanence = load_public_demo(permanences)
    print(
        f"Base prête en {time.perf_counter() - started:.0f} s : "
        f"{PermanencePage.objects.live().count()} permanences publiées."
    )
    home = HomePage.objects.ancestor_of(index).live().first()
    form = ContactRequestPage.objects.live().descendant_of(home).first()
    commune = permanence.venue.commune_id if permanence.venue else permanence.antenna.commune_id
    return {
        "recherche de commune (racine)": "/",
        "accueil de la Mission Locale": home.url,
        "permanence": permanence.url,
        "liste des permanences": index.url,
        "liste, semaines suivantes": f"{index.url}?periode=2",
        "liste, filtre commune": f"{index.url}?commune={commune}",
        "liste, filtre service": f"{index.url}?service=employment",
        "formulaire être recontacté": form.url,
        "API pages, fields=*": "/api/v2/pages/?type=public_site.PermanencePage&fields=*",
    }


def count_queries(url: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(url)  # warms per-process caches
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def second_request_cache_status(urls: dict[str, str]) -> dict[str, str]:
    """The page cache's answer to a second anonymous GET of each agenda page the index links
    to (its periods, each filter) and of the form: "hit" is the target."""
    import html
    import re
    from wsgiref.util import setup_testing_defaults

    from django.core.handlers.wsgi import WSGIHandler
    from django.test import override_settings

    from page_cache.wsgi import PageCache

    def get(app, url: str) -> tuple[str, str]:
        path, _sep, query = url.partition("?")
        environ: dict = {}
        setup_testing_defaults(environ)
        environ.update(PATH_INFO=path, QUERY_STRING=query, HTTP_HOST="testserver")
        found: dict = {}
        body = b"".join(app(environ, lambda status, headers, exc=None: found.update(headers)))
        return dict(found).get("X-Page-Cache", "aucun"), body.decode()

    agenda = [url for name, url in urls.items() if name.startswith("liste")]
    with override_settings(PAGE_CACHE_ENABLED=True):
        app = PageCache(WSGIHandler())
        targets = set(agenda)
        for url in agenda:
            _status, text = get(app, url)
            targets |= {
                html.unescape(link) for link in re.findall(r'href="([^"]*\?periode=[^"]*)"', text)
            }
        targets.add(urls["formulaire être recontacté"])
        statuses = {}
        for url in sorted(targets):
            get(app, url)
            statuses[url] = get(app, url)[0]
    return statuses


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
