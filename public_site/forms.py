"""The "être recontacté" form: what a young person types, checked with French messages."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from public_site import spam
from public_site.validators import normalise_first_name, validate_first_name
from territories.models import Commune
from workflows.choices import NeedArea, PathwaySource
from workflows.intake_forms import IntakeForm
from workflows.rules import (
    CONSENT_REQUIRED,
    CONTACT_REQUIRED,
    EMAIL_MAX_LENGTH,
    INVALID_PHONE,
    normalise_phone,
)

INVALID_PHONE_MESSAGE = _(
    "Ce numéro ne semble pas correct : écris 10 chiffres, comme 06 12 34 56 78."
)
CONSENT_MESSAGE = _("Coche cette case pour qu'on ait le droit de te recontacter.")


class ContactRequestForm(IntakeForm):
    """The young person's request. Checked up front, with the same intake rule as a pathway,
    because the request is stored before it becomes one (`services.forward_contact_request`):
    an invalid request would otherwise fail on every retry."""

    INTAKE_WORDING = {
        CONTACT_REQUIRED: _("Donne au moins un moyen de te joindre : un téléphone ou un e-mail."),
        INVALID_PHONE: INVALID_PHONE_MESSAGE,
        CONSENT_REQUIRED: CONSENT_MESSAGE,
    }
    CONTACT_REQUIRED_FIELDS = ("phone", "email")

    first_name = forms.CharField(
        label=_("Ton prénom"),
        max_length=100,
        validators=[validate_first_name],
        error_messages={"required": _("Indique ton prénom, pour qu'on sache qui appeler.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    phone = forms.CharField(
        label=_("Ton numéro de téléphone"),
        required=False,
        max_length=30,
        help_text=_("Par exemple 06 12 34 56 78."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Ton adresse e-mail"),
        required=False,
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("Par exemple prenom@exemple.fr."),
        error_messages={"invalid": _("Cette adresse e-mail ne semble pas correcte.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    commune = forms.ModelChoiceField(
        label=_("Ta commune"),
        queryset=Commune.objects.order_by("name"),
        required=False,
        empty_label=_("Je ne sais pas / autre commune"),
    )
    needs = forms.MultipleChoiceField(
        label=_("Tu as besoin d'aide pour…"),
        choices=NeedArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Coche une ou plusieurs cases, ou aucune si tu ne sais pas encore."),
    )
    consent = forms.BooleanField(
        label=_("J'accepte que la Mission Locale garde ces informations pour me recontacter."),
        error_messages={"required": CONSENT_MESSAGE},
    )
    # Honeypot: hidden from people (and from screen readers); robots fill every field.
    website = forms.CharField(
        label=_("Ne pas remplir ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    rendered_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, client: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Who claims the timestamp, with the details sent (spam.claim_token).
        self._client = client
        # A fresh timestamp on every display, including after an error.
        self.initial["rendered_at"] = spam.sign_now()
        if self.is_bound:
            data = self.data.copy()
            self._posted_rendered_at = data.get(self.add_prefix("rendered_at"), "")
            data[self.add_prefix("rendered_at")] = self.initial["rendered_at"]
            self.data = data

    def clean(self) -> dict:
        cleaned = super().clean()
        self.check_intake(cleaned, source=PathwaySource.WEBSITE)
        elapsed = spam.seconds_since(self._posted_rendered_at)
        if elapsed is None:
            raise forms.ValidationError(
                _("Le formulaire a expiré. Vérifie tes réponses et envoie-le à nouveau."),
                code="expired",
            )
        if elapsed < spam.MIN_FILL_SECONDS:
            raise forms.ValidationError(
                _("Tu as été très rapide ! Vérifie tes réponses et envoie-les à nouveau."),
                code="too_fast",
            )
        # Claimed last, once all else is right: a submission with a mistake to fix keeps
        # its token good; a replay of one already received is refused, its answers shown
        # again with a fresh token.
        if not self.errors and not spam.claim_token(
            self._posted_rendered_at,
            self._client,
            str(cleaned.get("phone", "")),
            str(cleaned.get("email", "")).casefold(),
        ):
            raise forms.ValidationError(
                _(
                    "Ce formulaire a déjà été envoyé. Vérifie tes réponses et envoie-le à "
                    "nouveau si besoin."
                ),
                code="already_sent",
            )
        return cleaned

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def request_data(self) -> dict:
        data = self.cleaned_data
        return {
            "first_name": normalise_first_name(data["first_name"]),
            "phone": normalise_phone(data.get("phone")),
            "email": data.get("email", ""),
            "commune": data.get("commune"),
            "needs": list(data.get("needs") or []),
            "consent": data["consent"],
        }


class AgendaFilterForm(forms.Form):
    """GET filters of the agenda: a plain form, usable without JavaScript."""

    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.none(),
        required=False,
        empty_label=_("Toutes les communes"),
    )
    service = forms.ChoiceField(
        label=_("Service"),
        choices=[("", _("Tous les services")), *NeedArea.choices],
        required=False,
    )
    near = forms.ModelChoiceField(
        label=_("Les plus proches de chez moi"),
        queryset=Commune.objects.filter(latitude__isnull=False, longitude__isnull=False).order_by(
            "name"
        ),
        required=False,
        empty_label=_("Choisis ta commune"),
        help_text=_("Les permanences rangées de la plus proche à la plus lointaine."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Set here, not on the field: the permanence pages that these lookups follow back are
        # registered only once every model is loaded, and the index page's module, loaded
        # with the models, imports this form.
        self.fields["commune"].queryset = (
            Commune.objects.filter(
                Q(venues__permanence_pages__isnull=False)
                | Q(antennas__permanence_pages__isnull=False)
            )
            .distinct()
            .order_by("name")
        )
