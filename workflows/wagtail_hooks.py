"""Admin registrations of the workflow app.

Section "definitions" (owned by the workflow core): the definition snippet, edited with
drafts, revisions, locking and a diagram preview. The counsellors' screens are registered
from `admin_screens.py`."""

from django.utils.translation import gettext_lazy as _
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
