"""Fixtures of the API tests: clients authenticated by token or session."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.workflows.factories import (
    default_elements,
    make_places,
    make_user,
    new_pathway,
    publish_definition_from,
)
from workflows.policies import COORDINATORS, COUNSELLORS, MEDIATORS


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("admin-api", "admin@example.org", "x")


def token_client(user) -> APIClient:
    """A client that authenticates as `user` with an API token, as a partner app would."""
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


# --- Workflow: the same builders as the workflow's own tests -----------------------------


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
def definition(coordinator):
    return publish_definition_from(default_elements(), user=coordinator)


@pytest.fixture
def pathway(definition, counsellor, places):
    """At "repéré", followed by the counsellor of the Rodez antenna."""
    return new_pathway(
        actor=counsellor,
        referent=counsellor,
        antenna=places["antenna"],
        commune=places["commune"],
        priority_neighbourhood=places["qpv"],
    )
