"""The second factor (TOTP): required of the workflow roles and superusers when
TWO_FACTOR_REQUIRED is on; enrolment with a QR code made here; codes checked; the API's
tokens unaffected."""

import pytest
from django.contrib.auth.models import Group, Permission
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.api.conftest import bearer
from workflows.policies import COUNSELLORS, DATA_PROTECTION_OFFICERS

ENROL = "/admin/second-factor/enrol/"
VERIFY = "/admin/second-factor/verify/"


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True


def _member(django_user_model, username: str, role: str):
    """A user of `role` who may open the admin, as the demo's roles may."""
    group, _ = Group.objects.get_or_create(name=role)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user = django_user_model.objects.create_user(username, password="x")
    user.groups.add(group)
    return user


@pytest.fixture
def counsellor(db, django_user_model):
    return _member(django_user_model, "sacha.fictif", COUNSELLORS)


def _code(device: TOTPDevice) -> str:
    """The code the person's app shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def test_a_role_member_without_a_device_is_sent_to_enrol(client, counsellor):
    client.force_login(counsellor)

    response = client.get("/admin/pages/")

    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=/admin/pages/"


def test_enrolment_shows_a_qr_code_and_the_secret_and_keeps_them_on_reload(client, counsellor):
    client.force_login(counsellor)

    page = client.get(ENROL).content.decode()

    device = TOTPDevice.objects.get(user=counsellor, confirmed=False)
    assert "<svg" in page
    secret = page.split("data-secret>")[1].split("</code>")[0].replace(" ", "")
    assert len(secret) == 32
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=counsellor).count() == 1
    assert device.config_url.split("secret=")[1].startswith(secret)


def test_enrolment_refuses_a_wrong_code_in_french(client, counsellor):
    client.force_login(counsellor)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=counsellor)

    wrong = "000000" if _code(device) != "000000" else "111111"
    response = client.post(ENROL, {"token": wrong, "next": "/admin/"})

    assert response.status_code == 200
    assert "Code incorrect ou expiré" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/admin/").status_code == 302


def test_enrolment_with_the_current_code_opens_the_admin(client, counsellor):
    client.force_login(counsellor)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=counsellor)

    response = client.post(ENROL, {"token": _code(device), "next": "/admin/pages/"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/pages/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


@pytest.fixture
def enrolled(counsellor):
    return TOTPDevice.objects.create(user=counsellor, name="Téléphone", confirmed=True)


def test_a_new_session_must_give_a_code(client, counsellor, enrolled):
    client.force_login(counsellor)

    response = client.get("/admin/")
    assert response["Location"] == f"{VERIFY}?next=/admin/"
    # A password alone cannot enrol another phone in place of the first.
    assert client.get(ENROL)["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=counsellor).count() == 1


def test_verification_refuses_a_wrong_code_and_accepts_the_right_one(client, counsellor, enrolled):
    client.force_login(counsellor)
    wrong = "000000" if _code(enrolled) != "000000" else "111111"

    refused = client.post(VERIFY, {"token": wrong, "next": "/admin/"})
    assert refused.status_code == 200
    assert "Code incorrect ou expiré" in refused.content.decode()
    assert client.get("/admin/").status_code == 302

    enrolled.refresh_from_db()
    enrolled.throttling_failure_count = 0  # django-otp makes the next try wait after a miss
    enrolled.save()
    accepted = client.post(VERIFY, {"token": _code(enrolled), "next": "/admin/"})
    assert accepted["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_code_is_accepted_once(client, counsellor, enrolled):
    client.force_login(counsellor)
    code = _code(enrolled)
    assert client.post(VERIFY, {"token": code})["Location"] == "/admin/"

    client.logout()
    client.force_login(counsellor)
    assert client.post(VERIFY, {"token": code}).status_code == 200


def test_verification_goes_back_only_to_our_own_pages(client, counsellor, enrolled):
    client.force_login(counsellor)
    response = client.post(VERIFY, {"token": _code(enrolled), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize("role", [DATA_PROTECTION_OFFICERS, "superuser"])
def test_superusers_and_data_protection_officers_need_it_too(client, django_user_model, role):
    if role == "superuser":
        user = django_user_model.objects.create_superuser("root.fictif", password="x")
    else:
        user = _member(django_user_model, "dpo.fictif", role)
    client.force_login(user)
    assert client.get("/admin/")["Location"].startswith(ENROL)


def test_an_editor_without_a_workflow_role_is_not_asked(client, django_user_model):
    editor = _member(django_user_model, "redaction.fictive", "Rédacteurs")
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_off_in_the_setting_nobody_is_asked(client, counsellor, settings):
    settings.TWO_FACTOR_REQUIRED = False
    client.force_login(counsellor)
    assert client.get("/admin/").status_code == 200


def test_an_unverified_session_opens_no_api_but_a_token_does(client, counsellor, enrolled):
    client.force_login(counsellor)
    assert client.get("/api/pathways/").status_code in (401, 403)

    authorization = bearer(counsellor)
    client.logout()
    response = client.get("/api/pathways/", HTTP_AUTHORIZATION=authorization)
    assert response.status_code == 200
