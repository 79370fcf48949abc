"""Communes, priority neighbourhoods (QPV) and the Mission Locale's antennas.

Facts come from public sources (see fixtures/territories.json); a fact that could not be
found is left empty and its `source` says so, rather than being invented."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index


class Commune(index.Indexed, models.Model):
    name = models.CharField(_("nom"), max_length=150)
    insee_code = models.CharField(
        _("code INSEE"),
        max_length=5,
        unique=True,
        help_text=_("Code officiel géographique à 5 caractères, par exemple 12176."),
    )
    postcodes = models.CharField(
        _("codes postaux"), max_length=100, blank=True, help_text=_("Séparés par des virgules.")
    )
    department = models.CharField(_("département"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    source = models.TextField(_("source"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("insee_code")]),
        FieldRowPanel([FieldPanel("postcodes"), FieldPanel("department")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("source"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("insee_code"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return self.name


class PriorityNeighbourhood(index.Indexed, models.Model):
    """A QPV (quartier prioritaire de la politique de la ville); indicators are broken down
    by it."""

    code = models.CharField(
        _("code"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Code officiel (QP… pour la liste 2015, QN… pour 2024), s'il est connu."),
    )
    name = models.CharField(_("nom"), max_length=150)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        related_name="priority_neighbourhoods",
        on_delete=models.PROTECT,
    )
    source = models.TextField(_("source"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
        FieldPanel("commune"),
        FieldPanel("source"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["commune__name", "name"]
        verbose_name = _("quartier prioritaire (QPV)")
        verbose_name_plural = _("quartiers prioritaires (QPV)")
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="unique_qpv_name_per_commune")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.commune.name})"


class Antenna(index.Indexed, models.Model):
    """One of the Mission Locale's own offices."""

    name = models.CharField(_("nom"), max_length=150)
    organisation = models.CharField(
        _("Mission Locale"), max_length=200, help_text=_("La Mission Locale dont dépend l'antenne.")
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        related_name="antennas",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    address = models.TextField(
        _("adresse"), blank=True, help_text=_("Laisser vide si l'adresse n'est pas connue.")
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    source = models.TextField(_("source"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("organisation")]),
        FieldPanel("commune"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Coordonnées"),
        ),
        FieldPanel("source"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("organisation")]

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("antenne")
        verbose_name_plural = _("antennes")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unique_antenna_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name
