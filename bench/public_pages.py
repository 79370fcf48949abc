"""Public pages under gunicorn: requests per second and latency, against a bare "ok" view.

    .venv/bin/python -m bench.public_pages [--permanences 200] [--seconds 10]

What it does, and why:
- a fresh PostgreSQL database (ml_bench_public), migrated, with the demo data plus enough
  permanences to reach --permanences: the figures must hold with a realistic agenda;
- gunicorn with 2 workers on a free loopback port, production settings (bench.settings adds
  only the bare view), Redis as the shared cache, so the page cache works as deployed;
- the load comes from other processes (wrk if installed, else Python) on loopback;
- the bare view goes through the same WSGI wrapper and middleware: the ratio page / bare
  view says what a page costs beyond Django itself. Target: 0.5 or better;
- the same pages with a query string, which the cache never serves, show what it buys;
- an editor's publish, then a GET: the change must show at once, whichever worker answers.
Server, database and cache keys are removed at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench._db import POSTGRES, create_database, drop_database

REPO = Path(__file__).resolve().parent.parent
DATABASE = "ml_bench_public"
REDIS_URL = "redis://127.0.0.1:6379/3"
TARGET_RATIO = 0.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--permanences", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args()

    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=f"{POSTGRES}/{DATABASE}",
        DATABASE_CONN_MAX_AGE="600",
        REDIS_URL=REDIS_URL,
        PAGE_CACHE="1",
        DJANGO_SECRET_KEY="bench-only-not-a-secret",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="WARNING",
    )
    create_database(POSTGRES, DATABASE)
    server = None
    try:
        urls, permanence_id = _load_data(args.permanences)
        port = _free_port()
        server = _start_gunicorn(port)
        base = f"http://127.0.0.1:{port}"
        _measure(base, urls, args)
        _publish_then_get(base, urls["permanence"], permanence_id)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        _cleanup()
    return 0


def _load_data(permanences: int) -> tuple[dict[str, str], int]:
    """The URLs to measure, and the permanence page measured."""
    import django

    django.setup()
    from django.core.cache import cache

    from bench.permanences import load_public_demo
    from public_site.models import PermanencePage

    started = time.perf_counter()
    index, permanence = load_public_demo(permanences)
    cache.clear()
    print(
        f"Base {DATABASE} prête en {time.perf_counter() - started:.0f} s : "
        f"{PermanencePage.objects.live().count()} permanences publiées."
    )
    urls = {"accueil": "/", "permanence": permanence.url, "liste des permanences": index.url}
    return urls, permanence.pk


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_gunicorn(port: int) -> subprocess.Popen:
    from django.db import connections

    connections.close_all()  # the workers open their own
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "cms.wsgi:application"),
            *("--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"),
        ],
        cwd=REPO,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if _get(f"http://127.0.0.1:{port}", "/bench/ok/")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn n'a pas démarré en 30 s.")


def _get(base: str, path: str) -> tuple[int, dict[str, str], str]:
    """One GET on a fresh connection, so that either worker may answer."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def _measure(base: str, urls: dict[str, str], args) -> None:
    from bench._load import run_load
    from bench.urls import BARE_VIEW_PATH

    for path in [BARE_VIEW_PATH, *urls.values()]:  # warm both workers' memory copies
        for _ in range(50):
            status = _get(base, path)[0]
            if status != 200:
                raise RuntimeError(f"{path} répond {status}.")

    rows = [("vue nue « ok »", BARE_VIEW_PATH)]
    rows += list(urls.items())
    rows += [(f"{name}, sans cache (?q)", f"{path}?sans-cache=1") for name, path in urls.items()]
    print(
        f"\n{args.connections} connexions, {args.seconds:.0f} s par adresse, gunicorn 2 workers\n"
    )
    print(f"{'page':<38} {'req/s':>8} {'médiane':>9} {'p99':>9} {'ratio':>7}")
    bare_rate = None
    below_target = []
    for name, path in rows:
        result = run_load(
            base + path, seconds=args.seconds, connections=args.connections, client=args.client
        )
        if result.errors:
            raise RuntimeError(f"{path} : {result.errors} réponses en erreur.")
        bare_rate = bare_rate or result.rate
        ratio = result.rate / bare_rate
        if "?" not in path and ratio < TARGET_RATIO:
            below_target.append(name)
        print(
            f"{name:<38} {result.rate:>8.0f} {result.median_ms:>7.2f}ms {result.p99_ms:>7.2f}ms "
            f"{ratio:>6.2f}×"
        )
    verdict = "atteint" if not below_target else f"manqué pour {', '.join(below_target)}"
    print(f"\nObjectif ≥ {TARGET_RATIO} × la vue nue pour chaque page (avec cache) : {verdict}.")


def _publish_then_get(base: str, path: str, page_id: int) -> None:
    """An editor's publish, as the admin does it, then anonymous GETs on new connections."""
    from public_site.models import PermanencePage

    page = PermanencePage.objects.get(pk=page_id)
    new_title = f"{page.title} (modifiée à {time.strftime('%H:%M:%S')})"
    page.title = new_title
    page.save_revision().publish()  # autocommit: the generation moves on this commit
    published = time.perf_counter()
    print(f"\nPublication de « {new_title} », puis GET :")
    for _ in range(4):
        status, headers, body = _get(base, path)
        seen = new_title.replace("'", "&#x27;") in body
        elapsed = (time.perf_counter() - published) * 1000
        print(
            f"  réponse reçue {elapsed:5.1f} ms après la publication : {status}, "
            f"X-Page-Cache {headers.get('X-Page-Cache')}, "
            f"nouveau titre {'visible' if seen else 'ABSENT'}"
        )
        if not seen:
            raise RuntimeError("La publication n'est pas visible tout de suite.")


def _cleanup() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter("ml:*"))
    if keys:
        client.delete(*keys)
    drop_database(POSTGRES, DATABASE)
    print(f"\nServeur arrêté, base {DATABASE} et clés de cache supprimées.")


if __name__ == "__main__":
    sys.exit(main())
