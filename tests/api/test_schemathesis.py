"""Schemathesis against the live schema, in process (WSGI), at full strength: every check,
with the schema's examples, the coverage phase (values at and beyond each boundary), fuzzing
and the stateful phase (chains of calls through the links it infers), anonymously, with a
counsellor's token and as the administrator (a superuser, who holds no token: by session,
with its CSRF pair). No 5xx, no answer outside the documented contract, and no traceback in
the server's log.

The seed is fixed and the budget bounded (examples per operation, chains and their
length), so a run is the same every time and keeps CI inside its time limit. The full run is
PostgreSQL's (CI runs it there); on SQLite the same tests run without the coverage phase and
with fewer examples. The cases and seconds per role are written at the end of the run."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
from schemathesis.config import PositiveDataAcceptanceConfig
from schemathesis.specs.openapi.checks import ignored_auth

from tests.api import factories
from tests.api.conftest import bearer
from tests.workflows.factories import new_pathway

SEED = 20261202
ROLES = ("anonymous", "counsellor", "admin")


def heavy() -> bool:
    """The full run is PostgreSQL's (as CI runs it, and as production runs); SQLite's
    leaves out the coverage phase and runs fewer examples."""
    return connection.vendor == "postgresql"


# The schema as a client downloads it from the running application (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
schema.config.seed = SEED
schema.config.phases.update(
    phases=["examples", "coverage", "fuzzing", "stateful"]
    if heavy()
    else ["examples", "fuzzing", "stateful"]
)
# Every check is on. One is told what a JSON Schema cannot say: a well-formed request may
# still break a documented business rule (a commune or Mission Locale that does not exist,
# a period of more than a year, a contact date in the future, a transition's answers, an
# If-Match of another version), and those answer 400 or 412 as their descriptions say.
schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
    expected_statuses=["2xx", "3xx", "400", "401", "403", "404", "409", "412", "429"]
)

# Cases run and seconds taken (generation included), per role, written at the end of the run.
CASES: Counter[str] = Counter()
SECONDS: Counter[str] = Counter()


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )


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


class ErrorLog(logging.Handler):
    """Every record at ERROR or above: a server error's traceback lands here."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def no_traceback_in_the_log():
    handler = ErrorLog()
    logging.getLogger().addHandler(handler)
    yield
    logging.getLogger().removeHandler(handler)
    assert not handler.records, [handler.format(record) for record in handler.records]


@pytest.fixture
def api_data(db, keep_test_connection, no_traceback_in_the_log, counsellor, definition, places):
    """Data behind the endpoints: a pathway, a permanence, a fresh rate-limit counter."""
    new_pathway(actor=counsellor, referent=counsellor, commune=places["commune"])
    venue = factories.venue("CCAS d'Onet-le-Château", places["commune"])
    factories.permanence("Permanence au CCAS", venue=venue, services=["employment"])
    cache.clear()


@dataclass
class Role:
    """A kind of client: what it sends with each request, and the same credentials as the
    checks must know them. Schemathesis's WSGI client replaces a `Cookie` header with its
    own cookie jar, so a session travels in `cookies`; the checks are told it as the
    header `st run --header` would give, and then know the credentials valid (their
    `ignored_auth` check removes them to see the 401)."""

    name: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    # `ignored_auth` probes by removing the credentials it can see in the request; a session
    # sent beside a generated `Authorization` header misleads it (the probe keeps the
    # session). It runs for the token's role, which the same views serve.
    excluded_checks: list = field(default_factory=list)

    def send(self) -> dict:
        return {"headers": self.headers, "cookies": self.cookies}

    def as_checks_know_it(self) -> dict[str, str]:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return {**self.headers, **({"Cookie": cookie} if cookie else {})}


@pytest.fixture(params=ROLES)
def role(request, api_data, counsellor, admin_user) -> Iterator[Role]:
    """Each kind of client in turn: anonymous, a counsellor's token, the administrator's
    session (a superuser holds no token) with its CSRF pair."""
    client = Role(request.param)
    if client.name == "counsellor":
        client.headers["Authorization"] = bearer(counsellor)
    elif client.name == "admin":
        browser = Client()
        browser.force_login(admin_user)
        csrf = get_random_string(32)
        client.cookies.update(sessionid=browser.cookies["sessionid"].value, csrftoken=csrf)
        client.headers["X-CSRFToken"] = csrf
        client.excluded_checks.append(ignored_auth)
    started = time.perf_counter()
    yield client
    SECONDS[client.name] += time.perf_counter() - started


def summary() -> list[str]:
    """One line per role: cases run and seconds they took (written by `conftest.py` at the
    end of the run, for CI's log)."""
    return [
        f"schemathesis ({connection.vendor}) {name} : {CASES[name]} cas, {SECONDS[name]:.0f} s"
        for name in ROLES
        if CASES[name]
    ]


@schema.parametrize()
@fuzz_settings(examples=25 if heavy() else 10)
def test_every_operation_keeps_its_contract(case, role):
    response = case.call(**role.send())
    case.validate_response(
        response,
        headers=role.as_checks_know_it(),
        excluded_checks=role.excluded_checks,
        transport_kwargs=role.send(),
    )
    CASES[role.name] += 1


APIWorkflow = schema.as_state_machine()


def test_chains_of_calls_keep_the_contract(role):
    class Workflow(APIWorkflow):  # type: ignore[valid-type, misc]
        def get_call_kwargs(self, case) -> dict:
            CASES[role.name] += 1
            return role.send()

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            case.validate_response(
                response,
                headers=role.as_checks_know_it(),
                additional_checks=additional_checks,
                excluded_checks=role.excluded_checks,
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    Workflow.run(
        settings=settings(
            max_examples=30 if heavy() else 5,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
    )
