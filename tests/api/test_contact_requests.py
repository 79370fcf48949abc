"""The "être recontacté" endpoint: the only anonymous write, held to the site form's rules."""

import time

import pytest
from django.core import signing
from django.core.cache import cache

from public_site import spam
from public_site.models import ContactRequest
from tests.api.conftest import token_client
from workflows.models import Pathway

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def signed_seconds_ago(seconds: float) -> str:
    return signing.dumps(time.time() - seconds, salt=spam.SIGNING_SALT, compress=False)


def valid_body(**overrides) -> dict:
    return {
        "first_name": "Lou",
        "phone": "06 00 00 00 42",
        "commune": "12176",
        "needs": ["employment", "housing"],
        "consent": True,
        "website": "",
        "rendered_at": signed_seconds_ago(30),
        **overrides,
    }


def post(client, body):
    return client.post("/api/contact-requests/", body, format="json")


def test_token_then_valid_request_opens_a_website_pathway(api_client, definition, places):
    token = api_client.get("/api/contact-requests/")
    assert token.status_code == 200
    assert token.json()["min_seconds"] == spam.MIN_FILL_SECONDS
    assert spam.seconds_since(token.json()["rendered_at"]) is not None

    response = post(api_client, valid_body())
    assert response.status_code == 202
    assert response.json()["code"] == "received"
    stored = ContactRequest.objects.get()
    assert (stored.first_name, stored.commune, stored.needs) == (
        "Lou",
        places["commune"],
        ["employment", "housing"],
    )
    pathway = Pathway.objects.get(pk=stored.pathway_id)
    assert (pathway.stage, pathway.source) == ("repere", "website")


def test_field_errors_are_the_forms_french_messages(api_client):
    response = post(api_client, valid_body(first_name="", phone="", consent=False, commune="99"))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["first_name"] == ["Indique ton prénom, pour qu'on sache qui appeler."]
    assert errors["consent"] == ["Coche cette case pour qu'on ait le droit de te recontacter."]
    assert "Donne au moins un moyen de te joindre" in errors["phone"][0]
    assert "commune" in errors
    assert not ContactRequest.objects.exists()


def test_too_fast_and_forged_tokens_are_refused(api_client):
    fast = post(api_client, valid_body(rendered_at=signed_seconds_ago(0)))
    assert fast.status_code == 400
    assert "très rapide" in fast.json()["errors"]["non_field_errors"][0]
    forged = post(api_client, valid_body(rendered_at="123:forged"))
    assert forged.status_code == 400
    assert "expiré" in forged.json()["errors"]["non_field_errors"][0]
    assert not ContactRequest.objects.exists()


def test_honeypot_is_answered_like_a_person_but_nothing_is_kept(api_client):
    response = post(api_client, valid_body(website="https://spam.example.org", commune=""))
    assert response.status_code == 202
    assert not ContactRequest.objects.exists()


def test_rate_limit_answers_429_and_is_the_forms_own(api_client, rf):
    for _ in range(spam.RATE_LIMIT):
        assert post(api_client, valid_body(first_name="")).status_code == 400
    limited = post(api_client, valid_body(commune=""))
    assert limited.status_code == 429
    assert limited.json()["code"] == "throttled"
    assert limited["Retry-After"] == str(spam.RATE_WINDOW_SECONDS)
    assert not ContactRequest.objects.exists()
    # The site's form page asks the same counter: it now refuses this client too.
    assert spam.client_is_over_limit(rf.post("/", REMOTE_ADDR="127.0.0.1"))


def test_an_e_mail_longer_than_its_column_is_a_400_not_a_500(api_client):
    """The standard allows 320 characters, the column 254: refused where it enters."""
    long_email = "a" * 64 + "@" + "b" * 200 + ".fr"
    response = post(api_client, valid_body(phone="", email=long_email, commune=""))
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["email"]
    assert not ContactRequest.objects.exists()


def test_staff_cannot_record_an_e_mail_longer_than_its_column(counsellor):
    long_email = "a" * 64 + "@" + "b" * 200 + ".fr"
    response = token_client(counsellor).post(
        "/api/pathways/",
        {"first_name": "Lou", "email": long_email, "source": "walk_in", "consent": True},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["email"]
    assert not Pathway.objects.exists()


def test_no_other_anonymous_write(api_client, pathway):
    assert api_client.post("/api/pathways/", {}, format="json").status_code == 401
    assert api_client.post(f"/api/pathways/{pathway.pk}/contacts/", {}).status_code == 401
    assert api_client.post("/api/agenda/", {}).status_code == 405


@pytest.mark.parametrize("first_name", ["=cmd", "<b>", "Jean2"])
def test_a_first_name_other_than_letters_is_a_400_in_the_forms_words(api_client, first_name):
    response = post(api_client, valid_body(first_name=first_name))
    assert response.status_code == 400
    assert response.json()["errors"]["first_name"] == [
        "Écris ton prénom avec des lettres : seuls les espaces, les apostrophes et les traits "
        "d'union sont acceptés en plus (par exemple Marie-Ève ou N'Diaye)."
    ]
    assert not ContactRequest.objects.exists()


@pytest.mark.parametrize("first_name", ["Zoé", "Marie-Ève", "N'Diaye", "Anne Sophie"])
def test_first_names_with_accents_spaces_apostrophes_and_hyphens_are_received(
    api_client, first_name
):
    response = post(api_client, valid_body(first_name=first_name, commune=""))
    assert response.status_code == 202
    assert ContactRequest.objects.get().first_name == first_name


def test_a_request_through_the_api_waits_in_the_antenna_covering_the_commune(
    api_client, definition, places, counsellor
):
    from workflows import selectors
    from workflows.policies import awaits_referent

    assert post(api_client, valid_body()).status_code == 202
    pathway = Pathway.objects.get(pk=ContactRequest.objects.get().pathway_id)
    assert (pathway.organisation, pathway.antenna) == (places["aveyron"], places["antenna"])
    assert awaits_referent(pathway)
    queue = selectors.caseload(counsellor, to_assign=True, channel=selectors.Channel.LIST)
    assert list(queue.values_list("pk", flat=True)) == [pathway.pk]


def test_a_replayed_token_is_refused_in_french_and_stores_nothing_more(api_client, places):
    body = valid_body()
    assert post(api_client, body).status_code == 202
    replay = post(api_client, {**body, "first_name": "Léa"})
    assert replay.status_code == 400
    assert replay.json()["errors"] == {
        "non_field_errors": [
            "Ce formulaire a déjà été envoyé. Vérifie tes réponses et envoie-le à nouveau si "
            "besoin."
        ]
    }
    assert ContactRequest.objects.count() == 1
    # A new token from GET, as a client asks for each form, lets it through.
    fresh = post(api_client, {**body, "first_name": "Léa", "rendered_at": signed_seconds_ago(30)})
    assert fresh.status_code == 202
    assert ContactRequest.objects.count() == 2
