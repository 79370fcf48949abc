"""Permanences: a counsellor's recurring office hours at a partner venue, and their agenda.

Editors set each schedule rule with plain French choices; the RFC 5545 rule is derived from
them (schedules.to_rrule) and stored for the API and the iCalendar feed. Expansion into dates
is done by public_site.schedules; bulk reads live in public_site.selectors."""

import uuid
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from rest_framework import serializers
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from page_cache.mixins import CachedPageMixin
from public_site import schedules
from public_site.fields import ChoiceListField
from workflows.choices import NeedArea

from .venues import Place, Venue, antenna_place

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"
# The "ical" route of a page; Wagtail only serves paths that end with a slash and have no
# dot, so the file name (.ics) is given by Content-Disposition.
ICS_FILENAME = "calendrier/"
NEXT_DATES_WEEKS = 8


class AccessMode(models.TextChoices):
    WALK_IN = "walk_in", _("Sans rendez-vous")
    APPOINTMENT = "appointment", _("Sur rendez-vous")
    BOTH = "both", _("Avec ou sans rendez-vous")


class ExceptionKind(models.TextChoices):
    CANCELLED = "cancelled", _("Annulée ce jour-là")
    EXTRA = "extra", _("Date en plus")


# The columns of a rule that its dates depend on: bulk readers fetch only these.
RECURRENCE_FIELDS = (
    "frequency",
    "weekday",
    "month_weeks",
    "start_time",
    "end_time",
    "start_date",
    "end_date",
)


def build_recurrence(
    values: dict, exceptions: Iterable[tuple[str, date, str]]
) -> schedules.Recurrence:
    """A rule's RECURRENCE_FIELDS and its (kind, date, reason) exceptions as the schedule
    functions want them. Shared by rule objects and the row readers of the agenda, which
    skip building objects for 200 rules to show a few dates."""
    exceptions = list(exceptions)
    return schedules.Recurrence(
        frequency=values["frequency"],
        weekday=values["weekday"],
        start_date=values["start_date"],
        start_time=values["start_time"],
        end_time=values["end_time"],
        month_weeks=tuple(values["month_weeks"] or ()),
        end_date=values["end_date"],
        cancelled={
            day: reason for kind, day, reason in exceptions if kind == ExceptionKind.CANCELLED
        },
        extra_dates=tuple(
            sorted(day for kind, day, _ in exceptions if kind == ExceptionKind.EXTRA)
        ),
    )


class ScheduleRule(ClusterableModel, Orderable):
    """One recurring series ("1er et 3e mardis du mois, de 9 h à 12 h") of a permanence."""

    page = ParentalKey(
        "public_site.PermanencePage", related_name="schedule_rules", on_delete=models.CASCADE
    )
    # The iCalendar UID: stable across edits, revisions and publishing.
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    frequency = models.CharField(
        _("fréquence"),
        max_length=20,
        choices=schedules.Frequency.choices,
        default=schedules.Frequency.WEEKLY,
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=schedules.WEEKDAY_CHOICES)
    month_weeks = ChoiceListField(
        _("semaines du mois"),
        max_length=20,
        item_choices=schedules.MONTH_WEEK_CHOICES,
        coerce=int,
        help_text=_("Seulement pour « Certaines semaines du mois » : cocher 1er, 3e, dernier…"),
    )
    start_time = models.TimeField(_("heure de début"))
    end_time = models.TimeField(_("heure de fin"))
    start_date = models.DateField(
        _("à partir du"), help_text=_("Première date possible de la permanence.")
    )
    end_date = models.DateField(
        _("jusqu'au"),
        null=True,
        blank=True,
        help_text=_("Laisser vide si la permanence continue sans date de fin."),
    )
    rrule = models.CharField(
        _("règle iCalendar (RFC 5545)"), max_length=255, blank=True, editable=False
    )

    panels = [
        FieldRowPanel([FieldPanel("frequency"), FieldPanel("weekday")]),
        FieldPanel("month_weeks"),
        FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        InlinePanel(
            "exceptions",
            heading=_("Annulations et dates en plus"),
            label=_("exception"),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("horaire")
        verbose_name_plural = _("horaires")

    def __str__(self) -> str:
        return self.describe()

    def recurrence(
        self, exceptions: list["ScheduleException"] | None = None
    ) -> schedules.Recurrence:
        """The rule as the pure schedule functions want it. `exceptions` lets a bulk reader
        pass rows it already fetched; otherwise the relation is read (in memory in preview)."""
        if exceptions is None:
            exceptions = list(self.exceptions.all())
        return build_recurrence(
            {field: getattr(self, field) for field in RECURRENCE_FIELDS},
            [(item.kind, item.date, item.reason) for item in exceptions],
        )

    def describe(self) -> str:
        if None in (self.weekday, self.start_time, self.end_time, self.start_date):
            return ""
        return schedules.describe(self.recurrence(exceptions=[]))

    def clean(self) -> None:
        super().clean()
        if None in (self.weekday, self.start_time, self.end_time, self.start_date):
            return  # the missing fields already carry their own "required" error
        errors = schedules.validate(self.recurrence(exceptions=[]))
        if errors:
            raise ValidationError(errors)
        # Set here too, so that a draft revision (never saved to the table) carries it.
        self.rrule = schedules.to_rrule(self.recurrence(exceptions=[]))

    def save(self, *args, **kwargs) -> None:
        self.rrule = schedules.to_rrule(self.recurrence(exceptions=[]))
        super().save(*args, **kwargs)


class ScheduleException(Orderable):
    """A date taken out of a series (kept on the page, marked cancelled) or added to it."""

    rule = ParentalKey(ScheduleRule, related_name="exceptions", on_delete=models.CASCADE)
    kind = models.CharField(
        _("type"), max_length=10, choices=ExceptionKind.choices, default=ExceptionKind.CANCELLED
    )
    date = models.DateField(_("date"))
    reason = models.CharField(
        _("raison"),
        max_length=200,
        blank=True,
        help_text=_("Affichée aux jeunes, par exemple « congés » ou « formation de l'équipe »."),
    )

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]), FieldPanel("reason")]

    class Meta(Orderable.Meta):
        verbose_name = _("exception")
        verbose_name_plural = _("exceptions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.date:%d/%m/%Y}"


class VenueField(serializers.Field):
    """The venue as the API shows it: enough to go there without another request."""

    def to_representation(self, venue: Venue) -> dict:
        return {
            "id": venue.pk,
            "name": venue.name,
            "type": venue.venue_type,
            "type_label": str(venue.get_venue_type_display()),
            "address": venue.address,
            "commune": {"name": venue.commune.name, "insee_code": venue.commune.insee_code},
            "latitude": float(venue.latitude) if venue.latitude is not None else None,
            "longitude": float(venue.longitude) if venue.longitude is not None else None,
            "accessibility": venue.accessibility,
            "map_url": venue.map_url,
        }


class PlaceField(serializers.Field):
    """Where the permanence happens, partner venue or antenna alike."""

    def to_representation(self, place: Place) -> dict:
        return {
            "name": place.name,
            "kind": place.kind_label,
            "address": place.address,
            "postcode": place.postcode,
            "commune": place.commune_name,
            "latitude": float(place.latitude) if place.latitude is not None else None,
            "longitude": float(place.longitude) if place.longitude is not None else None,
            "accessibility": place.accessibility,
            "map_url": place.map_url,
        }


class PermanencePage(CachedPageMixin, RoutablePageMixin, Page):
    """A permanence at a partner venue, with its schedule, next dates and calendar file."""

    venue = models.ForeignKey(
        Venue,
        verbose_name=_("lieu partenaire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="permanence_pages",
        help_text=_("Laisser vide si la permanence a lieu dans l'antenne choisie plus bas."),
    )
    intro = models.CharField(
        _("en une phrase"),
        max_length=255,
        blank=True,
        help_text=_("Ce que le jeune trouve à cette permanence, en une phrase."),
    )
    services = ChoiceListField(_("services proposés"), item_choices=NeedArea.choices, blank=False)
    access_mode = models.CharField(
        _("accueil"), max_length=20, choices=AccessMode.choices, default=AccessMode.WALK_IN
    )
    audience = models.CharField(_("pour qui"), max_length=255, default="Jeunes de 16 à 25 ans")
    contact = models.TextField(
        _("contact"), blank=True, help_text=_("Téléphone, e-mail ou personne à demander.")
    )
    schedule_note = models.CharField(
        _("précision sur les horaires"),
        max_length=255,
        blank=True,
        help_text=_("Par exemple « Horaires à confirmer par téléphone »."),
    )
    body = RichTextField(_("texte"), blank=True)
    antenna = models.ForeignKey(
        "territories.Antenna",
        verbose_name=_("antenne de rattachement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="permanence_pages",
        help_text=_("L'antenne de la Mission Locale qui tient la permanence."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldPanel("services"),
                FieldPanel("access_mode"),
                FieldPanel("audience"),
                FieldPanel("contact"),
                FieldPanel("antenna"),
            ],
            heading=_("La permanence"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("schedule_note"),
                InlinePanel("schedule_rules", min_num=1, label=_("horaire")),
            ],
            heading=_("Quand"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.RelatedFields("venue", [index.SearchField("name"), index.SearchField("address")]),
    ]
    api_fields = [
        APIField("intro"),
        APIField("venue", serializer=VenueField()),
        APIField("place", serializer=PlaceField()),
        APIField("services", serializer=serializers.ListField(child=serializers.CharField())),
        APIField("services_labels"),
        APIField("access_mode"),
        APIField("audience"),
        APIField("contact"),
        APIField("schedule_note"),
        APIField("schedule_descriptions"),
        APIField("next_dates"),
        APIField("ical_url"),
        APIField("body"),
    ]

    parent_page_types = ["public_site.PermanenceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("permanence")
        verbose_name_plural = _("permanences")

    def clean(self) -> None:
        super().clean()
        if self.venue_id is None and self.antenna_id is None:
            raise ValidationError(
                {
                    "venue": _(
                        "Choisissez le lieu partenaire, ou l'antenne de la Mission Locale où "
                        "se tient la permanence."
                    )
                }
            )

    @property
    def place(self) -> Place | None:
        """Where it happens: the partner venue, else the antenna."""
        if self.venue is not None:
            return self.venue.place
        if self.antenna is not None:
            return antenna_place(self.antenna)
        return None

    # --- reading the schedule ---------------------------------------------------------

    def loaded_rules(self) -> list[ScheduleRule]:
        """The page's rules with their exceptions, read once (see selectors.attach_rules)."""
        from public_site.selectors import attach_rules

        if not hasattr(self, "_rules_cache"):
            attach_rules([self])
        return self._rules_cache

    def recurrences(self) -> list[schedules.Recurrence]:
        """The dates' rules; an agenda list gives them read as rows (_recurrences_cache)."""
        cached = getattr(self, "_recurrences_cache", None)
        if cached is not None:
            return cached
        return [rule.recurrence(rule._exceptions_cache) for rule in self.loaded_rules()]

    def occurrences_between(self, start: date, end: date) -> list[schedules.Occurrence]:
        return schedules.merge_occurrences(
            schedules.occurrences(recurrence, start, end) for recurrence in self.recurrences()
        )

    def upcoming(self, weeks: int = NEXT_DATES_WEEKS) -> list[schedules.Occurrence]:
        today = timezone.localdate()
        return self.occurrences_between(today, today + timedelta(weeks=weeks))

    @property
    def services_labels(self) -> list[str]:
        return self._meta.get_field("services").labels(self.services)

    @property
    def schedule_descriptions(self) -> list[str]:
        return [rule.describe() for rule in self.loaded_rules()]

    @property
    def next_dates(self) -> list[dict]:
        return [
            {
                "date": item.date.isoformat(),
                "start": item.start.isoformat(),
                "end": item.end.isoformat(),
                "cancelled": item.cancelled,
                "reason": item.reason,
                "extra": item.extra,
            }
            for item in self.upcoming()
        ]

    @property
    def ical_url(self) -> str:
        url = self.get_full_url()
        return f"{url}{ICS_FILENAME}" if url else ""

    # --- serving ------------------------------------------------------------------------

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from public_site.calendar import event_json_ld
        from public_site.jsonld import as_script_content

        context = super().get_context(request, *args, **kwargs)
        upcoming = self.upcoming()
        place = self.place
        if place is not None:
            context["json_ld"] = as_script_content(
                event_json_ld(
                    name=self.title,
                    url=self.get_full_url(request) or "",
                    description=self.intro,
                    location_name=place.name,
                    address=place.address,
                    postal_code=place.postcode,
                    locality=place.commune_name,
                    latitude=float(place.latitude) if place.latitude is not None else None,
                    longitude=float(place.longitude) if place.longitude is not None else None,
                    occurrences=upcoming,
                )
            )
        context["place"] = place
        context["upcoming"] = upcoming
        context["rules"] = self.loaded_rules()
        if self.live and self.url:
            context["ical_path"] = self.url + ICS_FILENAME
        return context

    @path("calendrier/", name="ical")
    def ical(self, request: HttpRequest) -> HttpResponse:
        from public_site.selectors import ics_response

        return ics_response([self], request, calendar_name=self.title, filename=self.slug)
