"""What a young person may type as a first name on the public site: letters of any alphabet
(accents included), spaces, apostrophes and hyphens. The "être recontacté" form checks it,
and the contact API goes through that same form, so both refuse with the same words.

Why here and not in `workflows.rules`: only the public site takes a name from an unknown
visitor. Staff transcribe names from documents in the quick repérage and the workflow API,
and a rule that refused a real name there would stop a young person from being recorded."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INVALID_FIRST_NAME = "invalid_first_name"
FIRST_NAME_SEPARATORS = frozenset(" '’-")
FIRST_NAME_MESSAGE = _(
    "Écris ton prénom avec des lettres : seuls les espaces, les apostrophes et les traits "
    "d'union sont acceptés en plus (par exemple Marie-Ève ou N'Diaye)."
)


def normalise_first_name(raw: str) -> str:
    """The composed form (NFC): an "é" typed as "e" plus an accent becomes one letter, as
    the name is then stored, compared and searched."""
    return unicodedata.normalize("NFC", raw.strip())


def is_plausible_first_name(value: str) -> bool:
    """Starts with a letter; then letters, the accents that go on them, spaces, apostrophes
    (' and ’) and hyphens. A leading letter also keeps a formula sign (=, +, -, @) out."""
    name = normalise_first_name(value)
    if not name or not unicodedata.category(name[0]).startswith("L"):
        return False
    for char in name[1:]:
        category = unicodedata.category(char)
        if not (category[0] in "LM" or char in FIRST_NAME_SEPARATORS):
            return False
    return True


def validate_first_name(value: str) -> None:
    """A Django validator: the form field and anything else taking a visitor's name."""
    if not is_plausible_first_name(value):
        raise ValidationError(FIRST_NAME_MESSAGE, code=INVALID_FIRST_NAME)
