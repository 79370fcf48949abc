"""Permanences: a counsellor's recurring office hours at a partner venue or an antenna, with
their next dates, structured data and calendar file.

Each page's schedule rules live in schedule_rules.py; expansion into dates is done by
public_site.schedules; lists of permanences are read by public_site.selectors
(docs/architecture.md)."""

from collections.abc import Sequence
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from page_cache.mixins import CachedPageMixin
from public_site import calendar, schedules, sections
from public_site.fields import ChoiceListField
from public_site.jsonld import as_script_content
from workflows.choices import NeedArea

from .calendar_feed import CalendarFeedMixin, CalendarUrlField
from .occurrences import Occurrence
from .schedule_rules import ScheduleRule
from .venues import Place, Venue, antenna_place

NEXT_DATES_WEEKS = 8
# What a page needs to say where it happens (PermanencePage.place), in the same query.
PLACE_RELATIONS = ("venue__commune", "antenna__commune")


class AccessMode(models.TextChoices):
    WALK_IN = "walk_in", _("Sans rendez-vous")
    APPOINTMENT = "appointment", _("Sur rendez-vous")
    BOTH = "both", _("Avec ou sans rendez-vous")


def attach_rules(pages: Sequence["PermanencePage"]) -> None:
    """Give each page `_rules_cache` (its rules in order) and each rule `_exceptions_cache`,
    in two queries for all pages. A page being previewed or edited keeps its in-memory
    rules (modelcluster), which are what the editor wants to see."""
    stored = []
    for page in pages:
        if page.pk is None or page.schedule_rules.is_deferring:
            rules = list(page.schedule_rules.all())
            for rule in rules:
                rule._exceptions_cache = list(rule.exceptions.all())
            page._rules_cache = rules
        else:
            stored.append(page)
    if not stored:
        return
    by_page: dict[int, list[ScheduleRule]] = {page.pk: [] for page in stored}
    for rule in ScheduleRule.objects.for_pages(list(by_page)):
        by_page[rule.page_id].append(rule)
    for page in stored:
        page._rules_cache = by_page[page.pk]


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


class PermanencePageForm(WagtailAdminPageForm):
    """Offers only the antennas of the Mission Locale whose section holds the page: a
    communication officer never attaches a permanence to another organisation. A
    permanence has its schedule, or says its days are to be confirmed: never both, never
    neither (an empty schedule would look like a permanence that stopped)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        parent = getattr(self, "parent_page", None)
        organisation = sections.section_of(parent) if parent is not None else None
        if organisation is not None and "antenna" in self.fields:
            field = self.fields["antenna"]
            field.queryset = field.queryset.filter(organisation=organisation)

    def clean(self) -> dict:
        cleaned_data = super().clean()
        rules = self.formsets.get("schedule_rules")
        if rules is None or "days_to_confirm" not in cleaned_data or not rules.is_valid():
            return cleaned_data  # the rules' own errors come first
        deleted = set(map(id, rules.deleted_forms))
        kept = [
            form
            for form in rules.forms
            if (form.instance.pk or form.has_changed()) and id(form) not in deleted
        ]
        if cleaned_data["days_to_confirm"] and kept:
            self.add_error(
                "days_to_confirm",
                _(
                    "Une permanence aux jours à confirmer n'a pas d'horaire : supprimez les "
                    "horaires, ou décochez « jours à confirmer »."
                ),
            )
        elif not cleaned_data["days_to_confirm"] and not kept and not self.is_deferred_validation:
            self.add_error(
                "days_to_confirm",
                _(
                    "Ajoutez au moins un horaire, ou cochez « jours à confirmer » si le lieu "
                    "n'a pas encore publié ses jours."
                ),
            )
        return cleaned_data


class PermanencePage(CachedPageMixin, CalendarFeedMixin, Page):
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
    days_to_confirm = models.BooleanField(
        _("jours à confirmer"),
        default=False,
        help_text=_(
            "À cocher quand le lieu n'a pas publié les jours de la permanence : la page dit "
            "« jours à confirmer » et comment se renseigner, sans aucune date."
        ),
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

    base_form_class = PermanencePageForm
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
                FieldPanel("days_to_confirm"),
                FieldPanel("schedule_note"),
                InlinePanel("schedule_rules", label=_("horaire")),
            ],
            heading=_("Quand"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        # A young person searches for where they live or who runs it: "Rodez" finds the
        # permanence the Rodez antenna holds at Onet-le-Château.
        index.RelatedFields(
            "venue",
            [
                index.SearchField("name"),
                index.SearchField("address"),
                index.RelatedFields("commune", [index.SearchField("name")]),
            ],
        ),
        index.RelatedFields(
            "antenna",
            [
                index.SearchField("name"),
                index.RelatedFields("commune", [index.SearchField("name")]),
                index.RelatedFields(
                    "organisation", [index.SearchField("name"), index.SearchField("short_name")]
                ),
            ],
        ),
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
        APIField("days_to_confirm"),
        APIField("schedule_note"),
        APIField("schedule_descriptions"),
        APIField("next_dates"),
        APIField("ical_url", serializer=CalendarUrlField()),
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
        """The page's rules with their exceptions, read once (see attach_rules)."""
        if not hasattr(self, "_rules_cache"):
            attach_rules([self])
        return self._rules_cache

    def recurrences(self) -> list[schedules.Recurrence]:
        """The dates' rules; an agenda list gives them read as rows (_recurrences_cache).
        None while the days are to be confirmed, whatever rows an old revision left."""
        if self.days_to_confirm:
            return []
        cached = getattr(self, "_recurrences_cache", None)
        if cached is not None:
            return cached
        return [rule.recurrence() for rule in self.loaded_rules()]

    def occurrences_between(self, start: date, end: date) -> list[schedules.Occurrence]:
        return schedules.merge_occurrences(
            schedules.occurrences(recurrence, start, end) for recurrence in self.recurrences()
        )

    @classmethod
    def prefetch_for_api(cls, pages: Sequence["PermanencePage"]) -> None:
        """What the pages API's fields read, for a whole listing page at once: the place, the
        rules (descriptions) and the next dates, in a fixed number of queries."""
        prefetch_related_objects(list(pages), *PLACE_RELATIONS)
        attach_rules(pages)
        today = timezone.localdate()
        end = today + timedelta(weeks=NEXT_DATES_WEEKS)
        stored = [page for page in pages if page._dates_are_stored()]
        found = Occurrence.objects.dated([page.pk for page in stored], today, end)
        if found is None:
            return  # outside the table's horizon: each page expands its loaded rules
        for page in stored:
            page._upcoming_cache = [] if page.days_to_confirm else found.get(page.pk, [])

    def _dates_are_stored(self) -> bool:
        """Whether the occurrence table holds this very page's dates: a live page read from
        the database, not a draft or a revision being previewed (its rules are in memory)."""
        return (
            self.pk is not None
            and self.live
            and getattr(self, "_recurrences_cache", None) is None
            and not self.schedule_rules.is_deferring
        )

    def upcoming(self, weeks: int = NEXT_DATES_WEEKS) -> list[schedules.Occurrence]:
        """The next `weeks` of dates, from the occurrence table when it holds them (one or
        two queries), else expanded from the rules. A listing may have read them for many
        pages at once (`prefetch_upcoming`)."""
        cached = getattr(self, "_upcoming_cache", None)
        if cached is not None and weeks == NEXT_DATES_WEEKS:
            return cached
        today = timezone.localdate()
        end = today + timedelta(weeks=weeks)
        if self.days_to_confirm:
            return []
        if self._dates_are_stored():
            stored = Occurrence.objects.dated([self.pk], today, end)
            if stored is not None:
                return stored.get(self.pk, [])
        return self.occurrences_between(today, end)

    @property
    def services_labels(self) -> list[str]:
        return self._meta.get_field("services").labels(self.services)

    def shown_rules(self) -> list[ScheduleRule]:
        """The rules a visitor reads: none while the days are to be confirmed."""
        return [] if self.days_to_confirm else self.loaded_rules()

    @property
    def schedule_descriptions(self) -> list[str]:
        today = timezone.localdate()
        return [rule.describe(today) for rule in self.shown_rules()]

    @property
    def next_dates(self) -> list[dict]:
        """The coming dates for the API: ``end`` is null when the venue publishes only the
        start; ``note`` is what the editor typed on an extra date."""
        return [
            {
                "date": item.date.isoformat(),
                "start": item.start.isoformat(),
                "end": item.end.isoformat() if item.end is not None else None,
                "cancelled": item.cancelled,
                "reason": item.reason,
                "extra": item.extra,
                "note": item.note,
            }
            for item in self.upcoming()
        ]

    # --- serving ------------------------------------------------------------------------

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        upcoming = self.upcoming()
        place = self.place
        if place is not None and upcoming:
            context["json_ld"] = as_script_content(
                calendar.event_json_ld(
                    name=self.title,
                    url=self.public_url(request),
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
        context["ical_path"] = self.ical_path
        return context

    def calendar_pages(self, request: HttpRequest) -> list["PermanencePage"]:
        return [self]

    def calendar_name(self) -> str:
        return self.title

    def calendar_filename(self) -> str:
        return self.slug
