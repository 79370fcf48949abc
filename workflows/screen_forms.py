"""Forms of the counsellors' and mediators' screens. The forms a transition asks for come
from `workflows.forms.build_transition_form`; these are the screens' own."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from territories.models import Commune

from . import screen_selectors
from .choices import ContactKind, NeedArea, PathwaySource
from .intake_forms import IntakeForm
from .rights_forms import RectificationForm
from .rules import (
    CONSENT_REQUIRED,
    CONTACT_REQUIRED,
    EMAIL_MAX_LENGTH,
    FREE_TEXT_MAX_LENGTH,
    INVALID_PHONE,
)


class TransitionExtrasForm(forms.Form):
    """What the screen adds to a transition's own fields: the version the counsellor saw
    (to detect that someone else moved the pathway), a comment, and a confirmation when the
    transition closes the pathway."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=FREE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Factuel : il figure dans l'historique du parcours."),
    )

    def __init__(self, *args, closes_pathway: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if closes_pathway:
            self.fields["confirm"] = forms.BooleanField(
                label=_("Je confirme : cette transition clôt le parcours."),
                required=True,
                error_messages={
                    "required": _("Cochez la case pour confirmer la clôture du parcours.")
                },
            )


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de contact"), choices=ContactKind.choices)
    happened_at = forms.DateTimeField(
        label=_("Le"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Laissez vide pour maintenant."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=FREE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Des faits, sans appréciation personnelle."),
    )


class IdentificationForm(IntakeForm):
    """The mediator's quick repérage, filled on a phone in the street: a handful of fields,
    the rest is asked later by the stages that need it. What a new pathway needs is checked
    by the service (`validate_intake`); the form only words its refusals for the mediator."""

    INTAKE_WORDING = {
        CONSENT_REQUIRED: _("Sans son accord, rien n'est enregistré."),
        CONTACT_REQUIRED: _("Indiquez un téléphone ou un e-mail pour pouvoir le recontacter."),
        INVALID_PHONE: _("Numéro invalide : 10 chiffres, comme 06 00 00 00 01."),
    }

    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("Un téléphone ou un e-mail pour le recontacter."),
    )
    outreach_round = forms.ModelChoiceField(
        label=_("Maraude"),
        queryset=None,
        required=False,
        empty_label=_("Aucune (rencontre hors maraude)"),
    )
    source = forms.ChoiceField(
        label=_("Rencontré lors"),
        choices=PathwaySource.choices,
        initial=PathwaySource.OUTREACH_ROUND,
        help_text=_("Avec une maraude choisie, l'origine est « Maraude »."),
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.order_by("name"), required=False
    )
    place = forms.CharField(
        label=_("Lieu de la rencontre"),
        required=False,
        max_length=200,
        help_text=_("Par exemple : parvis de la médiathèque."),
    )
    needs = forms.MultipleChoiceField(
        label=_("Besoins exprimés"),
        choices=NeedArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_("Le jeune accepte que la Mission Locale conserve ces informations."),
        error_messages={"required": _("Sans son accord, rien n'est enregistré.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outreach_round"].queryset = screen_selectors.recent_rounds(user)
        today = screen_selectors.todays_round(user)
        if today is not None:
            self.fields["outreach_round"].initial = today.pk
            self.fields["commune"].initial = today.commune_id
            self.fields["place"].initial = today.place

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outreach_round") is not None:
            cleaned["source"] = PathwaySource.OUTREACH_ROUND
        self.check_intake(cleaned, source=cleaned.get("source", ""))
        return cleaned


class ReferentForm(forms.Form):
    """The coordination (or the référent handing over) names a pathway's référent among the
    active counsellors of the pathway's organisation (`screen_selectors.pathway_referents`);
    the service checks the choice again."""

    referent = forms.ModelChoiceField(label=_("Référent"), queryset=get_user_model().objects.none())

    def __init__(self, *args, pathway, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["referent"]
        field.queryset = screen_selectors.pathway_referents(pathway)
        field.label_from_instance = lambda person: person.get_full_name() or person.username


class YouthDetailsForm(RectificationForm):
    """The young person's identity and contact details, corrected from the pathway page:
    the fields of a rectification, no more (what else the record holds is the stages'
    work). Checked again by `services.youth_details` with the intake rules."""
