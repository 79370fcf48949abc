"""bench/transitions.py stays runnable: its pieces run on a tiny sample of the test
database (the real run creates its own PostgreSQL database)."""

from bench import transitions as bench


def test_bench_pieces_run_on_a_small_sample(db):
    definition, coordinator, counsellors, reserved = bench.seed(40, 8, migrate=False)
    assert len(reserved) == 8
    service_rate, bare_rate = bench.bench_transitions(
        reserved[:4], reserved[4:], coordinator, definition.live_revision_id, chunk=2
    )
    assert service_rate > 0 and bare_rate > 0
    for run in bench.reads(definition, coordinator, counsellors[0]).values():
        median, p95, queries = bench.measure(run, 2)
        # Mes jeunes: count, page, its access log INSERT; the board: three reads and one INSERT.
        assert 0 < queries <= 4 and p95 >= median


def test_timed_transitions_bench_runs_on_a_small_sample(db):
    from bench import timed_transitions

    _definition, due = timed_transitions.seed(50, 0.1, migrate=False)
    elapsed, queries, moved = timed_transitions.run_once(batch_size=2)
    assert moved == due == 5
    assert elapsed > 0 and queries > 0
