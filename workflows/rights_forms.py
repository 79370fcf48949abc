"""Forms of the "Droits des jeunes" screen. They only shape input: what a rectification may
hold is checked by `services.subject_rights`, with the intake rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .rules import EMAIL_MAX_LENGTH
from .services.subject_rights import NAME_MAX_LENGTH

REASON_MAX_LENGTH = 200  # the access log's `detail`


class YouthSearchForm(forms.Form):
    """Sent by POST: the name searched never appears in an address, so no server or proxy
    log keeps it."""

    q = forms.CharField(
        label=_("Prénom ou nom du jeune"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class RectificationForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=NAME_MAX_LENGTH)
    last_name = forms.CharField(label=_("Nom"), max_length=NAME_MAX_LENGTH, required=False)
    date_of_birth = forms.DateField(
        label=_("Date de naissance"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Date invalide : jj/mm/aaaa.")},
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=EMAIL_MAX_LENGTH,
        required=False,
        error_messages={"invalid": _("Adresse e-mail invalide, par exemple prenom@exemple.fr.")},
    )


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'effacement"),
        max_length=REASON_MAX_LENGTH,
        help_text=_(
            "Par exemple : « demande écrite du jeune reçue le 3 mars ». Il est inscrit au "
            "journal des accès : n'y mettez aucun nom ni coordonnée."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
