"""The "Indicateurs" dashboard and its exports, for coordinators and the Direction role
(`policies.can_read_figures`); anyone else with access to the admin gets a 403 before any
read, as on the "Droits des jeunes" screen. The figures come from `selectors` (the same as
the API's), the charts from `charts`, the spreadsheets from `exports`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from workflows.views.mixins import TitledMixin

from . import charts, exports, labels
from .forms import DashboardForm, DateRange, default_range
from .policies import can_read_figures
from .selectors import (
    INSIDE_QPV,
    OUTSIDE_QPV,
    dashboard_report,
    figures,
    network_organisation_names,
    report,
)

# The figures shown as cards, each beside the previous period's.
HEADLINE = (
    "identified",
    "accompanied",
    "support_entries",
    "exits",
    "positive_exit_rate",
    "outreach_rounds",
    "met_in_rounds",
    "lost_contact",
    "re_engaged",
    "median_days_to_reception",
    "median_days_to_support",
)


class FiguresReaderMixin(View):
    """For those who read the figures; a 403 page for anyone else (Wagtail would turn a
    raised PermissionDenied into a redirect home). Never cached: figures of people."""

    def dispatch(self, request, *args, **kwargs):
        if not can_read_figures(request.user):
            return permission_denied(request, PermissionDenied())
        response = super().dispatch(request, *args, **kwargs)
        patch_cache_control(response, no_store=True, private=True)
        return response

    @cached_property
    def form(self) -> DashboardForm:
        return DashboardForm(self.request.GET or None, user=self.request.user)

    @cached_property
    def date_range(self) -> DateRange:
        return self.form.date_range() if self.form.is_bound else default_range()


def _shown(key: str, value: Any) -> Any:
    if key == "positive_exit_rate" and value is not None:
        return f"{round(value * 100)} %"
    return "—" if value is None else value


class DashboardView(FiguresReaderMixin, TitledMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "indicators/dashboard.html"
    page_title = gettext_lazy("Indicateurs")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        user, period = self.request.user, self.date_range
        filters = self.form.filters() if self.form.is_bound else {}
        current = dashboard_report(user, period.start, period.end, **filters)
        previous_range = period.previous()
        previous = figures(user, previous_range.start, previous_range.end, **filters)
        headline = [
            {
                "label": labels.FIGURES[key],
                "value": _shown(key, current[key]),
                "previous": _shown(key, previous[key]),
            }
            for key in HEADLINE
        ]
        empty = not any(
            current[key]
            for key in ("identified", "accompanied", "support_entries", "exits", "outreach_rounds")
        )
        query = self.request.GET.urlencode()
        return super().get_context_data(
            form=self.form,
            period=period,
            previous_period=previous_range,
            headline=headline,
            empty=empty,
            charts=[] if empty else _charts(current),
            network=network_organisation_names(user),
            query=f"?{query}" if query else "",
            **kwargs,
        )


def _charts(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each chart with its data table: a caption, column headings and rows."""
    months = report["months"]
    entries, exits = str(labels.FIGURES["support_entries"]), str(labels.FIGURES["exits"])
    month_rows = [(m["month"].strftime("%m/%Y"), m["support_entries"], m["exits"]) for m in months]
    funnel = [(str(labels.PARTS["funnel"][k]), v) for k, v in report["funnel"].items()]
    sources = [
        (str(labels.PARTS["identified_by_source"][k]), v)
        for k, v in report["identified_by_source"].items()
    ]
    by_qpv = {g["key"]: g["figures"]["accompanied"] for g in report["breakdowns"]["qpv"]}
    qpv = [
        (_("Dans un QPV"), by_qpv.get(INSIDE_QPV, 0)),
        (_("Hors QPV"), by_qpv.get(OUTSIDE_QPV, 0)),
    ]
    per_month = _("Entrées en accompagnement et sorties, par mois")
    funnel_title = str(labels.FIGURES["funnel"])
    sources_title = str(labels.FIGURES["identified_by_source"])
    qpv_title = _("Jeunes accompagnés dans un quartier prioritaire (QPV)")
    return [
        {
            "id": "mois",
            "title": per_month,
            "svg": charts.grouped_columns(
                per_month, [(m, (e, x)) for m, e, x in month_rows], (entries, exits)
            ),
            "columns": (_("Mois"), entries, exits),
            "rows": month_rows,
        },
        {
            "id": "entonnoir",
            "title": funnel_title,
            "svg": charts.horizontal_bars(funnel_title, funnel),
            "columns": (_("Catégorie d'étape"), _("Jeunes")),
            "rows": funnel,
        },
        {
            "id": "origines",
            "title": sources_title,
            "svg": charts.horizontal_bars(sources_title, sources),
            "columns": (_("Origine"), _("Jeunes")),
            "rows": sources,
        },
        {
            "id": "qpv",
            "title": qpv_title,
            "svg": charts.share_bar(qpv_title, qpv),
            "columns": (_("Lieu de résidence"), _("Jeunes accompagnés")),
            "rows": qpv,
        },
    ]


class ExportView(FiguresReaderMixin, View):
    """The figures and breakdowns of the dashboard's period and filters, as a file."""

    file_format = "csv"
    external = False

    def get(self, request, *args, **kwargs):
        if self.form.is_bound and not self.form.is_valid():
            # Never a file of another period than the one asked: back to the dashboard,
            # which shows the error beside its field.
            return redirect(f"{reverse('indicators:dashboard')}?{request.GET.urlencode()}")
        period = self.date_range
        filters = self.form.filters() if self.form.is_bound else {}
        # The files hold the figures and breakdowns, not the chart's months.
        counted = report(request.user, period.start, period.end, **filters)
        table = exports.rows(counted, period.start, period.end, external=self.external)
        name = f"indicateurs-{period.start.isoformat()}-{period.end.isoformat()}"
        if self.external:
            name += "-externe"
        if self.file_format == "xlsx":
            response = HttpResponse(
                exports.as_xlsx(table),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(exports.as_csv(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.{self.file_format}"'
        return response
