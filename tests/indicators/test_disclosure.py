"""indicators.disclosure on reports written by hand: counts from 1 to 4 hidden, and the one
count that would give a lone hidden count away by subtraction hidden with it."""

from __future__ import annotations

import copy

from indicators.disclosure import SMALL, protect


def figures(**counts) -> dict:
    base = {
        "identified": 0,
        "identified_by_source": {"permanence": 0, "website": 0},
        "exits": 0,
        "exits_by_outcome": {"positive": 0, "neutral": 0, "negative": 0, "unknown": 0},
        "positive_exit_rate": None,
        "median_days_to_reception": 3.0,
    }
    for key, value in counts.items():
        if isinstance(value, dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return base


def test_one_to_four_hidden_zero_and_five_kept():
    report = figures(identified=4, identified_by_source={"permanence": 4, "website": 0})
    report["outreach_rounds"] = 5
    protected = protect(report)
    assert protected["identified"] == SMALL
    assert protected["identified_by_source"] == {"permanence": SMALL, "website": 0}
    assert protected["outreach_rounds"] == 5
    assert protected["median_days_to_reception"] == 3.0  # a number of days, not of people


def test_a_lone_hidden_part_takes_the_smallest_other_with_it():
    # 12 exits: 9 positive and 3 neutral; 12 - 9 would give the 3 away.
    report = figures(exits=12, exits_by_outcome={"positive": 9, "neutral": 3})
    report["positive_exit_rate"] = 0.75
    protected = protect(report)
    assert protected["exits"] == 12
    assert protected["exits_by_outcome"] == {
        "positive": SMALL,
        "neutral": SMALL,
        "negative": 0,
        "unknown": 0,
    }
    assert protected["positive_exit_rate"] is None  # 0.75 × 12 would give 9 back


def test_two_hidden_parts_need_nothing_more():
    report = figures(exits=12, exits_by_outcome={"positive": 7, "neutral": 2, "negative": 3})
    protected = protect(report)
    assert protected["exits_by_outcome"]["positive"] == 7


def test_a_lone_hidden_group_of_a_breakdown_takes_another_group_with_it():
    report = figures(identified=20, identified_by_source={"permanence": 20})
    report["breakdowns"] = {
        "antenna": [
            {"key": "1", "label": "Rodez", "figures": figures(identified=17)},
            {"key": "2", "label": "Millau", "figures": figures(identified=3)},
        ],
        "qpv": [
            {"key": "inside", "label": "Dans un QPV", "figures": figures(identified=8)},
            {"key": "outside", "label": "Hors QPV", "figures": figures(identified=12)},
            {"key": "QP1", "label": "A", "figures": figures(identified=6)},
            {"key": "QP2", "label": "B", "figures": figures(identified=2)},
        ],
    }
    original = copy.deepcopy(report)
    protected = protect(report)
    assert report == original  # a copy: the caller's report is left as it was
    antennas = [g["figures"]["identified"] for g in protected["breakdowns"]["antenna"]]
    assert antennas == [SMALL, SMALL]
    qpv = [g["figures"]["identified"] for g in protected["breakdowns"]["qpv"]]
    # Each QPV adds up to "inside" (8 = 6 + 2); inside and outside to the whole.
    assert qpv == [8, 12, SMALL, SMALL]


def test_months_hide_their_small_counts():
    report = figures()
    report["months"] = [{"month": "2026-03-01", "support_entries": 2, "exits": 7}]
    assert protect(report)["months"] == [
        {"month": "2026-03-01", "support_entries": SMALL, "exits": 7}
    ]
