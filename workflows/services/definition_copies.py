"""A new organisation starts from a copy of a template definition: the default one shipped
in fixtures/workflow_definition.json, or another organisation's published definition. The
copy is the organisation's own from then on (edited and published in its editor), and is
published at once so that its new pathways have somewhere to start. Used by
`manage.py create_organisation_workflow` and the demo loader; see docs/architecture.md."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import WorkflowDefinition

TEMPLATE_FILE = Path(settings.BASE_DIR) / "fixtures" / "workflow_definition.json"
NAME_TAKEN = "definition_name_taken"


@dataclass(frozen=True)
class DefinitionTemplate:
    """What a copy starts from: a name, a description and the editor's StreamField data."""

    name: str
    description: str
    elements: list


def default_template() -> DefinitionTemplate:
    """The default definition shipped with the product."""
    data = json.loads(TEMPLATE_FILE.read_text(encoding="utf-8"))
    return DefinitionTemplate(data["name"], data.get("description", ""), data["elements"])


def template_of(definition: WorkflowDefinition) -> DefinitionTemplate:
    """A definition's published version as a template (its draft when never published):
    what another organisation copies is what runs, not a draft in progress."""
    source = definition.live_revision.as_object() if definition.live_revision else definition
    return DefinitionTemplate(
        source.name, source.description, list(source.elements.get_prep_value())
    )


@transaction.atomic
def copy_definition(
    template: DefinitionTemplate | WorkflowDefinition, organisation, *, user=None
) -> WorkflowDefinition:
    """A published copy of `template` belonging to `organisation`, used for its new
    pathways. Refuses (ValidationError, code `definition_name_taken`) when the organisation
    already has a definition of that name: nothing of theirs is overwritten."""
    if isinstance(template, WorkflowDefinition):
        template = template_of(template)
    if WorkflowDefinition.objects.filter(organisation=organisation, name=template.name).exists():
        raise ValidationError(
            _("%(organisation)s a déjà une définition « %(name)s ».")
            % {"organisation": organisation, "name": template.name},
            code=NAME_TAKEN,
        )
    definition = WorkflowDefinition(
        organisation=organisation,
        name=template.name,
        description=template.description,
        elements=copy.deepcopy(template.elements),
        for_new_pathways=True,
        live=False,
    )
    definition.save()
    revision = definition.save_revision(user=user)
    revision.publish(user=user, skip_permission_checks=True)
    definition.refresh_from_db()
    return definition
