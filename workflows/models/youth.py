from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AgeBand


class Youth(models.Model):
    """A young person. Only what the stages need; the rest lives in a pathway's answers."""

    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date de naissance"), null=True, blank=True)
    # Set when the young person is first recorded (workflows.rules.age_band); it outlives the
    # date of birth, which anonymisation removes.
    age_band_at_entry = models.CharField(
        _("tranche d'âge à l'entrée"), max_length=8, choices=AgeBand.choices, blank=True
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    priority_neighbourhood = models.ForeignKey(
        "territories.PriorityNeighbourhood",
        verbose_name=_("QPV"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_given = models.BooleanField(
        _("consentement recueilli"),
        default=False,
        help_text=_("Le jeune accepte que la Mission Locale conserve ses coordonnées."),
    )
    consent_recorded_at = models.DateTimeField(
        _("consentement recueilli le"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    anonymised_at = models.DateTimeField(
        _("anonymisé le"),
        null=True,
        blank=True,
        help_text=_(
            "Après la durée de conservation sans contact de la Mission Locale (deux ans par "
            "défaut), les données personnelles sont effacées."
        ),
    )

    class Meta:
        verbose_name = _("jeune")
        verbose_name_plural = _("jeunes")
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
