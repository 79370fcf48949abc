"""Fixtures of the API tests: clients authenticated by token or session."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

# The workflow's own fixtures (places, roles, the default definition, a pathway), shared.
from tests.workflows.conftest import (  # noqa: F401
    coordinator,
    counsellor,
    definition,
    mediator,
    other_counsellor,
    pathway,
    places,
)


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
