"""Benchmark the daily run of the timed transitions on PostgreSQL.

100,000 open pathways of the default definition, spread over its open stages, 10% of them
due (in "Repéré" for more than 30 days, or in "Accompagnement" for more than 60, without a
contact): one run of `run_timed_transitions` (the daily task's service), its time, its SQL
query count and the queries per pathway moved. Target: under 60 s.

It creates its own database (dropped at the end unless --keep) and never touches another:

    .venv/bin/python bench/timed_transitions.py [--pathways 100000] [--due 0.10]
        [--batch 200] [--server postgres://postgres@127.0.0.1:5432] [--database NAME] [--keep]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._db import create_database, drop_database  # noqa: E402
from bench.transitions import setup_django  # noqa: E402

DB_NAME = "ml_bench_timed_transitions"
TARGET_SECONDS = 60.0
# Where the due pathways stand, with how long ago their clock started (days).
DUE_IN = {"repere": 45, "accompagnement": 75}
# The open stages the others stand in, all with a recent contact.
OPEN_STAGES = ["repere", "premier_accueil", "diagnostic", "oriente", "accompagnement"]
SEED_BATCH = 10_000


def seed(pathways: int, due_share: float, *, migrate: bool = True):
    """The default definition and `pathways` open pathways bulk-created in batches of
    SEED_BATCH, one in `1 / due_share` silent for longer than its stage's timer. Returns the
    definition and how many are due."""
    import datetime
    import random

    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from territories.models import Organisation
    from tests.workflows.factories import default_elements, make_user, publish_definition_from
    from workflows.models import Pathway, TransitionRecord, Youth
    from workflows.policies import COORDINATORS, COUNSELLORS, MEDIATORS
    from workflows.specs import live_spec

    if migrate:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"Migrations : {time.perf_counter() - started:.1f} s")
    for group in (COORDINATORS, COUNSELLORS, MEDIATORS):
        Group.objects.get_or_create(name=group)
    organisation = Organisation.objects.get_or_create(
        slug="banc-essai", defaults={"name": "Mission Locale du banc d'essai", "short_name": "Banc"}
    )[0]
    coordinator = make_user("bench-coord", COORDINATORS, organisation=organisation)
    counsellors = [
        make_user(f"bench-conseil-{i}", COUNSELLORS, organisation=organisation) for i in range(20)
    ]
    definition = publish_definition_from(
        default_elements(), user=coordinator, organisation=organisation
    )
    spec = live_spec(definition)
    rng = random.Random(2026)
    now = timezone.now()
    today = timezone.localdate()
    every = round(1 / due_share) if due_share else 0
    due = 0
    for start in range(0, pathways, SEED_BATCH):
        size = min(SEED_BATCH, pathways - start)
        youths = Youth.objects.bulk_create(
            Youth(
                first_name="Jeune",
                last_name=f"Banc {start + i}",
                consent_given=True,
                date_of_birth=today - datetime.timedelta(days=365 * 20),
            )
            for i in range(size)
        )
        rows = []
        for i, youth in enumerate(youths):
            if every and (start + i) % every == 0:
                code = rng.choice(list(DUE_IN))
                days = DUE_IN[code] + rng.randint(0, 20)
                due += 1
            else:
                code = rng.choice(OPEN_STAGES)
                days = rng.randint(0, 25)
            stage = spec.stages[code]
            moment = now - datetime.timedelta(days=days)
            rows.append(
                Pathway(
                    youth=youth,
                    organisation=organisation,
                    definition=definition,
                    stage=stage.code,
                    stage_category=stage.category,
                    referent=rng.choice(counsellors),
                    source="permanence",
                    entered_stage_at=moment,
                    last_contact_at=moment,
                    due_on=(moment + datetime.timedelta(days=stage.reminder_days or 30)).date(),
                )
            )
        created = Pathway.objects.bulk_create(rows)
        TransitionRecord.objects.bulk_create(
            TransitionRecord(
                pathway=pathway,
                kind="start",
                created_at=pathway.entered_stage_at,
                to_stage=pathway.stage,
                to_stage_label=spec.stage_label(pathway.stage),
                to_category=pathway.stage_category,
                first_in_category=True,
                revision_id=spec.revision_id,
            )
            for pathway in created
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return definition, due


def run_once(batch_size: int) -> tuple[float, int, int]:
    """One daily run: seconds, SQL queries, pathways moved."""
    from django.db import connection

    from workflows.services.timed_transitions import run_timed_transitions, timed_rules

    timed_rules()  # the live specs, built once per published revision as in production
    count = 0

    def counted(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        started = time.perf_counter()
        report = run_timed_transitions(batch_size=batch_size)
        elapsed = time.perf_counter() - started
    return elapsed, count, report.moved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pathways", type=int, default=100_000)
    parser.add_argument("--due", type=float, default=0.10, help="part des parcours dus")
    parser.add_argument("--batch", type=int, default=200, help="parcours par lot")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=DB_NAME)
    parser.add_argument("--keep", action="store_true", help="garder la base à la fin")
    args = parser.parse_args(argv)

    create_database(args.server, args.database)
    setup_django(args.server, args.database)
    try:
        started = time.perf_counter()
        _definition, due = seed(args.pathways, args.due)
        print(
            f"Base {args.database} : {args.pathways:,} parcours ouverts dont {due:,} dus, "
            f"créés en {time.perf_counter() - started:.1f} s".replace(",", " ")
        )
        elapsed, queries, moved = run_once(args.batch)
        print(f"\nUne exécution quotidienne (lots de {args.batch}) :")
        print(f"  parcours déplacés : {moved}".replace(",", " "))
        print(f"  durée             : {elapsed:.1f} s (cible < {TARGET_SECONDS:g} s)")
        print(f"  requêtes SQL      : {queries} ({queries / max(moved, 1):.1f} par parcours)")
        again, again_queries, again_moved = run_once(args.batch)
        print(
            f"  seconde exécution : {again_moved} parcours, {again:.2f} s, {again_queries} requêtes"
        )
        ok = elapsed < TARGET_SECONDS and moved == due and again_moved == 0
        print("OK" if ok else "AU-DESSUS DE LA CIBLE OU INCOMPLET")
        return 0 if ok else 1
    finally:
        if not args.keep:
            drop_database(args.server, args.database)


if __name__ == "__main__":
    sys.exit(main())
