"""Schemathesis against the live schema, in process (WSGI), on every operation, as an
authenticated coordinator: no 5xx and no response outside the documented contract."""

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api import factories
from tests.api.conftest import bearer
from tests.workflows.factories import new_pathway

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# The schema as a client downloads it from the running application (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def keep_test_connection():
    """Schemathesis calls the plain WSGI handler, which closes the database connection after
    each request; inside the test's transaction (PostgreSQL) that would lose it. Django's own
    test client disconnects the same handlers."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(db, keep_test_connection, coordinator, counsellor, definition, places):
    """Data behind the endpoints: a pathway, a permanence, a fresh rate-limit counter."""
    new_pathway(actor=counsellor, referent=counsellor, commune=places["commune"])
    venue = factories.venue("CCAS d'Onet-le-Château", places["commune"])
    factories.permanence("Permanence au CCAS", venue=venue, services=["employment"])
    cache.clear()


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_keeps_its_contract(case, api_data, coordinator):
    case.call_and_validate(headers={"Authorization": bearer(coordinator)}, checks=CHECKS)
