from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import StageCategory


class TransitionRecord(models.Model):
    """One line of a pathway's history, written once per change. Labels are copied in, and
    the record points at the definition revision it ran under, so a stage dropped later
    stays readable."""

    class Kind(models.TextChoices):
        START = "start", _("Création du parcours")
        TRANSITION = "transition", _("Transition")
        MOVE = "move", _("Déplacement à la publication")
        EXPIRY = "expiry", _("Clôture sans contact")

    pathway = models.ForeignKey(
        "workflows.Pathway",
        verbose_name=_("parcours"),
        on_delete=models.CASCADE,
        related_name="history",
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    # Now by default; a history written for a test or a benchmark may give its own times.
    created_at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    transition_code = models.CharField(_("code de la transition"), max_length=50, blank=True)
    transition_label = models.CharField(_("transition"), max_length=150, blank=True)
    from_stage = models.CharField(_("depuis (code)"), max_length=50, blank=True)
    from_stage_label = models.CharField(_("depuis"), max_length=150, blank=True)
    to_stage = models.CharField(_("vers (code)"), max_length=50)
    to_stage_label = models.CharField(_("vers"), max_length=150)
    to_category = models.CharField(_("catégorie"), max_length=20, choices=StageCategory.choices)
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("version de la définition"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action_results = models.JSONField(_("actions automatiques"), default=list, blank=True)
    # Fired by the daily task on a timed transition (workflows.services.timed_transitions),
    # not by a person: the rule that fired it, in the words of the definition.
    automatic = models.BooleanField(_("automatique"), default=False)
    trigger = models.CharField(_("règle automatique"), max_length=200, blank=True)

    # What the figures (indicators) read off the history, written with the record by
    # workflows.services.history so that counting is a query, not a walk of every pathway:
    # the category the pathway came from ("" for its creation), whether this is its first
    # entry into `to_category`, when it left that stage (the next record's time; null while
    # it stands there), and what the tagged answers meant (workflows.reporting) under the
    # revision the record ran with.
    from_category = models.CharField(
        _("catégorie de départ"), max_length=20, choices=StageCategory.choices, blank=True
    )
    first_in_category = models.BooleanField(_("première entrée dans la catégorie"), default=False)
    left_at = models.DateTimeField(_("quittée le"), null=True, blank=True)
    programme = models.CharField(_("dispositif (indicateurs)"), max_length=20, blank=True)
    exit_outcome = models.CharField(
        _("issue de la sortie (indicateurs)"), max_length=20, blank=True
    )

    class Meta:
        verbose_name = _("étape franchie")
        verbose_name_plural = _("historique des parcours")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["pathway", "-created_at"]),
            # The stays in a category still open at a period's start (indicators).
            models.Index(fields=["to_category", "left_at"], name="history_stay_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage_label or '—'} → {self.to_stage_label}"
