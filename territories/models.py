"""Communes, priority neighbourhoods (QPV) and the Mission Locale's antennas.

Facts come from public sources (see fixtures/territories.json); a fact that could not be
found is left empty and its `source` says so, rather than being invented."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
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

    @property
    def postcode_list(self) -> list[str]:
        """The postcodes typed in one box ("12850, 12000"), in their order."""
        return [code.strip() for code in self.postcodes.split(",") if code.strip()]

    @property
    def first_postcode(self) -> str:
        return next(iter(self.postcode_list), "")


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


class Organisation(index.Indexed, ClusterableModel):
    """A Mission Locale. In France each commune is covered by exactly one; several share this
    install, each with its own staff, workflow and pages, and nobody sees another's young
    people. Contact details that could not be found stay empty."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    short_name = models.CharField(
        _("nom court"),
        max_length=80,
        help_text=_("Pour les menus et les listes, par exemple « Aveyron »."),
    )
    slug = models.SlugField(
        _("identifiant d'adresse"),
        max_length=80,
        unique=True,
        help_text=_("Sert dans les adresses, par exemple « aveyron »."),
    )
    postal_address = models.TextField(
        _("adresse postale"), blank=True, help_text=_("Laisser vide si elle n'est pas connue.")
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    opening_hours = models.TextField(
        _("horaires d'ouverture"),
        blank=True,
        help_text=_("En clair, par exemple « du lundi au vendredi, 9 h – 12 h et 14 h – 17 h »."),
    )
    source = models.TextField(_("source"), blank=True)
    # Where a request lands when no covered commune names an antenna (no commune given, or
    # a commune whose coverage has none): without it, nobody would see the request.
    default_antenna = models.ForeignKey(
        "Antenna",
        verbose_name=_("antenne par défaut"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_(
            "Reçoit les demandes des jeunes sans commune, ou d'une commune sans antenne choisie."
        ),
    )
    # CNIL guidance for social support records: two years after the last contact at most.
    # At least one year, so that a typing slip (30 for 300) cannot anonymise a whole
    # organisation's young people overnight.
    retention_days = models.PositiveIntegerField(
        _("durée de conservation sans contact (jours)"),
        default=730,
        validators=[MinValueValidator(365), MaxValueValidator(730)],
        help_text=_(
            "Sans contact pendant ce nombre de jours, un parcours est clos automatiquement, "
            "puis les données du jeune sont anonymisées. Entre 365 et 730 jours (deux ans, "
            "la durée maximale recommandée par la CNIL)."
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("short_name"), FieldPanel("slug")]),
        MultiFieldPanel(
            [
                FieldPanel("postal_address"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("website"),
                FieldPanel("opening_hours"),
            ],
            heading=_("Contact public"),
        ),
        FieldPanel("retention_days"),
        FieldPanel("default_antenna"),
        InlinePanel(
            "coverage",
            heading=_("Communes couvertes"),
            label=_("commune"),
            help_text=_(
                "Chaque commune relève d'une seule Mission Locale ; l'antenne choisie reçoit "
                "les demandes des jeunes qui y habitent."
            ),
        ),
        FieldPanel("source"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("short_name"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("Mission Locale")
        verbose_name_plural = _("Missions Locales")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if (
            self.default_antenna_id is not None
            and self.pk is not None
            and self.default_antenna.organisation_id != self.pk
        ):
            raise ValidationError(
                {"default_antenna": _("Choisissez une antenne de cette Mission Locale.")},
                code="antenna_of_another_organisation",
            )


class Antenna(index.Indexed, models.Model):
    """One of a Mission Locale's own offices."""

    name = models.CharField(_("nom"), max_length=150)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Mission Locale"),
        related_name="antennas",
        on_delete=models.PROTECT,
        help_text=_("La Mission Locale dont dépend l'antenne."),
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
    search_fields = [index.SearchField("name"), index.FilterField("organisation_id")]

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("antenne")
        verbose_name_plural = _("antennes")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unique_antenna_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CommuneCoverage(models.Model):
    """Which Mission Locale covers a commune, and which of its antennas receives the requests
    of the young people who live there. A commune has at most one row: a Mission Locale
    covers it, or none does (yet)."""

    organisation = ParentalKey(
        Organisation,
        verbose_name=_("Mission Locale"),
        related_name="coverage",
        on_delete=models.CASCADE,
    )
    commune = models.OneToOneField(
        Commune,
        verbose_name=_("commune"),
        related_name="coverage",
        on_delete=models.PROTECT,
        error_messages={"unique": _("Cette commune est déjà couverte par une Mission Locale.")},
    )
    antenna = models.ForeignKey(
        Antenna,
        verbose_name=_("antenne"),
        related_name="covered_communes",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("L'antenne qui reçoit les demandes des jeunes de cette commune."),
    )

    panels = [FieldRowPanel([FieldPanel("commune"), FieldPanel("antenna")])]

    class Meta:
        ordering = ["commune__name"]
        verbose_name = _("commune couverte")
        verbose_name_plural = _("communes couvertes")

    def __str__(self) -> str:
        return str(self.commune)

    def clean(self) -> None:
        super().clean()
        if (
            self.antenna_id is not None
            and self.organisation_id is not None
            and self.antenna.organisation_id != self.organisation_id
        ):
            raise ValidationError(
                {"antenna": _("Choisissez une antenne de cette Mission Locale.")},
                code="antenna_of_another_organisation",
            )
