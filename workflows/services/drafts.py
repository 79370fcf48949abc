"""Discarding a definition's draft: the editor autosaves every change as a draft revision,
so a coordinator who gave up half-way needs one way back to the published version. The
drafts newer than the live revision are deleted and the definition points at its live
revision again; the editor then opens on what pathways follow. Published revisions (which
history records point at) are never touched."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import WorkflowDefinition
from .errors import LockedByAnother, NoDraft, NoPublishedVersion

DISCARD_DRAFT_ACTION = "workflows.definition.discard_draft"


def discard_draft(definition: WorkflowDefinition, *, actor) -> int:
    """Deletes the drafts saved since `definition`'s live revision and returns how many.
    Refuses (typed, with a French message) a definition never published, one without a
    draft, and one another person has locked."""
    with transaction.atomic():
        definition = WorkflowDefinition.objects.select_for_update().get(pk=definition.pk)
        if not definition.live or definition.live_revision_id is None:
            raise NoPublishedVersion(
                _("« %(name)s » n'a pas de version publiée à retrouver.")
                % {"name": definition.name}
            )
        if not definition.has_unpublished_changes:
            raise NoDraft(
                _("« %(name)s » n'a pas de brouillon : l'éditeur montre déjà la version publiée.")
                % {"name": definition.name}
            )
        if definition.locked and definition.locked_by_id not in (None, actor.pk):
            raise LockedByAnother(
                _("« %(name)s » est verrouillée par une autre personne.")
                % {"name": definition.name}
            )
        drafts = definition.revisions.filter(pk__gt=definition.live_revision_id)
        count = drafts.count()
        drafts.delete()
        definition.latest_revision_id = definition.live_revision_id
        definition.has_unpublished_changes = False
        definition.save(update_fields=["latest_revision", "has_unpublished_changes"])
        log(definition, DISCARD_DRAFT_ACTION, user=actor)
    return count
