from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutreachRound(models.Model):
    """A maraude: a mediator's round where young people are met. Pathways identified during
    it point back at it."""

    date = models.DateField(_("date"))
    place = models.CharField(_("lieu"), max_length=200)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("médiateur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreach_rounds",
    )
    # Set once from the mediator's profile (services.outreach): lists and edits are scoped by it.
    organisation = models.ForeignKey(
        "territories.Organisation",
        verbose_name=_("Mission Locale"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    young_people_met = models.PositiveIntegerField(_("jeunes rencontrés"), default=0)
    notes = models.TextField(_("observations"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("maraude")
        verbose_name_plural = _("maraudes")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.place} — {self.date:%d/%m/%Y}"
