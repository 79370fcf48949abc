"""The "Droits des jeunes" screen: the data-protection officer and the coordinators find a
young person of their Mission Locale, read everything held about them, export it (JSON, or a
printable page), rectify their identity and contact details, and erase them on request after
a confirmation step. Everyone else is refused (403) before any read. Every read, export and
change goes through `services.subject_rights`, which logs it."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from access_log.models import Channel

from .. import policies, rights_selectors
from ..models import Youth
from ..rights_forms import ErasureForm, RectificationForm, YouthSearchForm
from ..services.subject_rights import (
    ERASURE_CONSEQUENCES,
    RECTIFIABLE_FIELDS,
    erase_youth,
    export_youth,
    read_youth,
    rectify_youth,
)
from .mixins import TitledMixin

RESULTS_PER_PAGE = 25


def _private(response: HttpResponse) -> HttpResponse:
    """No cache anywhere keeps a page of a young person's data."""
    patch_cache_control(response, no_store=True, private=True)
    return response


class DataRightsMixin:
    """For the data-protection officer and the coordinators only; anyone else is refused
    before any read."""

    def dispatch(self, request, *args, **kwargs):
        if not policies.can_handle_data_rights(request.user):
            # A real 403: Wagtail would turn a raised PermissionDenied into a redirect home.
            return permission_denied(request, PermissionDenied())
        response = super().dispatch(request, *args, **kwargs)
        return _private(response)


class YouthMixin(DataRightsMixin):
    """A screen about one young person of the user's scope; out of scope reads as absent."""

    @cached_property
    def youth(self) -> Youth:
        youth = rights_selectors.rights_youth(self.request.user, self.kwargs["pk"])
        if youth is None:
            raise Http404
        return youth

    def get_context_data(self, **kwargs):
        return super().get_context_data(youth=self.youth, **kwargs)


class YouthSearchView(DataRightsMixin, TitledMixin, WagtailAdminTemplateMixin, TemplateView):
    """Search by name, sent by POST (the name never enters an address or a log); the
    results' pages are asked by POST too."""

    template_name = "workflows/rights/search.html"
    page_title = _("Droits des jeunes")
    header_icon = "lock"

    def post(self, request, *args, **kwargs):
        form = YouthSearchForm(request.POST)
        context = self.get_context_data(form=form)
        if form.is_valid():
            found = rights_selectors.search_rights_youths(request.user, form.cleaned_data["q"])
            paginator = Paginator(found, RESULTS_PER_PAGE)
            context["page_obj"] = paginator.get_page(form.cleaned_data.get("page") or 1)
            context["searched"] = True
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", YouthSearchForm())
        return super().get_context_data(**kwargs)


class YouthSummaryView(YouthMixin, TitledMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflows/rights/summary.html"
    header_icon = "user"

    def get_page_title(self):
        return _("Données du jeune n° %(pk)s") % {"pk": self.youth.pk}

    def get_context_data(self, **kwargs):
        data = read_youth(self.youth, user=self.request.user, channel=Channel.PAGE)
        return super().get_context_data(data=data, **kwargs)


class YouthExportJsonView(YouthMixin, View):
    def get(self, request, *args, **kwargs):
        data = export_youth(self.youth, user=request.user, channel=Channel.EXPORT)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="jeune-{self.youth.pk}-donnees.json"'
        )
        return response


class YouthExportHtmlView(YouthMixin, View):
    """A page the young person can read, meant to be printed or saved as PDF."""

    def get(self, request, *args, **kwargs):
        data = export_youth(self.youth, user=request.user, channel=Channel.EXPORT)
        return render(request, "workflows/rights/export.html", {"data": data, "youth": self.youth})


class YouthRectifyView(YouthMixin, TitledMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "workflows/rights/rectify.html"
    form_class = RectificationForm
    header_icon = "edit"

    def get_page_title(self):
        return _("Rectifier les données du jeune n° %(pk)s") % {"pk": self.youth.pk}

    def get_initial(self):
        return {name: getattr(self.youth, name) for name in RECTIFIABLE_FIELDS}

    def form_valid(self, form):
        try:
            rectify_youth(self.request.user, self.youth, channel=Channel.FORM, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("Les données du jeune ont été rectifiées."))
        return HttpResponseRedirect(reverse("workflows_rights:youth", args=[self.youth.pk]))


class YouthEraseView(YouthMixin, TitledMixin, WagtailAdminTemplateMixin, FormView):
    """Two steps: the reason, then a page saying what will be lost, whose button erases.
    Both are POST; nothing is erased before the second."""

    template_name = "workflows/rights/erase.html"
    form_class = ErasureForm
    header_icon = "bin"

    def get_page_title(self):
        return _("Effacer le jeune n° %(pk)s") % {"pk": self.youth.pk}

    def get_context_data(self, **kwargs):
        return super().get_context_data(consequences=ERASURE_CONSEQUENCES, **kwargs)

    def form_valid(self, form):
        if self.request.POST.get("confirm") != "yes":
            counts = rights_selectors.erasure_counts(self.youth)
            return self.render_to_response(
                self.get_context_data(form=form, confirming=True, counts=counts)
            )
        pk = self.youth.pk
        try:
            erase_youth(
                self.youth,
                reason=form.cleaned_data["reason"],
                user=self.request.user,
                channel=Channel.FORM,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Le jeune n° %(pk)s a été effacé, avec tout ce qui le concernait.") % {"pk": pk},
        )
        return HttpResponseRedirect(reverse("workflows_rights:search"))
