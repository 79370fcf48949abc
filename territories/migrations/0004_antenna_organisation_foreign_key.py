import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("territories", "0003_antenna_organisation_from_text")]

    operations = [
        migrations.RemoveConstraint(model_name="antenna", name="unique_antenna_per_organisation"),
        migrations.AlterModelOptions(
            name="antenna",
            options={
                "ordering": ["organisation_ref__name", "name"],
                "verbose_name": "antenne",
                "verbose_name_plural": "antennes",
            },
        ),
        migrations.RemoveField(model_name="antenna", name="organisation"),
        migrations.RenameField(
            model_name="antenna", old_name="organisation_ref", new_name="organisation"
        ),
        migrations.AlterField(
            model_name="antenna",
            name="organisation",
            field=models.ForeignKey(
                help_text="La Mission Locale dont dépend l'antenne.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="antennas",
                to="territories.organisation",
                verbose_name="Mission Locale",
            ),
        ),
        migrations.AlterModelOptions(
            name="antenna",
            options={
                "ordering": ["organisation__name", "name"],
                "verbose_name": "antenne",
                "verbose_name_plural": "antennes",
            },
        ),
        migrations.AddConstraint(
            model_name="antenna",
            constraint=models.UniqueConstraint(
                fields=("organisation", "name"), name="unique_antenna_per_organisation"
            ),
        ),
    ]
