"""Wagtail's read API (/api/v2/) refuses in French and in the API's shape (detail, code,
errors per parameter), never with an English sentence or a 500."""

import pytest

pytestmark = pytest.mark.django_db

INVALID = "Certains paramètres de la requête sont invalides."
OFFSET_RANGE = "Un nombre entier entre 0 et 2147483647 est attendu."
NO_SUCH_PAGE = "Aucune page publiée ne porte cet identifiant."


def get_refusal(client, url: str, status: int) -> dict:
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert "message" not in body  # Wagtail's own English shape
    return body


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/?first_published_at=99999-01-01",
        "/api/v2/pages/?first_published_at=pas-une-date",
    ],
)
def test_a_filter_value_its_field_cannot_hold_is_a_400_not_a_500(client, url):
    body = get_refusal(client, url, 400)
    assert body["errors"] == {
        "non_field_errors": [
            "Une valeur de filtre ne convient pas à son champ (date, nombre ou oui/non hors "
            "limites)."
        ]
    }


@pytest.mark.parametrize(
    ("url", "parameter", "message"),
    [
        ("/api/v2/pages/?search=a%00b", "search", "Ce paramètre contient un octet nul."),
        ("/api/v2/pages/find/?html_path=/a%00", "html_path", "Ce paramètre contient un octet nul."),
        ("/api/v2/pages/?offset=99999999999999999999999", "offset", "Ce nombre est trop grand."),
        (
            "/api/v2/pages/?offset=9223372036854775807",
            "offset",
            OFFSET_RANGE,
        ),
        ("/api/v2/pages/?offset=-1", "offset", OFFSET_RANGE),
        ("/api/v2/pages/?limit=1000", "limit", "Un nombre entier entre 0 et 20 est attendu."),
        ("/api/v2/pages/?type=auth.User", "type", "Ce type de page n'existe pas."),
        ("/api/v2/pages/?type=nulle.Part", "type", "Ce type de page n'existe pas."),
        ("/api/v2/pages/?fields=inexistant", "fields", "Champ inconnu : inexistant."),
        ("/api/v2/pages/?fields=((", "fields", "La liste de champs est mal formée."),
        ("/api/v2/pages/?fields=title(a)", "fields", "Le champ « title » n'a pas de sous-champs."),
        (
            "/api/v2/pages/?fields=" + "title(" * 300,
            "fields",
            "La liste de champs dépasse 1000 caractères.",
        ),
        ("/api/v2/pages/?search=" + "a" * 256, "search", "La recherche dépasse 255 caractères."),
        (
            "/api/v2/pages/?search=x&search_operator=xor",
            "search_operator",
            "Valeurs possibles : « and » ou « or ».",
        ),
        ("/api/v2/pages/find/?id=x", "id", "Un identifiant (nombre entier positif) est attendu."),
        ("/api/v2/pages/?order=inexistant", "order", "Impossible de trier par « inexistant »."),
        (
            "/api/v2/pages/?child_of=x",
            "child_of",
            "Un identifiant de page (nombre entier positif) est attendu.",
        ),
        ("/api/v2/pages/?child_of=999999", "child_of", NO_SUCH_PAGE),
        (
            "/api/v2/pages/?depth=3",
            "depth",
            "Paramètre inconnu : ni une opération, ni un champ filtrable.",
        ),
        (
            "/api/v2/pages/?show_in_menus=peut-etre",
            "show_in_menus",
            "Cette valeur ne convient pas à ce champ.",
        ),
        ("/api/v2/images/?fields=inexistant", "fields", "Champ inconnu : inexistant."),
    ],
)
def test_a_bad_query_is_a_french_400_naming_the_parameter(client, url, parameter, message):
    body = get_refusal(client, url, 400)
    assert body["detail"] == INVALID
    assert body["code"] == "invalid_query"
    assert body["errors"] == {parameter: [message]}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "/api/v2/pages/999999/",
            "Aucune page publiée ne correspond (identifiant, chemin, langue ou site).",
        ),
        (
            "/api/v2/pages/find/?html_path=/nulle-part/",
            "Aucune page publiée ne correspond (identifiant, chemin, langue ou site).",
        ),
        ("/api/v2/images/999999/", "Aucune image ne porte cet identifiant."),
        ("/api/v2/documents/999999/", "Aucun document ne porte cet identifiant."),
    ],
)
def test_an_unknown_object_is_a_french_404(client, url, message):
    assert get_refusal(client, url, 404) == {"detail": message, "code": "not_found"}


def test_a_write_is_a_french_405(client):
    response = client.post("/api/v2/pages/", data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "method_not_allowed"
    assert body["detail"].startswith("Méthode")


def test_a_good_query_still_lists_the_pages(client):
    response = client.get("/api/v2/pages/", {"limit": 20, "offset": 0, "search": "accueil"})
    assert response.status_code == 200
    assert set(response.json()) == {"meta", "items"}


def test_a_date_of_year_1_is_never_a_500(client):
    """SQLite cannot shift it into UTC (a 400); PostgreSQL holds it (no page then)."""
    response = client.get("/api/v2/pages/?first_published_at=0001-01-01")
    assert response.status_code in (200, 400), response.content
    assert response["Content-Type"].startswith("application/json")
