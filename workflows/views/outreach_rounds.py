"""The maraudes (outreach rounds): a Wagtail model viewset whose page lists the young people
met, where a mediator records and changes rounds under their own name only. The list, its
search and export, and every screen of one round read `screen_selectors.rounds` (scoped by
`policies.visible_rounds`); saving goes through `services.outreach.save_round`."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from access_log.models import Channel

from .. import policies, screen_selectors, selectors
from ..models import OutreachRound, Pathway
from ..permission_policies import outreach_policy
from ..services.errors import NotAllowed, TransitionRefused
from ..services.outreach import link_pathway, save_round
from ..specs import SpecCache
from .caseload import SCREENS_MEDIA, LabelledColumn
from .mixins import RoleRequiredMixin, only_visible_instances

OWN_NAME_ONLY = _("Vous ne pouvez enregistrer une maraude qu'à votre nom.")


class RoundFormMixin:
    """The form offers as mediator whom the user may name (`screen_selectors.round_leaders`:
    a mediator only themselves), and saves through `services.outreach.save_round`, whose
    refusal of a forged choice is shown on the form."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        field = form.fields.get("mediator")
        if field is not None:
            user = self.request.user
            field.queryset = screen_selectors.round_leaders(user)
            if not policies.is_coordinator(user):
                field.required = True
                field.empty_label = None
                field.error_messages["invalid_choice"] = OWN_NAME_ONLY
        return form

    def save_instance(self):
        instance = save_round(self.form.instance, by=self.request.user)
        log(instance=instance, action=self.log_action, user=self.request.user)
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except NotAllowed as refusal:
            form.add_error("mediator" if "mediator" in form.fields else None, refusal.message)
            return self.form_invalid(form)


def _mediators_of(request):
    return screen_selectors.field_staff(request.user if request is not None else None)


class OutreachRoundFilterSet(WagtailFilterSet):
    """The list's filters; the mediators offered are the user's organisation's only."""

    mediator = django_filters.ModelChoiceFilter(label=_("médiateur"), queryset=_mediators_of)
    # The browser's own date picker: Wagtail's date chooser writes an inline script, which
    # the admin's Content-Security-Policy refuses.
    date = django_filters.DateFilter(
        label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    class Meta:
        model = OutreachRound
        fields = ["date", "mediator", "commune"]


class ScreensCssMixin:
    """Our screens' stylesheet (phone layout: the list as cards below 600 px, the counts
    side by side) on Wagtail's generic views."""

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["media"] = context["media"] + SCREENS_MEDIA
        return context


class OutreachRoundIndexView(ScreensCssMixin, generic.IndexView):
    def get_base_queryset(self):
        return screen_selectors.rounds(self.request.user)

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        """A round's title opens its page (with the young people met), not its form."""
        column = super()._get_title_column(field_name, column_class, **kwargs)
        column._get_url_func = self.get_inspect_url
        return column


class OutreachRoundCreateView(ScreensCssMixin, RoundFormMixin, generic.CreateView):
    log_action = "wagtail.create"

    def get_initial(self):
        return {
            **super().get_initial(),
            "date": timezone.localdate(),
            "mediator": self.request.user.pk,
        }


class InstancePermissionMixin:
    """Wagtail's edit and delete views check the model-wide permission only; a mediator
    may change their own rounds, not their colleagues'."""

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.permission_required, instance
        ):
            raise PermissionDenied
        return instance


class OutreachRoundEditView(
    ScreensCssMixin, InstancePermissionMixin, RoundFormMixin, generic.EditView
):
    log_action = "wagtail.edit"


class OutreachRoundDeleteView(InstancePermissionMixin, generic.DeleteView):
    pass


class OutreachRoundInspectView(generic.InspectView):
    template_name = "workflows/screens/outreach_round_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        specs = SpecCache()
        context["pathways"] = [
            (pathway, specs.stage_label(pathway))
            for pathway in screen_selectors.round_pathways(self.request.user, self.object)
        ]
        context["pathway_url_name"] = "workflows_screens:pathway"
        context["identified_count"] = self.object.pathways.count()
        context["can_link"] = policies.can_change_round(self.request.user, self.object)
        return context


IDENTIFIED_LABEL = _("dont repérés")


class LinkSearchForm(forms.Form):
    """Sent by POST: the name searched never appears in an address, so no server or proxy
    log keeps it."""

    q = forms.CharField(
        label=_("Prénom ou nom du jeune"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
    )


class RoundLinkView(RoleRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Links existing pathways of the round's organisation to a maraude: the young people met
    there who already had a pathway. Searching names (`screen_selectors.link_candidates`)
    and linking (`services.outreach.link_pathway`) are for whoever may change the round."""

    template_name = "workflows/screens/outreach_round_link.html"
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        self.outreach_round = get_object_or_404(
            screen_selectors.rounds(request.user), pk=kwargs["pk"]
        )
        if not policies.can_change_round(request.user, self.outreach_round):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Rattacher des jeunes à la maraude")

    def get_page_subtitle(self):
        return str(self.outreach_round)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Accueil")},
            {"url": reverse(outreach_round_viewset.get_url_name("index")), "label": _("Maraudes")},
            {"url": self.inspect_url(), "label": str(self.outreach_round)},
            {"url": "", "label": self.get_page_title()},
        ]

    def inspect_url(self) -> str:
        return reverse(
            outreach_round_viewset.get_url_name("inspect"), args=[self.outreach_round.pk]
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=LinkSearchForm()))

    def post(self, request, *args, **kwargs):
        if "pathway" in request.POST:
            return self.link(request.POST["pathway"])
        form = LinkSearchForm(request.POST)
        candidates = (
            list(
                screen_selectors.link_candidates(
                    request.user, self.outreach_round, form.cleaned_data["q"]
                )
            )
            if form.is_valid()
            else []
        )
        return self.render_to_response(
            self.get_context_data(form=form, searched=form.is_valid(), candidates=candidates)
        )

    def link(self, pathway_id: str):
        try:
            pathway = Pathway.objects.get(
                pk=int(pathway_id), organisation_id=self.outreach_round.organisation_id
            )
        except (ValueError, Pathway.DoesNotExist):
            raise Http404 from None  # another organisation's pathway does not exist here
        try:
            link_pathway(self.outreach_round, pathway, by=self.request.user, channel=Channel.FORM)
        except TransitionRefused as refusal:
            messages.error(self.request, refusal.message)
            return HttpResponseRedirect(self.request.path)
        messages.success(self.request, _("Parcours rattaché à cette maraude."))
        return HttpResponseRedirect(self.inspect_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        specs = SpecCache()
        context.update(
            outreach_round=self.outreach_round,
            candidates=[
                (pathway, specs.stage_label(pathway)) for pathway in kwargs.get("candidates", [])
            ],
            inspect_url=self.inspect_url(),
        )
        return context


class OutreachRoundViewSet(ModelViewSet):
    model = OutreachRound
    icon = "site"
    menu_label = _("Maraudes")
    add_to_admin_menu = False
    url_prefix = "maraudes"
    name = "outreach_rounds"
    panels = [
        # The browser's own date picker, as on the list's filter (see OutreachRoundFilterSet).
        FieldPanel("date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")),
        FieldPanel("place"),
        FieldPanel("commune"),
        FieldPanel("mediator"),
        FieldPanel("young_people_met"),
        FieldPanel("notes"),
    ]
    # "jeunes rencontrés" (typed by the mediator) beside "dont repérés" (linked pathways).
    list_display = [
        "place",
        LabelledColumn(
            "date", label=_("date"), sort_key="date", accessor=lambda r: f"{r.date:%d/%m/%Y}"
        ),
        LabelledColumn(
            "mediator",
            label=_("médiateur"),
            sort_key="mediator",
            accessor=lambda r: selectors.display_name(r.mediator),
        ),
        LabelledColumn("commune", label=_("commune"), sort_key="commune"),
        LabelledColumn(
            "young_people_met", label=_("jeunes rencontrés"), sort_key="young_people_met"
        ),
        LabelledColumn("identified_count", label=IDENTIFIED_LABEL),
    ]
    filterset_class = OutreachRoundFilterSet
    search_fields = ["place", "notes"]
    # Counts for the comité de pilotage; the notes, which may name young people, stay out.
    list_export = ["date", "place", "commune", "mediator", "young_people_met", "identified_count"]
    export_headings = {"identified_count": IDENTIFIED_LABEL}
    export_filename = "maraudes"
    inspect_view_enabled = True
    # The two counts are shown side by side above the fields (the inspect template).
    inspect_view_fields = ["date", "place", "commune", "mediator", "notes"]
    index_view_class = OutreachRoundIndexView
    add_view_class = OutreachRoundCreateView
    edit_view_class = OutreachRoundEditView
    delete_view_class = OutreachRoundDeleteView
    inspect_view_class = OutreachRoundInspectView
    copy_view_enabled = False

    @property
    def permission_policy(self):
        return outreach_policy

    def get_urlpatterns(self):
        return only_visible_instances(
            [
                *super().get_urlpatterns(),
                path("<str:pk>/rattacher/", RoundLinkView.as_view(), name="link"),
            ],
            screen_selectors.rounds,
        )


# Registered by `wagtail_hooks`; the menu links to its index by this instance's URL name.
outreach_round_viewset = OutreachRoundViewSet()
