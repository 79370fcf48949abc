import pytest

from workflows.policies import COORDINATORS, COUNSELLORS, MEDIATORS

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
def coordinator(db):
    return make_user("coord", COORDINATORS)


@pytest.fixture
def counsellor(places):
    return make_user("conseil", COUNSELLORS, antenna=places["antenna"])


@pytest.fixture
def other_counsellor(places):
    return make_user("conseil2", COUNSELLORS, antenna=places["other_antenna"])


@pytest.fixture
def mediator(places):
    return make_user("mediateur", MEDIATORS)


@pytest.fixture
def outsider(db):
    return make_user("inconnu")


@pytest.fixture
def definition(coordinator):
    return publish_definition_from(default_elements(), user=coordinator)


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
