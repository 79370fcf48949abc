"""Benchmark the workflow on PostgreSQL.

1. Transitions per second through `fire_transition` (checks, django-fsm, one history record,
   the transition's actions) against a bare ORM update plus insert on the same tables, and
   the ratio between the two (target: 3 or lower).
2. Latency (median, p95) and SQL query counts of the board and of "Mes jeunes" with
   100,000 pathways (target: p95 under 200 ms, query counts that do not grow with the data).

It creates its own database (dropped at the end unless --keep) and never touches another:

    .venv/bin/python bench/transitions.py [--pathways 100000] [--transitions 300]
        [--repetitions 40] [--server postgres://postgres@127.0.0.1:5432] [--keep]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._db import create_database, drop_database  # noqa: E402

DB_NAME = "ml_bench_transitions"
TARGET_RATIO = 3.0
TARGET_P95_MS = 200.0


def setup_django(server: str, name: str) -> None:
    os.environ["DATABASE_URL"] = f"{server}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)


def seed(pathways: int, reserve: int, *, migrate: bool = True):
    """Users, the default definition and `pathways` pathways spread over its stages, plus
    `reserve` fresh ones at the first stage for the transition runs; bulk-created."""
    import datetime
    import random

    from django.core.management import call_command
    from django.utils import timezone

    from territories.models import Organisation
    from tests.workflows.factories import default_elements, make_user, publish_definition_from
    from workflows.models import Pathway, TransitionRecord, Youth
    from workflows.policies import COORDINATORS, COUNSELLORS
    from workflows.specs import live_spec

    if migrate:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"Migrations : {time.perf_counter() - started:.1f} s")
    from django.contrib.auth.models import Group

    for group in (COORDINATORS, COUNSELLORS, "Médiateurs"):
        Group.objects.get_or_create(name=group)
    # Every scope starts with the organisation: the bench's staff and pathways share one.
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
    stages = list(spec.stages.values())
    rng = random.Random(2026)
    now = timezone.now()
    today = timezone.localdate()
    total = pathways + reserve
    batch = 10_000
    # 40 × 40 fictional names: a search for one full name finds a few dozen people.
    first_names = [
        "Lucas",
        "Emma",
        "Noah",
        "Chloé",
        "Hugo",
        "Léa",
        "Inès",
        "Adam",
        "Jade",
        "Tom",
        "Lina",
        "Nathan",
        "Manon",
        "Théo",
        "Camille",
        "Enzo",
        "Sarah",
        "Louis",
        "Yanis",
        "Zoé",
        "Mathis",
        "Anaïs",
        "Ilyes",
        "Clara",
        "Sacha",
        "Nour",
        "Maëlys",
        "Bilal",
        "Alicia",
        "Rayan",
        "Lou",
        "Gabriel",
        "Rose",
        "Jules",
        "Alice",
        "Malo",
        "Ambre",
        "Sami",
        "Eva",
        "Nolan",
    ]
    last_names = [
        "Morel",
        "Girard",
        "Bonnet",
        "Lambert",
        "Fontaine",
        "Rousseau",
        "Vincent",
        "Muller",
        "Lefèvre",
        "Faure",
        "André",
        "Mercier",
        "Blanc",
        "Guérin",
        "Boyer",
        "Garnier",
        "Chevalier",
        "François",
        "Legrand",
        "Gauthier",
        "Perrin",
        "Robin",
        "Clément",
        "Morin",
        "Nicolas",
        "Henry",
        "Roussel",
        "Mathieu",
        "Lemoine",
        "Dumas",
        "Fabre",
        "Marchal",
        "Verdier",
        "Delorme",
        "Roux",
        "Petit",
        "Durand",
        "Leroy",
        "Moreau",
        "Simon",
    ]
    for start in range(0, total, batch):
        size = min(batch, total - start)
        youths = Youth.objects.bulk_create(
            Youth(
                first_name=rng.choice(first_names),
                last_name=rng.choice(last_names),
                consent_given=True,
                date_of_birth=today - datetime.timedelta(days=365 * 20),
            )
            for i in range(size)
        )
        rows = []
        for i, youth in enumerate(youths):
            reserved = start + i >= pathways
            stage = stages[0] if reserved else rng.choice(stages)
            entered = now - datetime.timedelta(days=rng.randint(0, 120))
            rows.append(
                Pathway(
                    youth=youth,
                    organisation=organisation,
                    definition=definition,
                    stage=stage.code,
                    stage_category=stage.category,
                    referent=rng.choice(counsellors),
                    # The reserved pathways are told apart by their source.
                    source="website" if reserved else "permanence",
                    entered_stage_at=entered,
                    last_contact_at=entered,
                    due_on=None
                    if stage.final
                    else (entered + datetime.timedelta(days=stage.reminder_days or 30)).date(),
                    closed_at=entered if stage.final else None,
                )
            )
        created = Pathway.objects.bulk_create(rows)
        TransitionRecord.objects.bulk_create(
            TransitionRecord(
                pathway=pathway,
                kind="start",
                to_stage=pathway.stage,
                to_stage_label=spec.stage_label(pathway.stage),
                to_category=pathway.stage_category,
                first_in_category=True,
                revision_id=spec.revision_id,
            )
            for pathway in created
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    reserved_ids = list(
        Pathway.objects.filter(source="website")
        .order_by("pk")
        .values_list("pk", flat=True)[:reserve]
    )
    return definition, coordinator, counsellors, reserved_ids


def bench_transitions(service_ids, bare_ids, actor, revision_id, chunk: int = 10):
    """Transitions per second through the service and through a bare ORM update + insert.
    The two run in alternating chunks, so that a neighbour's load on the machine weighs on
    both alike."""
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from workflows.models import Pathway, TransitionRecord
    from workflows.services.transitions import fire_transition

    answers = {"date_premier_accueil": timezone.localdate().isoformat()}
    pathways = list(Pathway.objects.filter(pk__in=service_ids).order_by("pk"))

    def service(batch):
        for pathway in batch:
            fire_transition(pathway, "fixer_premier_accueil", actor=actor, answers=answers)

    def bare(batch):
        # The floor: the same row update and history insert, nothing checked.
        for pk in batch:
            with transaction.atomic():
                Pathway.objects.filter(pk=pk, stage="repere").update(
                    stage="premier_accueil",
                    stage_category="reception",
                    entered_stage_at=timezone.now(),
                    version=F("version") + 1,
                    answers=answers,
                )
                TransitionRecord.objects.create(
                    pathway_id=pk,
                    kind="transition",
                    actor=actor,
                    transition_code="fixer_premier_accueil",
                    transition_label="Fixer un premier accueil",
                    from_stage="repere",
                    from_stage_label="Repéré",
                    to_stage="premier_accueil",
                    to_stage_label="Premier accueil",
                    to_category="reception",
                    answers=answers,
                    revision_id=revision_id,
                )

    service_seconds = bare_seconds = 0.0
    for start in range(0, min(len(pathways), len(bare_ids)), chunk):
        started = time.perf_counter()
        service(pathways[start : start + chunk])
        service_seconds += time.perf_counter() - started
        started = time.perf_counter()
        bare(bare_ids[start : start + chunk])
        bare_seconds += time.perf_counter() - started
    return len(pathways) / service_seconds, len(bare_ids) / bare_seconds


def measure(callable_, repetitions: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    callable_()  # warm caches (spec, user groups) as a running server has them
    timings = []
    queries = 0
    for _ in range(repetitions):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            callable_()
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    return statistics.median(timings), p95, queries


def print_reads(reads: dict, repetitions: int, target_p95_ms: float) -> bool:
    """Measures each read and prints its median, p95 and query count; True when every p95
    is under the target."""
    all_ok = True
    for label, run in reads.items():
        median, p95, queries = measure(run, repetitions)
        ok = p95 < target_p95_ms
        all_ok &= ok
        print(
            f"  {label:<48} médiane {median:7.1f} ms  p95 {p95:7.1f} ms  "
            f"{queries:2d} requêtes {'OK' if ok else 'LENT'}"
        )
    return all_ok


def reads(definition, coordinator, counsellor):
    from django.core.paginator import Paginator

    from access_log.models import Channel
    from workflows import selectors

    def mes_jeunes(user, **filters):
        def run():
            page = Paginator(selectors.caseload(user, channel=Channel.LIST, **filters), 50).page(1)
            return [(p.youth.first_name, p.referent, p.is_overdue) for p in page]

        return run

    def board(user):
        def run():
            return [
                (card.youth.first_name, card.is_overdue)
                for column in selectors.board(user, definition, per_stage=10)
                for card in column.cards
            ]

        return run

    return {
        "Mes jeunes, coordinatrice (tout)": mes_jeunes(coordinator),
        "Mes jeunes, coordinatrice, étape + en retard": mes_jeunes(
            coordinator, stage="diagnostic", overdue=True
        ),
        "Mes jeunes, coordinatrice, recherche « Emma Morel »": mes_jeunes(
            coordinator, search="Emma Morel"
        ),
        "Mes jeunes, conseiller (son portefeuille)": mes_jeunes(counsellor),
        "Tableau, coordinatrice (tout)": board(coordinator),
        "Tableau, conseiller": board(counsellor),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pathways", type=int, default=100_000)
    parser.add_argument("--transitions", type=int, default=300)
    parser.add_argument("--repetitions", type=int, default=40)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=DB_NAME)
    parser.add_argument("--keep", action="store_true", help="garder la base à la fin")
    args = parser.parse_args(argv)

    create_database(args.server, args.database)
    setup_django(args.server, args.database)
    try:
        started = time.perf_counter()
        definition, coordinator, counsellors, reserved = seed(args.pathways, 2 * args.transitions)
        print(
            f"Base {args.database} : {args.pathways:,} parcours (+{len(reserved)} pour les "
            f"transitions) créés en {time.perf_counter() - started:.1f} s".replace(",", " ")
        )
        half = len(reserved) // 2
        service_rate, bare_rate = bench_transitions(
            reserved[:half], reserved[half:], coordinator, definition.live_revision_id
        )
        ratio = bare_rate / service_rate
        print(
            f"\nTransitions ({half} de chaque, séquentielles, une transaction chacune, "
            "par tranches alternées de 10)"
        )
        print(f"  service fire_transition (contrôles, historique, action) : {service_rate:8.0f} /s")
        print(f"  ORM nu (UPDATE + INSERT historique)                      : {bare_rate:8.0f} /s")
        verdict = "OK" if ratio <= TARGET_RATIO else "AU-DESSUS DE LA CIBLE"
        print(f"  rapport ORM nu / service : {ratio:.2f} (cible ≤ {TARGET_RATIO:g}) {verdict}")

        print(f"\nLectures ({args.repetitions} répétitions ; médiane, p95, requêtes SQL)")
        all_ok = print_reads(
            reads(definition, coordinator, counsellors[0]), args.repetitions, TARGET_P95_MS
        )
        return 0 if all_ok and ratio <= TARGET_RATIO else 1
    finally:
        if not args.keep:
            drop_database(args.server, args.database)


if __name__ == "__main__":
    sys.exit(main())
