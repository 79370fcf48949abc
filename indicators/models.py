"""A network of Missions Locales (a regional association): its members read the figures of
all of them at once, summed, with small counts hidden (indicators.disclosure), and nothing
else of theirs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.forms import CheckboxSelectMultiple
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class Network(models.Model):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    organisations: models.ManyToManyField = models.ManyToManyField(
        "territories.Organisation",
        verbose_name=_("Missions Locales"),
        related_name="+",
        help_text=_("Les Missions Locales dont le réseau lit les chiffres, additionnés."),
    )
    members: models.ManyToManyField = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membres"),
        related_name="figure_networks",
        blank=True,
        help_text=_(
            "Ils lisent les indicateurs du réseau (les nombres de 1 à 4 masqués), rien d'autre."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("organisations", widget=CheckboxSelectMultiple),
        FieldPanel("members"),
    ]

    class Meta:
        verbose_name = _("réseau de Missions Locales")
        verbose_name_plural = _("réseaux de Missions Locales")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
