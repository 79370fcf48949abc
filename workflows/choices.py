"""Vocabularies shared by the workflow and the pages that feed it (the public site imports
them; they import nothing)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The roles are Django groups, named here so that the models (which may not import the
# policies) can offer them; `policies` says what each one may see and do.
COORDINATORS = "Coordinateurs"
COUNSELLORS = "Conseillers"
MEDIATORS = "Médiateurs"
ROLES = (COORDINATORS, COUNSELLORS, MEDIATORS)
# Not a workflow role: reads no caseload, but answers the young people's requests (access,
# rectification, erasure) and reads the access log, for their organisation.
DATA_PROTECTION_OFFICERS = "Délégués à la protection des données"
# Not a workflow role either: the Mission Locale's management reads its figures (the
# "Indicateurs" dashboard, its exports and the API) and nothing else.
DIRECTION = "Direction"
# A regional association of Missions Locales: its members read the figures of the network's
# organisations together, small counts hidden (indicators.models.Network), nothing else.
NETWORK = "Réseau"


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


class StageCategory(models.TextChoices):
    """The fixed family of every stage. Coordinators name and reorder stages freely; reports
    count by category, so they survive any edit of the definition."""

    IDENTIFICATION = "identification", _("Repérage")
    RECEPTION = "reception", _("Premier accueil")
    ASSESSMENT = "assessment", _("Diagnostic")
    REFERRAL = "referral", _("Orientation")
    SUPPORT = "support", _("Accompagnement")
    LOST_CONTACT = "lost_contact", _("Sans nouvelles")
    EXIT = "exit", _("Sortie")


class FieldType(models.TextChoices):
    """The kinds of question a transition may ask, as Wagtail's form builder offers them."""

    TEXT = "text", _("Texte court")
    LONG_TEXT = "long_text", _("Texte long")
    DATE = "date", _("Date")
    NUMBER = "number", _("Nombre")
    YES_NO = "yes_no", _("Oui / non")
    CHOICE = "choice", _("Choix unique")
    MULTIPLE_CHOICE = "multiple_choice", _("Choix multiple")


class TimerKind(models.TextChoices):
    """When the daily task fires a timed transition by itself (a coordinator's choice in the
    definition; workflows.services.timed_transitions)."""

    NO_CONTACT = "no_contact", _("après N jours dans l'étape de départ sans contact")
    IN_STAGE = "in_stage", _("après N jours dans l'étape de départ")


class ContactKind(models.TextChoices):
    """How a counsellor or mediator was in touch with the young person."""

    INTERVIEW = "interview", _("Entretien")
    CALL = "call", _("Appel")
    SMS = "sms", _("SMS")
    WORKSHOP = "workshop", _("Atelier")
    VISIT = "visit", _("Visite")


class AgeBand(models.TextChoices):
    """A young person's age when they were first recorded: kept after anonymisation, when
    the date of birth is gone, for the figures by age."""

    UNDER_16 = "0-15", _("moins de 16 ans")
    FROM_16_TO_17 = "16-17", _("16-17 ans")
    FROM_18_TO_21 = "18-21", _("18-21 ans")
    FROM_22_TO_25 = "22-25", _("22-25 ans")
    FROM_26 = "26+", _("26 ans et plus")


class ReferentChange(models.TextChoices):
    """The Wagtail log actions that record, in a pathway's history, who became its référent
    (registered in wagtail_hooks, written by services.assignment, read by the timeline)."""

    TAKEN = "workflows.pathway.take", _("Pris en charge")
    ASSIGNED = "workflows.pathway.assign", _("Attribué à un référent")
