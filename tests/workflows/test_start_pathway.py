"""Starting a pathway: consent, a live definition, the website's requests."""

import pytest
from django.core.exceptions import ValidationError

from workflows.choices import PathwaySource
from workflows.models import TransitionRecord
from workflows.services.errors import NoPublishedDefinition
from workflows.services.pathways import start_pathway


def test_start_pathway_needs_consent_and_a_live_definition(places):
    with pytest.raises(NoPublishedDefinition):
        start_pathway(
            first_name="Sam",
            source=PathwaySource.WEBSITE,
            consent=True,
            contact_phone="0600000001",
            commune=places["commune"],
        )
    with pytest.raises(ValidationError):
        start_pathway(first_name="Sam", source=PathwaySource.WEBSITE, consent=False)


def test_start_pathway_from_the_website(definition, places):
    pathway = start_pathway(
        first_name=" Sam ",
        source=PathwaySource.WEBSITE,
        consent=True,
        contact_email="sam@example.org",
        needs=["employment", "housing"],
        comment="Demande via le formulaire.",
        commune=places["commune"],
    )
    # No staff member: the organisation and antenna covering the young person's commune.
    assert (pathway.organisation, pathway.antenna) == (places["aveyron"], places["antenna"])
    assert pathway.definition == definition
    assert (pathway.stage, pathway.youth.first_name, pathway.needs) == (
        "repere",
        "Sam",
        ["employment", "housing"],
    )
    assert pathway.youth.consent_given and pathway.youth.consent_recorded_at
    record = TransitionRecord.objects.get(pathway=pathway)
    assert (record.kind, record.actor, record.comment) == (
        "start",
        None,
        "Demande via le formulaire.",
    )
