"""Input read as the schema types it. DRF is lenient in two ways the schema does not say:
a date, a number or a choice sent empty in a query string or a form (`?start=`) is read as
absent, and a JSON number where text is expected (`"comment": 0`) becomes "0". Here both
are a 400: the empty string is no date, number, reference or listed value, and 0 is no
text. Free text (`allow_blank`) may still be empty."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

EMPTY_PARAMETER = _("Ce paramètre ne peut pas être vide : retirez-le ou donnez-lui une valeur.")
TEXT_EXPECTED = _("Un texte (chaîne de caractères) est attendu.")


def empty_parameter_errors(data: Mapping[str, Any], names: Iterable[str]) -> dict[str, list[str]]:
    """{name: [message]} for each of `names` present in `data` with an empty value."""
    return {name: [str(EMPTY_PARAMETER)] for name in names if name in data and data[name] == ""}


class StrictInputMixin:
    """Mixed into a serializer that reads a request (its body or its query string)."""

    def to_internal_value(self, data: Any) -> Any:
        fields = [(name, field) for name, field in self.fields.items() if not field.read_only]  # type: ignore[attr-defined]
        if hasattr(data, "getlist"):  # a query string or a form: every value is text
            typed = [name for name, field in fields if not getattr(field, "allow_blank", False)]
            errors = empty_parameter_errors(data, typed)
        elif isinstance(data, Mapping):  # JSON
            errors = {
                name: [str(TEXT_EXPECTED)]
                for name, field in fields
                if isinstance(field, serializers.CharField)
                and data.get(name) is not None
                and not isinstance(data[name], str)
            }
            # DRF reads "" as null for a reference (a commune's code): the schema does not.
            references = [
                name
                for name, field in fields
                if isinstance(field, serializers.RelatedField) and name not in errors
            ]
            errors.update(empty_parameter_errors(data, references))
        else:
            errors = {}
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictSerializer(StrictInputMixin, serializers.Serializer):
    """A plain serializer of request input, read as the schema types it."""
