"""Benchmark the figures of the comité de pilotage (issue 15) on PostgreSQL.

With 100,000 pathways and about ten history records each (1,000,000 records) spread over
two years, it measures over the last twelve months (half the history: the worst case) and
over this month (the dashboard's default period), for a coordinator:

1. the dashboard's data, as its view reads them: `indicators.selectors.dashboard_report`
   (the figures, their breakdowns and the months of the chart) and `figures` for the
   previous period;
2. the API: GET /api/indicators/?start=…&end=…, through DRF's test client (the whole stack
   but the network: middleware, authentication, serializer, selector, PostgreSQL);

each as median and p95 latency over the repetitions and its SQL query count. Target: p95
under 1 s, query counts that do not grow with the data.

It creates its own database (dropped at the end unless --keep) and never touches another:

    .venv/bin/python bench/indicators.py [--pathways 100000] [--repetitions 20]
        [--server postgres://postgres@127.0.0.1:5432] [--database ml_bench_indicators] [--keep]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._db import create_database, drop_database  # noqa: E402

DB_NAME = "ml_bench_indicators"
TARGET_P95_MS = 1000.0
BATCH = 5_000

# The walk every bench pathway follows through the default definition, cut at a random
# length (0 to 18 transitions, 9 on average: with its creation, ten records a pathway):
# reception, assessment, referral, support, then contact lost and taken up again.
PROGRAMMES = ["CEJ", "PACEA", "Hors dispositif"]
EXIT_REASONS = ["Emploi durable (CDI ou CDD de 6 mois ou plus)", "Déménagement", "Abandon"]
WALK = [
    ("fixer_premier_accueil", "premier_accueil"),
    ("proposer_diagnostic", "diagnostic"),
    ("orienter", "oriente"),
    ("demarrer_accompagnement", "accompagnement"),
    *[("signaler_sans_nouvelles", "sans_nouvelles"), ("reprendre_accompagnement", "accompagnement")]
    * 7,
]
# One walk in three ends with an exit instead of its last step.
EXIT_SHARE = 1 / 3


@contextlib.contextmanager
def dates_as_given(*models):
    """Lets bulk_create keep the pathways' `created_at` the bench gives (auto_now_add would
    set now)."""
    fields = [model._meta.get_field("created_at") for model in models]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def seed(pathways: int, *, migrate: bool = True, batch: int = BATCH):
    """A coordinator, the default definition and `pathways` pathways with their history,
    bulk-created in batches; returns the coordinator and the number of records."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from territories.models import Organisation
    from tests.workflows.factories import default_elements, make_user, publish_definition_from
    from workflows.models import Pathway, TransitionRecord, Youth
    from workflows.policies import COORDINATORS
    from workflows.specs import live_spec

    if migrate:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"Migrations : {time.perf_counter() - started:.1f} s")
    organisation = Organisation.objects.get_or_create(
        slug="banc-essai", defaults={"name": "Mission Locale du banc d'essai", "short_name": "Banc"}
    )[0]
    coordinator = make_user("bench-coord", COORDINATORS, organisation=organisation)
    definition = publish_definition_from(
        default_elements(), user=coordinator, organisation=organisation
    )
    spec = live_spec(definition)
    assert spec is not None
    rng = random.Random(2026)
    now = timezone.now()
    today = timezone.localdate()
    records = 0
    for start in range(0, pathways, batch):
        size = min(batch, pathways - start)
        youths = Youth.objects.bulk_create(
            Youth(
                first_name="Camille",
                last_name=f"Banc {start + i}",
                consent_given=True,
                date_of_birth=today - datetime.timedelta(days=rng.randint(16 * 365, 25 * 365)),
            )
            for i in range(size)
        )
        walks = [_walk(rng, now) for _ in youths]
        with dates_as_given(Pathway):
            created = Pathway.objects.bulk_create(
                _pathway(youth, walk, organisation, definition, spec)
                for youth, walk in zip(youths, walks, strict=True)
            )
            rows = [
                row
                for pathway, walk in zip(created, walks, strict=True)
                for row in _records(pathway, walk, spec)
            ]
            TransitionRecord.objects.bulk_create(rows, batch_size=batch)
        records += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return coordinator, records


def _walk(rng: random.Random, now: datetime.datetime) -> list[tuple]:
    """(transition code or "" for the creation, stage, time, answers) of one pathway."""
    at = now - datetime.timedelta(days=rng.randint(0, 730), minutes=rng.randint(0, 600))
    steps = [("", "repere", at, {})]
    length = rng.randint(0, len(WALK))
    for number, (code, stage) in enumerate(WALK[:length]):
        at = at + datetime.timedelta(days=rng.randint(1, 20))
        if at >= now:
            break
        if number == length - 1 and rng.random() < EXIT_SHARE:
            steps.append(("sortir", "sorti", at, {"motif_sortie": rng.choice(EXIT_REASONS)}))
            break
        answers = {"dispositif": rng.choice(PROGRAMMES)} if stage == "accompagnement" else {}
        steps.append((code, stage, at, answers))
    return steps


def _pathway(youth, walk, organisation, definition, spec):
    from workflows.models import Pathway

    last = walk[-1]
    stage = spec.stages[last[1]]
    return Pathway(
        youth=youth,
        organisation=organisation,
        definition=definition,
        stage=stage.code,
        stage_category=stage.category,
        source=random.Random(youth.pk).choice(["permanence", "partner", "website", "walk_in"]),
        created_at=walk[0][2],
        entered_stage_at=last[2],
        last_contact_at=last[2],
        closed_at=last[2] if stage.final else None,
    )


def _records(pathway, walk, spec):
    """The pathway's history, with what the figures read filled in as the service does."""
    from workflows.models import TransitionRecord
    from workflows.services.history import chain

    records = []
    previous = None
    for code, stage, at, answers in walk:
        records.append(
            TransitionRecord(
                pathway=pathway,
                kind="transition" if code else "start",
                created_at=at,
                transition_code=code,
                from_stage=previous or "",
                to_stage=stage,
                to_stage_label=spec.stage_label(stage),
                to_category=spec.stages[stage].category,
                answers=answers,
                revision_id=spec.revision_id,
            )
        )
        previous = stage
    chain(records, {spec.revision_id: spec})
    return records


def reads(coordinator) -> dict:
    """The readers of the figures, as the coordinator: over the last twelve months (the
    worst case: half the history), and over this month (the dashboard's default period)."""
    from django.utils import timezone
    from rest_framework.test import APIClient

    from indicators.forms import DateRange, Preset, preset_range
    from indicators.selectors import dashboard_report, figures

    end = timezone.localdate()
    start = end - datetime.timedelta(days=364)
    month = preset_range(Preset.THIS_MONTH, end)
    client = APIClient(HTTP_HOST="localhost")
    client.force_authenticate(coordinator)

    def dashboard(first: datetime.date, last: datetime.date):
        """As the dashboard's view reads: the period, then the one before it."""
        before = DateRange(first, last).previous()

        def read():
            dashboard_report(coordinator, first, last)
            figures(coordinator, before.start, before.end)

        return read

    def api(first: datetime.date, last: datetime.date):
        url = f"/api/indicators/?start={first.isoformat()}&end={last.isoformat()}"

        def read():
            response = client.get(url)
            assert response.status_code == 200, response.content[:300]

        return read

    return {
        "Tableau de bord (12 mois et les 12 précédents)": dashboard(start, end),
        "API GET /api/indicators/ (12 mois)": api(start, end),
        "Tableau de bord (ce mois-ci et le précédent)": dashboard(month.start, month.end),
        "API GET /api/indicators/ (ce mois-ci)": api(month.start, month.end),
    }


def main(argv: list[str] | None = None) -> int:
    from bench.transitions import print_reads, setup_django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pathways", type=int, default=100_000)
    parser.add_argument("--repetitions", type=int, default=20)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=DB_NAME)
    parser.add_argument("--keep", action="store_true", help="garder la base à la fin")
    args = parser.parse_args(argv)

    create_database(args.server, args.database)
    setup_django(args.server, args.database)
    try:
        started = time.perf_counter()
        coordinator, records = seed(args.pathways)
        print(
            f"Base {args.database} : {args.pathways:,} parcours et {records:,} enregistrements "
            f"d'historique créés en {time.perf_counter() - started:.1f} s".replace(",", " ")
        )
        print(f"\nChiffres ({args.repetitions} répétitions ; médiane, p95, requêtes SQL)")
        return 0 if print_reads(reads(coordinator), args.repetitions, TARGET_P95_MS) else 1
    finally:
        if not args.keep:
            drop_database(args.server, args.database)


if __name__ == "__main__":
    sys.exit(main())
