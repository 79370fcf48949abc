"""The board: one column per stage of a live definition, each with its count, its overdue
count and its most urgent pathways."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .. import screen_selectors, selectors
from .mixins import RoleRequiredMixin, TitledMixin


class BoardView(RoleRequiredMixin, TitledMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflows/screens/board.html"
    page_title = _("Tableau des parcours")
    header_icon = "table"
    per_stage = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        definitions = list(screen_selectors.live_definitions(self.request.user))
        chosen = None
        wanted = self.request.GET.get("definition")
        for definition in definitions:
            if str(definition.pk) == wanted or (chosen is None and not wanted):
                chosen = definition
        if wanted and chosen is None:
            raise Http404
        columns = (
            selectors.board(self.request.user, chosen, per_stage=self.per_stage)
            if chosen is not None
            else []
        )
        context.update(
            definitions=definitions,
            definition=chosen,
            columns=columns,
            per_stage=self.per_stage,
            caseload_url=reverse("workflows_screens:caseload"),
            now=timezone.now(),
        )
        return context
