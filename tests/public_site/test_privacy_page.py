""" "Tes données personnelles": the privacy page a 16-year-old reads, in every section and at
the finder, linked from the "être recontacté" form and the footer."""

import html
import re

import pytest
from django.utils.html import strip_tags

from public_site.models import PrivacyPage
from public_site.models.privacy import PRIVACY_BODY_DEFAULT, PRIVACY_INTRO_DEFAULT
from territories.models import Organisation

pytestmark = pytest.mark.django_db
PAGE = "/aveyron/donnees-personnelles/"


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def test_every_section_and_the_finder_have_one(client, public_demo):
    slugs = Organisation.objects.values_list("slug", flat=True)
    for slug in slugs:
        assert client.get(f"/{slug}/donnees-personnelles/").status_code == 200, slug
    assert client.get("/donnees-personnelles/").status_code == 200
    assert PrivacyPage.objects.live().count() == len(slugs) + 1


def test_says_what_how_long_who_and_how_to_ask(client, public_demo):
    text = _text(client.get(PAGE))
    assert text.count("<h1") == 1 and "Tes données personnelles" in text
    for said in (
        "Ton prénom, ton nom, ta date de naissance",  # what is kept
        "Deux ans après ton dernier contact",  # how long
        "seulement ton conseiller référent",  # who sees it
        "en avoir une copie",  # a copy
        "Tout effacer",  # erasure
        "CNIL",
        "Pour nous écrire : Mission Locale de l'Aveyron",  # where to write
    ):
        assert said in text, said


def test_shows_the_sections_contact_details(client, public_demo):
    Organisation.objects.filter(slug="aveyron").update(
        email="contact@ml-aveyron.example.org", phone="05 65 00 00 00"
    )
    text = _text(client.get(PAGE))
    assert 'href="mailto:contact@ml-aveyron.example.org"' in text
    assert 'href="tel:0565000000"' in text


def test_linked_from_the_contact_form_and_the_footer(client, public_demo):
    form = _text(client.get("/aveyron/etre-recontacte/"))
    assert f'<a href="{PAGE}">Tout savoir sur tes données personnelles' in form
    home = _text(client.get("/aveyron/"))
    footer = home[home.index('<footer class="site-footer">') :]
    assert f'href="{PAGE}"' in footer
    finder = _text(client.get("/"))
    assert 'href="/donnees-personnelles/"' in finder[finder.index("<footer") :]


def test_contact_form_without_a_privacy_page_still_renders(client, public_demo):
    PrivacyPage.objects.filter(url_path__contains="/aveyron/").first().unpublish()
    form = _text(client.get("/aveyron/etre-recontacte/"))
    assert "Tout savoir sur tes données personnelles" not in form


def test_the_default_text_is_plain():
    """Short sentences, no legal jargon: a 16-year-old reads it."""
    blocks = re.split(r"</(?:p|h2|li)>", PRIVACY_INTRO_DEFAULT + PRIVACY_BODY_DEFAULT)
    words = " ".join(strip_tags(block) for block in blocks)
    sentences = [s for block in blocks for s in re.split(r"[.:!?]\s", strip_tags(block))]
    assert max(len(s.split()) for s in sentences) <= 25
    for jargon in ("traitement", "finalité", "RGPD", "responsable de traitement", "dûment"):
        assert jargon not in words
