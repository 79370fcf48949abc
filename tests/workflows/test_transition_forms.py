"""The form a transition asks for, built from its field specs."""

from workflows.forms import build_transition_form
from workflows.specs import FieldSpec, TransitionSpec

TRANSITION = TransitionSpec(
    code="bilan",
    label="Faire le bilan",
    sources=("a",),
    target="b",
    allowed_groups=frozenset({"Conseillers"}),
    fields=(
        FieldSpec("texte", "Texte", "text", required=True),
        FieldSpec("long", "Long", "long_text"),
        FieldSpec("quand", "Quand", "date", required=True),
        FieldSpec("heures", "Heures", "number"),
        FieldSpec("cej", "En CEJ ?", "yes_no", required=True),
        FieldSpec("choix", "Choix", "choice", choices=("Un", "Deux")),
        FieldSpec("plusieurs", "Plusieurs", "multiple_choice", choices=("Un", "Deux", "Trois")),
    ),
)


def test_every_field_type_validates_and_gives_json_answers():
    form = build_transition_form(
        TRANSITION,
        data={
            "texte": "ok",
            "quand": "2026-03-02",
            "heures": "15",
            "cej": True,
            "choix": "Deux",
            "plusieurs": ["Un", "Trois"],
        },
    )
    assert form.is_valid(), form.errors
    assert form.answers() == {
        "texte": "ok",
        "long": "",
        "quand": "2026-03-02",
        "heures": "15",
        "cej": "oui",
        "choix": "Deux",
        "plusieurs": ["Un", "Trois"],
    }


def test_required_and_invalid_values_are_reported_per_field():
    form = build_transition_form(
        TRANSITION, data={"quand": "hier", "heures": "beaucoup", "choix": "Trois"}
    )
    assert not form.is_valid()
    assert set(form.errors) == {"texte", "quand", "heures", "cej", "choix"}
    # An unbound form is what a screen renders first.
    assert list(build_transition_form(TRANSITION).fields) == [f.name for f in TRANSITION.fields]
