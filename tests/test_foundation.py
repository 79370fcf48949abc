"""The project runs as the README says: demo data, home page, admin, production checks."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Site

from territories.models import (
    Antenna,
    Commune,
    CommuneCoverage,
    Organisation,
    PriorityNeighbourhood,
)

pytestmark = pytest.mark.django_db


def test_french_by_default():
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"


def test_home_page_is_served_with_demo_data(client, demo_data):
    response = client.get("/")
    assert response.status_code == 200
    assert "Mission Locale" in response.content.decode()
    assert Site.objects.get(is_default_site=True).root_page.specific_class.__name__ == "FinderPage"


def test_admin_login_page_is_reachable(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr-fr"' in html
    assert "Nom d’utilisateur" in html


def test_demo_data_loads_twice_without_duplicates(demo_data):
    def counts():
        return (
            Organisation.objects.count(),
            CommuneCoverage.objects.count(),
            Commune.objects.count(),
            PriorityNeighbourhood.objects.count(),
            Antenna.objects.count(),
        )

    before = counts()
    call_command("load_demo_data", stdout=io.StringIO())
    assert counts() == before == (5, 7, 7, 27, 10)
    onet = Commune.objects.get(insee_code="12176")
    assert onet.name == "Onet-le-Château"
    assert onet.priority_neighbourhoods.filter(code="QP012001").exists()


def test_unknown_facts_stay_empty_rather_than_invented(demo_data):
    rodez = Antenna.objects.get(name="Antenne de Rodez")
    assert rodez.address == ""
    assert "non trouvée" in rodez.source


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k" * 10 + "9f$w2!qz-production-secret-for-test-only-x7r4t6y8u0",
    "DJANGO_ALLOWED_HOSTS": "mission-locale.example.org",
}


def _manage_in_production(*args: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    """`manage.py <args>` in a fresh process under the production profile."""
    # The suite allows the ORM beside Playwright's event loop; production must not.
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DJANGO_SETTINGS_MODULE": "cms.settings.production", **extra_env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_profile_passes_check_deploy():
    result = _manage_in_production(
        "check", "--deploy", "--fail-level", "WARNING", extra_env=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_requires_a_secret_key():
    env = {"DJANGO_ALLOWED_HOSTS": "mission-locale.example.org", "DJANGO_SECRET_KEY": ""}
    result = _manage_in_production("check", "--deploy", extra_env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_profile_refuses_the_demo_data():
    """The demo accounts share a published password: never under the production profile."""
    result = _manage_in_production("load_demo_data", extra_env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "Pas de données de démonstration en production" in result.stderr
