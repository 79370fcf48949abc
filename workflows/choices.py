"""Vocabularies shared by the workflow and the pages that feed it (the public site imports
them; they import nothing)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedArea(models.TextChoices):
    """The areas a young person may need help with: a diagnostic covers each of them, a
    permanence offers some of them, the "être recontacté" form asks which ones."""

    EMPLOYMENT = "employment", _("Emploi")
    TRAINING = "training", _("Formation")
    HEALTH = "health", _("Santé")
    HOUSING = "housing", _("Logement")
    MOBILITY = "mobility", _("Mobilité")
    RESOURCES = "resources", _("Ressources")


class PathwaySource(models.TextChoices):
    """How a young person came to the Mission Locale; reported to the comité de pilotage."""

    OUTREACH_ROUND = "outreach_round", _("Maraude")
    PERMANENCE = "permanence", _("Permanence")
    PARTNER = "partner", _("Partenaire")
    WEBSITE = "website", _("Site web")
    WALK_IN = "walk_in", _("Accueil spontané")
