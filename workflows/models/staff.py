from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffProfile(models.Model):
    """Ties a staff member to their Mission Locale (every scope starts there) and to an
    antenna: a counsellor sees the pathways of their antenna as well as their own caseload."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    organisation = models.ForeignKey(
        "territories.Organisation",
        verbose_name=_("Mission Locale"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Ce que la personne voit et fait se limite à cette Mission Locale."),
    )
    antenna = models.ForeignKey(
        "territories.Antenna",
        verbose_name=_("antenne"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # The counsellor's weekly summary (workflows.services.weekly_summary), which each one
    # may turn off in their account settings.
    weekly_summary = models.BooleanField(
        _("recevoir le récapitulatif de la semaine par e-mail"),
        default=True,
        help_text=_(
            "Chaque semaine : vos relances à faire et en retard, les demandes à attribuer, les "
            "parcours passés d'eux-mêmes à une autre étape. Des nombres et des liens, aucun nom."
        ),
    )

    class Meta:
        verbose_name = _("profil d'intervenant")
        verbose_name_plural = _("profils d'intervenants")

    def __str__(self) -> str:
        return str(self.user)
