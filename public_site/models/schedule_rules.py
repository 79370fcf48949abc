"""A permanence's schedule: its recurring rules and their exceptions, and the reads every
list of permanences makes of them (``ScheduleRule.objects``).

A rule stores only the editor's French choices; the RFC 5545 RRULE is derived from them by
public_site.schedules whenever the iCalendar feed needs it, so there is one truth and the
feed cannot disagree with the page (docs/architecture.md)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from public_site import schedules
from public_site.fields import ChoiceListField


class ExceptionKind(models.TextChoices):
    CANCELLED = "cancelled", _("Annulée ce jour-là")
    EXTRA = "extra", _("Date en plus")


# The columns of a rule that its dates depend on: bulk readers fetch only these.
RECURRENCE_FIELDS = (
    "frequency",
    "interval",
    "weekdays",
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
        weekdays=tuple(values["weekdays"] or ()),
        start_date=values["start_date"],
        start_time=values["start_time"],
        end_time=values["end_time"],
        month_weeks=tuple(values["month_weeks"] or ()),
        interval=values["interval"],
        end_date=values["end_date"],
        cancelled={
            day: reason for kind, day, reason in exceptions if kind == ExceptionKind.CANCELLED
        },
        extra_dates=tuple(
            sorted(day for kind, day, _ in exceptions if kind == ExceptionKind.EXTRA)
        ),
        notes={
            day: reason
            for kind, day, reason in exceptions
            if kind == ExceptionKind.EXTRA and reason
        },
    )


@dataclass(frozen=True)
class PageSchedule:
    """A page's title and rules read as rows: enough to find its dates without the page."""

    title: str
    recurrences: list[schedules.Recurrence]

    def occurrences_between(self, start: date, end: date) -> list[schedules.Occurrence]:
        return schedules.merge_occurrences(
            schedules.occurrences(recurrence, start, end) for recurrence in self.recurrences
        )


class ScheduleRuleQuerySet(models.QuerySet):
    def for_pages(self, page_ids: Iterable[int]) -> ScheduleRuleQuerySet:
        """The rules of `page_ids`, page by page in the editor's order, each with its
        exceptions by date in `_exceptions_cache`: two queries however many pages."""
        exceptions = Prefetch(
            "exceptions",
            queryset=ScheduleException.objects.order_by("date"),
            to_attr="_exceptions_cache",
        )
        return (
            self.filter(page_id__in=page_ids)
            .order_by("page_id", "sort_order", "pk")
            .prefetch_related(exceptions)
        )

    def schedules_by_page(self, page_ids) -> dict[int, PageSchedule]:
        """The schedules of `page_ids` (a list or a subquery), in one query of plain rows,
        a rule's exceptions joined to it: building rule and exception objects cost more than
        expanding the dates."""
        rows = (
            self.filter(page_id__in=page_ids)
            .order_by("page_id", "sort_order", "pk", "exceptions__date")
            .values_list(
                "pk",
                "page_id",
                "page__title",
                *RECURRENCE_FIELDS,
                "exceptions__kind",
                "exceptions__date",
                "exceptions__reason",
            )
        )
        rules: dict[int, tuple[int, str, dict, list[tuple[str, date, str]]]] = {}
        for rule_id, page_id, title, *values in rows:
            *fields, kind, day, reason = values
            if rule_id not in rules:
                rules[rule_id] = (
                    page_id,
                    title,
                    dict(zip(RECURRENCE_FIELDS, fields, strict=True)),
                    [],
                )
            if kind is not None:
                rules[rule_id][3].append((kind, day, reason))
        result: dict[int, PageSchedule] = {}
        for page_id, title, fields, exceptions in rules.values():
            if page_id not in result:
                result[page_id] = PageSchedule(title, [])
            result[page_id].recurrences.append(build_recurrence(fields, exceptions))
        return result


class ScheduleRule(ClusterableModel, Orderable):
    """One recurring series ("1er et 3e mardis du mois, de 9 h à 12 h") of a permanence.
    Several weekdays of one rule share its weeks ("les mardis et jeudis, une semaine sur
    deux"): two rules would each count their own fortnights."""

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
    interval = models.PositiveSmallIntegerField(
        _("rythme"),
        choices=schedules.INTERVAL_CHOICES,
        default=1,
        help_text=_(
            "« Une fois sur deux » : une semaine sur deux (ou un mois sur deux), en comptant à "
            "partir de la première date après « à partir du »."
        ),
    )
    weekdays = ChoiceListField(
        _("jours"),
        max_length=20,
        item_choices=schedules.WEEKDAY_CHOICES,
        coerce=int,
        help_text=_("Un ou plusieurs jours, qui suivent le même rythme."),
    )
    month_weeks = ChoiceListField(
        _("semaines du mois"),
        max_length=20,
        item_choices=schedules.MONTH_WEEK_CHOICES,
        coerce=int,
        help_text=_("Seulement pour « Certaines semaines du mois » : cocher 1er, 3e, dernier…"),
    )
    start_time = models.TimeField(_("heure de début"))
    end_time = models.TimeField(
        _("heure de fin"),
        null=True,
        blank=True,
        help_text=_(
            "Laisser vide si le lieu annonce seulement l'heure de début : la page dira "
            "« à partir de 14 h »."
        ),
    )
    start_date = models.DateField(
        _("à partir du"), help_text=_("Première date possible de la permanence.")
    )
    end_date = models.DateField(
        _("jusqu'au"),
        null=True,
        blank=True,
        help_text=_("Laisser vide si la permanence continue sans date de fin."),
    )

    objects = ScheduleRuleQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("frequency"), FieldPanel("interval")]),
        FieldPanel("weekdays"),
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

    def recurrence(self, exceptions: list[ScheduleException] | None = None) -> schedules.Recurrence:
        """The rule as the pure schedule functions want it. `exceptions` lets a caller pass
        rows it already has; otherwise those a bulk read attached (`for_pages`) are used, or
        else the relation is read (in memory in preview)."""
        if exceptions is None:
            exceptions = getattr(self, "_exceptions_cache", None)
        if exceptions is None:
            exceptions = list(self.exceptions.all())
        return build_recurrence(
            {field: getattr(self, field) for field in RECURRENCE_FIELDS},
            [(item.kind, item.date, item.reason) for item in exceptions],
        )

    def _incomplete(self) -> bool:
        return None in (self.start_time, self.start_date, self.interval) or not self.weekdays

    def describe(self, today: date | None = None) -> str:
        """The rule in plain French; with ``today``, "one in N" names its next date."""
        if self._incomplete():
            return ""
        return schedules.describe(self.recurrence(exceptions=[]), today)

    def clean(self) -> None:
        super().clean()
        if None in (self.start_time, self.start_date, self.interval):
            return  # the missing fields already carry their own "required" error
        errors = schedules.validate(self.recurrence(exceptions=[]))
        if errors:
            raise ValidationError(errors)


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
        help_text=_(
            "Affichée aux jeunes : pourquoi la date est annulée (« congés », « formation de "
            "l'équipe »), ou ce qu'est la date en plus (« permanence exceptionnelle »)."
        ),
    )

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]), FieldPanel("reason")]

    class Meta(Orderable.Meta):
        verbose_name = _("exception")
        verbose_name_plural = _("exceptions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.date:%d/%m/%Y}"
