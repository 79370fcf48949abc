"""The figures' query and answer, as the OpenAPI schema documents them."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api_common.strict import StrictSerializer
from workflows.choices import PathwaySource, StageCategory
from workflows.reporting import UNKNOWN, ExitOutcome, Programme

from ..disclosure import SMALL

# A comité looks at a month, a quarter, a year, at most a few; longer is a mistake or a load.
MAX_PERIOD_YEARS = 3


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class FiguresQuerySerializer(StrictSerializer):
    start = serializers.DateField(help_text=_("Premier jour de la période (AAAA-MM-JJ), inclus."))
    end = serializers.DateField(help_text=_("Dernier jour de la période (AAAA-MM-JJ), inclus."))
    antenna = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Identifiant de l'antenne : ses parcours seuls.")
    )
    commune = serializers.RegexField(
        r"^[0-9][0-9AB][0-9]{3}$",
        required=False,
        help_text=_("Code INSEE de la commune du jeune, par exemple 12176 (Onet-le-Château)."),
        error_messages={"invalid": _("Un code INSEE a 5 caractères, par exemple 12176.")},
    )
    qpv = serializers.RegexField(
        r"^[A-Z0-9]{1,20}$",
        required=False,
        help_text=_("Code du quartier prioritaire (QPV) du jeune, par exemple QP012001."),
        error_messages={"invalid": _("Un code de QPV s'écrit comme QP012001.")},
    )

    def validate(self, attrs: dict) -> dict:
        start, end = attrs["start"], attrs["end"]
        if end < start:
            raise serializers.ValidationError({"end": _("La fin de la période précède son début.")})
        if start.year + MAX_PERIOD_YEARS <= datetime.MAXYEAR and end >= _years_later(
            start, MAX_PERIOD_YEARS
        ):
            raise serializers.ValidationError(
                {"end": _("La période dépasse trois ans : choisissez-en une plus courte.")}
            )
        return attrs


@extend_schema_field(
    {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": [SMALL]}]}
)
class CountField(serializers.Field):
    """A number of young people (or maraudes): an integer, or "< 5" for the network role,
    which never reads a count from 1 to 4 (indicators.disclosure)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value


def _counts(name: str, keys, description) -> type[serializers.Serializer]:
    """A serializer of one count per key, so that the schema names every key."""
    fields = {key: CountField() for key in keys}
    return type(name, (serializers.Serializer,), {**fields, "__doc__": str(description)})


SourceCountsSerializer = _counts(
    "SourceCounts", PathwaySource.values, _("Jeunes repérés, par origine du parcours.")
)
ProgrammeCountsSerializer = _counts(
    "ProgrammeCounts", [*Programme.values, UNKNOWN], _("Entrées en accompagnement, par dispositif.")
)
OutcomeCountsSerializer = _counts(
    "OutcomeCounts", [*ExitOutcome.values, UNKNOWN], _("Sorties, par issue.")
)
FunnelSerializer = _counts(
    "FunnelCounts",
    StageCategory.values,
    _("Parcours créés dans la période : combien ont atteint chaque catégorie à la fin."),
)


class GroupFiguresSerializer(serializers.Serializer):
    """The counts read from the pathways' history (a young person counts once per figure),
    as each group of a breakdown has them."""

    identified = CountField(help_text=_("Jeunes dont le parcours a été créé dans la période."))
    identified_by_source = SourceCountsSerializer()
    identified_in_rounds = CountField(
        help_text=_("Jeunes repérés dans la période et rattachés à une maraude.")
    )
    accompanied = CountField(
        help_text=_("Jeunes en étape d'accompagnement à un moment de la période.")
    )
    support_entries = CountField(
        help_text=_("Jeunes entrés en accompagnement (depuis une autre catégorie).")
    )
    support_entries_by_programme = ProgrammeCountsSerializer()
    exits = CountField(help_text=_("Jeunes sortis dans la période."))
    exits_by_outcome = OutcomeCountsSerializer()
    positive_exit_rate = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "Sorties positives / sorties ; null sans sortie ou quand un nombre masqué "
            "s'en déduirait."
        ),
    )
    lost_contact = CountField(help_text=_("Jeunes passés « sans nouvelles »."))
    re_engaged = CountField(
        help_text=_("Jeunes revenus d'une étape « sans nouvelles » (hors sortie).")
    )
    funnel = FunnelSerializer()


class HistoryFiguresSerializer(GroupFiguresSerializer):
    """The figures read from the pathways' history: the counts and two medians."""

    median_days_to_reception = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "Médiane des jours entre création et premier accueil (entrés dans la période)."
        ),
    )
    median_days_to_support = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "Médiane des jours entre la création et l'accompagnement, atteint dans la période."
        ),
    )


class BreakdownGroupSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text=_(
            "L'identifiant du groupe : antenne (id), commune (code INSEE), QPV (code, "
            "« inside », « outside »), tranche d'âge ; « none » ou « unknown » sans valeur."
        )
    )
    # A declared field (DRF's metaclass takes it out of the class), not `Field.label`.
    label = serializers.CharField(help_text=_("Son nom, en français."))  # type: ignore[assignment]
    figures = GroupFiguresSerializer()


class BreakdownsSerializer(serializers.Serializer):
    antenna = BreakdownGroupSerializer(many=True)
    commune = BreakdownGroupSerializer(many=True)
    qpv = BreakdownGroupSerializer(many=True)
    age_band = BreakdownGroupSerializer(many=True)


class FiguresSerializer(HistoryFiguresSerializer):
    """The figures of the period, and the same by group (but the maraudes')."""

    start = serializers.DateField()
    end = serializers.DateField()
    outreach_rounds = CountField(help_text=_("Maraudes datées de la période."))
    met_in_rounds = CountField(help_text=_("Jeunes rencontrés pendant ces maraudes."))
    breakdowns = BreakdownsSerializer(
        help_text=_(
            "Les mêmes chiffres (hors maraudes) par antenne, commune du jeune, QPV (dans un "
            "QPV, hors QPV, puis chacun) et tranche d'âge à l'entrée."
        )
    )
