"""Logging the rows a lazily evaluated queryset actually reads.

A selector returns a queryset the screen or the API filters, orders, paginates and only then
reads: the selector cannot know which rows will be shown. `on_read` marks the queryset so
that whichever clone of it is finally evaluated (a page of fifty, a whole export) hands its
model instances to a callback, which writes the log: one call per evaluation, so one
INSERT. Counts, `exists()`, `values()` and `values_list()` read no record and call nothing;
`iterator()` calls it once per chunk it reads."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.db.models.query import ModelIterable

QS = TypeVar("QS", bound=QuerySet)
ReadCallback = Callable[[list[Any]], None]


class _ReadHook:
    """Mixed into the queryset's own class: carries the callback over to every clone."""

    _read_callback: ReadCallback | None = None

    def _clone(self):
        clone = super()._clone()  # type: ignore[misc]
        clone._read_callback = self._read_callback
        return clone

    def _reads_records(self) -> bool:
        return self._read_callback is not None and self._iterable_class is ModelIterable  # type: ignore[attr-defined]

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None  # type: ignore[attr-defined]
        super()._fetch_all()  # type: ignore[misc]
        if fresh and self._reads_records() and self._result_cache:  # type: ignore[attr-defined]
            self._read_callback(list(self._result_cache))  # type: ignore[attr-defined, misc]

    def _iterator(self, use_chunked_fetch: bool, chunk_size: int | None) -> Iterator[Any]:
        rows = super()._iterator(use_chunked_fetch, chunk_size)  # type: ignore[misc]
        if not self._reads_records():
            yield from rows
            return
        batch: list[Any] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= (chunk_size or 2000):
                self._read_callback(batch)  # type: ignore[misc]
                batch = []
            yield row
        if batch:
            self._read_callback(batch)  # type: ignore[misc]


@functools.cache
def _hooked_class(queryset_class: type[QuerySet]) -> type[QuerySet]:
    return type(f"ReadLogged{queryset_class.__name__}", (_ReadHook, queryset_class), {})


def on_read(queryset: QS, callback: ReadCallback) -> QS:
    """A copy of `queryset` (of the same class, with the same managers' methods) whose
    evaluation, and that of every queryset derived from it, calls `callback` with the model
    instances read, when there are any. Replaces any callback `queryset` already had."""
    clone = queryset._chain()  # type: ignore[attr-defined]
    if not isinstance(clone, _ReadHook):
        clone.__class__ = _hooked_class(type(queryset))
    clone._read_callback = callback
    return clone
