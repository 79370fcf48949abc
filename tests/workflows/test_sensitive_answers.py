"""Sensitive answers (health, housing, resources): the pathway's référent and the roles its
definition allows read them; the antenna's other counsellors, the médiateur who identified
the young person and a coordinator read "Information réservée au référent", on the pathway
page, its timeline, the API detail and history, the exports and the notifications. Every
read of a real value is in the access log."""

from __future__ import annotations

import html
import importlib
import io
import json

import openpyxl
import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from access_log.models import AccessLogEntry, Channel
from tests.api.conftest import token_client
from workflows import tasks
from workflows.choices import ContactKind
from workflows.models import TransitionRecord, WorkflowDefinition
from workflows.policies import COORDINATORS, COUNSELLORS, DATA_PROTECTION_OFFICERS
from workflows.services.pathways import log_contact
from workflows.services.transitions import fire_transition
from workflows.specs import live_spec, spec_from_stream

from .factories import (
    default_elements,
    definition_form_data,
    make_user,
    new_pathway,
    publish_definition_from,
)

pytestmark = pytest.mark.usefixtures("admin_access")

TODAY = timezone.localdate().isoformat()
PLACEHOLDER = "Information réservée au référent"
# A free-text sensitive answer added to the default definition's diagnostic: a value found
# nowhere else on any page. The default's own health answer gets a choice no other answer has.
HEALTH_NOTE = "Suivi au CMP de Rodez depuis mars"
HEALTH_CHOICE = "Besoin prioritaire"


def with_health_note(elements: list[dict]) -> list[dict]:
    """The default definition, its diagnostic asking one more sensitive, free-text answer."""
    for element in elements:
        if element["type"] == "transition" and element["value"]["code"] == "orienter":
            element["value"]["fields"].append(
                {
                    "name": "precision_sante",
                    "label": "Précision sur la santé",
                    "field_type": "text",
                    "required": False,
                    "help_text": "",
                    "choices": "",
                    "sensitive": True,
                }
            )
    return elements


@pytest.fixture
def sensitive_definition(definition, coordinator):
    return publish_definition_from(with_health_note(default_elements()), user=coordinator)


@pytest.fixture
def colleague(places):
    """Another counsellor of the référent's antenna: sees the pathway, not its secrets."""
    return make_user("collegue", COUNSELLORS, antenna=places["antenna"])


@pytest.fixture
def assessed(sensitive_definition, counsellor, mediator, places):
    """A pathway the médiateur identified, followed by the counsellor, past its diagnostic:
    health "Besoin prioritaire" with a note; every other need "Pas de besoin"."""
    pathway = new_pathway(
        actor=mediator,
        referent=counsellor,
        antenna=places["antenna"],
        commune=places["commune"],
    )
    pathway = fire_transition(
        pathway, "fixer_premier_accueil", actor=counsellor, answers={"date_premier_accueil": TODAY}
    )
    pathway = fire_transition(
        pathway, "proposer_diagnostic", actor=counsellor, answers={"date_diagnostic": TODAY}
    )
    log_contact(pathway, kind=ContactKind.INTERVIEW, actor=counsellor)
    return fire_transition(
        pathway,
        "orienter",
        actor=counsellor,
        answers={
            "diag_emploi": "Pas de besoin",
            "diag_formation": "Pas de besoin",
            "diag_sante": HEALTH_CHOICE,
            "diag_logement": "Pas de besoin",
            "diag_mobilite": "Pas de besoin",
            "diag_ressources": "Pas de besoin",
            "orientation": "CEJ",
            "precision_sante": HEALTH_NOTE,
        },
    )


def page_text(client, user, pathway) -> str:
    client.force_login(user)
    response = client.get(reverse("workflows_screens:pathway", args=[pathway.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def api_reads(user, pathway) -> tuple[dict, list[dict]]:
    client = token_client(user)
    detail = client.get(f"/api/pathways/{pathway.pk}/")
    history = client.get(f"/api/pathways/{pathway.pk}/history/")
    assert detail.status_code == history.status_code == 200
    return detail.json(), history.json()


def orienter_answers(history: list[dict]) -> dict:
    return next(item for item in history if item["transition_code"] == "orienter")["answers"]


def sensitive_reads(channel: str) -> int:
    return AccessLogEntry.objects.filter(sensitive=True, channel=channel).count()


# --- the definition --------------------------------------------------------------------------


def test_the_default_definition_marks_health_housing_and_resources(definition):
    spec = live_spec(definition)
    assert spec.sensitive_fields == {"diag_sante", "diag_logement", "diag_ressources"}
    assert definition.sensitive_reader_roles == []


def test_a_coordinator_marks_a_field_sensitive_and_allows_a_role_in_the_editor(
    client, coordinator, definition
):
    Group.objects.get(name=COORDINATORS).permissions.add(
        *Permission.objects.filter(content_type__model="workflowdefinition")
    )
    elements = default_elements()
    for element in elements:
        if element["type"] == "transition" and element["value"]["code"] == "orienter":
            for field in element["value"]["fields"]:
                field["sensitive"] = field["name"] in ("diag_sante", "diag_mobilite")
    data = definition_form_data(name=definition.name, elements=elements)
    data["sensitive_reader_roles"] = [DATA_PROTECTION_OFFICERS]
    client.force_login(coordinator)
    edit_url = reverse("wagtailsnippets_workflows_workflowdefinition:edit", args=[definition.pk])
    form = client.get(edit_url).content.decode()
    # The block's label travels JSON-encoded to the editor's script; the role field is HTML.
    assert json.dumps("Donnée sensible (réservée au référent)")[1:-1] in form
    assert "rôles autorisés à lire les données sensibles" in html.unescape(form)
    response = client.post(edit_url, data)
    assert response.status_code == 302
    definition = WorkflowDefinition.objects.get(pk=definition.pk)
    assert live_spec(definition).sensitive_fields == {"diag_sante", "diag_mobilite"}
    assert definition.sensitive_reader_roles == [DATA_PROTECTION_OFFICERS]


def test_the_data_migration_marks_existing_definitions_and_their_revisions(definition):
    """A definition saved before the mark existed (no "sensitive" key anywhere)."""
    elements = default_elements()
    for element in elements:
        for field in element["value"].get("fields", []):
            field.pop("sensitive", None)
    definition = publish_definition_from(elements, name=definition.name)
    assert live_spec(definition).sensitive_fields == frozenset()

    migration = importlib.import_module(
        "workflows.migrations.0007_mark_sensitive_diagnostic_answers"
    )
    migration.forwards(django_apps, None)

    definition = WorkflowDefinition.objects.get(pk=definition.pk)
    expected = {"diag_sante", "diag_logement", "diag_ressources"}
    # The row, and the live revision the specs are built from (read afresh: a migration
    # runs before the server starts, with no spec cached).
    assert spec_from_stream(definition.elements, None).sensitive_fields == expected
    revisions = list(definition.revisions)
    assert definition.live_revision in revisions and len(revisions) == 2
    for revision in revisions:
        assert spec_from_stream(revision.as_object().elements, None).sensitive_fields == expected


# --- who reads what ---------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["colleague", "mediator", "coordinator"])
def test_others_read_the_placeholder_on_the_page_and_its_timeline(
    client, assessed, reader, request
):
    user = request.getfixturevalue(reader)
    text = page_text(client, user, assessed)
    assert HEALTH_NOTE not in text and HEALTH_CHOICE not in text
    # The pathway's answers and the diagnostic's line in the timeline: the note and the three
    # choices, twice each.
    assert text.count(PLACEHOLDER) == 8
    assert "CEJ" in text  # what is not sensitive stays readable
    assert not AccessLogEntry.objects.filter(sensitive=True).exists()


@pytest.mark.parametrize("reader", ["colleague", "mediator", "coordinator"])
def test_others_read_the_placeholder_through_the_api(assessed, reader, request):
    user = request.getfixturevalue(reader)
    detail, history = api_reads(user, assessed)
    for answers in (detail["answers"], orienter_answers(history)):
        assert answers["diag_sante"] == answers["precision_sante"] == PLACEHOLDER
        assert answers["diag_logement"] == answers["diag_ressources"] == PLACEHOLDER
        assert answers["diag_emploi"] == "Pas de besoin" and answers["orientation"] == "CEJ"
    assert not AccessLogEntry.objects.filter(sensitive=True).exists()


def test_the_referent_reads_them_and_each_read_is_logged(client, assessed, counsellor):
    text = page_text(client, counsellor, assessed)
    assert HEALTH_NOTE in text and HEALTH_CHOICE in text and PLACEHOLDER not in text
    entry = AccessLogEntry.objects.get(sensitive=True)
    assert (entry.user_id, entry.youth_id, entry.pathway_id, entry.channel, entry.action) == (
        counsellor.pk,
        assessed.youth_id,
        assessed.pk,
        Channel.PAGE,
        "read",
    )
    assert entry.organisation_id == assessed.organisation_id
    assert HEALTH_NOTE not in entry.detail and "diag_sante" in entry.detail

    detail, history = api_reads(counsellor, assessed)
    assert detail["answers"]["precision_sante"] == HEALTH_NOTE
    assert orienter_answers(history)["diag_sante"] == HEALTH_CHOICE
    # One entry per read: the page, then the API's detail and its history.
    assert (sensitive_reads("page"), sensitive_reads("api")) == (1, 2)


def test_a_role_the_definition_allows_reads_them_and_is_logged(
    client, assessed, coordinator, mediator
):
    WorkflowDefinition.objects.filter(pk=assessed.definition_id).update(
        sensitive_reader_roles=[COORDINATORS]
    )
    assert HEALTH_NOTE in page_text(client, coordinator, assessed)
    detail, history = api_reads(coordinator, assessed)
    assert detail["answers"]["diag_sante"] == HEALTH_CHOICE
    assert orienter_answers(history)["precision_sante"] == HEALTH_NOTE
    assert set(AccessLogEntry.objects.filter(sensitive=True).values_list("user_id", flat=True)) == {
        coordinator.pk
    }
    assert (sensitive_reads("page"), sensitive_reads("api")) == (1, 2)
    # The médiateur's role is not allowed: still the placeholder.
    assert HEALTH_NOTE not in page_text(client, mediator, assessed)


def test_a_superuser_is_not_the_referent(client, assessed, django_user_model):
    admin = django_user_model.objects.create_superuser("super", "super@example.org", "x")
    text = page_text(client, admin, assessed)
    assert HEALTH_NOTE not in text and PLACEHOLDER in text


def test_reading_nothing_sensitive_logs_nothing(client, pathway, counsellor):
    page_text(client, counsellor, pathway)
    api_reads(counsellor, pathway)
    assert not AccessLogEntry.objects.filter(sensitive=True).exists()


# --- exports and notifications ----------------------------------------------------------------


@pytest.mark.parametrize("reader", ["counsellor", "colleague", "mediator", "coordinator"])
def test_exports_hold_no_sensitive_value(client, assessed, reader, request):
    client.force_login(request.getfixturevalue(reader))
    url = reverse("workflows_screens:caseload")
    csv_response = client.get(url, {"export": "csv"})
    csv_text = b"".join(csv_response.streaming_content).decode()
    assert "Camille" in csv_text  # the pathway is in the export…
    assert HEALTH_NOTE not in csv_text and HEALTH_CHOICE not in csv_text  # …not its secrets
    xlsx_response = client.get(url, {"export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx_response.streaming_content)))
    cells = [str(c) for row in workbook.active.iter_rows(values_only=True) for c in row]
    assert "Camille" in cells
    assert not any(HEALTH_NOTE in c or HEALTH_CHOICE in c for c in cells)


def test_the_referents_notification_holds_no_sensitive_value(assessed, counsellor):
    record = TransitionRecord.objects.get(pathway=assessed, transition_code="orienter")
    assert tasks.notify_referent(record.pk)
    (message,) = mail.outbox
    assert HEALTH_NOTE not in message.body and HEALTH_CHOICE not in message.body


# --- query counts -----------------------------------------------------------------------------


def test_the_history_reads_in_a_bounded_number_of_queries_and_logs_once(
    assessed, counsellor, django_assert_max_num_queries
):
    client = token_client(counsellor)
    url = f"/api/pathways/{assessed.pk}/history/"
    client.get(url)  # warm the caches (content types, live spec)
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    base = TransitionRecord.objects.get(pathway=assessed, transition_code="orienter")
    for _ in range(20):
        base.pk = None
        base.save()
    before = AccessLogEntry.objects.count()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.json()) == 24
    # The read of the record, and that of its sensitive answers: one INSERT each.
    assert AccessLogEntry.objects.count() == before + 2


def test_the_page_reads_in_a_bounded_number_of_queries(
    client, assessed, counsellor, django_assert_max_num_queries
):
    client.force_login(counsellor)
    url = reverse("workflows_screens:pathway", args=[assessed.pk])
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    base = TransitionRecord.objects.get(pathway=assessed, transition_code="orienter")
    for _ in range(20):
        base.pk = None
        base.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
