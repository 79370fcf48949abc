"""Organisations (Missions Locales), the communes each covers and the antenna that receives a
commune's requests; and the migration that turned the antennas' free-text organisation into
organisations, run on today's demo data."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from territories.models import Antenna, Commune, CommuneCoverage, Organisation
from territories.selectors import coverage_of

BEFORE = ("territories", "0002_organisations")
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "territories.json"


def migrate_to(targets):
    """Migrate the test database to `targets`; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_migration_turns_todays_antenna_texts_into_organisations():
    """Today's demo antennas, written as the old schema held them (free-text organisation),
    become five organisations, each holding its own antennas."""
    old_apps = migrate_to([BEFORE])
    try:
        OldAntenna = old_apps.get_model("territories", "Antenna")
        rows = json.loads(FIXTURE.read_text(encoding="utf-8"))["antennas"]
        for row in rows:
            OldAntenna.objects.create(name=row["name"], organisation=row["organisation"])
        OldAntenna.objects.create(
            name="Antenne du centre", organisation=" Mission Locale de Toulouse "
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    names = {row["organisation"] for row in rows}
    assert set(Organisation.objects.values_list("name", flat=True)) == names
    for row in rows:
        antenna = Antenna.objects.get(name=row["name"], organisation__name=row["organisation"])
        assert antenna.organisation.name == row["organisation"]
    toulouse = Organisation.objects.get(name="Mission Locale de Toulouse")
    assert (toulouse.short_name, toulouse.slug) == ("Toulouse", "toulouse")
    assert toulouse.antennas.count() == 6  # the five of the demo and the padded name
    aveyron = Organisation.objects.get(name="Mission Locale de l'Aveyron")
    assert (aveyron.short_name, aveyron.slug) == ("Aveyron", "aveyron")
    montpellier = Organisation.objects.get(name__contains="Montpellier")
    assert montpellier.short_name == "Montpellier Méditerranée Métropole"
    assert len(set(Organisation.objects.values_list("slug", flat=True))) == len(names)


@pytest.fixture
def aveyron(db):
    organisation = Organisation.objects.create(
        name="Mission Locale de l'Aveyron", short_name="Aveyron", slug="aveyron"
    )
    return organisation


def test_a_commune_belongs_to_one_organisation_at_most(aveyron):
    onet = Commune.objects.create(name="Onet-le-Château", insee_code="12176")
    other = Organisation.objects.create(name="Autre", short_name="Autre", slug="autre")
    CommuneCoverage.objects.create(organisation=aveyron, commune=onet)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommuneCoverage.objects.create(organisation=other, commune=onet)
    duplicate = CommuneCoverage(organisation=other, commune=onet)
    with pytest.raises(ValidationError) as refusal:
        duplicate.full_clean()
    assert refusal.value.message_dict["commune"] == [
        "Cette commune est déjà couverte par une Mission Locale."
    ]


def test_the_antenna_of_a_commune_belongs_to_its_organisation(aveyron):
    onet = Commune.objects.create(name="Onet-le-Château", insee_code="12176")
    other = Organisation.objects.create(name="Autre", short_name="Autre", slug="autre")
    foreign_antenna = Antenna.objects.create(name="Ailleurs", organisation=other)
    coverage = CommuneCoverage(organisation=aveyron, commune=onet, antenna=foreign_antenna)
    with pytest.raises(ValidationError) as refusal:
        coverage.full_clean()
    assert refusal.value.message_dict["antenna"] == [
        "Choisissez une antenne de cette Mission Locale."
    ]


def test_coverage_of_a_commune_in_one_query(aveyron, django_assert_num_queries):
    onet = Commune.objects.create(name="Onet-le-Château", insee_code="12176")
    nowhere = Commune.objects.create(name="Ailleurs", insee_code="99999")
    rodez = Antenna.objects.create(name="Antenne de Rodez", organisation=aveyron)
    CommuneCoverage.objects.create(organisation=aveyron, commune=onet, antenna=rodez)
    with django_assert_num_queries(1):
        found = coverage_of(onet)
        assert (found.organisation.slug, found.antenna.name) == ("aveyron", "Antenne de Rodez")
    assert coverage_of(nowhere) is None
    assert coverage_of(None) is None


def test_demo_organisations_cover_the_seed_communes(demo_data):
    by_commune = {
        row.commune.insee_code: (row.organisation.slug, row.antenna.name if row.antenna else None)
        for row in CommuneCoverage.objects.select_related("commune", "organisation", "antenna")
    }
    assert by_commune == {
        "63019": ("clermont", "Mission Locale Clermont Métropole et Volcans"),
        "12176": ("aveyron", "Antenne de Rodez"),
        "76231": ("elbeuf", "Mission Locale d'Elbeuf"),
        "76561": ("elbeuf", "Mission Locale d'Elbeuf"),
        "76178": ("elbeuf", "Mission Locale d'Elbeuf"),
        "31555": ("toulouse", "Quartiers Est"),
        "34172": ("montpellier", "Croix d'Argent"),
    }
    assert Organisation.objects.count() == 5
    # Every organisation names the antenna that receives requests without a commune.
    assert all(
        organisation.default_antenna.organisation_id == organisation.pk
        for organisation in Organisation.objects.select_related("default_antenna")
    )
