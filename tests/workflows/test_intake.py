"""What a new pathway needs, checked once by `start_pathway` and worded by each form."""

import html

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from workflows import rules
from workflows.choices import PathwaySource
from workflows.models import Pathway, Youth
from workflows.policies import MEDIATORS
from workflows.screen_forms import IdentificationForm
from workflows.services.pathways import start_pathway


def refusal_codes(raised) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in raised.value.error_dict.items()}


def test_start_pathway_refuses_without_a_way_to_reach_the_young_person(definition):
    with pytest.raises(ValidationError) as raised:
        start_pathway(first_name="Sam", source=PathwaySource.WEBSITE, consent=True)
    assert refusal_codes(raised) == {"phone": [rules.CONTACT_REQUIRED]}
    assert raised.value.error_dict["phone"][0].messages == [
        "Donnez au moins un moyen de joindre le jeune : téléphone ou e-mail."
    ]
    assert not Youth.objects.exists()


def test_start_pathway_refuses_a_wrong_phone_number_even_with_an_e_mail(definition):
    with pytest.raises(ValidationError) as raised:
        start_pathway(
            first_name="Sam",
            source=PathwaySource.WEBSITE,
            consent=True,
            contact_phone="06 12",
            contact_email="sam@example.org",
        )
    assert refusal_codes(raised) == {"phone": [rules.INVALID_PHONE]}
    assert not Pathway.objects.exists()


def test_start_pathway_names_every_problem_at_once(db):
    """Checked before anything is read: even without a live definition."""
    with pytest.raises(ValidationError) as raised:
        start_pathway(first_name="Sam", source="ailleurs", consent=False)
    assert refusal_codes(raised) == {
        "consent": [rules.CONSENT_REQUIRED],
        "source": [rules.UNKNOWN_SOURCE],
        "phone": [rules.CONTACT_REQUIRED],
    }
    assert raised.value.error_dict["source"][0].messages == ["Origine inconnue : ailleurs."]


def test_start_pathway_stores_the_phone_without_surrounding_blanks(definition, places):
    pathway = start_pathway(
        first_name="Sam",
        source=PathwaySource.WEBSITE,
        consent=True,
        contact_phone="  06 12 34 56 78 ",
        organisation=places["aveyron"],
    )
    assert pathway.youth.phone == "06 12 34 56 78"


# --- the mediator's quick repérage words the refusals for staff ------------------------------


def identification_form(mediator, **data) -> IdentificationForm:
    values = {"first_name": "Eli", "source": "walk_in", "consent": "on", **data}
    return IdentificationForm(values, user=mediator)


def test_reperage_form_refuses_a_wrong_phone_number(mediator):
    form = identification_form(mediator, phone="06 12")
    assert not form.is_valid()
    assert form.errors == {"phone": ["Numéro invalide : 10 chiffres, comme 06 00 00 00 01."]}


def test_reperage_form_asks_for_a_way_to_reach_them_in_its_own_words(mediator):
    form = identification_form(mediator)
    assert not form.is_valid()
    assert form.errors == {
        "phone": ["Indiquez un téléphone ou un e-mail pour pouvoir le recontacter."]
    }


def test_reperage_form_says_an_e_mail_typed_wrong_alone(mediator):
    form = identification_form(mediator, email="pas-une-adresse")
    assert not form.is_valid()
    assert list(form.errors) == ["email"]


def test_reperage_form_accepts_a_phone_or_an_e_mail(mediator):
    assert identification_form(mediator, phone="06 12 34 56 78").is_valid()
    assert identification_form(mediator, email="eli@example.org").is_valid()


def test_reperage_screen_shows_a_wrong_phone_number_beside_the_field(client, definition, mediator):
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    Group.objects.get(name=MEDIATORS).permissions.add(access)
    client.force_login(mediator)
    response = client.post(
        reverse("workflows_screens:identification"),
        {"first_name": "Eli", "phone": "06 12", "source": "walk_in", "consent": "on"},
    )
    assert response.status_code == 200
    assert "Numéro invalide : 10 chiffres, comme 06 00 00 00 01." in html.unescape(
        response.content.decode()
    )
    assert not Pathway.objects.exists()
