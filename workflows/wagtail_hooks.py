"""Admin registrations of the workflow app.

Section "definitions" (owned by the workflow core): the definition snippet, edited with
drafts, revisions, locking and a diagram preview. The counsellors' screens are registered
from `admin_screens.py`."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import UpdatedAtColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_screens  # noqa: F401  (counsellors' screens)
from .models import WorkflowDefinition

# --- definitions ----------------------------------------------------------------------------


class WorkflowDefinitionViewSet(SnippetViewSet):
    model = WorkflowDefinition
    icon = "tasks"
    menu_label = _("Définitions de parcours")
    menu_name = "workflow-definitions"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "for_new_pathways", UpdatedAtColumn()]
    search_fields = ["name"]


register_snippet(WorkflowDefinitionViewSet)


def _refuse_if_in_use(request, definitions, message):
    in_use = [d for d in definitions if d.pathways.filter(closed_at__isnull=True).exists()]
    if not in_use:
        return None
    messages.error(request, message % {"name": in_use[0].name})
    return redirect(
        reverse("wagtailsnippets_workflows_workflowdefinition:edit", args=[in_use[0].pk])
    )


@hooks.register("before_unpublish")
def refuse_unpublishing_a_definition_in_use(request, instance):
    """Pathways in progress need a live definition to move on."""
    if isinstance(instance, WorkflowDefinition):
        return _refuse_if_in_use(
            request,
            [instance],
            _(
                "« %(name)s » ne peut pas être dépubliée : des parcours en cours la suivent. "
                "Publiez plutôt une nouvelle version."
            ),
        )
    return None


@hooks.register("before_delete_snippet")
def refuse_deleting_a_definition_in_use(request, instances):
    definitions = [i for i in instances if isinstance(i, WorkflowDefinition)]
    return _refuse_if_in_use(
        request,
        definitions,
        _("« %(name)s » ne peut pas être supprimée : des parcours en cours la suivent."),
    )
