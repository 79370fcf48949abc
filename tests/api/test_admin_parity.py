"""The API and the admin screens cannot drift: the same refused transition, fired through
the admin's transition page and through the API, is refused for the same reason, with the
same French message, and changes nothing on either side."""

import html

import pytest
from django.utils import timezone

from tests.api.conftest import token_client
from tests.workflows.factories import new_pathway
from workflows.models import Pathway, TransitionRecord
from workflows.services.transitions import fire_transition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("admin_access")]

TODAY = timezone.localdate().isoformat()


def through_admin(client, user, pathway, code, answers):
    client.force_login(user)
    response = client.post(
        f"/admin/parcours/{pathway.pk}/transition/{code}/",
        {**answers, "version": pathway.version, "comment": ""},
    )
    client.logout()
    return response, html.unescape(response.content.decode())


def through_api(user, pathway, code, answers):
    response = token_client(user).post(
        f"/api/pathways/{pathway.pk}/transitions/{code}/",
        {"answers": answers, "comment": ""},
        format="json",
    )
    return response, response.json()


def assert_nothing_changed(pathway, stage):
    assert Pathway.objects.get(pk=pathway.pk).stage == stage
    assert not TransitionRecord.objects.filter(pathway=pathway, to_stage="diagnostic").exists()


def test_role_refusal_is_the_same_in_admin_and_api(client, counsellor, mediator, definition):
    pathway = new_pathway(actor=mediator, referent=counsellor)
    fire_transition(
        pathway, "fixer_premier_accueil", actor=counsellor, answers={"date_premier_accueil": TODAY}
    )
    pathway.refresh_from_db()
    answers = {"date_diagnostic": TODAY}
    admin, page = through_admin(client, mediator, pathway, "proposer_diagnostic", answers)
    api, body = through_api(mediator, pathway, "proposer_diagnostic", answers)
    assert admin.status_code == api.status_code == 403
    assert body["code"] == "not_allowed"
    assert body["detail"] in page
    assert_nothing_changed(pathway, "premier_accueil")


def test_condition_refusal_is_the_same_in_admin_and_api(client, counsellor, definition):
    pathway = new_pathway(actor=counsellor, referent=counsellor, age=30)
    fire_transition(
        pathway, "fixer_premier_accueil", actor=counsellor, answers={"date_premier_accueil": TODAY}
    )
    pathway.refresh_from_db()
    answers = {"date_diagnostic": TODAY}
    admin, page = through_admin(client, counsellor, pathway, "proposer_diagnostic", answers)
    api, body = through_api(counsellor, pathway, "proposer_diagnostic", answers)
    assert admin.status_code == 422 and api.status_code == 409
    assert body["code"] == "condition_failed"
    assert body["detail"] in page
    for message in body["messages"]:
        assert message in page
    assert_nothing_changed(pathway, "premier_accueil")


def test_field_errors_are_the_same_in_admin_and_api(client, counsellor, pathway):
    admin, page = through_admin(client, counsellor, pathway, "fixer_premier_accueil", {})
    api, body = through_api(counsellor, pathway, "fixer_premier_accueil", {})
    assert admin.status_code == 422 and api.status_code == 400
    assert body["code"] == "invalid_fields"
    assert body["detail"] in page
    for message in body["errors"]["answers.date_premier_accueil"]:
        assert message in page
    assert Pathway.objects.get(pk=pathway.pk).stage == "repere"
