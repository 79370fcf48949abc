"""What a choice answer means for the figures (issue 15): a coordinator tags a transition's
choice field as the programme (each choice → cej, pacea, other) or as the exit reason (each
choice → positive, neutral, negative), so the figures survive any rewording of the choices.
Pure: the editor's blocks, the publish checks, the specs and the indicators read it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportingTag(models.TextChoices):
    """The meaning of a tagged field; "" (no tag) is the default."""

    PROGRAMME = "programme", _("Dispositif")
    EXIT_REASON = "exit_reason", _("Motif de sortie")


class Programme(models.TextChoices):
    CEJ = "cej", _("CEJ")
    PACEA = "pacea", _("PACEA")
    OTHER = "other", _("Autre")


class ExitOutcome(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutre")
    NEGATIVE = "negative", _("Négative")


# An answer given under no tag, or a choice the map does not know (an older revision).
UNKNOWN = "unknown"

CATEGORIES: dict[str, frozenset[str]] = {
    ReportingTag.PROGRAMME: frozenset(Programme.values),
    ReportingTag.EXIT_REASON: frozenset(ExitOutcome.values),
}


def parse_reporting_map(text: str | None) -> dict[str, str]:
    """The "correspondance" text, one `choice = category` line each, as a dict. A line
    without "=" maps its choice to "" (so the publish check names it); the last "=" splits,
    as a choice may hold one."""
    mapping: dict[str, str] = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        choice, _sep, category = line.rpartition("=") if "=" in line else (line, "", "")
        mapping[choice.strip()] = category.strip().lower()
    return mapping
