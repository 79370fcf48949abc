"""Figures fit to leave the Mission Locale: the external export and the network view (figures
summed across organisations for a regional association) show no count from 1 to 4, which
could point at a young person, but "< 5".

Hiding those alone is not enough: beside a total, a group whose count is hidden can be
worked out by subtraction ("exits: 12; positive 7, neutral < 5, negative 3" gives 2 neutral).
So wherever counts add up to a total that is shown (the parts of a figure, the groups of a
breakdown), a lone hidden count takes the smallest other non-zero count of its family with
it (secondary suppression). A rate computed on a hidden count is hidden too. Zero stays."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from . import labels
from .counting import INSIDE_QPV, OUTSIDE_QPV

SMALL = "< 5"

# A figure whose parts add up to it (a young person counted in two parts makes the sum
# larger, never a part easier to work out).
PARTS_OF = {
    "identified_by_source": "identified",
    "support_entries_by_programme": "support_entries",
    "exits_by_outcome": "exits",
}
RATES = {"positive_exit_rate": ("exits", ("exits_by_outcome", "positive"))}

Cell = tuple[Any, ...]  # a count in the report: ("whole" or (dimension, index), key[, part])


def is_small(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4


def protect(report: dict[str, Any]) -> dict[str, Any]:
    """A copy of `report` (figures, breakdowns, months as the selectors answer them) with
    every small count, and every count that would give one away, replaced by "< 5"."""
    figures_by_place = _places(report)

    def value(cell: Cell) -> Any:
        found = figures_by_place[cell[0]].get(cell[1])
        return found.get(cell[2]) if len(cell) == 3 and isinstance(found, dict) else found

    hidden = {cell for cell in _cells(figures_by_place) if is_small(value(cell))}
    families = list(_families(figures_by_place, report.get("breakdowns", {})))
    changed = True
    while changed:  # a count hidden for one family may leave another with a lone one
        changed = False
        for total, *members in families:
            shown = [cell for cell in members if cell not in hidden and value(cell)]
            if total not in hidden and shown and sum(c in hidden for c in members) == 1:
                hidden.add(min(shown, key=value))
                changed = True

    protected = copy.deepcopy(report)
    places = _places(protected)
    for cell in hidden:
        figures = places[cell[0]]
        if len(cell) == 3:
            figures[cell[1]][cell[2]] = SMALL
        else:
            figures[cell[1]] = SMALL
    for figures in places.values():
        for rate, (over, (parts, part)) in RATES.items():
            if rate in figures and SMALL in (figures[over], figures[parts][part]):
                figures[rate] = None
    for month in protected.get("months", []):
        for key in ("support_entries", "exits"):
            if is_small(month[key]):
                month[key] = SMALL
    return protected


def _places(report: dict[str, Any]) -> dict[Any, dict[str, Any]]:
    """Each set of figures in the report: "whole", then (dimension, index) per group."""
    places: dict[Any, dict[str, Any]] = {"whole": report}
    for dimension, groups in report.get("breakdowns", {}).items():
        for index, group in enumerate(groups):
            places[(dimension, index)] = group["figures"]
    return places


def _cells(figures_by_place: dict[Any, dict[str, Any]]) -> Iterable[Cell]:
    for place, figures in figures_by_place.items():
        for key in labels.COUNTS & figures.keys():
            if isinstance(figures[key], dict):
                yield from ((place, key, part) for part in figures[key])
            else:
                yield (place, key)


def _families(
    figures_by_place: dict[Any, dict[str, Any]], breakdowns: dict[str, list]
) -> Iterable[list[Cell]]:
    """Each list of cells that add up to its first: a figure's parts, and for every count
    of the whole, the groups of each breakdown (each QPV adds up to "inside")."""
    for place, figures in figures_by_place.items():
        for parts, whole_of_parts in PARTS_OF.items():
            if parts in figures:
                cells: list[Cell] = [(place, whole_of_parts)]
                yield cells + [(place, parts, part) for part in figures[parts]]
    whole_cells = list(_cells({"whole": figures_by_place["whole"]}))
    for dimension, groups in breakdowns.items():
        if not groups:
            continue
        broken_down = groups[0]["figures"].keys()  # not the maraudes' counts
        for top, members in _group_sets(dimension, groups):
            for _whole, *path in whole_cells:
                if path[0] in broken_down:
                    sum_of: Cell = ("whole", *path) if top is None else (top, *path)
                    yield [sum_of, *(((dimension, i), *path) for i in members)]


def _group_sets(dimension: str, groups: list) -> list[tuple[Any, list[int]]]:
    """The groups of a breakdown that add up to the whole (None), or to another group:
    inside and outside any QPV add up to the whole, each QPV to "inside"."""
    indexes = range(len(groups))
    if dimension != "qpv":
        return [(None, list(indexes))]
    presence = [i for i in indexes if groups[i]["key"] in (INSIDE_QPV, OUTSIDE_QPV)]
    sets: list[tuple[Any, list[int]]] = [(None, presence)]
    inside = next((i for i in presence if groups[i]["key"] == INSIDE_QPV), None)
    if inside is not None:
        sets.append(((dimension, inside), [i for i in indexes if i not in presence]))
    return sets
