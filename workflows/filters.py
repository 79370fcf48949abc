"""The filters of the pathway lists: one filter set serves the admin's "Mes jeunes" screen
(a Wagtail listing, whose drawer shows the labels and widgets) and the API's pathway list
(whose query parameters are documented by the help texts). Both pass the cleaned values to
`selectors.caseload`, so a filter means the same thing on both sides. See
docs/architecture.md."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from wagtail.admin.active_filters import BaseFilterAdapter, register_filter_adapter_class
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.utils.utils import flatten_choices

from access_log.models import Channel
from territories.models import Commune, PriorityNeighbourhood

from . import screen_selectors, selectors
from .choices import PathwaySource, StageCategory
from .models import Pathway

SEARCH_PARAMETER = "q"


@extend_schema_field(OpenApiTypes.STR)
class InseeCommuneFilter(django_filters.ModelChoiceFilter):
    """A commune named by its INSEE code (documented as a string)."""


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(django_filters.NumberFilter):
    """An identifier: a whole number that fits a database key (1e30 would overflow it). An
    unknown one filters everything out rather than failing, as the API always did."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class CodeFilter(django_filters.CharFilter):
    """A code (a stage's): any text is accepted, an unknown code finds nothing."""


class SlugFilter(django_filters.CharFilter):
    """A slug (an organisation's): any text is accepted, an unknown slug finds nothing."""


class YesNoWidget(BooleanRadioSelect):
    """Wagtail's "Tous / Oui / Non" radios, reading the values the API always accepted
    (those of Django's NullBooleanSelect: true, True, 2 / false, False, 3)."""

    def value_from_datadict(self, data, files, name) -> bool | None:
        return forms.NullBooleanSelect().value_from_datadict(data, files, name)


class YesNoFilter(django_filters.BooleanFilter):
    """true / false in the API; "Tous / Oui / Non" in the screen's drawer."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", YesNoWidget)
        super().__init__(*args, **kwargs)


class IncludeClosedWidget(YesNoWidget):
    """Closed pathways are left out unless asked for: two options say it plainly."""

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs)
        self.choices = [("", _("Exclus")), ("true", _("Les inclure"))]


class LazyOptions(BaseChoiceIterator):
    """A select's options, read when the drawer is drawn and kept for that form (Django
    reads a select's options more than once), never read when the API filters."""

    def __init__(self, read: Callable[[], list[tuple[Any, str]]]) -> None:
        self.read = read
        self.options: list[tuple[Any, str]] | None = None

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        if self.options is None:
            self.options = [("", "---------"), *self.read()]
        return iter(self.options)

    def __copy__(self) -> LazyOptions:
        # Each form gets its widgets by copy: each reads fresh options, once.
        return LazyOptions(self.read)

    def __deepcopy__(self, memo: dict) -> LazyOptions:
        return LazyOptions(self.read)


def _stage_options(user) -> list[tuple[str, str]]:
    options: dict[str, str] = {}
    for definition in screen_selectors.live_definitions(user):
        for code, label in selectors.stage_choices(definition):
            options.setdefault(code, label)
    return list(options.items())


def _named_options(queryset) -> list[tuple[int, str]]:
    return list(queryset.values_list("pk", "name"))


def _neighbourhood_options() -> list[tuple[int, str]]:
    return _named_options(PriorityNeighbourhood.objects.order_by("name"))


def _definition_options(user) -> list[tuple[int, str]]:
    return _named_options(screen_selectors.live_definitions(user))


def _antenna_options(user) -> list[tuple[int, str]]:
    return _named_options(screen_selectors.antennas(user))


def _organisation_options(user) -> list[tuple[str, str]]:
    return list(screen_selectors.organisations(user).values_list("slug", "name"))


def _referent_options(user) -> list[tuple[int, str]]:
    return [
        (person.pk, selectors.display_name(person)) for person in screen_selectors.referents(user)
    ]


# The options that depend on who reads them (their organisation's): bound to the request's
# user when the filter set is built.
_USER_OPTIONS: dict[str, Callable[[Any], list[tuple[Any, str]]]] = {
    "stage": _stage_options,
    "referent": _referent_options,
    "definition": _definition_options,
    "antenna": _antenna_options,
    "organisation": _organisation_options,
}


def _no_options() -> list[tuple[Any, str]]:
    return []


class CaseloadFilterSet(WagtailFilterSet):
    """ "Mes jeunes" and `GET /api/pathways/`. The query parameter names are the API's
    contract; the screen uses the same ones. The filtering itself is done by
    `selectors.caseload`, the one place that knows how to scope and filter pathways."""

    stage = CodeFilter(
        label=_("Étape"),
        help_text=_("Code de l'étape."),
        widget=forms.Select(choices=LazyOptions(_no_options)),
    )
    category = django_filters.ChoiceFilter(
        label=_("Catégorie"), choices=StageCategory.choices, help_text=_("Catégorie de l'étape.")
    )
    referent = IdFilter(
        label=_("Référent"),
        help_text=_("Identifiant du référent."),
        widget=forms.Select(choices=LazyOptions(_no_options)),
    )
    commune = InseeCommuneFilter(
        label=_("Commune"),
        queryset=Commune.objects.order_by("name"),
        to_field_name="insee_code",
        help_text=_("Code INSEE de la commune du jeune."),
    )
    priority_neighbourhood = IdFilter(
        label=_("Quartier prioritaire"),
        help_text=_("Identifiant du quartier prioritaire (QPV) du jeune."),
        widget=forms.Select(choices=LazyOptions(_neighbourhood_options)),
    )
    qpv = YesNoFilter(
        label=_("Habite en QPV"),
        help_text=_("Jeunes habitant (true) ou non (false) un quartier prioritaire."),
    )
    overdue = YesNoFilter(
        label=_("En retard"),
        help_text=_("À relancer (true) : date de relance dépassée ; false : à jour."),
    )
    to_assign = YesNoFilter(
        label=_("À attribuer"),
        help_text=_(
            "Demandes à attribuer (true) : parcours d'une antenne qui n'ont pas encore de "
            "référent ; false : parcours qui en ont un."
        ),
    )
    # Declared for the API's documentation; read from the raw data (see __init__).
    q = django_filters.CharFilter(help_text=_("Recherche sur le prénom et le nom."))
    definition = IdFilter(
        label=_("Définition"),
        help_text=_("Identifiant de la définition."),
        widget=forms.Select(choices=LazyOptions(_no_options)),
    )
    include_closed = YesNoFilter(
        label=_("Parcours clos"),
        help_text=_("Inclure les parcours clos (sortis). Par défaut : non."),
        widget=IncludeClosedWidget,
    )
    source = django_filters.ChoiceFilter(
        label=_("Origine"),
        field_name="source",
        choices=PathwaySource.choices,
        help_text=_("Origine du parcours."),
    )
    antenna = IdFilter(
        label=_("Antenne"),
        field_name="antenna_id",
        help_text=_("Identifiant de l'antenne."),
        widget=forms.Select(choices=LazyOptions(_no_options)),
    )

    organisation = SlugFilter(
        label=_("Mission Locale"),
        help_text=_(
            "Slug de la Mission Locale (parmi celles que le jeton peut voir ; "
            "une autre ne donne rien)."
        ),
        widget=forms.Select(choices=LazyOptions(_no_options)),
    )

    class Meta:
        model = Pathway
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The search words are no field of this form: Wagtail's listing has its own search
        # box under the same name, and a second one in the drawer would repeat it.
        del self.filters[SEARCH_PARAMETER]
        # Help texts document the API's parameters; the drawer's labels say enough.
        for field in self.form.fields.values():
            field.help_text = ""
        user = getattr(self.request, "user", None)
        for name, read in _USER_OPTIONS.items():
            self.form.fields[name].widget.choices = LazyOptions(partial(read, user))

    def caseload_kwargs(self) -> dict[str, Any]:
        """The cleaned filters as `selectors.caseload` keyword arguments (none when a value
        is invalid), the search words aside: the screen passes its search box's."""
        if not self.is_valid():
            return {}
        data = self.form.cleaned_data
        return {
            "stage": data.get("stage") or None,
            "category": data.get("category") or None,
            "referent": data.get("referent"),
            "commune": data.get("commune"),
            "priority_neighbourhood": data.get("priority_neighbourhood"),
            "in_qpv": data.get("qpv"),
            "overdue": data.get("overdue"),
            "to_assign": data.get("to_assign"),
            "definition": data.get("definition"),
            "include_closed": bool(data.get("include_closed")),
            "source": data.get("source") or None,
            "antenna": data.get("antenna"),
            "organisation": data.get("organisation") or None,
        }

    def filter_queryset(self, queryset) -> QuerySet[Pathway]:
        """The API's list (DRF's DjangoFilterBackend calls this once the form is valid).
        `queryset` is not narrowed but replaced: `selectors.caseload` scopes to the user
        and logs the page of rows the API returns."""
        search = self.data.get(SEARCH_PARAMETER) or ""
        return selectors.caseload(
            self.request.user, search=search, channel=Channel.API, **self.caseload_kwargs()
        )


class OptionLabelAdapter(BaseFilterAdapter):
    """An active filter named as its option reads in the drawer ("Repéré", a counsellor's
    name, "Oui"), not as the raw value that travels in the URL."""

    def get_active_filters(self):
        widget = self.bound_field.field.widget
        shown = widget.format_value(self.value)
        key = shown[0] if isinstance(shown, list) and shown else str(shown)
        labels = {str(value): label for value, label in flatten_choices(widget.choices).items()}
        label = labels.get(key, str(self.value))
        yield from (active._replace(value=label) for active in super().get_active_filters())


for _filter_class in (CodeFilter, IdFilter, SlugFilter, YesNoFilter):
    register_filter_adapter_class(_filter_class, OptionLabelAdapter)
