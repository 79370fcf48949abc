"""The conditions a coordinator may attach to a transition. Each returns None when it holds,
or the French sentence a counsellor reads when it does not; `blocking_conditions` says which
of a transition's conditions stop it, for the service and the screens alike."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .catalogue import Param, struct_for
from .rules import is_blank

if TYPE_CHECKING:
    from .models import Pathway
    from .specs import TransitionSpec


@dataclass(frozen=True)
class ConditionContext:
    pathway: Pathway
    # The answers collected so far merged with the ones given with this transition.
    answers: dict[str, Any]
    today: datetime.date


@dataclass(frozen=True)
class ConditionType:
    code: str
    label: Promise | str
    params: tuple[Param, ...]
    check: Callable[[ConditionContext, dict[str, Any]], str | None]


CONDITIONS: dict[str, ConditionType] = {}


def register(condition: ConditionType) -> ConditionType:
    CONDITIONS[condition.code] = condition
    return condition


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    return (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )


def _consent_recorded(context: ConditionContext, params: dict[str, Any]) -> str | None:
    if context.pathway.youth.consent_given:
        return None
    return gettext("Le consentement du jeune n'est pas enregistré.")


def _age_between(context: ConditionContext, params: dict[str, Any]) -> str | None:
    date_of_birth = context.pathway.youth.date_of_birth
    if date_of_birth is None:
        return gettext(
            "La date de naissance n'est pas renseignée : l'âge ne peut pas être vérifié."
        )
    age = age_on(date_of_birth, context.today)
    if params["min_age"] <= age <= params["max_age"]:
        return None
    return gettext(
        "Le jeune a %(age)s ans ce jour ; il faut avoir entre %(min)s et %(max)s ans."
    ) % {
        "age": age,
        "min": params["min_age"],
        "max": params["max_age"],
    }


def _field_filled(context: ConditionContext, params: dict[str, Any]) -> str | None:
    if not is_blank(context.answers.get(params["field"])):
        return None
    return gettext("La réponse « %(field)s » doit être renseignée.") % {"field": params["field"]}


def _min_contacts(context: ConditionContext, params: dict[str, Any]) -> str | None:
    count = context.pathway.contacts.count()
    if count >= params["count"]:
        return None
    return gettext(
        "Il faut au moins %(needed)s contact(s) enregistré(s) ; il y en a %(count)s."
    ) % {
        "needed": params["count"],
        "count": count,
    }


register(ConditionType("consent_recorded", _("Consentement enregistré"), (), _consent_recorded))
register(
    ConditionType(
        "age_between",
        _("Âge compris entre… (au jour de la transition)"),
        (
            Param("min_age", _("âge minimum"), "int", default=16, min_value=0),
            Param("max_age", _("âge maximum"), "int", default=25, min_value=0),
        ),
        _age_between,
    )
)
register(
    ConditionType(
        "field_filled",
        _("Réponse renseignée"),
        (
            Param(
                "field",
                _("code de la réponse"),
                "str",
                help_text=_("Le code d'un champ demandé par cette transition ou une précédente."),
            ),
        ),
        _field_filled,
    )
)
register(
    ConditionType(
        "min_contacts",
        _("Nombre minimum de contacts"),
        (Param("count", _("nombre de contacts"), "int", default=1, min_value=1),),
        _min_contacts,
    )
)


def blocking_conditions(
    transition: TransitionSpec, context: ConditionContext, *, before_form: bool = False
) -> list[str]:
    """The French reasons why `transition` may not be fired now; empty when it may. Before
    its form is filled (`before_form`: a screen listing the buttons), a "réponse renseignée"
    on a field this very transition asks for is not held against it: the form fills it."""
    own_fields = {field.name for field in transition.fields} if before_form else set()
    return [
        message
        for condition in transition.conditions
        if not (condition.code == "field_filled" and condition.params["field"] in own_fields)
        and (message := CONDITIONS[condition.code].check(context, condition.params))
    ]


def condition_stream_block() -> blocks.StreamBlock:
    return blocks.StreamBlock(
        [(code, struct_for(entry.label, entry.params)) for code, entry in CONDITIONS.items()],
        required=False,
        label=_("Conditions"),
    )
