"""Copies of a young person's data kept by apps above this one (the public form keeps the
request it forwarded). They register here how to export and erase their copy, so that the
subject-rights and retention services reach every copy without importing those apps."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Holder:
    """`export` and `erase` take pathway ids: `export` returns plain rows (JSON-ready, one
    per copy), `erase` blanks every copy and returns how many it changed."""

    label: str
    export: Callable[[Sequence[int]], list[dict]]
    erase: Callable[[Sequence[int]], int]


_holders: dict[str, Holder] = {}


def register(holder: Holder) -> None:
    _holders[holder.label] = holder


def holders() -> tuple[Holder, ...]:
    return tuple(_holders.values())
