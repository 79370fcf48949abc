"""Marks the diagnostic's health, housing and resources answers sensitive in the definitions
already in the database, as the default definition now does (docs/architecture.md, "Data
protection"): in each definition's row and in every revision of it, so that the live
version, the draft being edited and any old revision published again all keep them reserved
to the référent. Backwards it changes nothing: unmarking them would expose them again."""

import json

from django.db import migrations

SENSITIVE_DIAGNOSTIC_ANSWERS = frozenset({"diag_sante", "diag_logement", "diag_ressources"})


def _marked(elements: list) -> bool:
    """Marks the fields in place; whether anything changed."""
    changed = False
    for element in elements:
        if not isinstance(element, dict) or element.get("type") != "transition":
            continue
        for item in (element.get("value") or {}).get("fields") or []:
            # A ListBlock stores its items as {"type": "item", "value": …, "id": …}; older
            # data as the bare value.
            value = item.get("value") if item.get("type") == "item" else item
            if (
                isinstance(value, dict)
                and value.get("name") in SENSITIVE_DIAGNOSTIC_ANSWERS
                and not value.get("sensitive")
            ):
                value["sensitive"] = True
                changed = True
    return changed


def _stream_data(raw):
    """A StreamField's stored data: a JSON string in a revision's content, a list in a row."""
    if isinstance(raw, str):
        try:
            return json.loads(raw), True
        except ValueError:
            return None, True
    return raw, False


def forwards(apps, schema_editor):
    WorkflowDefinition = apps.get_model("workflows", "WorkflowDefinition")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    for definition in WorkflowDefinition.objects.all():
        elements = list(definition.elements.raw_data)
        if _marked(elements):
            definition.elements = elements
            definition.save(update_fields=["elements"])

    content_type = ContentType.objects.filter(
        app_label="workflows", model="workflowdefinition"
    ).first()
    if content_type is None:
        return
    for revision in Revision.objects.filter(base_content_type=content_type):
        content = dict(revision.content or {})
        elements, as_text = _stream_data(content.get("elements"))
        if not isinstance(elements, list) or not _marked(elements):
            continue
        content["elements"] = json.dumps(elements) if as_text else elements
        revision.content = content
        revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0006_definition_sensitive_reader_roles"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
