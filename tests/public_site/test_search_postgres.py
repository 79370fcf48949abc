"""On PostgreSQL, search uses its French full-text configuration (settings: SEARCH_CONFIG)."""

import html

import pytest


@pytest.mark.postgres
def test_search_index_uses_french_stemming(client, public_demo):
    # "conventions" and "signée" reach "convention" and "signer" only through French stems.
    response = client.get("/clermont/recherche/", {"q": "conventions signées"})
    assert response.status_code == 200
    assert "Aulnat : une convention avec le Pôle social" in html.unescape(response.content.decode())
