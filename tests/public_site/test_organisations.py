"""Several Missions Locales on one install, as a young person, a search engine, an API client
and a communication officer meet them: the finder, one section per organisation, its
editors, the agenda per organisation."""

import html

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from public_site import sections
from public_site.finder import normalise
from public_site.models import ContactRequestPage, HomePage, PermanencePage
from territories.models import Organisation

pytestmark = pytest.mark.django_db
SLUGS = ["aveyron", "clermont", "elbeuf", "montpellier", "toulouse"]


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


# --- The finder ---------------------------------------------------------------------------


def test_normalise_sets_accents_case_and_hyphens_aside():
    assert normalise("Onet-le-Château") == normalise("onet le chateau") == "onet le chateau"
    assert normalise("St-Aubin-lès-Elbeuf") == "saint aubin les elbeuf"


def test_the_default_site_opens_on_the_finder_with_every_organisation(client, public_demo):
    text = _text(client.get("/"))
    assert '<form class="finder" method="get" action="/"' in text
    assert '<datalist id="communes-couvertes">' in text
    assert '<option value="Onet-le-Château">' in text
    for organisation in Organisation.objects.all():
        assert f'href="/{organisation.slug}/">{organisation.name}</a>' in text
    assert "<script" not in text


@pytest.mark.parametrize(
    ("typed", "section"),
    [
        ("Onet-le-Château", "/aveyron/"),
        ("onet le chateau", "/aveyron/"),
        ("  ONET-LE-CHATEAU ", "/aveyron/"),
        ("12850", "/aveyron/"),
        ("Onet-le-Château (12850)", "/aveyron/"),
        ("12176", "/aveyron/"),
        ("aulnat", "/clermont/"),
        ("saint aubin les elbeuf", "/elbeuf/"),
        ("76410", "/elbeuf/"),  # Cléon and Saint-Aubin: both covered by Elbeuf
        ("Toulouse", "/toulouse/"),
        ("34090", "/montpellier/"),
    ],
)
def test_a_commune_leads_to_the_section_that_covers_it(client, public_demo, typed, section):
    response = client.get("/", {"commune": typed})
    assert response.status_code == 302
    assert response["Location"] == section


def test_an_unknown_commune_gets_a_french_message_and_the_list(client, public_demo):
    text = _text(client.get("/", {"commune": "Quimper"}))
    assert "Nous n'avons pas trouvé de Mission Locale pour « Quimper »" in text
    assert 'aria-invalid="true"' in text
    assert 'value="Quimper"' in text
    assert "Mission Locale de l'Aveyron</a>" in text


# --- A section per organisation -----------------------------------------------------------


def test_each_organisation_has_one_section_with_its_pages(public_demo):
    homes = HomePage.objects.select_related("organisation")
    assert sorted(home.organisation.slug for home in homes) == SLUGS
    for home in homes:
        assert home.url == f"/{home.organisation.slug}/"
        assert ContactRequestPage.objects.child_of(home).live().count() == 1
    for page in PermanencePage.objects.select_related("antenna"):
        assert sections.section_of(page).pk == page.antenna.organisation_id


def test_home_shows_its_organisation_and_only_its_permanences(client, public_demo):
    text = _text(client.get("/aveyron/"))
    assert 'class="brand" href="/aveyron/">Mission Locale de l\'Aveyron</a>' in text
    assert "Permanence au CCAS d'Onet-le-Château" in text
    assert "Aulnat" not in text and "Mosson" not in text
    # Unknown contact details are left out rather than invented: none is known here.
    assert "nous-joindre" not in text and "mailto:" not in text
    montpellier = _text(client.get("/montpellier/"))
    assert "Joindre la Mission Locale des jeunes de Montpellier" in montpellier
    assert 'href="https://www.montpellier-jeunes-emploi.fr/"' in montpellier
    # Its antennas' hours are not published: no invented date on the home page.
    assert "Permanence à l'antenne Mosson" not in montpellier
    assert "Les prochaines permanences" in _text(client.get("/clermont/"))


def test_navigation_stays_in_the_section(client, public_demo):
    text = _text(client.get("/toulouse/actualites/"))
    assert 'class="brand" href="/toulouse/">Mission Locale de Toulouse</a>' in text
    assert 'href="/toulouse/etre-recontacte/"' in text
    assert 'href="/aveyron/' not in text


def test_a_page_finds_its_organisation_in_one_query_then_remembers_it(public_demo):
    page = Page.objects.get(url_path__endswith="/aveyron/etre-recontacte/")
    with CaptureQueriesContext(connection) as captured:
        assert sections.section_of(page).slug == "aveyron"
        assert sections.section_of(page).slug == "aveyron"
    assert len(captured) == 1
    finder = Page.objects.get(depth=2)
    assert sections.section_of(finder) is None


def test_sitemap_lists_every_organisations_pages(client, public_demo):
    body = client.get("/sitemap.xml").content.decode()
    for slug in SLUGS:
        assert f"/{slug}/</loc>" in body
        assert f"/{slug}/etre-recontacte/</loc>" in body
    assert "/aveyron/permanences/ccas-onet-le-chateau/</loc>" in body
    assert "/montpellier/permanences/antenne-mosson/</loc>" in body


def test_pages_api_exposes_the_home_pages_organisation(client, public_demo):
    home = HomePage.objects.get(organisation__slug="montpellier")
    data = client.get(f"/api/v2/pages/{home.pk}/").json()
    assert data["organisation"]["slug"] == "montpellier"
    assert data["organisation"]["website"] == "https://www.montpellier-jeunes-emploi.fr/"
    assert data["organisation"]["phone"] == ""


# --- The agenda API -----------------------------------------------------------------------


def test_agenda_api_carries_and_filters_by_organisation(client, public_demo):
    everything = client.get("/api/agenda/", {"page_size": 200}).json()["results"]
    assert {item["organisation"] for item in everything} == {"aveyron", "clermont"}
    for item in everything:
        assert f"/{item['organisation']}/permanences/" in item["page"]["url"]
    aveyron = client.get("/api/agenda/", {"organisation": "aveyron"}).json()["results"]
    assert aveyron and {item["organisation"] for item in aveyron} == {"aveyron"}
    assert {item["page"]["title"] for item in aveyron} == {"Permanence au CCAS d'Onet-le-Château"}
    toulouse = client.get("/api/agenda/", {"organisation": "toulouse"}).json()
    assert toulouse["results"] == []
    unknown = client.get("/api/agenda/", {"organisation": "quimper"})
    assert unknown.status_code == 400
    assert "Aucune Mission Locale n'a cet identifiant." in unknown.content.decode()


# --- Editors per organisation (the "pages" column of the role × organisation matrix) ------


@pytest.fixture
def officer(client, public_demo):
    def login(slug: str):
        user = get_user_model().objects.get(username=f"communication.{slug}")
        client.force_login(user)
        return client

    return login


def _home(slug: str) -> HomePage:
    return HomePage.objects.get(organisation__slug=slug)


@pytest.mark.parametrize(("own", "other"), [("aveyron", "toulouse"), ("toulouse", "aveyron")])
def test_an_officer_edits_their_section_and_nothing_of_another(officer, own, other):
    client = officer(own)
    mine, theirs = _home(own), _home(other)
    assert client.get(f"/admin/pages/{mine.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{mine.pk}/").status_code == 200

    contact = ContactRequestPage.objects.child_of(theirs).get()
    for url in (
        f"/admin/pages/{theirs.pk}/edit/",
        f"/admin/pages/{contact.pk}/edit/",
        f"/admin/pages/{theirs.pk}/",  # the explorer
        f"/admin/pages/add/public_site/standardpage/{theirs.pk}/",
    ):
        assert client.get(url).status_code in (302, 403, 404), url
    response = client.post(
        f"/admin/pages/{contact.pk}/edit/",
        {"title": "Piraté", "slug": contact.slug, "action-publish": "action-publish"},
    )
    assert response.status_code in (302, 403, 404)
    contact.refresh_from_db()
    assert contact.title == "Être recontacté"
    # The explorer starts at their own section: another's pages are not listed.
    listing = client.get("/admin/pages/").content.decode()
    assert theirs.title not in listing


def test_an_officer_cannot_move_nor_delete_the_section_or_the_finder(officer):
    client = officer("aveyron")
    finder = Page.objects.get(depth=2)
    assert client.get(f"/admin/pages/{finder.pk}/edit/").status_code in (302, 403, 404)
    assert client.get(f"/admin/pages/add/public_site/homepage/{finder.pk}/").status_code in (
        302,
        403,
        404,
    )


def test_a_permanence_is_attached_only_to_an_antenna_of_its_section(officer):
    client = officer("toulouse")
    index = Page.objects.get(url_path__endswith="/toulouse/permanences/")
    form = client.get(f"/admin/pages/add/public_site/permanencepage/{index.pk}/").context["form"]
    offered = {antenna.name for antenna in form.fields["antenna"].queryset}
    assert offered == {"Bagatelle", "Centre", "Mirail", "Quartiers Est", "Quartiers Nord"}
