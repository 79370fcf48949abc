"""API tokens: made in the admin for a chosen time, kept only as a digest, shown once, listed,
revoked after confirmation; an expired, revoked or unknown token is a 401 in the project's
shape; authenticating costs one query, and `last_used_at` is written at most once a minute."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.models import APIToken, ModelLogEntry

from api_common.models import TokenExpiry
from api_common.tokens import TokenRefused, accepted_token, mint_token
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db
INDEX = "/admin/api-tokens/"
SECRET_RE = re.compile(r"Authorization: Bearer (wagtail_[0-9A-Za-z]+)")


def create(client, user, **fields):
    return client.post(INDEX, {"user": user.pk, "name": "Maraude", "lifetime_days": 90, **fields})


def call(secret: str, path: str = "/api/definitions/"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client.get(path)


# --- the admin screen -------------------------------------------------------------------------


def test_a_token_is_shown_once_with_a_warning_and_stored_only_as_a_digest(
    client, admin_user, counsellor, definition
):
    client.force_login(admin_user)
    response = create(client, counsellor, lifetime_days=30)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "il ne sera plus jamais affiché" in page
    secret = SECRET_RE.search(page).group(1)

    token = APIToken.objects.select_related("expiry").get()
    assert (token.user, token.name) == (counsellor, "Maraude")
    assert token.key_hash in APIToken.candidate_key_hashes(secret)
    assert secret not in (token.key_hash, token.prefix) and secret.startswith(token.prefix)
    assert token.expiry.expires_at == token.created + datetime.timedelta(days=30)
    assert secret not in str(dict(client.session))
    assert ModelLogEntry.objects.filter(action="wagtail.apitoken.create", user=admin_user).exists()

    again = client.get(INDEX).content.decode()
    assert secret not in again
    assert f"{token.prefix}…" in again and "Jamais" in again and "En service" in again
    assert call(secret).status_code == 200


def test_the_form_offers_90_days_by_default_and_a_year_at_most(client, admin_user, counsellor):
    client.force_login(admin_user)
    form = client.get(INDEX).content.decode()
    assert re.search(r'<option value="90" selected>', form)
    options = [int(value) for value in re.findall(r'<option value="(\d+)"', form)]
    assert max(options) == 365
    refused = create(client, counsellor, lifetime_days=366)
    assert refused.status_code == 200 and "Sélectionnez un choix valide" in refused.content.decode()
    assert not APIToken.objects.exists()
    with pytest.raises(TokenRefused) as refusal:
        mint_token(owner=counsellor, name="x", lifetime_days=366)
    assert refusal.value.code == "lifetime_out_of_range"


def test_no_token_is_made_for_a_superuser(client, admin_user, django_user_model):
    other_admin = django_user_model.objects.create_superuser("admin-2", "b@example.org", "x")
    client.force_login(admin_user)
    for owner in (admin_user, other_admin):
        response = create(client, owner)
        assert response.status_code == 200
        assert "Aucun jeton d&#x27;API n&#x27;est créé pour un super-utilisateur" in (
            response.content.decode()
        )
    assert not APIToken.objects.exists()


def test_revoking_asks_first_then_the_token_is_refused_at_once(
    client, admin_user, counsellor, definition
):
    token, secret = mint_token(owner=counsellor, name="Maraude", lifetime_days=90)
    client.force_login(admin_user)
    url = f"{INDEX}{token.pk}/revoke/"
    question = client.get(url)
    assert question.status_code == 200
    assert "Révoquer le jeton « Maraude »" in question.content.decode()
    assert call(secret).status_code == 200  # asking changed nothing

    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ModelLogEntry.objects.filter(action="wagtail.apitoken.revoke").count() == 1
    refused = call(secret)
    assert refused.status_code == 401
    assert refused.json() == {"detail": "Ce jeton a été révoqué.", "code": "token_revoked"}
    assert "Révoqué" in client.get(INDEX).content.decode()


def test_only_token_managers_reach_the_token_screens(client, django_user_model, counsellor):
    token, _secret = mint_token(owner=counsellor, name="Maraude", lifetime_days=90)
    editor = django_user_model.objects.create_user("editrice", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    assert client.get(INDEX).status_code == 302
    assert client.post(f"{INDEX}{token.pk}/revoke/").status_code == 302
    assert client.get(f"{INDEX}999999/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_apitoken", "delete_apitoken"])
    )
    assert client.get(INDEX).status_code == 200
    assert client.get(f"{INDEX}999999/revoke/").status_code == 404


def test_the_list_costs_the_same_queries_for_one_token_or_many(
    client, admin_user, counsellor, django_assert_max_num_queries
):
    client.force_login(admin_user)
    mint_token(owner=counsellor, name="Un", lifetime_days=90)
    client.get(INDEX)  # warm the caches
    with CaptureQueriesContext(connection) as one:
        client.get(INDEX)
    for number in range(5):
        mint_token(owner=counsellor, name=f"Jeton {number}", lifetime_days=90)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(INDEX).content.decode()
    assert page.count("Révoquer « ") == 6


# --- authenticating with a token ---------------------------------------------------------------


def test_an_expired_token_is_a_401_in_the_projects_shape(counsellor, definition):
    token, secret = mint_token(owner=counsellor, name="Maraude", lifetime_days=7)
    assert call(secret).status_code == 200
    TokenExpiry.objects.filter(token=token).update(expires_at=timezone.now())
    response = call(secret)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Ce jeton a expiré. Demandez-en un nouveau à un administrateur.",
        "code": "token_expired",
    }
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_token_without_an_end_date_is_refused(counsellor, definition):
    """Wagtail's own `api_tokens create` command makes such tokens: they never work here."""
    _token, secret = APIToken.create_token(user=counsellor, name="Sans fin")
    assert call(secret).json()["code"] == "token_expired"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer wagtail_inconnu",
        "Bearer " + APIToken.generate_token(),
        "Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",  # a dropped DRF token
    ],
)
def test_unknown_tokens_and_the_old_scheme_are_refused(header, counsellor, definition):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/definitions/")
    assert response.status_code == 401
    assert response.json()["code"] in {"authentication_failed", "not_authenticated"}


def test_a_deactivated_accounts_token_is_refused(counsellor, definition):
    header = bearer(counsellor)
    counsellor.is_active = False
    counsellor.save(update_fields=["is_active"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/definitions/").status_code == 401


def test_a_malformed_token_is_refused_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(TokenRefused):
        accepted_token("wagtail_pas-un-jeton")


def test_authenticating_is_one_query_and_last_use_is_written_once_a_minute(
    counsellor, definition, django_assert_max_num_queries
):
    token, secret = mint_token(owner=counsellor, name="Maraude", lifetime_days=90)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def token_queries(captured) -> tuple[int, int]:
        sql = [query["sql"] for query in captured if "wagtailcore_apitoken" in query["sql"]]
        return (
            sum(statement.startswith("SELECT") for statement in sql),
            sum(statement.startswith("UPDATE") for statement in sql),
        )

    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/definitions/").status_code == 200
    assert token_queries(first.captured_queries) == (1, 1)
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None

    with django_assert_max_num_queries(len(first.captured_queries) - 1) as second:
        assert client.get("/api/definitions/").status_code == 200
    assert token_queries(second.captured_queries) == (1, 0)
    token.refresh_from_db()
    assert token.last_used_at == first_use

    APIToken.objects.filter(pk=token.pk).update(
        last_used_at=first_use - datetime.timedelta(minutes=1)
    )
    with CaptureQueriesContext(connection) as later:
        client.get("/api/definitions/")
    assert token_queries(later.captured_queries) == (1, 1)
