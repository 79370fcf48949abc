"""Fixtures of the API tests: clients authenticated by token or session."""

import pytest
from rest_framework.test import APIClient

from api_common.tokens import DEFAULT_LIFETIME_DAYS, mint_token

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


def bearer(user) -> str:
    """The `Authorization` header of a new token for `user`, minted as the admin screen does
    (every test that needs a token gets it here)."""
    _token, secret = mint_token(owner=user, name="Tests", lifetime_days=DEFAULT_LIFETIME_DAYS)
    return f"Bearer {secret}"


def token_client(user) -> APIClient:
    """A client that authenticates as `user` with an API token, as a partner app would."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=bearer(user))
    return client


def pytest_terminal_summary(terminalreporter) -> None:
    """Schemathesis's cases and seconds per role, when it ran (tests/api/test_schemathesis.py)."""
    import sys

    module = sys.modules.get("tests.api.test_schemathesis")
    for line in module.summary() if module is not None else []:
        terminalreporter.write_line(line)
