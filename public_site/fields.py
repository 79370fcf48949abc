"""A multiple-choice model field that works the same on SQLite and PostgreSQL.

Editors tick boxes (services of a permanence, weeks of the month); the values are stored as
one comma-separated string, which revisions, previews and the API all read back as a list."""

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core import exceptions
from django.db import models
from django.db.models.expressions import Combinable
from django.utils.translation import gettext_lazy as _


class ChoiceListField(models.CharField):
    """A list of values taken from `choices`, edited as checkboxes."""

    # What django-stubs reads as the Python type of the field (a list, not the CharField's
    # str); annotations only, nothing at run time.
    _pyi_private_set_type: list[Any] | Combinable
    _pyi_private_get_type: list[Any]

    def __init__(
        self,
        *args: Any,
        item_choices: Iterable[tuple[Any, Any]] = (),
        coerce: Callable[[str], Any] = str,
        **kwargs: Any,
    ) -> None:
        self.item_choices = list(item_choices)
        self.coerce = coerce
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        if self.coerce is not str:
            kwargs["coerce"] = self.coerce
        if kwargs.get("max_length") == 100:
            del kwargs["max_length"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    def to_python(self, value: Any) -> list:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            value = value.split(",")
        try:
            return [self.coerce(item) for item in value if item != ""]
        except (TypeError, ValueError) as error:
            raise exceptions.ValidationError(_("Valeur invalide."), code="invalid") from error

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> list:
        return self.to_python(value)

    def get_prep_value(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        return ",".join(str(item) for item in (value or []))

    def value_to_string(self, obj: models.Model) -> str:
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        allowed = {choice for choice, _label in self.item_choices}
        for item in value or []:
            if item not in allowed:
                raise exceptions.ValidationError(
                    _("« %(value)s » n'est pas un choix possible."),
                    code="invalid_choice",
                    params={"value": item},
                )
        if not self.blank and not value:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs: Any) -> forms.Field:
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.item_choices,
            "coerce": self.coerce,
            "required": not self.blank,
            "widget": forms.CheckboxSelectMultiple,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        defaults.pop("max_length", None)
        defaults.pop("empty_value", None)
        return form_class(**defaults)

    def labels(self, value: Iterable[Any]) -> list[str]:
        names = dict(self.item_choices)
        return [str(names.get(item, item)) for item in value]
