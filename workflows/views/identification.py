"""The quick repérage: a mediator records a young person met in the street in under a
minute; the intake rules are `start_pathway`'s."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from access_log.models import Channel

from ..screen_forms import IdentificationForm
from ..services.errors import NoPublishedDefinition
from ..services.pathways import start_pathway
from ..specs import live_spec
from .mixins import RoleRequiredMixin, TitledMixin
from .pathway import pathway_url


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
                channel=Channel.FORM,
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
