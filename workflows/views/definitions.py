"""The definition editor: workflow definitions as a Wagtail snippet, edited with drafts,
revisions, locking and a diagram preview; registered by `wagtail_hooks`."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import UpdatedAtColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import WorkflowDefinition


class WorkflowDefinitionViewSet(SnippetViewSet):
    model = WorkflowDefinition
    icon = "tasks"
    menu_label = _("Définitions de parcours")
    menu_name = "workflow-definitions"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "for_new_pathways", UpdatedAtColumn()]
    search_fields = ["name"]
