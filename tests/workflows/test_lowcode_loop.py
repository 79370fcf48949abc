"""The low-code loop without the browser: a coordinator adds a stage and two transitions
and publishes; a counsellor takes a pathway through them, refused while the required
field is empty. No migration, no restart."""

import pytest
from django.utils import timezone

from workflows.selectors import available_transitions
from workflows.services.errors import InvalidFields
from workflows.services.transitions import fire_transition

from .factories import default_elements, publish_definition_from


def test_new_stage_takes_effect_on_publish(definition, pathway, counsellor, coordinator):
    elements = default_elements()
    elements.insert(
        3,
        {
            "type": "stage",
            "value": {
                "code": "atelier_collectif",
                "label": "Atelier collectif",
                "category": "support",
                "reminder_days": 10,
            },
        },
    )
    elements += [
        {
            "type": "transition",
            "value": {
                "code": "inscrire_atelier",
                "label": "Inscrire à l'atelier",
                "sources": "premier_accueil",
                "target": "atelier_collectif",
                "allowed_groups": ["Conseillers"],
                "fields": [
                    {
                        "name": "theme_atelier",
                        "label": "Thème de l'atelier",
                        "field_type": "text",
                        "required": True,
                    }
                ],
            },
        },
        {
            "type": "transition",
            "value": {
                "code": "fin_atelier",
                "label": "Terminer l'atelier",
                "sources": "atelier_collectif",
                "target": "diagnostic",
                "allowed_groups": ["Conseillers"],
            },
        },
    ]
    publish_definition_from(elements, user=coordinator, name=definition.name)

    today = timezone.localdate().isoformat()
    pathway = fire_transition(
        pathway, "fixer_premier_accueil", actor=counsellor, answers={"date_premier_accueil": today}
    )
    codes = [a.transition.code for a in available_transitions(counsellor, pathway)]
    assert "inscrire_atelier" in codes
    with pytest.raises(InvalidFields) as refused:
        fire_transition(pathway, "inscrire_atelier", actor=counsellor, answers={})
    assert refused.value.field_errors == {"theme_atelier": ["Champ requis."]}
    pathway = fire_transition(
        pathway,
        "inscrire_atelier",
        actor=counsellor,
        answers={"theme_atelier": "Simulation d'entretien"},
    )
    assert (pathway.stage, pathway.stage_category) == ("atelier_collectif", "support")
    pathway = fire_transition(pathway, "fin_atelier", actor=counsellor, answers={})
    assert pathway.stage == "diagnostic"
    assert pathway.history.filter(to_stage_label="Atelier collectif").count() == 1
