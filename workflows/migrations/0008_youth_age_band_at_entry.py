"""The young person's age band when first recorded, kept after anonymisation (which removes
the date of birth); filled for today's rows from their date of birth on the day they were
recorded. A history record of its own for the closure of a pathway left without contact for
the retention period (workflows.services.retention).

The bands are copied here, not imported from workflows.rules: a migration must keep doing
what it did when the rule changes."""

import datetime

from django.db import migrations, models
from django.utils import timezone

# (first age of the band, band), oldest first; under 16: "0-15".
BANDS = ((26, "26+"), (22, "22-25"), (18, "18-21"), (16, "16-17"))


def _band(date_of_birth: datetime.date, day: datetime.date) -> str:
    age = (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )
    return next((band for first_age, band in BANDS if age >= first_age), "0-15")


def fill_age_bands(apps, schema_editor):
    """In pages of 500 by id, so that a large table is neither loaded at once nor read
    through a cursor while its rows are updated."""
    Youth = apps.get_model("workflows", "Youth")
    rows = Youth.objects.filter(date_of_birth__isnull=False).order_by("pk")
    last_pk = 0
    while page := list(rows.filter(pk__gt=last_pk).only("date_of_birth", "created_at")[:500]):
        for youth in page:
            day = timezone.localdate(youth.created_at)
            youth.age_band_at_entry = _band(youth.date_of_birth, day)
        Youth.objects.bulk_update(page, ["age_band_at_entry"])
        last_pk = page[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0007_mark_sensitive_diagnostic_answers"),
    ]

    operations = [
        migrations.AddField(
            model_name="youth",
            name="age_band_at_entry",
            field=models.CharField(
                blank=True,
                choices=[
                    ("0-15", "moins de 16 ans"),
                    ("16-17", "16-17 ans"),
                    ("18-21", "18-21 ans"),
                    ("22-25", "22-25 ans"),
                    ("26+", "26 ans et plus"),
                ],
                max_length=8,
                verbose_name="tranche d'âge à l'entrée",
            ),
        ),
        migrations.AlterField(
            model_name="transitionrecord",
            name="kind",
            field=models.CharField(
                choices=[
                    ("start", "Création du parcours"),
                    ("transition", "Transition"),
                    ("move", "Déplacement à la publication"),
                    ("expiry", "Clôture sans contact"),
                ],
                max_length=20,
                verbose_name="type",
            ),
        ),
        migrations.AlterField(
            model_name="youth",
            name="anonymised_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Après la durée de conservation sans contact de la Mission Locale (deux ans par défaut), les données personnelles sont effacées.",
                null=True,
                verbose_name="anonymisé le",
            ),
        ),
        migrations.RunPython(fill_age_bands, migrations.RunPython.noop),
    ]
