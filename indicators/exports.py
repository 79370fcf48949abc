"""The figures and breakdowns as a spreadsheet (CSV or XLSX): one row per figure of each
group, in long form (période, découpage, groupe, indicateur, valeur) so that a pivot table
reads it as it is. The "externe" variant, for documents that leave the Mission Locale,
goes through `disclosure.protect` (no count from 1 to 4, none that would give one away).
Every cell goes through `api_common.spreadsheets.safe_cell`."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from api_common.spreadsheets import safe_cell

from . import disclosure, labels

HEADER = (
    gettext_lazy("Du"),
    gettext_lazy("Au"),
    gettext_lazy("Découpage"),
    gettext_lazy("Groupe"),
    gettext_lazy("Indicateur"),
    gettext_lazy("Valeur"),
)


def _figure_rows(figures: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(indicateur, valeur) for each figure present, its parts after it."""
    for key, label in labels.FIGURES.items():
        if key not in figures:
            continue
        value = figures[key]
        if isinstance(value, dict):
            names = labels.PARTS[key]
            for part, count in value.items():
                yield f"{label} : {names.get(part, part)}", count
            continue
        if key == "positive_exit_rate" and value is not None:
            value = round(value * 100, 1)
        yield str(label), value


def rows(
    report: dict[str, Any], start: datetime.date, end: datetime.date, *, external: bool
) -> Iterator[tuple[Any, ...]]:
    """The header, the whole's figures, then each breakdown's groups."""
    if external:
        report = disclosure.protect(report)
    yield tuple(str(title) for title in HEADER)
    period = (start.isoformat(), end.isoformat())
    whole = _("Ensemble")
    for name, value in _figure_rows(report):
        yield (*period, whole, whole, name, value)
    for dimension, title in labels.BREAKDOWNS.items():
        for group in report.get("breakdowns", {}).get(dimension, []):
            for name, value in _figure_rows(group["figures"]):
                yield (*period, str(title), group["label"], name, value)


def as_csv(table: Iterator[tuple[Any, ...]]) -> str:
    """Semicolons and a byte-order mark, as French spreadsheets open a CSV directly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    for row in table:
        writer.writerow([safe_cell("" if cell is None else cell) for cell in row])
    return out.getvalue()


def as_xlsx(table: Iterator[tuple[Any, ...]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Indicateurs"))
    for row in table:
        sheet.append([safe_cell(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
