"""The workflow's fixtures (places, roles, the default definition), shared."""

from tests.workflows.conftest import (  # noqa: F401
    coordinator,
    counsellor,
    definition,
    mediator,
    other_definition,
    places,
)
