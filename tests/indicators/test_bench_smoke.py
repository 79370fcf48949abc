"""bench/indicators.py stays runnable: its pieces run on a tiny sample of the test database
(the real run creates its own PostgreSQL database)."""

import datetime

from django.utils import timezone

from bench import indicators as bench
from bench.transitions import measure
from indicators.selectors import figures
from workflows.models import Pathway, TransitionRecord


def test_bench_pieces_run_on_a_small_sample(db):
    coordinator, records = bench.seed(40, migrate=False, batch=15)
    assert Pathway.objects.count() == 40
    assert TransitionRecord.objects.count() == records > 40
    # The history keeps the dates the bench gave it, spread over two years.
    oldest = TransitionRecord.objects.order_by("created_at").first().created_at
    assert oldest < timezone.now() - datetime.timedelta(days=90)
    today = timezone.localdate()
    assert figures(coordinator, today - datetime.timedelta(days=364), today)["identified"] > 0
    for run in bench.reads(coordinator).values():
        median, p95, queries = measure(run, 2)
        assert 0 < queries <= 12 and p95 >= median
