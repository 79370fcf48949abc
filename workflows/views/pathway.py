"""The pathway page: a young person's stage, answers and history, the contact form and each
transition's form. Every write goes through the services; every refusal shown is theirs."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from access_log.models import Channel

from .. import policies, selectors
from ..choices import FieldType, NeedArea
from ..forms import build_transition_form
from ..models import Pathway
from ..rules import given_answers, starts_from
from ..screen_forms import ContactForm, ReferentForm, TransitionExtrasForm, YouthDetailsForm
from ..sensitive import shown_answers
from ..services.assignment import assign_referent
from ..services.errors import (
    ConditionFailed,
    InvalidFields,
    NoPublishedDefinition,
    StalePathway,
    TransitionRefused,
)
from ..services.pathways import log_contact
from ..services.subject_rights import RECTIFIABLE_FIELDS
from ..services.transitions import fire_transition
from ..services.youth_details import InvalidDetails, update_youth_details
from ..specs import DefinitionSpec, FieldSpec, TransitionSpec, live_spec


def pathway_url(pathway_or_pk) -> str:
    pk = getattr(pathway_or_pk, "pk", pathway_or_pk)
    return reverse("workflows_screens:pathway", args=[pk])


def _answer_fields(spec: DefinitionSpec | None) -> dict[str, FieldSpec]:
    """The definition's questions by name (the first transition asking one names it)."""
    fields: dict[str, FieldSpec] = {}
    if spec is not None:
        for transition in spec.transitions.values():
            for field in transition.fields:
                fields.setdefault(field.name, field)
    return fields


def readable_answer(field: FieldSpec | None, value: Any) -> str:
    """An answer as a person reads it: a date as 08/12/2026, yes/no and choices by their
    label, several choices joined. A value the question no longer explains (an answer
    withheld from this reader, a question dropped since) is shown as stored."""
    if isinstance(value, list):
        return ", ".join(readable_answer(field, item) for item in value)
    field_type = field.field_type if field is not None else ""
    if field_type == FieldType.DATE and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if field_type == FieldType.YES_NO or isinstance(value, bool):
        labels = {"oui": _("Oui"), "non": _("Non"), True: _("Oui"), False: _("Non")}
        return str(labels.get(value, value))
    return str(value)


def _readable(answers: dict[str, Any], fields: dict[str, FieldSpec]) -> list[tuple[str, str]]:
    return [
        (
            fields[name].label if name in fields else name,
            readable_answer(fields.get(name), value),
        )
        for name, value in given_answers(answers).items()
    ]


class PathwayMixin:
    """Loads the pathway through the scoped selector: without a role the screen is refused,
    outside the user's scope the pathway does not exist (404), and the selector writes
    each reading to the access log under the screen's `channel`."""

    channel = Channel.FORM

    def dispatch(self, request, *args, **kwargs):
        if not policies.has_workflow_role(request.user):
            raise PermissionDenied
        try:
            self.pathway = selectors.get_pathway(request.user, kwargs["pk"], channel=self.channel)
        except Pathway.DoesNotExist:
            raise Http404 from None
        self.spec = live_spec(self.pathway.definition)
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
    channel = Channel.PAGE

    def get_page_title(self):
        return str(self.pathway.youth)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pathway, spec = self.pathway, self.spec
        fields = _answer_fields(spec)
        entries = selectors.pathway_timeline(pathway)
        # One pass through the sensitive-answers selector for the page: one log entry.
        current, *history = shown_answers(
            self.request.user,
            pathway,
            [pathway.answers, *(entry.answers for entry in entries)],
            spec,
            channel=Channel.PAGE,
        )
        timeline = [
            (entry, _readable(answers, fields))
            for entry, answers in zip(entries, history, strict=True)
        ]
        context.update(
            pathway=pathway,
            youth=pathway.youth,
            stage_label=self.stage_label(),
            stage=spec.stages.get(pathway.stage) if spec else None,
            available=selectors.available_transitions(self.request.user, pathway, spec),
            timeline=timeline,
            answers=_readable(current, fields),
            needs=[NeedArea(code).label for code in pathway.needs if code in NeedArea.values],
            contact_form=ContactForm(),
            can_take=policies.can_take_pathway(self.request.user, pathway),
            referent_form=(
                ReferentForm(pathway=pathway, initial={"referent": pathway.referent_id})
                if policies.can_assign_pathway(self.request.user, pathway)
                else None
            ),
            awaits_referent=policies.awaits_referent(pathway),
            can_edit_youth=policies.can_edit_youth(self.request.user, pathway),
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
                channel=Channel.FORM,
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


class YouthDetailsView(PathwayMixin, WagtailAdminTemplateMixin, FormView):
    """Corrects the young person's identity and contact details, for the pathway's référent
    and the coordination (`policies.can_edit_youth`; anyone else who sees the pathway is
    refused). The service decides; its refusals are shown beside each field."""

    form_class = YouthDetailsForm
    template_name = "workflows/screens/youth_details.html"
    header_icon = "user"

    def get_page_title(self):
        return _("Corriger l'identité et les coordonnées")

    def get_page_subtitle(self):
        return str(self.pathway.youth)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        self.check_allowed()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_allowed()
        return super().post(request, *args, **kwargs)

    def check_allowed(self) -> None:
        if not policies.can_edit_youth(self.request.user, self.pathway):
            raise PermissionDenied

    def get_initial(self):
        return {name: getattr(self.pathway.youth, name) for name in RECTIFIABLE_FIELDS}

    def form_valid(self, form):
        try:
            changed = update_youth_details(
                self.pathway, actor=self.request.user, changes=form.cleaned_data
            )
        except InvalidDetails as refusal:
            for name, message in refusal.field_errors.items():
                form.add_error(name if name in form.fields else None, message)
            return self.form_invalid(form)
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        if changed:
            messages.success(self.request, _("Identité et coordonnées enregistrées."))
        else:
            messages.info(self.request, _("Rien n'a changé."))
        return HttpResponseRedirect(pathway_url(self.pathway))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(pathway=self.pathway, stage_label=self.stage_label())
        return context


class ReferentView(PathwayMixin, View):
    """Takes the pathway ("Je m'en occupe", no field posted) or, for the coordination and
    the référent handing over, names its référent. Posted from the pathway page, which
    shows the outcome."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        referent = None
        if "referent" in request.POST:
            form = ReferentForm(request.POST, pathway=self.pathway)
            if not form.is_valid():
                messages.error(request, _("Choisissez un conseiller ou une conseillère."))
                return HttpResponseRedirect(pathway_url(self.pathway))
            referent = form.cleaned_data["referent"]
        try:
            pathway = assign_referent(
                self.pathway, actor=request.user, referent=referent, channel=Channel.FORM
            )
        except TransitionRefused as refusal:
            messages.error(request, refusal.message)
            return HttpResponseRedirect(pathway_url(self.pathway))
        if referent is None:
            messages.success(request, _("Vous êtes maintenant le référent de ce parcours."))
        else:
            messages.success(
                request,
                _("%(name)s est maintenant le référent de ce parcours.")
                % {"name": selectors.display_name(pathway.referent)},
            )
        return HttpResponseRedirect(pathway_url(pathway))


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
            return self.not_offered()
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

    def not_offered(self):
        """A transition of the definition that this pathway no longer offers, typically a
        form opened from a page read before someone moved the pathway on: the counsellor is
        told where it stands now, with a link back, rather than a bare 404. A transition
        the user's role may not fire stays absent (404), as it is from the page."""
        if self.transition is None or not policies.can_fire(self.request.user, self.transition):
            raise Http404  # not one of this role's transitions: absent, as on the page
        if self.pathway.closed_at is None and starts_from(self.transition, self.pathway.stage):
            raise Http404
        if self.pathway.closed_at is not None:
            message = _("Ce parcours est clos : « %(transition)s » ne s'applique plus.") % {
                "transition": self.transition.label
            }
        else:
            message = _(
                "Ce parcours a avancé depuis : « %(transition)s » ne part pas de son étape "
                "actuelle."
            ) % {"transition": self.transition.label}
        return self.render_to_response(
            self.get_context_data(form=None, extras=None, refusal=message, moved_on=True),
            status=409,
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
                channel=Channel.FORM,
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
