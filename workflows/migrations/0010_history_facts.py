"""What the figures read off the history, on every record already written: the category it
comes from, its first entry into a category, when the pathway left the stage, what its tagged
answers meant (workflows.services.history.chain, run over each whole history in order of
time). Then counting a period is a query (indicators). Backwards it drops the columns."""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

CHUNK = 2_000  # pathways at a time
FACTS = ["from_category", "first_in_category", "left_at", "programme", "exit_outcome"]


def fill_facts(apps, schema_editor):
    from workflows.services.history import chain
    from workflows.specs import revision_specs

    record_model = apps.get_model("workflows", "TransitionRecord")
    records = record_model.objects.order_by("pathway_id", "created_at", "pk")
    specs = revision_specs(
        record_model.objects.filter(revision_id__isnull=False)
        .order_by()
        .values_list("revision_id", flat=True)
        .distinct()
    )
    pathway_ids = list(
        record_model.objects.order_by("pathway_id").values_list("pathway_id", flat=True).distinct()
    )
    for start in range(0, len(pathway_ids), CHUNK):
        batch = list(records.filter(pathway_id__in=pathway_ids[start : start + CHUNK]))
        by_pathway = {}
        for record in batch:
            by_pathway.setdefault(record.pathway_id, []).append(record)
        for history in by_pathway.values():
            chain(history, specs)
        record_model.objects.bulk_update(batch, FACTS, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("wagtailcore", "0098_apitoken"),
        ("workflows", "0009_reporting_tags"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="transitionrecord",
            name="exit_outcome",
            field=models.CharField(
                blank=True, max_length=20, verbose_name="issue de la sortie (indicateurs)"
            ),
        ),
        migrations.AddField(
            model_name="transitionrecord",
            name="first_in_category",
            field=models.BooleanField(
                default=False, verbose_name="première entrée dans la catégorie"
            ),
        ),
        migrations.AddField(
            model_name="transitionrecord",
            name="from_category",
            field=models.CharField(
                blank=True,
                choices=[
                    ("identification", "Repérage"),
                    ("reception", "Premier accueil"),
                    ("assessment", "Diagnostic"),
                    ("referral", "Orientation"),
                    ("support", "Accompagnement"),
                    ("lost_contact", "Sans nouvelles"),
                    ("exit", "Sortie"),
                ],
                max_length=20,
                verbose_name="catégorie de départ",
            ),
        ),
        migrations.AddField(
            model_name="transitionrecord",
            name="left_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="quittée le"),
        ),
        migrations.AddField(
            model_name="transitionrecord",
            name="programme",
            field=models.CharField(
                blank=True, max_length=20, verbose_name="dispositif (indicateurs)"
            ),
        ),
        migrations.AlterField(
            model_name="transitionrecord",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="le"
            ),
        ),
        migrations.AddIndex(
            model_name="transitionrecord",
            index=models.Index(fields=["to_category", "left_at"], name="history_stay_idx"),
        ),
        migrations.RunPython(fill_facts, migrations.RunPython.noop, elidable=True),
    ]
