"""The "Mes jeunes" screen: the pathways a counsellor or mediator follows, most urgent first, with
filters, search and a CSV export without contact details."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic

from access_log.models import Channel

from .. import policies, selectors
from ..filters import CaseloadFilterSet
from ..models import Pathway
from ..permission_policies import pathway_policy
from ..specs import SpecCache
from .mixins import ReadOnlyListingMixin, RoleRequiredMixin
from .pathway import pathway_url

SCREENS_MEDIA = forms.Media(css={"all": ["workflows/screens.css"]})


class LabelledColumn(Column):
    """A cell that names its column on a phone, where the listing becomes cards and its
    header is hidden (screens.css); on a wider screen the label is not shown."""

    cell_template_name = "workflows/screens/cells/labelled.html"


class LabelledDateColumn(DateColumn):
    cell_template_name = "workflows/screens/cells/labelled_date.html"


class OverdueColumn(Column):
    """The due date, with "En retard" in words (not colour alone) when it has passed."""

    cell_template_name = "workflows/screens/cells/due_on.html"


def _referent_or_to_assign(pathway: Pathway) -> str:
    """The référent's name, or "À attribuer" for a request no one has taken yet."""
    if policies.awaits_referent(pathway):
        return str(_("À attribuer"))
    return selectors.display_name(pathway.referent)


class CaseloadView(RoleRequiredMixin, ReadOnlyListingMixin, generic.IndexView):
    model = Pathway
    permission_policy = pathway_policy
    any_permission_required = ["view"]
    index_url_name = "workflows_screens:caseload"
    index_results_url_name = "workflows_screens:caseload_results"
    page_title = _("Mes jeunes")
    header_icon = "group"
    filterset_class = CaseloadFilterSet
    # Searching is done by `selectors.caseload`; this only switches the search box on.
    search_fields = ["youth__first_name", "youth__last_name"]
    paginate_by = 25
    export_filename = "mes-jeunes"
    list_export = [
        "first_name",
        "last_name",
        "stage",
        "category",
        "referent",
        "commune",
        "qpv",
        "entered_stage_at",
        "due_on",
        "overdue",
    ]
    export_headings = {
        "first_name": _("Prénom"),
        "last_name": _("Nom"),
        "stage": _("Étape"),
        "category": _("Catégorie"),
        "referent": _("Référent"),
        "commune": _("Commune"),
        "qpv": _("QPV"),
        "entered_stage_at": _("Dans l'étape depuis"),
        "due_on": _("À relancer le"),
        "overdue": _("En retard"),
    }

    @cached_property
    def specs(self) -> SpecCache:
        return SpecCache()

    @cached_property
    def verbose_name_plural(self):
        return _("jeunes")

    def get_base_queryset(self):
        filters = self.filters.caseload_kwargs() if self.filters else {}
        channel = Channel.EXPORT if self.is_export else Channel.LIST
        return selectors.caseload(
            self.request.user, search=self.search_query, channel=channel, **filters
        )

    def filter_queryset(self, queryset):
        return queryset  # done by selectors.caseload

    def search_queryset(self, queryset):
        return queryset  # done by selectors.caseload

    def order_queryset(self, queryset):
        return queryset  # most urgent first, as selectors.caseload orders them

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "youth",
                label=_("Jeune"),
                accessor=lambda pathway: str(pathway.youth),
                get_url=pathway_url,
            ),
            LabelledColumn("stage", label=_("Étape"), accessor=self.specs.stage_label),
            LabelledColumn("category", label=_("Catégorie"), accessor="get_stage_category_display"),
            LabelledColumn("referent", label=_("Référent"), accessor=_referent_or_to_assign),
            LabelledColumn("commune", label=_("Commune"), accessor="youth.commune.name"),
            LabelledColumn(
                "qpv",
                label=_("QPV"),
                accessor=lambda p: (
                    p.youth.priority_neighbourhood.name if p.youth.priority_neighbourhood else ""
                ),
            ),
            LabelledDateColumn("entered_stage_at", label=_("Dans l'étape depuis")),
            OverdueColumn("due_on", label=_("À relancer le")),
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["media"] = context["media"] + SCREENS_MEDIA
        return context

    def to_row_dict(self, item):
        youth = item.youth
        return {
            "first_name": youth.first_name,
            "last_name": youth.last_name,
            "stage": self.specs.stage_label(item),
            "category": item.get_stage_category_display(),
            "referent": _referent_or_to_assign(item),
            "commune": youth.commune.name if youth.commune else "",
            "qpv": youth.priority_neighbourhood.name if youth.priority_neighbourhood else "",
            "entered_stage_at": timezone.localtime(item.entered_stage_at),
            "due_on": item.due_on,
            "overdue": _("oui") if item.is_overdue else _("non"),
        }
