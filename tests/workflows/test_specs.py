"""The typed read model of a definition: live spec, old revisions, drafts."""

from wagtail.models import Revision

from workflows.specs import live_spec

from .factories import default_elements, publish_definition_from


def test_spec_is_typed_and_old_revisions_stay_readable(coordinator):
    definition = publish_definition_from(default_elements(), user=coordinator)
    first_revision = definition.live_revision_id
    spec = live_spec(definition)
    assert spec.initial_stage.code == "repere"
    assert [s.order for s in spec.stages.values()] == list(range(len(spec.stages)))
    sortir = spec.transitions["sortir"]
    assert sortir.fields[0].choices[0] == "Emploi durable (CDI ou CDD de 6 mois ou plus)"
    assert spec.transitions["proposer_diagnostic"].conditions[0].params == {
        "min_age": 16,
        "max_age": 25,
    }
    assert live_spec(definition) is spec  # cached by revision

    elements = default_elements()
    elements[0]["value"]["label"] = "Repéré·e"
    definition = publish_definition_from(elements, user=coordinator)
    assert live_spec(definition).stages["repere"].label == "Repéré·e"
    # Republishing the old revision, as the editor's history offers, brings it back whole.
    Revision.objects.get(pk=first_revision).publish(user=coordinator, skip_permission_checks=True)
    definition.refresh_from_db()
    assert definition.live_revision_id == first_revision
    assert live_spec(definition).stages["repere"].label == "Repéré"


def test_live_spec_never_comes_from_draft_content(coordinator):
    from workflows import specs

    definition = publish_definition_from(default_elements(), user=coordinator)
    draft = default_elements()
    draft[0]["value"]["label"] = "Brouillon"
    definition.elements = draft  # what the editor's instance holds while editing
    specs._CACHE.clear()
    assert live_spec(definition).stages["repere"].label == "Repéré"
