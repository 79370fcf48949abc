"""Fixtures of the public site's tests: the demo pages without the workflow, and a way to
post the "être recontacté" form as a person would (after a few seconds)."""

import io
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import transaction

from public_site import spam


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The rate limit lives in the cache: each test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def _public_demo_module(django_db_setup, django_db_blocker):
    """The demo pages, loaded once per test module inside a transaction that is rolled
    back after the module (each test still runs in its own nested transaction)."""
    from public_site import demo as public_demo_loader
    from territories import demo as territories_demo

    out = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        territories_demo.load(report=out.write)
        home = public_demo_loader.load(report=out.write)
        yield home
        transaction.set_rollback(True)


@pytest.fixture
def public_demo(_public_demo_module, db):
    """Territories and public pages only: no workflow definition is published."""
    return _public_demo_module


def rendered_seconds_ago(seconds: float) -> str:
    return signing.dumps(time.time() - seconds, salt=spam.SIGNING_SALT, compress=False)


@pytest.fixture
def contact_form_data():
    def make(**overrides) -> dict:
        data = {
            "first_name": "Inès",
            "phone": "06 00 00 00 12",
            "email": "",
            "commune": "",
            "needs": ["employment", "housing"],
            "consent": "on",
            "website": "",
            "rendered_at": rendered_seconds_ago(30),
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return make
