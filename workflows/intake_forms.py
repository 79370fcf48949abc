"""What every form that records a young person shares: the intake rule is checked by the
service (`services.pathways.validate_intake`), and each form only words its refusals for its
reader, the young person ("tu") on the public site, staff ("vous") in the admin."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError

from .rules import CONTACT_REQUIRED
from .services.pathways import validate_intake


class IntakeForm(forms.Form):
    """The base of a form with `consent`, `phone` and `email` fields; call `check_intake` from
    `clean()`."""

    # Refusal code -> the message this form's reader sees.
    INTAKE_WORDING: ClassVar[dict[str, Any]] = {}
    # Where "a phone or an e-mail" is said: beside the phone, or beside both fields.
    CONTACT_REQUIRED_FIELDS: ClassVar[tuple[str, ...]] = ("phone",)

    def check_intake(self, cleaned: dict[str, Any], *, source: str) -> None:
        try:
            validate_intake(
                consent=cleaned.get("consent", False),
                source=source,
                phone=cleaned.get("phone", ""),
                email=cleaned.get("email", ""),
            )
        except ValidationError as error:
            self._show_intake_refusal(error)

    def _show_intake_refusal(self, error: ValidationError) -> None:
        """Each refusal beside its field, in this form's words, unless a field already shows
        why (an e-mail typed wrong is not a missing one)."""
        for field, refusals in error.error_dict.items():
            for refusal in refusals:
                code = refusal.code or ""
                if code == CONTACT_REQUIRED:
                    fields, shown_already = self.CONTACT_REQUIRED_FIELDS, ("phone", "email")
                else:
                    fields, shown_already = (field,), (field,)
                if any(self.has_error(name) for name in shown_already):
                    continue
                wording = self.INTAKE_WORDING.get(code, refusal.messages[0])
                for name in fields:
                    self.add_error(name, wording)
