"""Hostile input at the door of the API: each class gets a 4xx JSON answer in French, and
nothing is stored. (Issue 16, first slice: bodies, query strings, server errors.)"""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from public_site.api import views
from public_site.models import ContactRequest
from tests.api.conftest import token_client
from workflows.models import Pathway

pytestmark = pytest.mark.django_db

CONTACT = "/api/contact-requests/"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def post_json(client, body: str):
    return client.post(CONTACT, data=body, content_type="application/json")


def assert_refused(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert "Traceback" not in response.content.decode()
    assert ContactRequest.objects.count() == 0
    return body


def test_deeply_nested_json_is_a_400(client):
    body = assert_refused(post_json(client, "[" * 5000 + "]" * 5000), 400, "too_deep")
    assert body["detail"] == "Le JSON est trop imbriqué."


def test_nesting_just_beyond_the_limit_is_a_400(client):
    nested = json.dumps({"first_name": [[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]]})
    assert_refused(post_json(client, nested), 400, "too_deep")


@pytest.mark.parametrize(
    "raw_name",
    ['"Lou\\u0000"', '"Lou\\ud800"', '"\\udfff"'],
    ids=["nul", "lone-high-surrogate", "lone-low-surrogate"],
)
def test_forbidden_characters_in_a_body_are_a_400(client, raw_name):
    body = '{"first_name": ' + raw_name + ', "commune": "12176\\u0000", "consent": true}'
    refusal = assert_refused(post_json(client, body), 400, "forbidden_character")
    assert "caractère interdit" in refusal["detail"]


def test_a_body_that_is_not_json_is_a_french_400(client):
    refusal = assert_refused(post_json(client, "{bad"), 400, "parse_error")
    assert refusal["detail"] == "Le corps de la requête n'est pas du JSON valide."


def test_an_anonymous_body_over_64_kb_is_a_413_before_it_is_read(client):
    big = json.dumps({"first_name": "x" * (70 * 1024)})
    refusal = assert_refused(post_json(client, big), 413, "too_large")
    assert refusal["detail"] == "Le corps de la requête dépasse 64 Ko."


@pytest.mark.parametrize(
    "query",
    [
        "/api/v2/pages/?search=a%00b",
        "/api/v2/pages/?html_path=/a%00",
        "/api/v2/pages/?offset=99999999999999999999999",
        "/api/v2/pages/?limit=-99999999999999999999999",
        "/api/agenda/?commune=12176%00",
        "/api/pathways/?antenna=99999999999999999999999",
    ],
)
def test_hostile_query_strings_are_a_400_everywhere(client, query):
    body = assert_refused(client.get(query), 400, "invalid_query")
    assert body["detail"] == "Certains paramètres de la requête sont invalides."
    name = query.split("?")[1].split("=")[0]
    assert body["errors"][name][0] in (
        "Ce paramètre contient un octet nul.",
        "Ce nombre est trop grand.",
    )


def test_a_server_error_is_json_for_an_api_client_without_internals(client, monkeypatch):
    def crash(self, request):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.AgendaView, "get", crash)
    client.raise_request_exception = False
    response = client.get("/api/agenda/")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Une erreur interne est survenue. Réessayez plus tard.",
        "code": "server_error",
    }
    assert "secret internals" not in response.content.decode()


@pytest.mark.parametrize("if_match", ["9" * 40, '"pathway-1-v' + "9" * 40 + '"', "²", 'W/""'])
def test_an_unreadable_if_match_is_a_412_not_a_500(counsellor, pathway, if_match):
    client = token_client(counsellor)
    response = client.post(
        f"/api/pathways/{pathway.pk}/transitions/remobiliser/",
        {"answers": {}, "comment": ""},
        format="json",
        HTTP_IF_MATCH=if_match,
    )
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    pathway.refresh_from_db()
    assert pathway.version == 0


def test_contact_dates_outside_2000_to_now_are_a_400(counsellor, pathway):
    client = token_client(counsellor)
    for moment in ("0001-01-01T00:00:00Z", "1999-12-31T12:00:00Z", "9999-12-31T00:00:00Z"):
        response = client.post(
            f"/api/pathways/{pathway.pk}/contacts/",
            {"kind": "interview", "happened_at": moment},
            format="json",
        )
        assert response.status_code == 400, moment
        assert list(response.json()["errors"]) == ["happened_at"]
    assert not pathway.contacts.exists()


def test_an_implausible_birth_date_is_a_400_and_records_nobody(counsellor, places):
    response = token_client(counsellor).post(
        "/api/pathways/",
        {
            "first_name": "Lou",
            "phone": "06 00 00 00 42",
            "date_of_birth": "1900-01-01",
            "source": "walk_in",
            "consent": True,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "date_of_birth": [
            "Date de naissance invraisemblable : le jeune aurait moins de 13 ans ou plus de 35 ans."
        ]
    }
    assert not Pathway.objects.exists()


def test_a_contact_note_is_bounded(counsellor, pathway):
    response = token_client(counsellor).post(
        f"/api/pathways/{pathway.pk}/contacts/",
        {"kind": "interview", "note": "x" * 2001},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["note"]
    assert not pathway.contacts.exists()


def test_needs_are_a_bounded_list_of_known_values(counsellor, places):
    base = {"first_name": "Lou", "phone": "06 00 00 00 42", "source": "walk_in", "consent": True}
    client = token_client(counsellor)
    for needs in (["employment"] * 50, ["not-a-need"]):
        response = client.post("/api/pathways/", {**base, "needs": needs}, format="json")
        assert response.status_code == 400, needs
        assert "needs" in " ".join(response.json()["errors"])
    assert not Pathway.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_api_address_is_a_json_404(client, method):
    response = getattr(client, method)("/api/nulle-part/")
    assert_refused(response, 404, "not_found")
    assert response.json()["detail"] == "Cette adresse n'existe pas dans l'API."


# --- Every anonymous endpoint × every class of hostile input -------------------------------

NUL = "Lou\x00"
SURROGATE_JSON = '"Lou\\ud800"'
HUGE = "99999999999999999999999"
TOO_LONG = "a" * 5000
DEEP = "[" * 5000 + "]" * 5000

# (endpoint, class, how to send it). A query string cannot carry a lone surrogate (it is
# read as UTF-8 with replacement): there, the class is its percent-encoded bytes.
HOSTILE_REQUESTS = [
    ("contact", "nul", ("post", CONTACT, json.dumps({"first_name": NUL, "consent": True}))),
    ("contact", "surrogate", ("post", CONTACT, '{"first_name": ' + SURROGATE_JSON + "}")),
    ("contact", "too_long", ("post", CONTACT, json.dumps({"first_name": TOO_LONG}))),
    ("contact", "too_deep", ("post", CONTACT, DEEP)),
    ("contact", "huge_number", ("post", CONTACT, '{"commune": ' + HUGE + ', "consent": true}')),
    ("contact", "bad_date", ("post", CONTACT, json.dumps({"rendered_at": "0001-01-01"}))),
    ("contact", "oversized", ("post", CONTACT, json.dumps({"first_name": "x" * 70_000}))),
    ("contact-token", "nul", ("get", CONTACT + "?x=%00", None)),
    ("contact-token", "huge_number", ("get", CONTACT + "?x=" + HUGE, None)),
    ("contact-token", "oversized", ("put", CONTACT, "x" * 70_000)),
    ("agenda", "nul", ("get", "/api/agenda/?commune=12176%00", None)),
    ("agenda", "surrogate", ("get", "/api/agenda/?commune=%ED%A0%80", None)),
    ("agenda", "too_long", ("get", "/api/agenda/?organisation=" + TOO_LONG, None)),
    ("agenda", "huge_number", ("get", "/api/agenda/?venue=" + HUGE, None)),
    ("agenda", "bad_date", ("get", "/api/agenda/?start=0001-01-01&end=9999-12-31", None)),
    ("agenda", "too_deep", ("post", "/api/agenda/", DEEP)),
    ("agenda", "oversized", ("post", "/api/agenda/", "x" * 70_000)),
    ("pages", "nul", ("get", "/api/v2/pages/?search=a%00", None)),
    ("pages", "surrogate", ("get", "/api/v2/pages/?type=%ED%A0%80", None)),
    ("pages", "too_long", ("get", "/api/v2/pages/?search=" + TOO_LONG, None)),
    ("pages", "huge_number", ("get", "/api/v2/pages/?offset=" + HUGE, None)),
    ("pages", "bad_date", ("get", "/api/v2/pages/?first_published_at=99999-01-01", None)),
    ("pages", "too_deep", ("post", "/api/v2/pages/", DEEP)),
    ("pages-find", "nul", ("get", "/api/v2/pages/find/?html_path=/a%00", None)),
    ("pages-find", "too_long", ("get", "/api/v2/pages/find/?html_path=/" + TOO_LONG, None)),
    ("pages-find", "huge_number", ("get", "/api/v2/pages/find/?id=" + HUGE, None)),
    ("images", "nul", ("get", "/api/v2/images/?title=a%00", None)),
    ("images", "huge_number", ("get", "/api/v2/images/?limit=" + HUGE, None)),
    ("documents", "too_long", ("get", "/api/v2/documents/?fields=" + TOO_LONG, None)),
]

FRENCH_WORDS = ("est", "n'", "nul", "trop", "invalide", "introuvable", "autorisée", "dépasse")


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [request for _endpoint, _kind, request in HOSTILE_REQUESTS],
    ids=[f"{endpoint}-{kind}" for endpoint, kind, _request in HOSTILE_REQUESTS],
)
def test_each_anonymous_endpoint_refuses_each_hostile_input_in_french(
    client, places, method, url, body
):
    client.raise_request_exception = False
    send = getattr(client, method)
    response = send(url, data=body, content_type="application/json") if body else send(url)
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    refusal = response.json()
    assert set(refusal) >= {"detail", "code"}
    text = " ".join([refusal["detail"], *sum(refusal.get("errors", {}).values(), [])]).lower()
    assert any(word in text for word in FRENCH_WORDS), refusal
    assert "Traceback" not in response.content.decode()
    assert ContactRequest.objects.count() == 0
    assert not Pathway.objects.exists()


# --- A pathway is opened only where its recorder may open one ------------------------------


def test_a_counsellor_cannot_open_a_pathway_in_an_antenna_they_cannot_see(counsellor, places):
    body = {
        "first_name": "Lou",
        "phone": "06 00 00 00 42",
        "source": "walk_in",
        "consent": True,
        "antenna": places["other_antenna"].pk,
    }
    response = token_client(counsellor).post("/api/pathways/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "antenna": ["Vous ne pouvez créer un parcours que dans votre antenne."]
    }
    assert not Pathway.objects.exists()


def test_a_tampered_reperage_form_still_opens_the_pathway_in_the_users_antenna(
    client, admin_access, counsellor, definition, places
):
    """The admin's quick repérage has no antenna field: one slipped into the POST is not
    read, and the pathway lands in the counsellor's own antenna (policies.can_start_pathway_in
    holds in the service for every caller)."""
    client.force_login(counsellor)
    response = client.post(
        "/admin/parcours/reperage/",
        {
            "first_name": "Lou",
            "phone": "06 00 00 00 42",
            "source": "walk_in",
            "consent": "on",
            "antenna": places["other_antenna"].pk,
        },
    )
    assert response.status_code == 302
    assert Pathway.objects.get().antenna == places["antenna"]


def test_a_session_client_can_write_json_through_the_csrf_check(client, admin_user, pathway):
    """The administrator's session, with its CSRF pair, posts JSON: the CSRF check reads the
    body, whose size limit once asked DRF who was there, which ran the CSRF check again
    (RecursionError, a 500). Found by schemathesis."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    client.cookies["csrftoken"] = "k" * 32
    response = client.post(
        f"/api/pathways/{pathway.pk}/contacts/",
        data=json.dumps({"kind": "call", "note": "Message laissé."}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN="k" * 32,
    )
    assert response.status_code == 201, response.content
    assert pathway.contacts.count() == 1
