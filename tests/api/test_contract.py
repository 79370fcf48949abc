"""The schema says what the server does (issue 16): ids are whole numbers from 1, typed
parameters are refused empty, writes document 413 and 415, a 429 its Retry-After, and the
server answers each of these as documented."""

import pytest

from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client) -> dict:
    return client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def parameter(operation: dict, name: str) -> dict:
    (found,) = [item for item in operation["parameters"] if item["name"] == name]
    return found


def test_ids_are_whole_numbers_from_1(schema):
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for item in operation.get("parameters", []):
                if item["in"] == "path" and item["name"] == "id":
                    assert item["schema"]["type"] == "integer", path
                    assert item["schema"]["minimum"] == 1, path
    listing = schema["paths"]["/api/pathways/"]["get"]
    for name in ("antenna", "referent", "definition", "priority_neighbourhood"):
        assert parameter(listing, name)["schema"]["minimum"] == 1
    assert parameter(listing, "page_size")["schema"] == {"type": "integer", "minimum": 1}


def test_enums_list_no_empty_value(schema):
    listing = schema["paths"]["/api/pathways/"]["get"]
    assert "" not in parameter(listing, "category")["schema"]["enum"]
    for component in schema["components"]["schemas"].values():
        assert "" not in component.get("enum", [])


def test_writes_document_413_415_and_429_its_retry_after(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in ("post", "put", "patch"):
                assert {"413", "415"} <= set(operation["responses"]), (method, path)
    throttled = schema["paths"]["/api/contact-requests/"]["post"]["responses"]["429"]
    assert throttled["headers"]["Retry-After"]["schema"]["type"] == "integer"
    contact = schema["paths"]["/api/pathways/{id}/contacts/"]["post"]
    assert "dans le futur" in contact["description"]
    assert "consentement obligatoires" in schema["paths"]["/api/pathways/"]["post"]["description"]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("antenna=0", "antenna"),
        ("antenna=", "antenna"),
        ("category=", "category"),
        ("qpv=null", "qpv"),
        ("overdue=2", "overdue"),
        ("page_size=abc", "page_size"),
        ("page_size=0", "page_size"),
    ],
)
def test_a_pathway_filter_outside_its_schema_is_a_400(counsellor, query, name):
    response = token_client(counsellor).get(f"/api/pathways/?{query}")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [name]


def test_filters_inside_their_schema_still_list(counsellor, pathway):
    client = token_client(counsellor)
    for query in ("antenna=999999", "qpv=false", "category=identification", "page_size=500"):
        response = client.get(f"/api/pathways/?{query}")
        assert response.status_code == 200, (query, response.content)


def test_an_empty_agenda_date_is_a_400(client):
    response = client.get("/api/agenda/?start=")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "start": ["Ce paramètre ne peut pas être vide : retirez-le ou donnez-lui une valeur."]
    }


def test_a_number_where_text_is_expected_is_a_400(counsellor, places):
    response = token_client(counsellor).post(
        "/api/pathways/",
        {
            "first_name": "Lou",
            "phone": "0600000042",
            "source": "walk_in",
            "consent": True,
            "comment": 0,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "comment": ["Un texte (chaîne de caractères) est attendu."]
    }


def test_an_empty_contact_date_in_a_form_body_is_a_400(counsellor, pathway):
    response = token_client(counsellor).post(
        f"/api/pathways/{pathway.pk}/contacts/",
        {"kind": "interview", "happened_at": "", "note": ""},
        format="multipart",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["happened_at"]
    assert not pathway.contacts.exists()


def test_an_empty_commune_code_is_a_400_not_no_commune(counsellor, places):
    response = token_client(counsellor).post(
        "/api/pathways/",
        {
            "first_name": "Lou",
            "phone": "0600000042",
            "source": "walk_in",
            "consent": True,
            "commune": "",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["commune"]
