"""The migration that gives today's workflow rows their organisation, run on a database
holding today's demo data: one definition shared by every Mission Locale, staff tied to
antennas only, pathways and maraudes without organisation."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.timezone import localdate

from territories import demo as territories_demo
from territories.selectors import coverage_of
from workflows import demo as workflows_demo
from workflows.models import (
    OutreachRound,
    Pathway,
    StaffProfile,
    TransitionRecord,
    WorkflowDefinition,
    Youth,
)
from workflows.rules import age_band
from workflows.specs import live_spec

SCHEMA = ("workflows", "0004_organisation_fields")
DATA = ("workflows", "0005_organisation_from_existing_data")
# Columns later migrations add that today's loaders write: added for the load at 0004, then
# dropped again so that their own migrations add them.
LATER_COLUMNS = [
    (WorkflowDefinition, "sensitive_reader_roles"),
    (Youth, "age_band_at_entry"),
    (StaffProfile, "weekly_summary"),
    *(
        (TransitionRecord, name)
        for name in (
            "from_category",
            "first_in_category",
            "left_at",
            "programme",
            "exit_outcome",
            "automatic",
            "trigger",
        )
    ),
]


def _later_columns(add: bool) -> None:
    """Plain ALTER TABLE: SQLite's schema editor would rebuild the table from today's model,
    with every later column at once."""
    with connection.schema_editor() as editor:
        for model, name in LATER_COLUMNS:
            field = model._meta.get_field(name)
            table = editor.quote_name(model._meta.db_table)
            column = editor.quote_name(field.column)
            if add:
                definition, params = editor.column_sql(model, field, include_default=True)
                editor.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}", params)
            else:
                editor.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


def _as_today() -> int:
    """Turns the freshly loaded demo into what today's schema held: one definition (the
    one most pathways follow), no organisation anywhere. Returns that definition's id."""
    kept = WorkflowDefinition.objects.get(organisation__slug="toulouse")
    Pathway.objects.update(definition=kept, organisation=None)
    OutreachRound.objects.update(organisation=None)
    StaffProfile.objects.update(organisation=None)
    StaffProfile.objects.filter(user__username__startswith="coordinat").update(antenna=None)
    WorkflowDefinition.objects.exclude(pk=kept.pk).delete()
    WorkflowDefinition.objects.update(organisation=None)
    return kept.pk


@pytest.mark.django_db(transaction=True)
def test_migration_gives_todays_demo_data_their_organisations():
    executor = MigrationExecutor(connection)
    executor.migrate([SCHEMA])
    _later_columns(add=True)
    try:
        # Same columns at 0004 as now but LATER_COLUMNS (0005 only moves data): today's
        # loaders can run.
        territories_demo.load(report=io.StringIO().write)
        workflows_demo.load(report=io.StringIO().write)
        shared = _as_today()
        stages_before = dict(Pathway.objects.values_list("pk", "stage"))
        assert Pathway.objects.count() == 38
    finally:
        _later_columns(add=False)
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    # Staff: their antenna's organisation (none for a coordinator without antenna).
    profiles = StaffProfile.objects.select_related("organisation", "user")
    organisation_of = {p.user.username: p.organisation and p.organisation.slug for p in profiles}
    assert organisation_of["conseiller.rodez"] == "aveyron"
    assert organisation_of["conseillere.toulouse"] == "toulouse"
    assert organisation_of["mediateur.toulouse"] == "toulouse"
    assert organisation_of["coordinatrice"] is None

    # Pathways: the organisation of their antenna, the one covering their commune here.
    pathways = Pathway.objects.select_related("youth__commune", "definition")
    for pathway in pathways:
        assert pathway.organisation_id == coverage_of(pathway.youth.commune).organisation.pk
        # Each follows a definition of its own organisation, with the same stages.
        assert pathway.definition.organisation_id == pathway.organisation_id
        assert pathway.stage in live_spec(pathway.definition).stages
    assert dict(Pathway.objects.values_list("pk", "stage")) == stages_before

    # The shared definition stays with the organisation most pathways belong to (Toulouse);
    # every other organisation with pathways has its own published copy.
    definitions = WorkflowDefinition.objects.select_related("organisation")
    assert sorted(d.organisation.slug for d in definitions) == [
        "aveyron",
        "clermont",
        "elbeuf",
        "montpellier",
        "toulouse",
    ]
    assert WorkflowDefinition.objects.get(pk=shared).organisation.slug == "toulouse"
    original = live_spec(WorkflowDefinition.objects.get(pk=shared))
    for definition in definitions:
        spec = live_spec(definition)
        assert definition.live and spec is not None
        assert list(spec.stages) == list(original.stages)
        assert definition.live_revision.object_id == str(definition.pk)

    # Maraudes: their mediator's organisation.
    assert set(OutreachRound.objects.values_list("organisation__slug", flat=True)) == {
        "toulouse",
        "aveyron",
    }

    # 0008: every young person with a date of birth has their age band at entry.
    youths = Youth.objects.all()
    assert youths and all(
        youth.age_band_at_entry == age_band(youth.date_of_birth, localdate(youth.created_at))
        for youth in youths
    )
