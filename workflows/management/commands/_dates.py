"""The `--as-of` and `--dry-run` options our dated commands share, and the reading of the
date: one wording of the error, whichever command is given a wrong date."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone


def add_as_of_arguments(parser: CommandParser, *, as_of_help: str, dry_run_help: str) -> None:
    parser.add_argument("--as-of", dest="as_of", metavar="AAAA-MM-JJ", help=as_of_help)
    parser.add_argument("--dry-run", action="store_true", help=dry_run_help)


def as_of_day(raw: str | None) -> datetime.date:
    """The day given as AAAA-MM-JJ, today when none; a French error otherwise."""
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(
            f"Date invalide « {raw} » : écrivez-la AAAA-MM-JJ, par exemple 2026-12-31."
        ) from None
