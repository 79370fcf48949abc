"""Every spreadsheet the product hands out (CSV or XLSX) goes through `safe_cell`, so that a
value someone typed can never run as a formula in the spreadsheet program of the person who
opens the export (CSV injection, OWASP): a first name "=HYPERLINK(…)" becomes text.

The product's exports are Wagtail listings (`list_export`, e.g. "Mes jeunes"), and so are
Wagtail's own (site history, form submissions, redirects, reports), where a coordinator-typed
definition name or a page title shows up. `protect_spreadsheet_exports()`, run once from
`ApiCommonConfig.ready()`, routes Wagtail's `SpreadsheetExportMixin` cells and headings
through `safe_cell`: one place covers every listing export, present and future. A CSV written
by hand (`csv.writer`) must call `safe_cell` on each cell itself."""

from __future__ import annotations

from functools import wraps
from typing import Any

# What makes Excel, LibreOffice or Google Sheets read a cell as a formula, or shift it into one.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet cell: a text starting with a formula sign is prefixed with
    an apostrophe, which spreadsheets read as "this is text". Numbers, dates and other values
    are left as they are, so -3 stays a number one can add up."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def protect_spreadsheet_exports() -> None:
    """Route every Wagtail spreadsheet export's cells and headings through `safe_cell`.
    Idempotent: `ready()` may run more than once in tests."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "cells_are_safe", False):
        return
    preprocess = SpreadsheetExportMixin.preprocess_field_value
    heading = SpreadsheetExportMixin.get_heading

    @wraps(preprocess)
    def safe_preprocess(self, field, value, export_format):
        return safe_cell(preprocess(self, field, value, export_format))

    @wraps(heading)
    def safe_heading(self, queryset, field):
        return safe_cell(heading(self, queryset, field))

    SpreadsheetExportMixin.preprocess_field_value = safe_preprocess
    SpreadsheetExportMixin.get_heading = safe_heading
    SpreadsheetExportMixin.cells_are_safe = True
