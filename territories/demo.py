"""Loads fixtures/territories.json. Keyed on natural keys, so it can run again without
making duplicates."""

import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Antenna, Commune, CommuneCoverage, Organisation, PriorityNeighbourhood

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "territories.json"


@transaction.atomic
def load(report: Callable[[str], None] = print) -> None:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    communes = {}
    for row in data["communes"]:
        insee_code = row.pop("insee_code")
        communes[insee_code], _ = Commune.objects.update_or_create(
            insee_code=insee_code, defaults=row
        )
    for row in data["priority_neighbourhoods"]:
        commune = communes[row.pop("commune")]
        PriorityNeighbourhood.objects.update_or_create(
            commune=commune, name=row.pop("name"), defaults=row
        )
    organisations, coverage, default_antennas = {}, {}, {}
    for row in data["organisations"]:
        name = row.pop("name")
        coverage[name] = row.pop("coverage")
        default_antennas[name] = row.pop("default_antenna", None)
        organisations[name], _ = Organisation.objects.update_or_create(name=name, defaults=row)
    for row in data["antennas"]:
        insee_code = row.pop("commune")
        row["commune"] = communes[insee_code] if insee_code else None
        Antenna.objects.update_or_create(
            organisation=organisations[row.pop("organisation")],
            name=row.pop("name"),
            defaults=row,
        )
    for name, antenna_name in default_antennas.items():
        organisation = organisations[name]
        organisation.default_antenna = (
            organisation.antennas.get(name=antenna_name) if antenna_name else None
        )
        organisation.save(update_fields=["default_antenna"])
    for name, rows in coverage.items():
        organisation = organisations[name]
        for row in rows:
            CommuneCoverage.objects.update_or_create(
                commune=communes[row["commune"]],
                defaults={
                    "organisation": organisation,
                    "antenna": organisation.antennas.get(name=row["antenna"]),
                },
            )
    report(
        f"Territoires : {len(organisations)} Missions Locales, {len(data['communes'])} "
        f"communes, {len(data['priority_neighbourhoods'])} QPV, "
        f"{len(data['antennas'])} antennes."
    )
