"""DRF's `authtoken` kept each token's key in clear (authtoken_token.key). It is no longer
installed: its table is dropped with every key in it, and its content type and permissions
are removed. Those tokens stop working; an administrator gives each integration a new token
(hashed, with an end date) from Paramètres > Jetons d'API. A fresh database never had the
table, and nothing happens."""

from django.db import migrations


def forget_authtoken_permissions(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    # Deleting the content type deletes its permissions and their grants to groups and users.
    content_type.objects.using(schema_editor.connection.alias).filter(
        app_label="authtoken"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("api_common", "0001_token_expiry"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
        migrations.RunPython(forget_authtoken_permissions, migrations.RunPython.noop),
    ]
