"""The definition editor: workflow definitions as a Wagtail snippet, edited with drafts,
revisions, locking and a diagram preview; registered by `wagtail_hooks`. Each organisation
edits its own: the list shows a coordinator their organisation's definitions, and every
screen of one definition (edit, history, preview, revisions, delete, lock…) answers 404 for
another organisation's (`policies.visible_definitions`, the one rule)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.components import MediaContainer
from wagtail.admin.ui.side_panels import ChecksSidePanel
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from .. import policies
from ..models import WorkflowDefinition
from ..selectors import has_unpublished_draft
from ..services.drafts import discard_draft
from ..services.errors import DraftNotDiscarded
from .mixins import only_visible_instances

DISCARD_DRAFT_URL_NAME = "wagtailsnippets_workflows_workflowdefinition:discard_draft"


class WithoutContentChecksMixin:
    """A definition is not prose: Wagtail's word count, reading time and readability score
    (the "Vérifications" side panel) mean nothing for it, so the editor does not offer them."""

    def get_side_panels(self):
        panels = super().get_side_panels()  # type: ignore[misc]
        return MediaContainer([p for p in panels if not isinstance(p, ChecksSidePanel)])


class DefinitionCreateView(WithoutContentChecksMixin, CreateView):
    """A new definition belongs to its author's organisation."""

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance() or self.model()
        instance.organisation_id = policies.user_organisation_id(self.request.user)
        return instance


class DefinitionEditView(WithoutContentChecksMixin, EditView):
    pass


class YesNoColumn(Column):
    """A boolean read as a person says it: "Oui" / "Non", not Python's True / False."""

    def get_value(self, instance):
        return gettext("Oui") if super().get_value(instance) else gettext("Non")


class PublicationColumn(Column):
    """Where the definition stands: published, never published, or published with a draft
    that says something else, with the way back to the published version."""

    cell_template_name = "workflows/definitions/publication_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["draft"] = has_unpublished_draft(instance)
        context["discard_url"] = reverse(DISCARD_DRAFT_URL_NAME, args=[quote(instance.pk)])
        return context


class DiscardDraftView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Asks, then deletes the drafts saved since the published version
    (services.drafts.discard_draft); the editor opens on the published version again."""

    model = WorkflowDefinition
    permission_required = "change"
    template_name = "workflows/definitions/discard_draft.html"
    page_title = _("Abandonner le brouillon")
    header_icon = "tasks"
    index_url_name = "wagtailsnippets_workflows_workflowdefinition:list"
    edit_url_name = "wagtailsnippets_workflows_workflowdefinition:edit"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            policies.visible_definitions(request.user), pk=unquote(str(kwargs["pk"]))
        )

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["has_draft"] = has_unpublished_draft(self.object)
        context["index_url"] = reverse(self.index_url_name)
        context["edit_url"] = reverse(self.edit_url_name, args=[quote(self.object.pk)])
        return context

    def post(self, request, *args, **kwargs):
        try:
            discard_draft(self.object, actor=request.user)
        except DraftNotDiscarded as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                gettext("Brouillon abandonné : « %(name)s » est de nouveau sa version publiée.")
                % {"name": self.object.name},
            )
        return redirect(self.index_url_name)


class WorkflowDefinitionViewSet(SnippetViewSet):
    model = WorkflowDefinition
    icon = "tasks"
    menu_label = _("Définitions de parcours")
    menu_name = "workflow-definitions"
    menu_order = 210
    add_to_admin_menu = True
    add_view_class = DefinitionCreateView
    edit_view_class = DefinitionEditView
    list_display = [
        "name",
        "organisation",
        YesNoColumn("for_new_pathways", label=_("utilisée pour les nouveaux parcours")),
        PublicationColumn("publication", label=_("état")),
        UpdatedAtColumn(),
    ]
    search_fields = ["name"]

    def get_queryset(self, request):
        # The revisions come with the row: the "état" column compares them.
        return policies.visible_definitions(request.user).select_related(
            "organisation", "latest_revision", "live_revision"
        )

    def get_urlpatterns(self):
        patterns = [
            *super().get_urlpatterns(),
            path("discard-draft/<str:pk>/", DiscardDraftView.as_view(), name="discard_draft"),
        ]
        return only_visible_instances(patterns, policies.visible_definitions)
