"""The dashboard's GET form: a period (a preset, or custom start and end dates) and the
filters (antenna, commune, QPV) offered by `selectors.filter_choices`. A bad entry is a
French error beside its field; the dashboard then shows the default period, never a guess."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .api.serializers import MAX_PERIOD_YEARS
from .selectors import filter_choices


class Preset:
    THIS_MONTH = "month"
    LAST_MONTH = "last_month"
    THIS_QUARTER = "quarter"
    THIS_YEAR = "year"
    CUSTOM = "custom"

    CHOICES = [
        (THIS_MONTH, _("Ce mois-ci")),
        (LAST_MONTH, _("Le mois dernier")),
        (THIS_QUARTER, _("Ce trimestre")),
        (THIS_YEAR, _("Cette année")),
        (CUSTOM, _("Personnalisée")),
    ]
    DEFAULT = THIS_MONTH


@dataclass(frozen=True)
class DateRange:
    """Whole days, both included."""

    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> DateRange:
        """The period of the same length just before: what each figure is compared with."""
        end = self.start - datetime.timedelta(days=1)
        return DateRange(end - datetime.timedelta(days=self.days - 1), end)


def preset_range(preset: str, today: datetime.date) -> DateRange:
    """A preset's days, up to today for the current month, quarter and year."""
    if preset == Preset.LAST_MONTH:
        end = today.replace(day=1) - datetime.timedelta(days=1)
        return DateRange(end.replace(day=1), end)
    if preset == Preset.THIS_QUARTER:
        return DateRange(today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today)
    if preset == Preset.THIS_YEAR:
        return DateRange(today.replace(month=1, day=1), today)
    return DateRange(today.replace(day=1), today)


def default_range() -> DateRange:
    return preset_range(Preset.DEFAULT, timezone.localdate())


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class DashboardForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Période"), choices=Preset.CHOICES, required=False, initial=Preset.DEFAULT
    )
    start = forms.DateField(
        label=_("Du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Saisissez une date valide, par exemple 2026-03-01.")},
    )
    end = forms.DateField(
        label=_("Au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Saisissez une date valide, par exemple 2026-03-31.")},
    )
    antenna = forms.ChoiceField(label=_("Antenne"), required=False)
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    qpv = forms.ChoiceField(label=_("Quartier prioritaire (QPV)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = {"antenna": _("Toutes"), "commune": _("Toutes"), "qpv": _("Tous")}
        for name, choices in filter_choices(user).items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", everyone[name]), *choices]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        preset = cleaned.get("period") or Preset.DEFAULT
        cleaned["period"] = preset
        if preset != Preset.CUSTOM:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if "start" not in self.errors and start is None:
            self.add_error("start", _("Indiquez le premier jour de la période."))
        if "end" not in self.errors and end is None:
            self.add_error("end", _("Indiquez le dernier jour de la période."))
        if start is None or end is None:
            return cleaned
        if end < start:
            self.add_error("end", _("La fin de la période précède son début."))
        elif start.year + MAX_PERIOD_YEARS <= datetime.MAXYEAR and end >= _years_later(
            start, MAX_PERIOD_YEARS
        ):
            self.add_error(
                "end", _("La période dépasse trois ans : choisissez-en une plus courte.")
            )
        return cleaned

    def date_range(self) -> DateRange:
        """The chosen days; the default period when the form is invalid."""
        if not self.is_valid():
            return default_range()
        data = self.cleaned_data
        if data["period"] == Preset.CUSTOM:
            return DateRange(data["start"], data["end"])
        return preset_range(data["period"], timezone.localdate())

    def filters(self) -> dict:
        """The selectors' keyword filters (none when the form is invalid)."""
        if not self.is_valid():
            return {"antenna": None, "commune": None, "qpv": None}
        data = self.cleaned_data
        return {
            "antenna": int(data["antenna"]) if data.get("antenna") else None,
            "commune": data.get("commune") or None,
            "qpv": data.get("qpv") or None,
        }
