"""What a communication officer does in the admin: a permanence set through French choices,
with a cancellation, previewed, then published; mistakes explained on the right field."""

import html

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from public_site.demo import EDITORS_GROUP, SECTION_GROUP
from public_site.models import (
    ExceptionKind,
    PermanenceIndexPage,
    PermanencePage,
    ScheduleRule,
    Venue,
)
from territories.models import Organisation
from tests.public_site.feeds import feed_rrules

pytestmark = pytest.mark.django_db


def _form(venue: Venue, **rule_overrides) -> dict:
    rule = {
        "frequency": "monthly",
        "interval": "1",
        "start_time": "09:00",
        "end_time": "12:00",
        "start_date": "2026-01-01",
        "end_date": "",
        "exceptions": inline_formset(
            [{"kind": "cancelled", "date": "2026-12-15", "reason": "Congés"}]
        ),
    }
    rule.update(rule_overrides)
    month_weeks = rule.pop("month_weeks", ["1", "3"])
    weekdays = rule.pop("weekdays", ["1"])
    days_to_confirm = rule.pop("days_to_confirm", False)
    rules = rule.pop("rules", [rule])
    data = nested_form_data(
        {
            "title": "Permanence de démonstration",
            "slug": "permanence-demonstration",
            "intro": "Une permanence créée dans l'administration.",
            "venue": str(venue.pk),
            "access_mode": "walk_in",
            "audience": "Jeunes de 16 à 25 ans",
            "contact": "",
            "schedule_note": "",
            "antenna": "",
            "body": rich_text("<p>Bienvenue.</p>"),
            "schedule_rules": inline_formset(rules),
        }
    )
    data["services"] = ["employment", "training"]
    if rules:
        data["schedule_rules-0-month_weeks"] = month_weeks
        data["schedule_rules-0-weekdays"] = weekdays
    if days_to_confirm:
        data["days_to_confirm"] = "on"
    return data


def login_section_editor(client, django_user_model, slug: str):
    """A communication officer of one section: the shared group and the section's, nothing
    more."""
    organisation = Organisation.objects.get(slug=slug)
    user = django_user_model.objects.create_user(username=f"camille-{slug}", password="x")
    user.groups.add(
        Group.objects.get(name=EDITORS_GROUP),
        Group.objects.get(name=SECTION_GROUP.format(short_name=organisation.short_name)),
    )
    client.force_login(user)
    return client


@pytest.fixture
def editor(client, public_demo, django_user_model):
    """A communication officer of the Aveyron Mission Locale."""
    return login_section_editor(client, django_user_model, "aveyron")


def _aveyron_index() -> PermanenceIndexPage:
    return PermanenceIndexPage.objects.get(url_path__endswith="/aveyron/permanences/")


def _add_url() -> str:
    index = _aveyron_index()
    return f"/admin/pages/add/public_site/permanencepage/{index.pk}/"


def test_editor_creates_and_publishes_a_permanence_with_a_cancellation(editor):
    venue = Venue.objects.get(name="CCAS d'Onet-le-Château")
    data = _form(venue)
    data["action-publish"] = "action-publish"
    response = editor.post(_add_url(), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = PermanencePage.objects.get(slug="permanence-demonstration")
    assert page.live
    rule = page.schedule_rules.get()
    assert feed_rrules(editor, page) == ["FREQ=MONTHLY;BYDAY=1TU,3TU"]
    assert rule.month_weeks == [1, 3]
    exception = rule.exceptions.get()
    assert (exception.kind, str(exception.date), exception.reason) == (
        ExceptionKind.CANCELLED,
        "2026-12-15",
        "Congés",
    )
    html = editor.get(page.url).content.decode()
    assert "1er et 3e mardis du mois, de 9 h à 12 h" in html
    edit = editor.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Annulations et dates en plus" in edit
    assert "Certaines semaines du mois" in edit
    # Published again without change, the rule keeps its calendar UID.
    uid = rule.uid
    page.save_revision().publish()
    assert ScheduleRule.objects.get(page=page).uid == uid


def test_preview_shows_the_schedule_being_edited(editor):
    venue = Venue.objects.get(name="CCAS d'Onet-le-Château")
    index = _aveyron_index()
    url = f"/admin/pages/add/public_site/permanencepage/{index.pk}/preview/"
    data = _form(venue, frequency="weekly", interval="2", weekdays=["2"], month_weeks=[])
    response = editor.post(url, data)
    assert response.status_code == 200
    assert response.json()["is_valid"] is True
    html = editor.get(url).content.decode()
    assert "Un mercredi sur deux à partir du " in html


def test_editor_sets_several_days_one_week_in_two_and_no_end_time(editor):
    """ "Mardi et jeudi, une semaine sur deux, à partir de 14 h": one rule, French choices,
    stored as one RFC 5545 rule whose days share the same weeks."""
    venue = Venue.objects.get(name="CCAS d'Onet-le-Château")
    data = _form(
        venue,
        frequency="weekly",
        interval="2",
        weekdays=["3", "1"],
        month_weeks=[],
        start_time="14:00",
        end_time="",
        exceptions=inline_formset([]),
    )
    data["action-publish"] = "action-publish"
    response = editor.post(_add_url(), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = PermanencePage.objects.get(slug="permanence-demonstration")
    rule = page.schedule_rules.get()
    assert (sorted(rule.weekdays), rule.interval, rule.end_time) == ([1, 3], 2, None)
    assert feed_rrules(editor, page) == ["FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=MO"]
    text = html.unescape(editor.get(page.url).content.decode())
    assert "Les mardis et jeudis, une semaine sur deux à partir du " in text
    assert ", à partir de 14 h" in text
    edit = editor.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "une fois sur deux (une semaine ou un mois sur deux)" in edit


def test_a_rule_needs_at_least_one_day(editor):
    venue = Venue.objects.get(name="CCAS d'Onet-le-Château")
    data = _form(venue, weekdays=[])
    data["action-publish"] = "action-publish"
    response = editor.post(_add_url(), data)
    assert response.status_code == 200
    rule_form = response.context["form"].formsets["schedule_rules"].forms[0]
    assert rule_form.errors["weekdays"] == ["Cochez au moins un jour de la semaine."]


def test_days_to_confirm_or_a_schedule_never_both_nor_neither(editor):
    venue = Venue.objects.get(name="CCAS d'Onet-le-Château")
    for data, message in (
        (_form(venue, rules=[]), "Ajoutez au moins un horaire"),
        (_form(venue, days_to_confirm=True), "n'a pas d'horaire"),
    ):
        data["action-publish"] = "action-publish"
        response = editor.post(_add_url(), data)
        assert response.status_code == 200
        assert message in response.context["form"].errors["days_to_confirm"][0]
    data = _form(venue, rules=[], days_to_confirm=True)
    data["action-publish"] = "action-publish"
    assert editor.post(_add_url(), data).status_code == 302
    page = PermanencePage.objects.get(slug="permanence-demonstration")
    assert page.days_to_confirm and not page.schedule_rules.exists()


def test_end_time_before_start_time_is_refused_on_the_right_field(editor):
    venue = Venue.objects.get(name="CCAS d'Onet-le-Château")
    data = _form(venue, start_time="12:00", end_time="09:00")
    data["action-publish"] = "action-publish"
    response = editor.post(_add_url(), data)
    assert response.status_code == 200
    form = response.context["form"]
    rule_form = form.formsets["schedule_rules"].forms[0]
    assert rule_form.errors["end_time"] == ["L'heure de fin doit être après l'heure de début."]
    assert not PermanencePage.objects.filter(slug="permanence-demonstration").exists()


def test_month_weeks_are_required_for_certain_weeks_of_the_month(editor):
    venue = Venue.objects.get(name="CCAS d'Onet-le-Château")
    data = _form(venue, month_weeks=[])
    data["action-publish"] = "action-publish"
    response = editor.post(_add_url(), data)
    assert response.status_code == 200
    rule_form = response.context["form"].formsets["schedule_rules"].forms[0]
    assert "Choisissez au moins une semaine du mois" in rule_form.errors["month_weeks"][0]


def test_editors_group_can_edit_pages_but_not_read_contact_requests(editor):
    assert editor.get("/admin/").status_code == 200
    home = Page.objects.get(slug="aveyron")
    assert editor.get(f"/admin/pages/{home.pk}/edit/").status_code == 200
    response = editor.get("/admin/snippets/public_site/contactrequest/")
    assert response.status_code in (302, 403)


def test_editors_manage_venues_as_snippets(editor):
    listing = editor.get("/admin/snippets/public_site/venue/")
    assert listing.status_code == 200
    assert "CCAS d&#x27;Onet-le-Château" in listing.content.decode()
    commune = Venue.objects.get(name="La Péniche").commune
    response = editor.post(
        "/admin/snippets/public_site/venue/add/",
        {
            "name": "Médiathèque du Puchot",
            "venue_type": "media_library",
            "address": "",
            "commune": str(commune.pk),
            "latitude": "",
            "longitude": "",
            "accessibility": "Accès de plain-pied.",
            "opening_notes": "",
            "source": "Exemple créé par un test.",
        },
    )
    assert response.status_code == 302
    assert Venue.objects.get(name="Médiathèque du Puchot").venue_type == "media_library"


def test_service_page_preview_lists_the_permanences_being_linked(
    client, public_demo, django_user_model
):
    from public_site.models import ServicePage

    editor = login_section_editor(client, django_user_model, "clermont")
    service = ServicePage.objects.get(slug="mediateur-jeunesse")
    onet = PermanencePage.objects.get(slug="ccas-onet-le-chateau")
    aulnat = PermanencePage.objects.get(slug="pole-social-aulnat")
    url = f"/admin/pages/{service.pk}/edit/preview/"
    data = nested_form_data(
        {
            "title": service.title,
            "slug": service.slug,
            "intro": service.intro,
            "what": rich_text(service.what),
            "audience": rich_text(service.audience),
            "where": rich_text(service.where),
            "how_to_reach": rich_text(service.how_to_reach),
            "body": rich_text(service.body),
        }
    )
    data["permanences"] = [str(aulnat.pk), str(onet.pk)]
    assert editor.post(url, data).json()["is_valid"] is True
    html = editor.get(url).content.decode()
    assert "Permanence au CCAS d&#x27;Onet-le-Château" in html


@pytest.mark.parametrize(
    ("model", "parent_slug"),
    [
        ("permanencepage", "/aveyron/permanences/"),
        ("servicepage", "/aveyron/"),
        ("newspage", "/aveyron/actualites/"),
        ("standardpage", "/aveyron/"),
        ("permanenceindexpage", "/aveyron/"),
        ("newsindexpage", "/aveyron/"),
    ],
)
def test_editors_can_open_the_form_of_each_page_type(editor, model, parent_slug):
    parent = Page.objects.get(url_path__endswith=parent_slug)
    response = editor.get(f"/admin/pages/add/public_site/{model}/{parent.pk}/")
    assert response.status_code == 200
