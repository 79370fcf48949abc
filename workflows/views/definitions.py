"""The definition editor: workflow definitions as a Wagtail snippet, edited with drafts,
revisions, locking and a diagram preview; registered by `wagtail_hooks`. Each organisation
edits its own: the list shows a coordinator their organisation's definitions, and every
screen of one definition (edit, history, preview, revisions, delete, lock…) answers 404 for
another organisation's (`policies.visible_definitions`, the one rule)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import UpdatedAtColumn
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from .. import policies
from ..models import WorkflowDefinition
from .mixins import only_visible_instances


class DefinitionCreateView(CreateView):
    """A new definition belongs to its author's organisation."""

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance() or self.model()
        instance.organisation_id = policies.user_organisation_id(self.request.user)
        return instance


class WorkflowDefinitionViewSet(SnippetViewSet):
    model = WorkflowDefinition
    icon = "tasks"
    menu_label = _("Définitions de parcours")
    menu_name = "workflow-definitions"
    menu_order = 210
    add_to_admin_menu = True
    add_view_class = DefinitionCreateView
    list_display = ["name", "organisation", "for_new_pathways", UpdatedAtColumn()]
    search_fields = ["name"]

    def get_queryset(self, request):
        return policies.visible_definitions(request.user).select_related("organisation")

    def get_urlpatterns(self):
        return only_visible_instances(super().get_urlpatterns(), policies.visible_definitions)
