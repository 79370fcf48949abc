"""bench/api.py stays runnable: its scenarios run on a tiny sample of the test database."""

import pytest

from bench import api as bench_api
from tests.workflows.factories import new_pathway

pytestmark = pytest.mark.django_db


def test_bench_scenarios_run_on_a_small_sample(coordinator, counsellor, definition, places, capsys):
    bench_api.seed_permanences(3)
    reserved = [
        new_pathway(actor=counsellor, referent=counsellor, first_name=f"Banc {number}").pk
        for number in range(3)
    ]
    figures = bench_api.run(
        requests=2,
        transitions=2,
        counsellor=counsellor,
        coordinator=coordinator,
        reserved_ids=reserved,
    )
    # With 4 pathways, "page 20" of a list does not exist (404); nothing fails.
    assert {item.status for item in figures} <= {200, 304, 404}
    # The transition is sent with If-Match, as the schema asks of clients, and goes through.
    (transition,) = [item for item in figures if item.name.startswith("transition")]
    assert transition.status == 200
    # The agenda may come from its cache; the lists always read the database.
    assert all(item.queries > 0 for item in figures if item.name.startswith("parcours"))
    bench_api.report(figures)
    assert "req/s" in capsys.readouterr().out
