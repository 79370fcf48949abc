"""Today's free-text `Antenna.organisation` values become organisations: one per distinct
name, the antennas pointing at it. The short name and slug are drawn from the name
("Mission Locale de l'Aveyron" → "Aveyron", "aveyron"); a coordinator can change both."""

import re

from django.db import migrations
from django.utils.text import slugify

# Longest first: "Mission Locale des jeunes de " before "Mission Locale de ".
_PREFIXES = re.compile(
    r"^mission\s+locale\s+(des\s+jeunes\s+)?(de\s+la\s+|de\s+l['’]|des\s+|du\s+|de\s+|d['’])?",
    re.IGNORECASE,
)


def short_name_from(name: str) -> str:
    short = _PREFIXES.sub("", name.strip()).strip()
    return short or name.strip()


def unique_slug(base: str, taken: set[str]) -> str:
    slug = (slugify(base) or "mission-locale")[:70]
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate


def forwards(apps, schema_editor):
    Antenna = apps.get_model("territories", "Antenna")
    Organisation = apps.get_model("territories", "Organisation")
    taken = set(Organisation.objects.values_list("slug", flat=True))
    names = Antenna.objects.values_list("organisation", flat=True).distinct()
    for name in sorted({name.strip() for name in names}):
        short_name = short_name_from(name)
        organisation, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={"short_name": short_name[:80], "slug": unique_slug(short_name, taken)},
        )
        Antenna.objects.filter(organisation__in=[name, f" {name}", f"{name} "]).update(
            organisation_ref=organisation
        )
    for antenna in Antenna.objects.filter(organisation_ref__isnull=True):  # odd blanks
        antenna.organisation_ref = Organisation.objects.get(name=antenna.organisation.strip())
        antenna.save(update_fields=["organisation_ref"])


def backwards(apps, schema_editor):
    Antenna = apps.get_model("territories", "Antenna")
    for antenna in Antenna.objects.select_related("organisation_ref"):
        antenna.organisation = antenna.organisation_ref.name
        antenna.save(update_fields=["organisation"])


class Migration(migrations.Migration):
    dependencies = [("territories", "0002_organisations")]

    operations = [migrations.RunPython(forwards, backwards)]
