"""What an editor is told when the choices do not make a schedule, field by field."""

from __future__ import annotations

from django.utils.translation import gettext

from .expansion import first_regular_date
from .recurrence import Recurrence
from .rfc5545 import structural_errors


def validate(recurrence: Recurrence) -> dict[str, str]:
    """Field name -> French message for the editor; empty when the rule is valid. The end
    time may be left empty ("à partir de 14 h"), never before the start."""
    errors = structural_errors(
        recurrence.frequency,
        tuple(recurrence.weekdays),
        tuple(recurrence.month_weeks),
        recurrence.interval,
    )
    if recurrence.end_time is not None and recurrence.end_time <= recurrence.start_time:
        errors["end_time"] = gettext("L'heure de fin doit être après l'heure de début.")
    if recurrence.end_date is not None:
        if recurrence.end_date < recurrence.start_date:
            errors["end_date"] = gettext(
                "La date de fin doit être le même jour que la date de début ou après."
            )
        elif not errors and first_regular_date(recurrence) > recurrence.end_date:
            errors["end_date"] = gettext(
                "Aucune date de cette règle ne tombe entre la date de début et la date de fin."
            )
    return errors
