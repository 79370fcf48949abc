"""`manage.py anonymise_expired` and the daily task: the same retention service, as of a day.
Two years minus one day after the last contact, an open pathway's young person is as they
were; two years plus one day later, no table holds their name, phone, e-mail or notes."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from access_log.models import AccessLogEntry, Action, Channel
from workflows.models import Pathway, Youth
from workflows.tasks import anonymise_expired_records

from .test_retention import _full_record

# What identifies the young person of `_full_record`, and the texts written about them.
IDENTIFYING = [
    "Zéphyrine",
    "Quillebeuf",
    "06 12 34 56 78",
    "zephyrine.q@demo.example.org",
    "Parle de sa dette",
    "Rappeler au sujet du loyer",
    "Hébergée chez sa tante",
    "Foyer des Platanes",
    "Docteur Marchepied",
]


def _dump() -> str:
    """Every table, as `dumpdata` writes it, accents unescaped."""
    out = io.StringIO()
    call_command("dumpdata", format="json", stdout=out)
    return json.dumps(json.loads(out.getvalue()), ensure_ascii=False)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("anonymise_expired", *args, stdout=out)
    return out.getvalue()


def test_an_open_pathway_two_years_after_its_last_contact(definition, counsellor, places):
    pathway = _full_record(counsellor, places)
    last_contact = timezone.localdate(pathway.last_contact_at)
    before = _dump()
    assert all(text in before for text in IDENTIFYING)

    output = _run("--as-of", (last_contact + datetime.timedelta(days=729)).isoformat())

    assert "Rien à faire" in output
    assert "Total : 0 parcours clos, 0 jeune(s) anonymisés." in output
    youth = Youth.objects.get(pk=pathway.youth_id)
    assert (youth.first_name, youth.email, youth.anonymised_at) == (
        "Zéphyrine",
        "zephyrine.q@demo.example.org",
        None,
    )
    assert Pathway.objects.get(pk=pathway.pk).closed_at is None

    output = _run("--as-of", (last_contact + datetime.timedelta(days=731)).isoformat())

    assert "Mission Locale de l'Aveyron : 1 parcours sans contact clos, 1 jeune(s)" in output
    assert "Zéphyrine" not in output and "Quillebeuf" not in output
    dump = _dump()
    assert [text for text in IDENTIFYING if text in dump] == []
    assert Youth.objects.get(pk=pathway.youth_id).anonymised_at is not None
    assert AccessLogEntry.objects.get(action=Action.ANONYMISE).channel == Channel.COMMAND


def test_dry_run_prints_what_it_would_do_and_changes_nothing(
    definition, counsellor, other_counsellor, other_definition, places
):
    _full_record(counsellor, places)
    _full_record(counsellor, places, first_name="Ysée", last_name="Bonnefoy")
    as_of = (timezone.localdate() + datetime.timedelta(days=800)).isoformat()
    before = _dump()

    output = _run("--as-of", as_of, "--dry-run")

    assert "Simulation" in output and "rien n'est modifié" in output
    assert (
        "Mission Locale de l'Aveyron : 2 parcours sans contact seraient clos, "
        "2 jeune(s) seraient anonymisés." in output
    )
    assert "Ysée" not in output
    assert _dump() == before

    assert "Total : 2 parcours clos, 2 jeune(s) anonymisés." in _run("--as-of", as_of)
    # Idempotent: a second run finds nothing left.
    assert "Total : 0 parcours clos, 0 jeune(s) anonymisés." in _run("--as-of", as_of)


@pytest.mark.parametrize("raw", ["2026-13-01", "01/02/2027", "demain"])
def test_a_bad_date_is_refused_in_plain_french(db, raw):
    with pytest.raises(CommandError, match=f"Date invalide « {raw} » : écrivez-la AAAA-MM-JJ"):
        _run("--as-of", raw)


def test_the_daily_task_calls_the_same_service(definition, counsellor, places):
    pathway = _full_record(counsellor, places)
    three_years_ago = timezone.now() - datetime.timedelta(days=3 * 365)
    Pathway.objects.filter(pk=pathway.pk).update(
        created_at=three_years_ago, last_contact_at=three_years_ago
    )

    assert anonymise_expired_records() == 1

    assert Youth.objects.get(pk=pathway.youth_id).first_name == "Anonymisé"
    assert AccessLogEntry.objects.get(action=Action.ANONYMISE).channel == Channel.TASK
    assert anonymise_expired_records() == 0


def test_ten_years_on_no_demo_young_person_is_identifiable(demo_data):
    """The audit's check: the clock moved ten years ahead left 31 of 34 identifiable."""
    names = list(Youth.objects.values_list("last_name", flat=True))
    assert names and Pathway.objects.filter(closed_at__isnull=True).exists()

    _run("--as-of", (timezone.localdate() + datetime.timedelta(days=3650)).isoformat())

    assert not Youth.objects.filter(anonymised_at__isnull=True).exists()
    assert not Pathway.objects.filter(closed_at__isnull=True).exists()
    dump = _dump()
    assert [name for name in names if name in dump] == []
