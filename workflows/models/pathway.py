"""A pathway: one young person's journey through a definition. Its stage lives in a
protected FSMField and changes only through `workflows.services.transitions`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from ..choices import PathwaySource, StageCategory
from ..rules import stage_entry, starts_from

if TYPE_CHECKING:
    from ..specs import StageSpec, TransitionSpec


def _defined_from_current_stage(pathway: Pathway) -> bool:
    """django-fsm's condition: the transition being fired belongs to the published
    definition and starts from the stage the pathway stands in now."""
    considered = pathway._considered_transition
    return considered is not None and starts_from(considered, pathway.stage)


class Pathway(ConcurrentTransitionMixin, models.Model):
    youth = models.ForeignKey(
        "workflows.Youth",
        verbose_name=_("jeune"),
        on_delete=models.CASCADE,
        related_name="pathways",
    )
    definition = models.ForeignKey(
        "workflows.WorkflowDefinition",
        verbose_name=_("définition"),
        on_delete=models.PROTECT,
        related_name="pathways",
    )
    # Set once at creation (services.pathways.start_pathway); every scope starts from it.
    organisation = models.ForeignKey(
        "territories.Organisation",
        verbose_name=_("Mission Locale"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=True,
    )
    stage = FSMField(_("étape"), max_length=50, protected=True)
    # Denormalised from the definition so lists filter on stored columns; kept in step by
    # every transition and by publishing.
    stage_category = models.CharField(_("catégorie"), max_length=20, choices=StageCategory.choices)
    version = models.PositiveIntegerField(
        _("version"), default=0, help_text=_("Augmente à chaque transition (verrou optimiste).")
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("référent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referred_pathways",
    )
    identified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("repéré par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="identified_pathways",
    )
    antenna = models.ForeignKey(
        "territories.Antenna",
        verbose_name=_("antenne"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("origine"), max_length=20, choices=PathwaySource.choices)
    outreach_round = models.ForeignKey(
        "workflows.OutreachRound",
        verbose_name=_("maraude"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pathways",
    )
    needs = models.JSONField(_("besoins"), default=list, blank=True)
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    entered_stage_at = models.DateTimeField(_("dans l'étape depuis"))
    last_contact_at = models.DateTimeField(_("dernier contact"), null=True, blank=True)
    due_on = models.DateField(
        _("à relancer le"),
        null=True,
        blank=True,
        help_text=_("Calculée à chaque transition et contact d'après les délais de l'étape."),
    )
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)

    class Meta:
        verbose_name = _("parcours")
        verbose_name_plural = _("parcours")
        constraints = [
            models.UniqueConstraint(
                fields=["youth"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_pathway_per_youth",
                violation_error_message=_("Ce jeune a déjà un parcours en cours."),
            )
        ]
        indexes = [
            # The board's per-stage "most urgent first" LIMIT reads this index in order.
            models.Index(fields=["definition", "stage", "due_on", "-entered_stage_at", "id"]),
            models.Index(fields=["referent", "stage"]),
            models.Index(fields=["organisation", "stage_category"]),
            models.Index(fields=["antenna", "stage"]),
            models.Index(fields=["stage_category"]),
            models.Index(fields=["due_on"]),
        ]

    # The definition transition `move` is asked about; see `considering`.
    _considered_transition: TransitionSpec | None = None

    def __str__(self) -> str:
        return f"{self.youth} — {self.stage}"

    @contextmanager
    def considering(self, transition: TransitionSpec) -> Iterator[None]:
        """Inside this block, django-fsm's `can_proceed(pathway.move)` and `pathway.move`
        judge `transition`: django-fsm hands its conditions the instance only, so this is
        how they learn which transition of the definition is meant."""
        self._considered_transition = transition
        try:
            yield
        finally:
            self._considered_transition = None

    @transition(
        field=stage,
        source="*",
        target=RETURN_VALUE(),
        conditions=[_defined_from_current_stage],
    )
    def move(self, spec: TransitionSpec, target: StageSpec) -> str:
        """The one django-fsm transition: its target is the definition's, not the code's.
        Fire it inside `considering(spec)`. It sets what entering the stage changes
        (workflows.rules.stage_entry); django-fsm then sets the stage."""
        entry = stage_entry(
            target,
            now=timezone.now(),
            last_contact_at=self.last_contact_at,
            previous_version=self.version,
        )
        for column, value in entry.items():
            setattr(self, column, value)
        return target.code
