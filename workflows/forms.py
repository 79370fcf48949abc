"""The form a transition asks for, built from its FieldSpecs. Shared by the admin screens,
the API and the service, so a field is validated the same way everywhere."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .choices import FieldType
from .rules import FREE_TEXT_MAX_LENGTH
from .specs import FieldSpec, TransitionSpec

YES_NO = [("oui", _("Oui")), ("non", _("Non"))]


def _form_field(spec: FieldSpec) -> forms.Field:
    common = {"label": spec.label, "required": spec.required, "help_text": spec.help_text}
    choices = [(choice, choice) for choice in spec.choices]
    match spec.field_type:
        case FieldType.LONG_TEXT:
            return forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3}), max_length=FREE_TEXT_MAX_LENGTH, **common
            )
        case FieldType.DATE:
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        case FieldType.NUMBER:
            return forms.DecimalField(max_digits=12, decimal_places=2, **common)
        case FieldType.YES_NO:
            return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
        case FieldType.CHOICE:
            return forms.ChoiceField(choices=[("", "—"), *choices], **common)
        case FieldType.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        case _:
            return forms.CharField(max_length=300, **common)


class TransitionForm(forms.Form):
    def __init__(self, transition: TransitionSpec, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        for spec in transition.fields:
            self.fields[spec.name] = _form_field(spec)

    def answers(self) -> dict[str, Any]:
        """The cleaned data in a JSON-safe shape, for the pathway's answers and history."""
        return {name: _json_safe(value) for name, value in self.cleaned_data.items()}


def _json_safe(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    return value


def build_transition_form(
    transition: TransitionSpec, data: dict[str, Any] | None = None, **kwargs
) -> TransitionForm:
    """`data` may be a QueryDict (admin) or a plain dict (API, service)."""
    if data is not None and not hasattr(data, "getlist"):
        data = _as_form_data(data)
    return TransitionForm(transition, data=data, **kwargs)


def _as_form_data(data: dict[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in data.items():
        if isinstance(value, list | tuple):
            query.setlist(name, [str(item) for item in value])
        elif isinstance(value, bool):
            query[name] = "oui" if value else "non"
        elif value is not None:
            query[name] = str(value)
    return query
