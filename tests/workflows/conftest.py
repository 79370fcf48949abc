import pytest

from workflows.models import WorkflowDefinition
from workflows.policies import COORDINATORS, COUNSELLORS, DATA_PROTECTION_OFFICERS, MEDIATORS
from workflows.services.definition_copies import copy_definition

from .factories import (
    default_elements,
    make_places,
    make_user,
    new_pathway,
    publish_definition_from,
)


@pytest.fixture
def places(db):
    return make_places()


@pytest.fixture
def coordinator(places):
    """The Aveyron organisation's coordinator."""
    return make_user("coord", COORDINATORS, organisation=places["aveyron"])


@pytest.fixture
def counsellor(places):
    return make_user("conseil", COUNSELLORS, antenna=places["antenna"])


@pytest.fixture
def other_counsellor(places):
    return make_user("conseil2", COUNSELLORS, antenna=places["other_antenna"])


@pytest.fixture
def mediator(places):
    return make_user("mediateur", MEDIATORS, organisation=places["aveyron"])


@pytest.fixture
def dpo(places):
    """The Aveyron organisation's data protection officer."""
    return make_user("dpo", DATA_PROTECTION_OFFICERS, organisation=places["aveyron"])


@pytest.fixture
def outsider(db):
    return make_user("inconnu")


@pytest.fixture
def definition(coordinator, places):
    """Aveyron's published definition. Toulouse gets its own copy, so that its staff can
    start pathways too (`other_definition`)."""
    definition = publish_definition_from(default_elements(), user=coordinator)
    copy_definition(definition, places["toulouse"])
    return definition


@pytest.fixture
def other_definition(definition, places):
    """Toulouse's copy of the default definition."""
    return WorkflowDefinition.objects.get(organisation=places["toulouse"])


@pytest.fixture
def pathway(definition, counsellor, places):
    """A pathway at "repéré", followed by the counsellor at the Rodez antenna."""
    return new_pathway(
        actor=counsellor,
        referent=counsellor,
        antenna=places["antenna"],
        commune=places["commune"],
        priority_neighbourhood=places["qpv"],
    )
