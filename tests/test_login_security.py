"""Login hardening: the lockout after wrong passwords (django-axes), 12-character passwords,
the session's limits, messages kept in the session, the demo commands refused in production."""

import io
from datetime import timedelta

import axes.attempts
import axes.handlers.proxy
import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from workflows.demo import DEMO_PASSWORD

PASSWORD = "une-phrase-de-passe-solide"
ATTACKER = "203.0.113.7"
COLLEAGUE = "198.51.100.23"
REAL_NOW = timezone.now


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "camille.fictive", password=PASSWORD, is_superuser=True
    )


def _login(client, password: str, address: str = ATTACKER, username: str = "camille.fictive"):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _move_clock(monkeypatch, delta: timedelta) -> None:
    """Moves Django's clock `delta` ahead of the real one (django-axes imported `now`)."""
    moved = REAL_NOW() + delta
    monkeypatch.setattr(timezone, "now", lambda: moved)
    monkeypatch.setattr(axes.attempts, "now", lambda: moved)
    monkeypatch.setattr(axes.handlers.proxy, "now", lambda: moved)


# --- Lockout -------------------------------------------------------------------------------


def test_six_wrong_passwords_lock_the_account_for_that_address(client, staff):
    statuses = [_login(client, "mauvais-mot-de-passe").status_code for _ in range(6)]

    assert statuses[:4] == [200] * 4  # the login page again, with its error
    assert statuses[5] == 429
    response = _login(client, PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(client)
    page = response.content.decode()
    assert "Compte temporairement bloqué" in page
    assert "Réessayez dans 15 minutes" in page
    # The failures are recorded, the address read as our proxies give it.
    attempt = AccessAttempt.objects.get(username="camille.fictive")
    assert attempt.ip_address == ATTACKER
    assert attempt.failures_since_start >= 5
    assert AccessFailureLog.objects.filter(username="camille.fictive").count() >= 6


def test_a_garbled_address_is_kept_as_unknown_not_a_server_error(client, staff, settings):
    """Behind our proxy, a header that holds no address (or a login made in code, as
    force_login does) is stored as no address: PostgreSQL refuses "unknown" in an IP column."""
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.post(
        "/admin/login/",
        {"username": "camille.fictive", "password": "mauvais-mot-de-passe"},
        HTTP_X_FORWARDED_FOR="pas-une-adresse",
    )
    assert response.status_code == 200
    assert AccessAttempt.objects.get(username="camille.fictive").ip_address is None
    client.force_login(staff)
    assert _logged_in(client)


def test_the_lock_holds_only_for_that_address_and_that_account(client, staff, django_user_model):
    django_user_model.objects.create_user("dominique.fictive", password=PASSWORD)
    for _ in range(6):
        _login(client, "mauvais-mot-de-passe")

    assert _login(client, PASSWORD, address=COLLEAGUE).status_code == 302
    assert _logged_in(client)
    client.logout()
    assert _login(client, PASSWORD, username="dominique.fictive").status_code == 302


def test_the_address_behind_our_proxy_is_the_one_locked(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(6):
        client.post(
            "/admin/login/",
            {"username": "camille.fictive", "password": "mauvais-mot-de-passe"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=ATTACKER,
        )

    assert AccessAttempt.objects.get().ip_address == ATTACKER
    other = client.post(
        "/admin/login/",
        {"username": "camille.fictive", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=COLLEAGUE,
    )
    assert other.status_code == 302


def test_after_fifteen_minutes_the_right_password_logs_in(client, staff, monkeypatch):
    for _ in range(6):
        _login(client, "mauvais-mot-de-passe")
    _move_clock(monkeypatch, timedelta(minutes=14))
    assert _login(client, PASSWORD).status_code == 429

    # A try during the lock starts the 15 minutes again (django-axes' default).
    _move_clock(monkeypatch, timedelta(minutes=14 + 16))
    assert _login(client, PASSWORD).status_code == 302
    assert _logged_in(client)


def test_api_tokens_are_not_held_by_the_lockout_backend(client, staff):
    from tests.api.conftest import bearer

    staff.is_superuser = False  # no API token is ever made for a superuser
    staff.save(update_fields=["is_superuser"])
    authorization = bearer(staff)
    for _ in range(6):
        _login(client, "mauvais-mot-de-passe")

    response = client.get("/api/pathways/", HTTP_AUTHORIZATION=authorization)
    # Authenticated (an anonymous client gets 401), refused only for having no workflow role.
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


# --- Passwords -----------------------------------------------------------------------------


def test_passwords_need_twelve_characters(db):
    user = get_user_model()(username="alix.fictive")
    with pytest.raises(ValidationError) as refused:
        validate_password("Zq8#pLm2!vR", user)  # 11 characters
    assert [error.code for error in refused.value.error_list] == ["password_too_short"]
    validate_password("Zq8#pLm2!vRt", user)


def test_the_demo_password_is_still_accepted(db):
    validate_password(DEMO_PASSWORD, get_user_model()(username="admin"))


# --- Sessions ------------------------------------------------------------------------------


def test_the_login_page_offers_no_remember_me_and_the_cookie_ends_with_the_browser(client, staff):
    page = client.get("/admin/login/").content.decode()
    assert 'name="remember"' not in page

    response = client.post(
        "/admin/login/",
        {"username": "camille.fictive", "password": PASSWORD, "remember": "on"},
    )
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_thirty_idle_minutes_end_the_session_with_a_french_message(client, staff, monkeypatch):
    client.force_login(staff)
    _move_clock(monkeypatch, timedelta(minutes=29))
    assert client.get("/admin/").status_code == 200

    _move_clock(monkeypatch, timedelta(minutes=29 + 31))
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/admin/pages/")
    assert not _logged_in(client)
    # The message travels in the session, not in a cookie.
    assert "messages" not in response.cookies
    login_page = client.get(response["Location"]).content.decode()
    assert "Votre session a expiré" in login_page


def test_eight_hours_end_the_session_however_active(client, staff, monkeypatch):
    client.force_login(staff)
    minutes = 0
    while minutes < 8 * 60 - 20:
        minutes += 20
        _move_clock(monkeypatch, timedelta(minutes=minutes))
        client.get("/robots.txt")
        assert _logged_in(client), minutes

    _move_clock(monkeypatch, timedelta(hours=8, minutes=1))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not _logged_in(client)


def test_an_expired_session_on_the_api_is_anonymous(client, staff, monkeypatch):
    client.force_login(staff)
    _move_clock(monkeypatch, timedelta(minutes=31))
    assert client.get("/api/pathways/").status_code in (401, 403)


# --- Demo commands -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("load_demo_data", "Pas de données de démonstration en production"),
        ("ensure_demo_admin", "Pas de compte de démonstration en production"),
    ],
)
def test_demo_commands_refuse_production_settings(db, settings, command, message):
    settings.DEMO_DATA_ALLOWED = False  # as cms.settings.production sets it
    with pytest.raises(CommandError, match=message):
        call_command(command, stdout=io.StringIO())
    assert not get_user_model().objects.exists()


def test_sign_in_logs_are_erased_after_their_retention_by_a_daily_task(
    client, staff, settings, monkeypatch
):
    from axes.models import AccessLog
    from django_q.models import Schedule

    from cms.accounts.tasks import purge_sign_in_logs

    settings.SIGN_IN_LOG_RETENTION_DAYS = 90
    _login(client, "mauvais-mot-de-passe")
    _login(client, PASSWORD)
    assert AccessLog.objects.exists() and AccessFailureLog.objects.exists()
    assert purge_sign_in_logs() == 0  # still within their 90 days
    monkeypatch.setattr(timezone, "now", lambda: REAL_NOW() + timedelta(days=91))
    assert purge_sign_in_logs() == 2
    assert not AccessLog.objects.exists() and not AccessFailureLog.objects.exists()
    call_command("schedule_tasks", stdout=io.StringIO())
    schedule = Schedule.objects.get(name="cms.accounts.tasks.purge_sign_in_logs")
    assert (schedule.schedule_type, schedule.repeats) == (Schedule.DAILY, -1)
