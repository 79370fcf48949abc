"""The counsellors' and mediators' screens in the Wagtail admin: "Mes jeunes", the board,
the pathway page with its transitions and contacts, the quick repérage and the maraudes.

Screens only read through `selectors` / `screen_selectors` (already scoped to the user) and
only write through the services; every refusal shown here is the transition service's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404, HttpResponseRedirect
from django.urls import include, path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from . import policies, screen_selectors, selectors
from .choices import NeedArea
from .filters import CaseloadFilterSet
from .forms import build_transition_form
from .models import OutreachRound, Pathway
from .screen_forms import (
    ContactForm,
    IdentificationForm,
    TransitionExtrasForm,
)
from .services.errors import (
    ConditionFailed,
    InvalidFields,
    NoPublishedDefinition,
    StalePathway,
    TransitionRefused,
)
from .services.pathways import log_contact, start_pathway
from .services.transitions import fire_transition
from .specs import DefinitionSpec, TransitionSpec, live_spec, live_spec_for

VIEW_PATHWAY_ACTION = "workflows.view_pathway"

# --- who sees which screen ------------------------------------------------------------------


class RolePermissionPolicy(BasePermissionPolicy):
    """Permissions by role (the groups of `policies`), not by Django model permissions: the
    roles are what the coordinators manage. Row scoping stays in `policies`."""

    def __init__(self, model, roles_by_action: dict[str, frozenset[str]]):
        super().__init__(model)
        self.roles_by_action = roles_by_action

    def user_has_permission(self, user, action):
        if not (user and user.is_active and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        return bool(policies.group_names(user) & self.roles_by_action.get(action, frozenset()))

    def users_with_any_permission(self, actions):
        roles = set().union(*(self.roles_by_action.get(action, frozenset()) for action in actions))
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__name__in=roles))
            .distinct()
        )

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action in ("change", "delete") and isinstance(instance, OutreachRound):
            # A mediator edits their own rounds; coordinators edit every round.
            return policies.is_coordinator(user) or instance.mediator_id == user.pk
        return True


ALL_ROLES = frozenset(policies.ROLES)
FIELD_ROLES = frozenset({policies.COORDINATORS, policies.MEDIATORS})
pathway_policy = RolePermissionPolicy(Pathway, {"view": ALL_ROLES})
outreach_policy = RolePermissionPolicy(
    OutreachRound,
    {
        "view": ALL_ROLES,
        "add": FIELD_ROLES,
        "change": FIELD_ROLES,
        "delete": frozenset({policies.COORDINATORS}),
    },
)
register_permission_policy(OutreachRound, outreach_policy)


class RoleRequiredMixin:
    """Screens for the workflow roles only; anyone else is refused before any read."""

    def dispatch(self, request, *args, **kwargs):
        if not policies.has_workflow_role(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TitledMixin:
    """The page's title as the last breadcrumb: Wagtail's slim header shows it as the
    page heading."""

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]


SCREENS_MEDIA = forms.Media(css={"all": ["workflows/screens.css"]})


def pathway_url(pathway_or_pk) -> str:
    pk = getattr(pathway_or_pk, "pk", pathway_or_pk)
    return reverse("workflows_screens:pathway", args=[pk])


class SpecCache:
    """Live specs by definition id, one small query per definition on a page (not per
    row): lists show each pathway's stage label."""

    def __init__(self):
        self._specs: dict[int, DefinitionSpec | None] = {}

    def get(self, definition_id: int) -> DefinitionSpec | None:
        if definition_id not in self._specs:
            self._specs[definition_id] = live_spec_for(definition_id)
        return self._specs[definition_id]

    def stage_label(self, pathway: Pathway) -> str:
        spec = self.get(pathway.definition_id)
        return spec.stage_label(pathway.stage) if spec else pathway.stage


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


# --- "Mes jeunes" ---------------------------------------------------------------------------


class OverdueColumn(Column):
    """The due date, with "En retard" in words (not colour alone) when it has passed."""

    cell_template_name = "workflows/screens/cells/due_on.html"


class CaseloadView(RoleRequiredMixin, generic.IndexView):
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
        return selectors.caseload(self.request.user, search=self.search_query, **filters)

    def filter_queryset(self, queryset):
        return queryset  # done by selectors.caseload

    def search_queryset(self, queryset):
        return queryset  # done by selectors.caseload

    def order_queryset(self, queryset):
        return queryset  # most urgent first, as selectors.caseload orders them

    def get_add_url(self):
        return None

    def get_list_buttons(self, instance):
        return []

    def get_list_more_buttons(self, instance):
        return []

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "youth",
                label=_("Jeune"),
                accessor=lambda pathway: str(pathway.youth),
                get_url=pathway_url,
            ),
            Column("stage", label=_("Étape"), accessor=self.specs.stage_label),
            Column("category", label=_("Catégorie"), accessor="get_stage_category_display"),
            Column("referent", label=_("Référent"), accessor=lambda p: _name(p.referent)),
            Column("commune", label=_("Commune"), accessor="youth.commune.name"),
            Column(
                "qpv",
                label=_("QPV"),
                accessor=lambda p: (
                    p.youth.priority_neighbourhood.name if p.youth.priority_neighbourhood else ""
                ),
            ),
            DateColumn("entered_stage_at", label=_("Dans l'étape depuis")),
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
            "referent": _name(item.referent),
            "commune": youth.commune.name if youth.commune else "",
            "qpv": youth.priority_neighbourhood.name if youth.priority_neighbourhood else "",
            "entered_stage_at": timezone.localtime(item.entered_stage_at),
            "due_on": item.due_on,
            "overdue": _("oui") if item.is_overdue else _("non"),
        }


# --- the board ------------------------------------------------------------------------------


class BoardView(RoleRequiredMixin, TitledMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflows/screens/board.html"
    page_title = _("Tableau des parcours")
    header_icon = "table"
    per_stage = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        definitions = list(screen_selectors.live_definitions())
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


# --- the pathway page -----------------------------------------------------------------------


def _answer_labels(spec: DefinitionSpec | None) -> dict[str, str]:
    labels: dict[str, str] = {}
    if spec is not None:
        for transition in spec.transitions.values():
            for field in transition.fields:
                labels.setdefault(field.name, field.label)
    return labels


def _readable(answers: dict[str, Any], labels: dict[str, str]) -> list[tuple[str, str]]:
    return [
        (labels.get(name, name), ", ".join(map(str, value)) if isinstance(value, list) else value)
        for name, value in answers.items()
        if value not in (None, "", [])
    ]


class PathwayMixin:
    """Loads the pathway through the scoped selector: without a role the screen is refused,
    outside the user's scope the pathway does not exist (404), and each opening is written
    to the audit log."""

    log_access = False

    def dispatch(self, request, *args, **kwargs):
        if not policies.has_workflow_role(request.user):
            raise PermissionDenied
        try:
            self.pathway = selectors.get_pathway(request.user, kwargs["pk"])
        except Pathway.DoesNotExist:
            raise Http404 from None
        self.spec = live_spec(self.pathway.definition)
        if self.log_access and request.method == "GET":
            log(
                instance=self.pathway,
                action=VIEW_PATHWAY_ACTION,
                user=request.user,
                title=str(_("Parcours n° %(pk)s") % {"pk": self.pathway.pk}),
            )
        return super().dispatch(request, *args, **kwargs)

    def stage_label(self) -> str:
        return self.spec.stage_label(self.pathway.stage) if self.spec else self.pathway.stage

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Accueil")},
            {"url": reverse("workflows_screens:caseload"), "label": _("Mes jeunes")},
            {"url": pathway_url(self.pathway), "label": str(self.pathway.youth)},
        ]


class PathwayView(PathwayMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflows/screens/pathway.html"
    header_icon = "user"
    log_access = True

    def get_page_title(self):
        return str(self.pathway.youth)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pathway, spec = self.pathway, self.spec
        labels = _answer_labels(spec)
        timeline = [
            (entry, _readable(entry.answers, labels))
            for entry in selectors.pathway_timeline(pathway)
        ]
        context.update(
            pathway=pathway,
            youth=pathway.youth,
            stage_label=self.stage_label(),
            stage=spec.stages.get(pathway.stage) if spec else None,
            available=selectors.available_transitions(self.request.user, pathway, spec),
            timeline=timeline,
            answers=_readable(pathway.answers, labels),
            needs=[NeedArea(code).label for code in pathway.needs if code in NeedArea.values],
            contact_form=ContactForm(),
            now=timezone.now(),
        )
        return context


class ContactView(PathwayMixin, WagtailAdminTemplateMixin, FormView):
    """Logs a contact posted from the pathway page; a form with errors is shown again on
    a page of its own, with the typed values."""

    form_class = ContactForm
    template_name = "workflows/screens/contact.html"
    header_icon = "user"

    def get_page_title(self):
        return _("Noter un contact")

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(pathway_url(self.pathway))

    def form_valid(self, form):
        try:
            log_contact(
                self.pathway,
                kind=form.cleaned_data["kind"],
                actor=self.request.user,
                happened_at=form.cleaned_data["happened_at"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Contact enregistré."))
        return HttpResponseRedirect(pathway_url(self.pathway))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(pathway=self.pathway, stage_label=self.stage_label())
        return context


class TransitionView(PathwayMixin, WagtailAdminTemplateMixin, TemplateView):
    """A transition's form (built from its fields by the workflow's form builder). On POST
    the transition service decides; its refusal is shown with the typed values kept."""

    template_name = "workflows/screens/transition.html"
    header_icon = "arrow-right"

    def dispatch(self, request, *args, **kwargs):
        self.code = kwargs["code"]
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def transition(self) -> TransitionSpec | None:
        return self.spec.transitions.get(self.code) if self.spec else None

    def get_page_title(self):
        return self.transition.label if self.transition else _("Transition")

    def get_page_subtitle(self):
        return str(self.pathway.youth)

    def get_breadcrumbs_items(self):
        label = self.transition.label if self.transition else _("Transition")
        return [*super().get_breadcrumbs_items(), {"url": "", "label": label}]

    def closes_pathway(self) -> bool:
        target = self.spec.stages.get(self.transition.target) if self.transition else None
        return bool(target and target.final)

    def get(self, request, *args, **kwargs):
        offered = {
            item.transition.code: item
            for item in selectors.available_transitions(request.user, self.pathway, self.spec)
        }
        if self.code not in offered:
            raise Http404
        return self.render_to_response(
            self.get_context_data(
                form=build_transition_form(self.transition),
                extras=TransitionExtrasForm(
                    initial={"version": self.pathway.version},
                    closes_pathway=self.closes_pathway(),
                ),
                blocked_by=offered[self.code].blocked_by,
            )
        )

    def post(self, request, *args, **kwargs):
        extras = TransitionExtrasForm(request.POST, closes_pathway=self.closes_pathway())
        if self.transition is None:
            messages.error(request, _("Cette transition n'existe plus."))
            return HttpResponseRedirect(pathway_url(self.pathway))
        # The typed values, re-shown as they are; the only errors shown are the service's.
        form = build_transition_form(self.transition, data=request.POST)
        _show_field_errors(form, {})
        if not extras.is_valid():
            return self.render_to_response(self.get_context_data(form=form, extras=extras))
        answers = {
            field.name: (
                request.POST.getlist(field.name)
                if field.field_type == "multiple_choice"
                else request.POST.get(field.name, "")
            )
            for field in self.transition.fields
        }
        try:
            pathway = fire_transition(
                self.pathway,
                self.code,
                actor=request.user,
                answers=answers,
                comment=extras.cleaned_data["comment"],
                expected_version=extras.cleaned_data["version"],
            )
        except StalePathway as refusal:
            return self.render_to_response(
                self.get_context_data(
                    form=None, extras=None, stale=refusal, refusal=refusal.message
                ),
                status=409,
            )
        except InvalidFields as refusal:
            _show_field_errors(form, refusal.field_errors)
            return self.render_to_response(
                self.get_context_data(form=form, extras=extras, refusal=refusal.message),
                status=422,
            )
        except ConditionFailed as refusal:
            return self.render_to_response(
                self.get_context_data(
                    form=form, extras=extras, refusal=refusal.message, reasons=refusal.messages
                ),
                status=422,
            )
        except TransitionRefused as refusal:
            return self.render_to_response(
                self.get_context_data(form=form, extras=extras, refusal=refusal.message),
                status=403 if refusal.reason == "not_allowed" else 409,
            )
        except NoPublishedDefinition as refusal:
            return self.render_to_response(
                self.get_context_data(form=form, extras=extras, refusal=str(refusal)),
                status=409,
            )
        messages.success(
            request,
            _("« %(transition)s » : le parcours est maintenant à l'étape « %(stage)s ».")
            % {
                "transition": self.transition.label,
                "stage": self.spec.stage_label(pathway.stage),
            },
        )
        return HttpResponseRedirect(pathway_url(pathway))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            pathway=self.pathway,
            stage_label=self.stage_label(),
            transition=self.transition,
            target_label=self.spec.stage_label(self.transition.target) if self.transition else "",
            closes_pathway=bool(self.transition) and self.closes_pathway(),
            pathway_url=pathway_url(self.pathway),
        )
        return context


def _show_field_errors(form, field_errors: dict[str, list[str]]) -> None:
    """Puts the service's field errors on the re-shown form, beside each field. Setting
    them marks the form as cleaned, so it never validates a second time on its own."""
    form._errors = ErrorDict(
        {name: ErrorList(messages_) for name, messages_ in field_errors.items()}
    )


# --- quick repérage -------------------------------------------------------------------------


class IdentificationView(RoleRequiredMixin, TitledMixin, WagtailAdminTemplateMixin, FormView):
    """A mediator records a young person met in the street in under a minute."""

    template_name = "workflows/screens/identification.html"
    page_title = _("Repérage rapide")
    header_icon = "plus"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_form_class(self):
        return IdentificationForm

    def form_valid(self, form):
        data = form.cleaned_data
        place = data["place"].strip()
        try:
            pathway = start_pathway(
                first_name=data["first_name"],
                source=data["source"],
                consent=data["consent"],
                contact_phone=data["phone"],
                contact_email=data["email"],
                commune=data["commune"],
                needs=data["needs"],
                actor=self.request.user,
                comment=str(_("Rencontré : %(place)s") % {"place": place}) if place else "",
                outreach_round=data["outreach_round"],
            )
        except NoPublishedDefinition as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        spec = live_spec(pathway.definition)
        messages.success(
            self.request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("Repérage enregistré : %(name)s est à l'étape « %(stage)s ».")
                % {"name": pathway.youth.first_name, "stage": spec.stage_label(pathway.stage)},
                pathway_url(pathway),
                _("Voir le parcours"),
            ),
        )
        return HttpResponseRedirect(reverse("workflows_screens:identification"))


# --- maraudes -------------------------------------------------------------------------------


class OutreachRoundIndexView(generic.IndexView):
    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        """A round's title opens its page (with the young people met), not its form."""
        column = super()._get_title_column(field_name, column_class, **kwargs)
        column._get_url_func = self.get_inspect_url
        return column


class OutreachRoundCreateView(generic.CreateView):
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


class OutreachRoundEditView(InstancePermissionMixin, generic.EditView):
    pass


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
        return context


class OutreachRoundViewSet(ModelViewSet):
    model = OutreachRound
    icon = "site"
    menu_label = _("Maraudes")
    add_to_admin_menu = False
    url_prefix = "maraudes"
    name = "outreach_rounds"
    form_fields = ["date", "place", "commune", "mediator", "young_people_met", "notes"]
    list_display = ["place", "date", "mediator", "commune", "young_people_met"]
    list_filter = ["date", "mediator", "commune"]
    search_fields = ["place", "notes"]
    inspect_view_enabled = True
    inspect_view_fields = ["date", "place", "commune", "mediator", "young_people_met", "notes"]
    index_view_class = OutreachRoundIndexView
    add_view_class = OutreachRoundCreateView
    edit_view_class = OutreachRoundEditView
    delete_view_class = OutreachRoundDeleteView
    inspect_view_class = OutreachRoundInspectView
    copy_view_enabled = False

    @property
    def permission_policy(self):
        return outreach_policy


outreach_round_viewset = OutreachRoundViewSet()


@hooks.register("register_admin_viewset")
def register_outreach_rounds():
    return outreach_round_viewset


# --- URLs, menu and audit log ---------------------------------------------------------------

urlpatterns = [
    path("", CaseloadView.as_view(), name="caseload"),
    path("resultats/", CaseloadView.as_view(results_only=True), name="caseload_results"),
    path("tableau/", BoardView.as_view(), name="board"),
    path("reperage/", IdentificationView.as_view(), name="identification"),
    path("<int:pk>/", PathwayView.as_view(), name="pathway"),
    path("<int:pk>/contact/", ContactView.as_view(), name="contact"),
    path("<int:pk>/transition/<slug:code>/", TransitionView.as_view(), name="transition"),
]


@hooks.register("register_admin_urls")
def register_screen_urls():
    return [path("parcours/", include((urlpatterns, "workflows_screens")))]


class RoleMenuItem(MenuItem):
    def __init__(self, label, url_name, *, roles: frozenset[str], **kwargs):
        # Resolved lazily: the admin's URLs are not loaded when the menu is registered.
        super().__init__(label, reverse_lazy(url_name), **kwargs)
        self.roles = roles

    def is_shown(self, request):
        user = request.user
        return user.is_superuser or bool(policies.group_names(user) & self.roles)


class RoleSubmenuMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return policies.has_workflow_role(request.user)


@hooks.register("register_admin_menu_item")
def register_screens_menu():
    counsellors = frozenset({policies.COORDINATORS, policies.COUNSELLORS})
    items = [
        RoleMenuItem(
            _("Mes jeunes"),
            "workflows_screens:caseload",
            roles=ALL_ROLES,
            icon_name="group",
            order=1,
        ),
        RoleMenuItem(
            _("Tableau"), "workflows_screens:board", roles=counsellors, icon_name="table", order=2
        ),
        RoleMenuItem(
            _("Repérage rapide"),
            "workflows_screens:identification",
            roles=FIELD_ROLES,
            icon_name="plus",
            order=3,
        ),
        RoleMenuItem(
            _("Maraudes"),
            outreach_round_viewset.get_url_name("index"),
            roles=ALL_ROLES,
            icon_name="site",
            order=4,
        ),
    ]
    return RoleSubmenuMenuItem(
        _("Parcours"), Menu(items=items), icon_name="user", name="parcours", order=205
    )


@hooks.register("register_log_actions")
def register_pathway_log_actions(actions):
    actions.register_model(Pathway, ModelLogEntry)
    actions.register_action(VIEW_PATHWAY_ACTION, _("Consultation du parcours"), _("Consulté"))
