"""Reads of the reference data that other apps route by."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Antenna, Commune, CommuneCoverage, Organisation


@dataclass(frozen=True)
class Coverage:
    """Who serves a young person living in a commune: the organisation, and the antenna that
    receives their requests (None when the organisation has not chosen one)."""

    organisation: Organisation
    antenna: Antenna | None


def coverage_of(commune: Commune | None) -> Coverage | None:
    """The Mission Locale covering `commune`, or None when no organisation covers it (or no
    commune was given). One query."""
    if commune is None:
        return None
    row = (
        CommuneCoverage.objects.select_related("organisation", "antenna")
        .filter(commune=commune)
        .first()
    )
    return Coverage(row.organisation, row.antenna) if row else None


def default_antenna_id(organisation: Organisation | int) -> int | None:
    """The antenna that receives an organisation's requests when the young person's commune
    names none. No query when the organisation itself is given."""
    if isinstance(organisation, Organisation):
        return organisation.default_antenna_id
    return (
        Organisation.objects.filter(pk=organisation)
        .values_list("default_antenna_id", flat=True)
        .first()
    )
