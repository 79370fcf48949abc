"""The workflow API: definitions, pathways, transitions, history and contacts, each status
code, and a counsellor's scope held on every endpoint."""

import pytest
from django.utils import timezone

from tests.api.conftest import token_client
from tests.workflows.factories import make_user, new_pathway
from workflows.api import views as workflows_api
from workflows.models import Contact, Pathway, TransitionRecord
from workflows.services.transitions import fire_transition

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate().isoformat()


def url(pathway, suffix=""):
    return f"/api/pathways/{pathway.pk}/{suffix}"


def fire(client, pathway, code, answers=None, comment="", **headers):
    return client.post(
        url(pathway, f"transitions/{code}/"),
        {"answers": answers or {}, "comment": comment},
        format="json",
        **headers,
    )


# --- Authentication and roles ------------------------------------------------------------


def test_anonymous_clients_are_told_to_authenticate(api_client, pathway):
    for response in (
        api_client.get("/api/definitions/"),
        api_client.get("/api/pathways/"),
        api_client.get(url(pathway)),
        fire(api_client, pathway, "fixer_premier_accueil"),
    ):
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert response["WWW-Authenticate"] == "Bearer"


def test_a_user_without_a_workflow_role_is_refused(definition):
    outsider = make_user("inconnu")
    response = token_client(outsider).get("/api/pathways/")
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Votre compte n'a pas de rôle dans le suivi des parcours.",
        "code": "permission_denied",
    }


def test_session_authentication_works_for_the_admin_pages(client, counsellor, pathway):
    client.force_login(counsellor)
    assert client.get("/api/pathways/").status_code == 200
    # Writes with a session need the CSRF token, as any admin form does.
    from rest_framework.test import APIClient

    csrf_client = APIClient(enforce_csrf_checks=True)
    csrf_client.force_login(counsellor)
    refused = csrf_client.post(url(pathway, "contacts/"), {"kind": "call"}, format="json")
    assert refused.status_code == 403


# --- Definitions --------------------------------------------------------------------------


def test_definitions_list_published_stages_transitions_and_fields(counsellor, definition):
    response = token_client(counsellor).get("/api/definitions/")
    assert response.status_code == 200
    (data,) = response.json()
    assert data["id"] == definition.pk
    assert data["revision_id"] == definition.live_revision_id
    stages = {stage["code"]: stage for stage in data["stages"]}
    assert stages["repere"]["initial"] and stages["sorti"]["final"]
    transitions = {item["code"]: item for item in data["transitions"]}
    fields = {field["name"]: field for field in transitions["fixer_premier_accueil"]["fields"]}
    assert fields["date_premier_accueil"] == {
        "name": "date_premier_accueil",
        "label": fields["date_premier_accueil"]["label"],
        "field_type": "date",
        "required": True,
        "help_text": fields["date_premier_accueil"]["help_text"],
        "choices": [],
        "sensitive": False,
    }
    orienter = {field["name"]: field for field in transitions["orienter"]["fields"]}
    assert {name for name, field in orienter.items() if field["sensitive"]} == {
        "diag_sante",
        "diag_logement",
        "diag_ressources",
    }
    detail = token_client(counsellor).get(f"/api/definitions/{definition.pk}/")
    assert detail.status_code == 200 and detail.json() == data
    assert token_client(counsellor).get("/api/definitions/999999/").status_code == 404


# --- Pathways: list, detail, create -------------------------------------------------------


def test_list_shows_only_the_counsellors_scope_with_admin_filters(
    counsellor, other_counsellor, pathway, places
):
    other = new_pathway(
        actor=other_counsellor,
        referent=other_counsellor,
        antenna=places["other_antenna"],
        first_name="Sacha",
        commune=places["other_commune"],
    )
    mine = token_client(counsellor).get("/api/pathways/").json()
    assert [item["id"] for item in mine["results"]] == [pathway.pk]
    item = mine["results"][0]
    assert item["stage"] == {"code": "repere", "label": "Repéré", "category": "identification"}
    assert item["youth"]["commune"] == {"insee_code": "12176", "name": "Onet-le-Château"}
    assert item["youth"]["qpv"] is True
    theirs = token_client(other_counsellor).get("/api/pathways/").json()
    assert [item["id"] for item in theirs["results"]] == [other.pk]

    client = token_client(counsellor)
    assert client.get("/api/pathways/", {"stage": "diagnostic"}).json()["count"] == 0
    assert client.get("/api/pathways/", {"category": "identification"}).json()["count"] == 1
    assert client.get("/api/pathways/", {"commune": "12176"}).json()["count"] == 1
    assert client.get("/api/pathways/", {"qpv": "false"}).json()["count"] == 0
    assert client.get("/api/pathways/", {"q": "cami"}).json()["count"] == 1
    assert client.get("/api/pathways/", {"q": "sacha"}).json()["count"] == 0
    assert client.get("/api/pathways/", {"referent": counsellor.pk}).json()["count"] == 1
    assert client.get("/api/pathways/", {"overdue": "true"}).json()["count"] == 0
    ordered = client.get("/api/pathways/", {"ordering": "-created_at"})
    assert ordered.status_code == 200
    bad = client.get("/api/pathways/", {"category": "astrologie"})
    assert bad.status_code == 400 and "category" in bad.json()["errors"]
    unknown_commune = client.get("/api/pathways/", {"commune": "00000"})
    assert unknown_commune.status_code == 400


def test_detail_has_version_etag_and_the_transitions_this_user_may_fire(
    counsellor, mediator, pathway
):
    response = token_client(counsellor).get(url(pathway))
    assert response.status_code == 200
    data = response.json()
    assert response["ETag"] == f'"pathway-{pathway.pk}-v0"'
    assert data["version"] == 0
    assert data["youth"]["phone"] == "06 00 00 00 01"
    codes = {item["code"] for item in data["available_transitions"]}
    assert {"fixer_premier_accueil", "remobiliser", "sortir"} <= codes


def test_detail_of_an_unknown_or_out_of_scope_pathway_is_404(other_counsellor, pathway):
    client = token_client(other_counsellor)
    hidden = client.get(url(pathway))
    missing = client.get("/api/pathways/99999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_mediator_creates_a_pathway_at_the_initial_stage(mediator, definition, places):
    client = token_client(mediator)
    response = client.post(
        "/api/pathways/",
        {
            "first_name": "Lou",
            "phone": "06 00 00 00 42",
            "commune": "12176",
            "needs": ["housing"],
            "source": "outreach_round",
            "consent": True,
            "comment": "Rencontré devant la médiathèque.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["stage"]["code"] == "repere"
    assert data["source"] == "outreach_round"
    pathway = Pathway.objects.get(pk=data["id"])
    assert pathway.identified_by == mediator
    (record,) = TransitionRecord.objects.filter(pathway=pathway)
    assert record.kind == "start" and record.actor == mediator
    assert client.get(url(pathway)).status_code == 200


def test_create_refuses_without_consent_or_contact(mediator, definition):
    client = token_client(mediator)
    response = client.post(
        "/api/pathways/",
        {"first_name": "Lou", "source": "outreach_round", "consent": False},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["consent"] == ["Sans le consentement du jeune, rien n'est enregistré."]
    assert not Pathway.objects.exists()


def test_create_without_a_published_definition_is_409(mediator):
    response = token_client(mediator).post(
        "/api/pathways/",
        {"first_name": "Lou", "phone": "0600000042", "source": "walk_in", "consent": True},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "no_published_definition"


# --- Transitions --------------------------------------------------------------------------


def test_transition_200_returns_the_new_state_and_writes_history(counsellor, pathway):
    response = fire(
        token_client(counsellor),
        pathway,
        "fixer_premier_accueil",
        {"date_premier_accueil": TODAY, "lieu_premier_accueil": "CCAS"},
        comment="Rendez-vous pris.",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["stage"]["code"] == "premier_accueil"
    assert data["version"] == 1
    assert response["ETag"] == f'"pathway-{pathway.pk}-v1"'
    assert data["answers"]["lieu_premier_accueil"] == "CCAS"
    record = TransitionRecord.objects.filter(pathway=pathway, kind="transition").get()
    assert (record.actor, record.comment) == (counsellor, "Rendez-vous pris.")


def test_transition_400_field_errors(counsellor, pathway):
    response = fire(token_client(counsellor), pathway, "fixer_premier_accueil", {})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_fields"
    assert body["detail"] == "Certains champs sont à corriger."
    assert list(body["errors"]) == ["answers.date_premier_accueil"]
    assert Pathway.objects.get(pk=pathway.pk).stage == "repere"


def test_transition_403_when_the_role_may_not_fire_it(counsellor, mediator, definition):
    pathway = new_pathway(actor=mediator, referent=counsellor)
    fire_transition(
        pathway, "fixer_premier_accueil", actor=counsellor, answers={"date_premier_accueil": TODAY}
    )
    response = fire(token_client(mediator), pathway, "proposer_diagnostic", {})
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "not_allowed"
    assert "Votre rôle ne permet pas" in body["detail"]


def test_transition_409_wrong_stage_and_failed_condition_give_current_stage(counsellor, definition):
    pathway = new_pathway(actor=counsellor, referent=counsellor, age=30)
    client = token_client(counsellor)
    wrong = fire(client, pathway, "orienter", {})
    assert wrong.status_code == 409
    assert wrong.json()["code"] == "wrong_stage"
    assert wrong.json()["current_stage"] == {"code": "repere", "label": "Repéré"}

    fire_transition(
        pathway, "fixer_premier_accueil", actor=counsellor, answers={"date_premier_accueil": TODAY}
    )
    condition = fire(client, pathway, "proposer_diagnostic", {"date_diagnostic": TODAY})
    assert condition.status_code == 409
    body = condition.json()
    assert body["code"] == "condition_failed"
    assert body["current_stage"]["code"] == "premier_accueil"
    assert body["messages"]


def test_transition_409_when_someone_else_moved_the_pathway_first(counsellor, pathway, monkeypatch):
    """A colleague fires a transition between the API's read and its write."""
    real_fire = workflows_api.fire_transition

    def colleague_first(stale, code, **kwargs):
        real_fire(Pathway.objects.get(pk=stale.pk), "remobiliser", actor=counsellor, answers={})
        return real_fire(stale, code, **kwargs)

    monkeypatch.setattr(workflows_api, "fire_transition", colleague_first)
    response = fire(
        token_client(counsellor),
        pathway,
        "fixer_premier_accueil",
        {"date_premier_accueil": TODAY},
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale"
    assert body["current_stage"] == {"code": "remobilisation", "label": "En remobilisation"}
    assert body["version"] == 1
    assert TransitionRecord.objects.filter(pathway=pathway, kind="transition").count() == 1


def test_every_412_carries_the_one_code_precondition_failed(counsellor, pathway, monkeypatch):
    """If-Match matched when read, and a colleague moved the pathway before the write's lock:
    the same 412 code as an If-Match seen stale up front, never `stale`."""
    real_fire = workflows_api.fire_transition

    def colleague_first(stale, code, **kwargs):
        real_fire(Pathway.objects.get(pk=stale.pk), "remobiliser", actor=counsellor, answers={})
        return real_fire(stale, code, **kwargs)

    monkeypatch.setattr(workflows_api, "fire_transition", colleague_first)
    client = token_client(counsellor)
    etag = client.get(url(pathway))["ETag"]
    response = fire(
        client,
        pathway,
        "fixer_premier_accueil",
        {"date_premier_accueil": TODAY},
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 412
    body = response.json()
    assert body["code"] == "precondition_failed"
    assert body["current_stage"] == {"code": "remobilisation", "label": "En remobilisation"}
    assert body["version"] == 1
    assert TransitionRecord.objects.filter(pathway=pathway, kind="transition").count() == 1


def test_the_schema_documents_if_match_as_acting_on_what_was_read(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/pathways/{id}/transitions/{code}/"]["post"]
    (if_match,) = [p for p in operation["parameters"] if p["name"] == "If-Match"]
    assert if_match["in"] == "header"
    assert "n'agir que sur ce que vous avez lu" in if_match["description"]
    assert if_match["examples"]["ETagLu"]["value"] == '"pathway-12-v3"'
    assert operation["responses"]["412"]["content"]["application/json"]["examples"]
    codes_412 = [
        example["value"]["code"]
        for example in operation["responses"]["412"]["content"]["application/json"][
            "examples"
        ].values()
    ]
    assert codes_412 == ["precondition_failed"]


def test_transition_404_out_of_scope_or_unknown_code(counsellor, other_counsellor, pathway):
    hidden = fire(token_client(other_counsellor), pathway, "fixer_premier_accueil", {})
    assert hidden.status_code == 404
    unknown = fire(token_client(counsellor), pathway, "voler", {})
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "unknown_transition"


def test_transition_if_match_412_when_stale_and_200_when_current(counsellor, pathway):
    client = token_client(counsellor)
    etag = client.get(url(pathway))["ETag"]
    fire_transition(pathway, "remobiliser", actor=counsellor, answers={})
    stale = fire(
        client,
        pathway,
        "fixer_premier_accueil",
        {"date_premier_accueil": TODAY},
        HTTP_IF_MATCH=etag,
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert stale.json()["current_stage"]["code"] == "remobilisation"
    assert stale.json()["version"] == 1

    fresh = client.get(url(pathway))["ETag"]
    ok = fire(
        client,
        pathway,
        "fixer_premier_accueil",
        {"date_premier_accueil": TODAY},
        HTTP_IF_MATCH=fresh,
    )
    assert ok.status_code == 200
    by_number = fire(client, pathway, "remobiliser", {}, HTTP_IF_MATCH="1")
    assert by_number.status_code == 412


# --- History and contacts -----------------------------------------------------------------


def test_history_and_contacts(counsellor, pathway):
    client = token_client(counsellor)
    fire(client, pathway, "fixer_premier_accueil", {"date_premier_accueil": TODAY})
    history = client.get(url(pathway, "history/")).json()
    assert [item["kind"] for item in history] == ["transition", "start"]
    assert history[0]["from_stage"] == "repere" and history[0]["to_stage"] == "premier_accueil"
    assert history[0]["actor"]["id"] == counsellor.pk

    created = client.post(
        url(pathway, "contacts/"), {"kind": "call", "note": "Message laissé."}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["author"]["id"] == counsellor.pk
    assert Pathway.objects.get(pk=pathway.pk).last_contact_at is not None
    listed = client.get(url(pathway, "contacts/")).json()
    assert [item["kind"] for item in listed] == ["call"]
    bad = client.post(url(pathway, "contacts/"), {"kind": "pigeon"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]
    # A future contact would hold off reminders and retention: refused, as in the admin.
    for when in ("2099-01-01T10:00:00Z", "9999-12-31T12:00:00Z"):
        future = client.post(
            url(pathway, "contacts/"), {"kind": "call", "happened_at": when}, format="json"
        )
        assert future.status_code == 400 and "happened_at" in future.json()["errors"]
    assert Contact.objects.filter(pathway=pathway).count() == 1


def test_a_counsellor_cannot_read_or_change_a_pathway_outside_their_scope(
    other_counsellor, pathway
):
    client = token_client(other_counsellor)
    answers = {"date_premier_accueil": TODAY}
    responses = {
        "list": client.get("/api/pathways/", {"include_closed": "true"}),
        "detail": client.get(url(pathway)),
        "transition": fire(client, pathway, "fixer_premier_accueil", answers),
        "history": client.get(url(pathway, "history/")),
        "contacts": client.get(url(pathway, "contacts/")),
        "new contact": client.post(url(pathway, "contacts/"), {"kind": "call"}, format="json"),
    }
    assert responses.pop("list").json()["count"] == 0
    assert {name: response.status_code for name, response in responses.items()} == dict.fromkeys(
        responses, 404
    )
    assert Pathway.objects.get(pk=pathway.pk).stage == "repere"
    assert not Contact.objects.exists()
    assert TransitionRecord.objects.filter(pathway=pathway).count() == 1


def test_a_counsellors_new_pathway_belongs_to_their_antenna(counsellor, definition, places):
    client = token_client(counsellor)
    response = client.post(
        "/api/pathways/",
        {"first_name": "Noa", "email": "noa@example.org", "source": "walk_in", "consent": True},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["antenna"] == {
        "id": places["antenna"].pk,
        "name": places["antenna"].name,
    }
    assert client.get(f"/api/pathways/{response.json()['id']}/").status_code == 200


@pytest.mark.parametrize("param", ["referent", "antenna", "definition", "priority_neighbourhood"])
def test_an_identifier_filter_out_of_range_is_a_400(coordinator, pathway, param):
    response = token_client(coordinator).get("/api/pathways/", {param: "1e30"})
    assert response.status_code == 400
    assert param in response.json()["errors"]
