"""The "être recontacté" form, as a young person (and a robot) uses it."""

import html
import re

import pytest
from django.test import override_settings

from public_site import spam
from public_site.models import ContactRequest, ContactRequestStatus
from territories.models import Commune
from workflows.models import Pathway

from .conftest import rendered_seconds_ago

pytestmark = pytest.mark.django_db
FORM_URL = "/aveyron/etre-recontacte/"


def test_form_page_has_labelled_fields_and_plain_retention_text(client, public_demo):
    html = client.get(FORM_URL).content.decode()
    for field_id, label in [
        ("id_first_name", "Ton prénom"),
        ("id_phone", "Ton numéro de téléphone"),
        ("id_email", "Ton adresse e-mail"),
        ("id_commune", "Ta commune"),
    ]:
        assert f'<label for="{field_id}">{label}' in html
    assert "au plus 2 ans après ton dernier contact" in html
    assert 'type="checkbox" name="consent"' in html
    # No CSRF token (the page is cached): the signed timestamp and an origin check instead.
    assert "csrfmiddlewaretoken" not in html
    assert 'name="rendered_at"' in html


def test_valid_request_is_stored_pending_without_workflow_and_confirmed(
    client, public_demo, contact_form_data
):
    onet = Commune.objects.get(insee_code="12176")
    response = client.post(FORM_URL, contact_form_data(commune=str(onet.pk)))
    assert response.status_code == 302
    assert response["Location"] == "/aveyron/etre-recontacte/merci/"
    request = ContactRequest.objects.get()
    assert (request.first_name, request.phone, request.commune) == ("Inès", "06 00 00 00 12", onet)
    assert request.needs == ["employment", "housing"]
    assert request.consent is True
    assert request.status == ContactRequestStatus.PENDING
    assert request.pathway_id is None
    # Sent from the Aveyron section: recorded as sent to that Mission Locale.
    assert request.organisation.slug == "aveyron"
    confirmation = client.get(response["Location"]).content.decode()
    assert "C'est envoyé, merci !" in confirmation
    assert "va te rappeler" in confirmation


def test_invalid_input_gets_french_field_errors_and_keeps_what_was_typed(
    client, public_demo, contact_form_data
):
    response = client.post(
        FORM_URL,
        contact_form_data(first_name="Inès", phone="", email="pas-une-adresse", consent=None),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cette adresse e-mail ne semble pas correcte." in html
    assert "Coche cette case pour qu&#x27;on ait le droit de te recontacter." in html
    # The error summary reads "label : message", without a full stop before the colon.
    assert "garde ces informations pour me recontacter : Coche cette case" in html
    assert ". :" not in html
    assert 'value="Inès"' in html
    assert 'value="pas-une-adresse"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_email_error"' in html
    assert ContactRequest.objects.count() == 0


def test_phone_or_email_is_required(client, public_demo, contact_form_data):
    response = client.post(FORM_URL, contact_form_data(phone="", email=""))
    assert response.status_code == 200
    assert "Donne au moins un moyen de te joindre" in response.content.decode()
    assert ContactRequest.objects.count() == 0


def test_email_alone_is_enough(client, public_demo, contact_form_data):
    response = client.post(FORM_URL, contact_form_data(phone="", email="ines@example.org"))
    assert response.status_code == 302
    assert ContactRequest.objects.get().email == "ines@example.org"


def test_honeypot_filled_is_dropped_silently(client, public_demo, contact_form_data):
    response = client.post(FORM_URL, contact_form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert ContactRequest.objects.count() == 0


def test_too_fast_submission_is_refused_with_values_kept(client, public_demo, contact_form_data):
    response = client.post(FORM_URL, contact_form_data(rendered_at=rendered_seconds_ago(0.5)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tu as été très rapide" in html
    assert 'value="06 00 00 00 12"' in html
    assert ContactRequest.objects.count() == 0
    # The form now carries a fresh timestamp: once a person waits, it goes through.
    assert 'name="rendered_at"' in html


def test_a_replayed_form_is_refused_with_its_answers_shown_again(
    client, public_demo, contact_form_data
):
    data = contact_form_data()
    assert client.post(FORM_URL, data).status_code == 302
    replay = client.post(FORM_URL, {**data, "first_name": "Inès-Marie"})
    assert replay.status_code == 200
    html = replay.content.decode()
    assert "Ce formulaire a déjà été envoyé." in html
    assert 'value="Inès-Marie"' in html and 'value="06 00 00 00 12"' in html
    assert ContactRequest.objects.count() == 1
    # A fresh token came with the page: sent with it, after a moment, the request goes in.
    fresh = re.search(r'name="rendered_at" value="([^"]+)"', html).group(1)
    assert fresh != data["rendered_at"]
    resent = {**data, "first_name": "Inès-Marie", "rendered_at": rendered_seconds_ago(30)}
    assert client.post(FORM_URL, resent).status_code == 302
    assert ContactRequest.objects.count() == 2


def test_a_form_with_a_mistake_keeps_its_token_good(client, public_demo, contact_form_data):
    data = contact_form_data(consent=None)
    assert client.post(FORM_URL, data).status_code == 200
    assert client.post(FORM_URL, {**data, "consent": "on"}).status_code == 302
    assert ContactRequest.objects.count() == 1


def test_forged_timestamp_is_refused(client, public_demo, contact_form_data):
    response = client.post(FORM_URL, contact_form_data(rendered_at="1700000000"))
    assert response.status_code == 200
    assert "Le formulaire a expiré" in response.content.decode()
    assert ContactRequest.objects.count() == 0


def test_an_e_mail_longer_than_its_column_is_a_french_field_error(
    client, public_demo, contact_form_data
):
    long_email = "a" * 64 + "@" + "b" * 200 + ".fr"
    response = client.post(FORM_URL, contact_form_data(phone="", email=long_email))
    assert response.status_code == 200
    assert "254 caractères" in response.content.decode()
    assert not ContactRequest.objects.exists()


def test_rate_limit_answers_429_in_french(client, public_demo, contact_form_data):
    for _ in range(spam.RATE_LIMIT):
        assert client.post(FORM_URL, contact_form_data()).status_code == 302
    response = client.post(FORM_URL, contact_form_data())
    assert response.status_code == 429
    assert response["Retry-After"] == str(spam.RATE_WINDOW_SECONDS)
    assert "Trop d'envois" in response.content.decode()
    assert ContactRequest.objects.count() == spam.RATE_LIMIT
    # Another client is not affected.
    other = client.post(FORM_URL, contact_form_data(), REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302


@override_settings()
def test_pending_requests_are_forwarded_by_the_task_once_a_workflow_is_published(
    client, public_demo, contact_form_data
):
    from public_site.tasks import retry_pending_contact_requests

    # A commune some organisation covers: the request is routed there.
    onet = Commune.objects.get(insee_code="12176")
    client.post(FORM_URL, contact_form_data(commune=str(onet.pk)))
    request = ContactRequest.objects.get()
    assert request.status == ContactRequestStatus.PENDING
    assert retry_pending_contact_requests() == 0
    request.refresh_from_db()
    assert request.attempts == 2
    assert request.last_error

    _publish_default_workflow()
    assert retry_pending_contact_requests() == 1
    request.refresh_from_db()
    assert request.status == ContactRequestStatus.FORWARDED
    _assert_pathway_from_website(request)


def test_valid_request_creates_a_pathway_when_the_workflow_is_published(
    client, public_demo, contact_form_data
):
    _publish_default_workflow()
    onet = Commune.objects.get(insee_code="12176")
    response = client.post(FORM_URL, contact_form_data(commune=str(onet.pk)))
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert request.status == ContactRequestStatus.FORWARDED
    _assert_pathway_from_website(request)


def test_a_request_without_a_commune_reaches_the_section_s_mission_locale(
    client, public_demo, contact_form_data
):
    """The young person wrote from the Toulouse section and left the commune empty: the
    pathway starts in Toulouse's workflow, not in limbo."""
    _publish_default_workflow()
    response = client.post("/toulouse/etre-recontacte/", contact_form_data(commune=""))
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert request.status == ContactRequestStatus.FORWARDED
    assert request.organisation.slug == "toulouse"
    _assert_pathway_from_website(request)
    pathway = Pathway.objects.get(pk=request.pathway_id)
    assert pathway.organisation.slug == "toulouse"
    assert pathway.definition.organisation.slug == "toulouse"


def _publish_default_workflow() -> None:
    pathways = pytest.importorskip("workflows.services.pathways")
    del pathways
    import io

    from workflows import demo as workflows_demo

    workflows_demo.load(report=io.StringIO().write)


def _assert_pathway_from_website(request: ContactRequest) -> None:
    from workflows.choices import PathwaySource

    pathway = Pathway.objects.get(pk=request.pathway_id)
    assert pathway.source == PathwaySource.WEBSITE
    assert pathway.youth.first_name == request.first_name
    assert pathway.youth.phone == request.phone


def test_task_schedules_are_created_once(db):
    import io

    from django.core.management import call_command
    from django_q.models import Schedule

    call_command("schedule_tasks", stdout=io.StringIO())
    call_command("schedule_tasks", stdout=io.StringIO())
    schedules = dict(Schedule.objects.values_list("func", "schedule_type"))
    assert schedules["public_site.tasks.purge_contact_requests"] == Schedule.DAILY
    assert schedules["public_site.tasks.retry_pending_contact_requests"] == Schedule.MINUTES
    assert schedules["public_site.tasks.move_occurrence_horizon"] == Schedule.DAILY
    assert Schedule.objects.filter(func__startswith="public_site.").count() == 3


def test_old_requests_are_purged(public_demo, contact_form_data, client):
    from datetime import timedelta

    from django.utils import timezone

    from public_site.services import PENDING_RETENTION
    from public_site.tasks import purge_contact_requests

    client.post(FORM_URL, contact_form_data())
    client.post(FORM_URL, contact_form_data(first_name="Yanis"))
    ContactRequest.objects.filter(first_name="Inès").update(
        created_at=timezone.now() - PENDING_RETENTION - timedelta(days=1)
    )
    assert purge_contact_requests() == 1
    assert list(ContactRequest.objects.values_list("first_name", flat=True)) == ["Yanis"]


def test_behind_our_proxy_each_visitor_has_their_own_rate_limit(rf, settings):
    from public_site.spam import client_address

    settings.TRUSTED_PROXY_COUNT = 1
    # nginx appends the address it saw; what a bot puts in front is ignored.
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_address(request) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.1"


def test_a_requests_label_carries_no_name(db):
    from public_site.models import ContactRequest

    request = ContactRequest.objects.create(first_name="Yasmine", phone="0600000099", consent=True)
    assert "Yasmine" not in str(request)
    assert str(request).startswith(f"Demande n° {request.pk} du ")


FIRST_NAME_REFUSAL = "Écris ton prénom avec des lettres"


@pytest.mark.parametrize("first_name", ["=cmd", "<b>", "Jean2", "-Lou", "@Lou"])
def test_a_first_name_other_than_letters_is_refused_in_french(
    client, public_demo, contact_form_data, first_name
):
    response = client.post(FORM_URL, contact_form_data(first_name=first_name))
    assert response.status_code == 200
    assert FIRST_NAME_REFUSAL in response.content.decode()
    assert not ContactRequest.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Zoé", "Zoé"),
        ("Zoe\u0301", "Zoé"),  # "e" then a combining accent, as some keyboards send it
        ("Marie-Ève", "Marie-Ève"),
        ("N'Diaye", "N'Diaye"),
        ("N’Diaye", "N’Diaye"),
        ("Anne Sophie", "Anne Sophie"),
    ],
)
def test_first_names_with_accents_spaces_apostrophes_and_hyphens_are_accepted(
    client, public_demo, contact_form_data, typed, stored
):
    response = client.post(FORM_URL, contact_form_data(first_name=typed))
    assert response.status_code == 302
    assert ContactRequest.objects.get().first_name == stored


def _token_of(html_text: str) -> str:
    return re.search(r'name="rendered_at" value="([^"]+)"', html_text).group(1)


@pytest.fixture
def browser_client():
    """A client that enforces CSRF as a browser meets it, without any cookie."""
    from django.test import Client

    return Client(enforce_csrf_checks=True)


def test_a_same_origin_post_of_the_cached_form_needs_no_csrf_cookie(
    browser_client, public_demo, contact_form_data, monkeypatch
):
    monkeypatch.setattr("public_site.spam.MIN_FILL_SECONDS", 0)
    token = _token_of(browser_client.get(FORM_URL).content.decode())
    response = browser_client.post(
        FORM_URL, contact_form_data(rendered_at=token), HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/merci/")
    assert ContactRequest.objects.filter(first_name="Inès").exists()
    # Another young person sent the same cached copy from the same address: received too.
    other = browser_client.post(
        FORM_URL,
        contact_form_data(rendered_at=token, first_name="Yanis", phone="06 00 00 00 13"),
        HTTP_ORIGIN="http://testserver",
    )
    assert other.status_code == 302
    # The same details again on the same copy: a replay, refused in French, answers kept.
    again = browser_client.post(
        FORM_URL, contact_form_data(rendered_at=token), HTTP_ORIGIN="http://testserver"
    )
    text = html.unescape(again.content.decode())
    assert again.status_code == 200 and "Ce formulaire a déjà été envoyé." in text
    assert 'value="Inès"' in text


def test_a_cross_site_post_is_refused(browser_client, public_demo, contact_form_data):
    token = _token_of(browser_client.get(FORM_URL).content.decode())
    for origin in ("https://attaquant.example", "null"):
        response = browser_client.post(
            FORM_URL, contact_form_data(rendered_at=token), HTTP_ORIGIN=origin
        )
        assert response.status_code == 403, origin
    assert not ContactRequest.objects.exists()


def test_a_post_without_a_valid_token_is_refused_in_french_with_answers_kept(
    browser_client, public_demo, contact_form_data
):
    for token in ("", "pas-un-jeton"):
        response = browser_client.post(
            FORM_URL, contact_form_data(rendered_at=token), HTTP_ORIGIN="http://testserver"
        )
        text = html.unescape(response.content.decode())
        assert response.status_code == 200
        assert "Le formulaire a expiré. Vérifie tes réponses et envoie-le à nouveau." in text
        assert 'value="Inès"' in text and 'value="06 00 00 00 12"' in text
    assert not ContactRequest.objects.exists()


def test_a_post_to_another_page_still_needs_django_s_csrf_token(browser_client, public_demo):
    response = browser_client.post("/aveyron/", {}, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 403
