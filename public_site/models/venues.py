"""Partner venues where permanences take place (CCAS, pôle social, médiathèque…), and the
`Place` a page shows: a partner venue, or one of the Mission Locale's own antennas."""

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from urllib.parse import urlencode

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from territories.models import Antenna, Commune


@dataclass(frozen=True)
class Place:
    """Where a permanence happens, read the same way whether it is a partner venue or an
    antenna. Unknown facts stay empty: a young person is never sent to an invented street."""

    name: str
    address: str
    commune_name: str
    postcode: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    accessibility: str = ""
    opening_notes: str = ""
    kind_label: str = ""

    @property
    def full_address(self) -> str:
        """One line, as a calendar or a map search wants it."""
        locality = f"{self.postcode} {self.commune_name}".strip()
        street = self.address.replace("\n", ", ")
        return ", ".join(part for part in (self.name, street, locality) if part)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def map_url(self) -> str:
        """A plain link to OpenStreetMap: no embedded map, no third-party script on our pages."""
        if self.has_coordinates:
            return (
                f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
                f"#map=18/{self.latitude}/{self.longitude}"
            )
        return "https://www.openstreetmap.org/search?" + urlencode({"query": self.full_address})

    @property
    def geo_uri(self) -> str:
        """Opens the phone's own map application."""
        return f"geo:{self.latitude},{self.longitude}" if self.has_coordinates else ""


def _first_postcode(commune: Commune | None) -> str:
    return commune.first_postcode if commune is not None else ""


def antenna_place(antenna: Antenna) -> Place:
    commune = antenna.commune
    return Place(
        name=f"{antenna.organisation.name}, antenne {antenna.name}"
        if antenna.name != antenna.organisation.name
        else antenna.name,
        address=antenna.address,
        commune_name=commune.name if commune is not None else "",
        postcode=_first_postcode(commune),
        latitude=antenna.latitude,
        longitude=antenna.longitude,
        kind_label=str(_("Antenne de la Mission Locale")),
    )


class VenueType(models.TextChoices):
    CCAS = "ccas", _("CCAS (centre communal d'action sociale)")
    SOCIAL_POLE = "social_pole", _("Pôle social")
    SOCIAL_CENTRE = "social_centre", _("Centre social")
    MEDIA_LIBRARY = "media_library", _("Médiathèque")
    YOUTH_VENUE = "youth_venue", _("Lieu jeunesse")
    OTHER = "other", _("Autre")


class Venue(index.Indexed, models.Model):
    """A partner's premises. An unknown address stays empty and `source` says so: a young
    person must never be sent to an invented street."""

    name = models.CharField(_("nom"), max_length=200)
    venue_type = models.CharField(
        _("type de lieu"), max_length=20, choices=VenueType.choices, default=VenueType.OTHER
    )
    address = models.TextField(
        _("adresse"),
        blank=True,
        help_text=_("Numéro et rue. Laisser vide si l'adresse n'est pas connue."),
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), related_name="venues", on_delete=models.PROTECT
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    accessibility = models.TextField(
        _("accessibilité"),
        blank=True,
        help_text=_("Accès en fauteuil roulant, ascenseur, transports en commun…"),
    )
    opening_notes = models.TextField(_("informations d'ouverture"), blank=True)
    source = models.TextField(
        _("source"),
        blank=True,
        help_text=_("D'où viennent ces informations, et ce qui n'a pas été trouvé."),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("venue_type")]),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("commune"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Où se trouve le lieu"),
        ),
        FieldPanel("accessibility"),
        FieldPanel("opening_notes"),
        FieldPanel("source"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("address"),
        index.FilterField("commune"),
    ]

    class Meta:
        ordering = ["commune__name", "name"]
        verbose_name = _("lieu partenaire")
        verbose_name_plural = _("lieux partenaires")
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="unique_venue_per_commune")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.commune.name})"

    @cached_property
    def place(self) -> Place:
        """Built once per instance: lists read its address, map link and label per line."""
        return Place(
            name=self.name,
            address=self.address,
            commune_name=self.commune.name,
            postcode=_first_postcode(self.commune),
            latitude=self.latitude,
            longitude=self.longitude,
            accessibility=self.accessibility,
            opening_notes=self.opening_notes,
            kind_label=str(self.get_venue_type_display()),
        )

    @property
    def full_address(self) -> str:
        return self.place.full_address

    @property
    def map_url(self) -> str:
        return self.place.map_url

    @property
    def geo_uri(self) -> str:
        return self.place.geo_uri
