"""The public pages as a visitor (or a calendar app, a search engine) receives them."""

import html
import json
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from public_site import schedules
from public_site.models import ExceptionKind, PermanencePage, ScheduleException
from public_site.selectors import AGENDA_PERIODS, agenda_period
from territories.models import Commune

pytestmark = pytest.mark.django_db
ONET = "/aveyron/permanences/ccas-onet-le-chateau/"
# The agenda tests read Clermont's section: Aulnat's weekly permanence, a date every week.
AGENDA = "/clermont/permanences/"


def _in_section(slug: str):
    return PermanencePage.objects.live().filter(antenna__organisation__slug=slug)


def _text(response) -> str:
    """The page's HTML with entities decoded, as a reader sees the words."""
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def test_onet_permanence_falls_on_first_and_third_tuesdays_with_a_marked_cancellation(
    client, public_demo
):
    text = _text(client.get(ONET))
    assert "1er et 3e mardis du mois, de 9 h à 12 h" in text
    page = PermanencePage.objects.get(slug="ccas-onet-le-chateau")
    upcoming = page.upcoming()
    assert upcoming, "the next 8 weeks hold at least one Onet permanence"
    for occurrence in upcoming:
        assert occurrence.date.weekday() == 1
        assert (occurrence.date.day - 1) // 7 in (0, 2)  # 1st or 3rd Tuesday
        assert occurrence.start.hour == 9 and occurrence.end.hour == 12
    cancelled = [occurrence for occurrence in upcoming if occurrence.cancelled]
    assert len(cancelled) == 1
    # The cancelled date is still shown, marked with its reason.
    item = re.search(r'<li class="cancelled">(.*?)</li>', text, re.S).group(1)
    assert "Annulée : Fermeture exceptionnelle du CCAS" in item
    assert str(cancelled[0].date.day) in item


def test_permanence_page_has_one_h1_a_map_link_and_event_json_ld(client, public_demo):
    text = _text(client.get(ONET))
    assert text.count("<h1") == 1
    assert 'href="https://www.openstreetmap.org/search?query=' in text
    assert "<script src" not in text
    payload = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    events = json.loads(payload.group(1))
    assert events and all(event["@type"] == "Event" for event in events)
    statuses = {event["eventStatus"] for event in events}
    assert "https://schema.org/EventCancelled" in statuses
    assert "https://schema.org/EventScheduled" in statuses


def test_a_start_without_an_end_is_published_as_such(client, public_demo):
    """Aulnat announces "tous les jeudis après-midi à partir de 14 h": no end is invented on
    the page, in schema.org or in the iCalendar file."""
    text = _text(client.get("/clermont/permanences/pole-social-aulnat/"))
    assert "Chaque jeudi, à partir de 14 h" in text
    assert "17 h" not in text
    payload = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    events = json.loads(payload.group(1))
    assert events and all("endDate" not in event for event in events)
    assert {event["startDate"][11:16] for event in events} == {"14:00"}
    feed = client.get("/clermont/permanences/pole-social-aulnat/calendrier/").content
    (event,) = Calendar.from_ical(feed).walk("VEVENT")
    assert "DTEND" not in event and "DURATION" not in event
    assert event.decoded("DTSTART").hour == 14


def test_permanence_ical_parses_back_to_the_page_dates(client, public_demo):
    response = client.get(ONET + "calendrier/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="ccas-onet-le-chateau.ics"' in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    event, cancelled = calendar.walk("VEVENT")
    assert str(event["RRULE"].to_ical().decode()) == "FREQ=MONTHLY;BYDAY=1TU,3TU"
    # The cancelled date stays in the feed, struck out with its reason: no EXDATE hides it.
    page = PermanencePage.objects.get(slug="ccas-onet-le-chateau")
    cancelled_day = next(item.date for item in page.upcoming() if item.cancelled)
    assert b"EXDATE" not in response.content
    assert str(cancelled["UID"]) == str(event["UID"])
    assert cancelled.decoded("RECURRENCE-ID").date() == cancelled_day
    assert cancelled.decoded("RECURRENCE-ID").hour == 9
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]).startswith("Annulé")
    assert str(cancelled["DESCRIPTION"]) == "Fermeture exceptionnelle du CCAS"
    # Calendar links carry the host the visitor used, not the Site record's "localhost".
    assert str(event["URL"]) == "http://testserver" + ONET
    # The UID does not change when the page is saved again.
    again = Calendar.from_ical(client.get(ONET + "calendrier/").content)
    assert next(iter(again.walk("VEVENT")))["UID"] == event["UID"]


def _as_list(value):
    return value if isinstance(value, list) else [value]


def test_index_ical_holds_every_permanence(client, public_demo):
    response = client.get(AGENDA + "calendrier/")
    calendar = Calendar.from_ical(response.content)
    assert len(list(calendar.walk("VEVENT"))) == _in_section("clermont").count() == 1


def test_index_agenda_groups_today_this_week_then_dates(client, public_demo):
    text = _text(client.get(AGENDA))
    today = timezone.localdate()
    period = agenda_period(today)
    page_dates = {
        occurrence.date
        for page in _in_section("clermont")
        for occurrence in page.occurrences_between(period.start, period.end)
    }
    if today in page_dates:
        assert "Aujourd'hui" in text
    end_of_week = today + timedelta(days=6 - today.weekday())
    if any(today < day <= end_of_week for day in page_dates):
        assert "Cette semaine" in text
    later = min(day for day in page_dates if day > end_of_week)
    assert schedules.format_date(later) in text
    # Every venue address links to a map, without any script.
    assert text.count("openstreetmap.org") >= len(page_dates & {later})
    assert "<script" not in text


def _agenda_dates(text: str) -> list[date]:
    return [
        date.fromisoformat(day) for day in re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)T', text)
    ]


def test_index_shows_two_weeks_then_links_to_the_following_ones(client, public_demo):
    today = timezone.localdate()
    end_of_next_week = today + timedelta(days=13 - today.weekday())
    first = _text(client.get(AGENDA))
    shown = _agenda_dates(first)
    assert shown and min(shown) >= today and max(shown) <= end_of_next_week
    assert f'href="{AGENDA}?periode=2">Semaines suivantes</a>' in first
    assert "Semaines précédentes" not in first

    second = _text(client.get(AGENDA, {"periode": 2}))
    shown = _agenda_dates(second)
    assert shown, "the demo holds permanences in the weeks after next"
    assert min(shown) > end_of_next_week
    assert max(shown) <= end_of_next_week + timedelta(weeks=2)
    assert "Aujourd'hui" not in second and "Cette semaine" not in second
    assert f'href="{AGENDA}">Semaines précédentes</a>' in second
    assert f'href="{AGENDA}?periode=3">Semaines suivantes</a>' in second
    # A cancelled date in those weeks is still listed, marked.
    cancelled = [
        occurrence.date
        for page in _in_section("clermont")
        for occurrence in page.occurrences_between(min(shown), max(shown))
        if occurrence.cancelled
    ]
    assert second.count("Annulée") == len(cancelled)

    last = _text(client.get(AGENDA, {"periode": AGENDA_PERIODS}))
    assert "Semaines suivantes" not in last
    # Old or hand-made links fall back to a period that exists.
    assert _text(client.get(AGENDA, {"periode": 99})) == last
    assert "Semaines précédentes" not in _text(client.get(AGENDA, {"periode": "x"}))


def test_index_period_links_keep_the_filters(client, public_demo):
    text = _text(client.get(AGENDA, {"service": "health"}))
    assert f'href="{AGENDA}?service=health&periode=2">Semaines suivantes</a>' in text
    text = _text(client.get(AGENDA, {"service": "health", "periode": 2}))
    assert f'href="{AGENDA}?service=health">Semaines précédentes</a>' in text
    assert 'value="health" selected' in text


def test_index_filters_by_commune_and_service(client, public_demo):
    elbeuf = Commune.objects.get(insee_code="76231")
    saint_aubin = Commune.objects.get(insee_code="76561")
    index = "/elbeuf/permanences/"
    text = _text(client.get(index, {"commune": elbeuf.pk}))
    assert "Permanence Mission Locale et APRE à La Péniche" in text
    assert "Saint-Aubin-lès-Elbeuf</a>" not in text
    text = _text(client.get(index, {"service": "resources"}))
    assert "Permanence Mission Locale et APRE à La Péniche" in text
    assert "Saint-Aubin-lès-Elbeuf</a>" not in text
    # The form keeps what was chosen and works without JavaScript.
    assert 'value="resources" selected' in text
    text = _text(client.get(index, {"commune": saint_aubin.pk, "service": "resources"}))
    assert "Aucune permanence ne correspond" in text


def test_add_to_my_calendar_follows_the_agenda_filters(client, public_demo):
    text = _text(client.get(AGENDA, {"service": "health"}))
    assert f'href="{AGENDA}calendrier/?service=health"' in text
    health = Calendar.from_ical(client.get(AGENDA + "calendrier/", {"service": "health"}).content)
    assert [str(event["SUMMARY"]) for event in health.walk("VEVENT")] == [
        "Permanence au Pôle social d'Aulnat"
    ]
    # Aulnat offers no mobility service: the filtered file holds no permanence.
    mobility = client.get(AGENDA + "calendrier/", {"service": "mobility"})
    assert Calendar.from_ical(mobility.content).walk("VEVENT") == []
    aulnat = Commune.objects.get(insee_code="63019")
    text = _text(client.get(AGENDA, {"commune": aulnat.pk, "service": "housing"}))
    assert f'href="{AGENDA}calendrier/?commune={aulnat.pk}&service=housing"' in text
    both = client.get(AGENDA + "calendrier/", {"commune": aulnat.pk, "service": "housing"})
    assert len(Calendar.from_ical(both.content).walk("VEVENT")) == 1
    # Without filters, the plain link (and the whole section's file).
    assert f'href="{AGENDA}calendrier/"' in _text(client.get(AGENDA))


def test_unknown_days_say_so_and_how_to_ask_and_list_no_dates(client, public_demo):
    for slug in ("la-peniche-elbeuf", "lieu-jeunesse-saint-aubin"):
        url = f"/elbeuf/permanences/{slug}/"
        text = _text(client.get(url))
        assert "Jours à confirmer." in text
        assert "Pour savoir quand venir" in text
        assert "laisser ton numéro : la Mission Locale te rappelle" in text
        assert 'href="/elbeuf/etre-recontacte/"' in text
        assert "Prochaines dates" not in text and "calendrier/" not in text
        assert "application/ld+json" not in text
        assert "exemple" not in text.split("<main", 1)[1].lower()
        feed = Calendar.from_ical(client.get(url + "calendrier/").content)
        assert feed.walk("VEVENT") == []
        page = PermanencePage.objects.get(slug=slug)
        data = client.get(f"/api/v2/pages/{page.pk}/").json()
        assert data["days_to_confirm"] is True
        assert data["next_dates"] == [] and data["schedule_descriptions"] == []
    # The agenda names them apart, without a date; the agenda API has none of their dates.
    text = _text(client.get("/elbeuf/permanences/"))
    to_confirm = text[text.index('id="jours-a-confirmer"') :]
    assert "Permanence Mission Locale et APRE à La Péniche" in to_confirm
    assert "<time" not in to_confirm
    assert client.get("/api/agenda/", {"organisation": "elbeuf"}).json()["results"] == []


def test_index_ignores_invalid_filters(client, public_demo):
    """The whole agenda, as if no filter had been given (whatever dates it holds today)."""
    text = _text(client.get("/aveyron/permanences/", {"commune": "abc", "service": "nope"}))
    unfiltered = _text(client.get("/aveyron/permanences/"))
    assert "Voir toutes les permanences" not in text

    def agenda(page: str) -> str:
        return page[page.index('class="period"') : page.index('class="pagination"')]

    assert agenda(text) == agenda(unfiltered)


def test_home_lists_next_permanences_services_news_and_the_call_to_action(client, public_demo):
    text = _text(client.get("/clermont/"))
    assert text.count("<h1") == 1
    assert 'href="/clermont/etre-recontacte/"' in text
    assert "Les prochaines permanences" in text
    assert "Le médiateur jeunesse" in text
    assert "Aulnat : une convention avec le Pôle social" in text
    assert 'lang="fr"' in text
    assert 'class="skip-link" href="#contenu"' in text


def test_home_lists_the_next_five_dates_still_on(client, public_demo):
    from public_site.models.home import HOME_NEXT_PERMANENCES

    now = timezone.now()
    today = timezone.localdate()
    expected = sorted(
        (occurrence.start, page.title)
        for page in _in_section("clermont")
        for occurrence in page.occurrences_between(today, today + timedelta(weeks=8))
        if not occurrence.cancelled and occurrence.over_at >= now
    )[:HOME_NEXT_PERMANENCES]
    assert len(expected) == HOME_NEXT_PERMANENCES, "the demo has enough dates to choose from"
    text = _text(client.get("/clermont/"))
    section = text[text.index("Les prochaines permanences") : text.index("Toutes les permanences")]
    shown = re.findall(
        r'<h3><a href="[^"]+">([^<]+)</a></h3>\s*<p class="dates">.*?datetime="([^"]+)"',
        section,
        re.S,
    )
    assert [(start, title) for title, start in shown] == [
        (start.isoformat(), title) for start, title in expected
    ]
    assert "Annulée" not in section


def test_service_page_lists_linked_permanences(client, public_demo):
    text = _text(client.get("/clermont/mediateur-jeunesse/"))
    assert "C'est quoi ?" in text
    assert "Permanence au Pôle social d'Aulnat" in text
    assert "Chaque jeudi, à partir de 14 h" in text


def test_news_index_is_paginated(client, public_demo):
    from public_site.models import NewsIndexPage, NewsPage
    from public_site.models.news import NEWS_PER_PAGE

    index = NewsIndexPage.objects.get(url_path__endswith="/toulouse/actualites/")
    for number in range(NEWS_PER_PAGE):
        page = NewsPage(title=f"Brève {number}", slug=f"breve-{number}", date=date(2010, 1, 1))
        index.add_child(instance=page)
    first = _text(client.get("/toulouse/actualites/"))
    assert "Page 1 sur 2" in first
    assert "AJEP : 43 maraudes" in first
    second = _text(client.get("/toulouse/actualites/", {"page": 2}))
    assert "Brève" in second
    assert _text(client.get("/toulouse/actualites/", {"page": "zzz"}))


def test_search_finds_live_pages_only(client, public_demo):
    draft = PermanencePage.objects.get(slug="antenne-mosson")
    draft.unpublish()
    text = _text(client.get("/aveyron/recherche/", {"q": "Onet"}))
    assert "Permanence au CCAS d'Onet-le-Château" in text
    text = _text(client.get("/montpellier/recherche/", {"q": "Mosson"}))
    assert "Permanence à l'antenne Mosson" not in text
    text = _text(client.get("/aveyron/recherche/", {"q": "zzzzqqqq"}))
    assert "Aucune page ne correspond" in text


def test_sitemap_lists_public_pages(client, public_demo):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/aveyron/permanences/ccas-onet-le-chateau/</loc>" in body
    assert "/clermont/mediateur-jeunesse/</loc>" in body


def test_robots_txt_points_to_the_sitemap(client, public_demo):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_pages_have_a_favicon_and_a_visible_search_label(client, public_demo):
    from django.contrib.staticfiles import finders

    text = _text(client.get(ONET))
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', text)
    assert icon and finders.find(icon.group(1).removeprefix("/static/"))
    assert '<label for="recherche-site">Chercher sur le site</label>' in text
    assert '<label for="recherche-menu">Chercher sur le site</label>' in text


def test_404_page_offers_navigation(client, public_demo):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    text = html.unescape(response.content.decode())
    assert "Cette page n'existe pas (ou plus)" in text
    # Outside every section, the way back is the finder.
    assert 'href="/"' in text


def test_added_exception_shows_and_is_exported(client, public_demo):
    page = PermanencePage.objects.get(slug="pole-social-aulnat")
    rule = page.schedule_rules.get()
    extra_day = timezone.localdate() + timedelta(
        days=((5 - timezone.localdate().weekday()) % 7) + 7
    )
    ScheduleException.objects.create(
        rule=rule, kind=ExceptionKind.EXTRA, date=extra_day, reason="Permanence exceptionnelle"
    )
    text = _text(client.get("/clermont/permanences/pole-social-aulnat/"))
    # The note typed on the extra date is what young people read beside it.
    assert "Date exceptionnelle : Permanence exceptionnelle" in text
    feed = client.get("/clermont/permanences/pole-social-aulnat/calendrier/")
    calendar = Calendar.from_ical(feed.content)
    event = next(iter(calendar.walk("VEVENT")))
    rdates = [value.dt.date() for entry in _as_list(event["RDATE"]) for value in entry.dts]
    assert rdates == [extra_day]


def test_permanence_held_at_an_antenna_shows_the_antenna_and_is_filtered_by_its_commune(
    client, public_demo
):
    text = _text(client.get("/montpellier/permanences/antenne-mosson/"))
    assert "Mission Locale des jeunes de Montpellier Méditerranée Métropole, antenne Mosson" in text
    assert "34000 Montpellier" in text
    assert "Adresse précise non publiée" in text
    montpellier = Commune.objects.get(insee_code="34172")
    text = _text(client.get("/montpellier/permanences/", {"commune": montpellier.pk}))
    # Its hours are not published: listed apart, without a date.
    assert "Permanence à l'antenne Mosson (Montpellier)" in text[text.index("jours-a-confirmer") :]
    assert "Permanence au CCAS d'Onet-le-Château" not in text


def test_each_permanence_page_says_how_to_reach_the_mission_locale(client, public_demo):
    page = PermanencePage.objects.get(slug="ccas-onet-le-chateau")
    # Nothing is published for Aveyron: the page offers to be called back, invents nothing.
    text = _text(client.get(ONET))
    contact = text[text.index('id="nous-joindre"') :]
    assert "Joindre la Mission Locale de l'Aveyron" in contact
    assert 'href="/aveyron/etre-recontacte/"' in contact
    assert "tel:" not in text and "mailto:" not in text
    antenna, organisation = page.antenna, page.antenna.organisation
    antenna.phone, antenna.email = "01 99 00 00 01", "rodez@example.org"
    antenna.save()
    organisation.postal_address = "1 rue de l'Exemple\n12000 Rodez"
    organisation.opening_hours = "Du lundi au vendredi, de 9 h à 17 h"
    organisation.save()
    text = _text(client.get(ONET))
    contact = text[text.index('id="nous-joindre"') : text.index('id="infos"')]
    assert "<h3>Antenne de Rodez</h3>" in contact and "<h3>Siège</h3>" in contact
    assert '<a href="tel:0199000001">01 99 00 00 01</a>' in contact
    assert '<a href="mailto:rodez@example.org">rodez@example.org</a>' in contact
    assert "1 rue de l'Exemple<br>12000 Rodez" in contact
    assert "Du lundi au vendredi, de 9 h à 17 h" in contact
    # The contact page and the home page say the same.
    for url in ("/aveyron/etre-recontacte/", "/aveyron/"):
        assert '<a href="tel:0199000001">' not in _text(client.get(url))
        assert "Du lundi au vendredi, de 9 h à 17 h" in _text(client.get(url))


def test_a_copied_permanence_gets_its_own_calendar_uids(client, public_demo):
    original = PermanencePage.objects.get(slug="ccas-onet-le-chateau")
    copy = original.copy(
        update_attrs={"slug": "ccas-onet-le-chateau-bis", "title": "Copie"}, keep_live=True
    )
    uids = set()
    for page in (original, copy):
        calendar = Calendar.from_ical(client.get(page.url + "calendrier/").content)
        uids |= {str(event["UID"]) for event in calendar.walk("VEVENT")}
    assert len(uids) == 2


def test_search_finds_a_permanence_by_its_antenna_commune_and_organisation(client, public_demo):
    # Onet's permanence: the Rodez antenna holds it, at the CCAS of Onet-le-Château.
    for words in ("Rodez", "Onet-le-Château", "Aveyron"):
        response = client.get("/aveyron/recherche/", {"q": words})
        assert response.status_code == 200
        assert "/aveyron/permanences/ccas-onet-le-chateau/" in response.content.decode(), words
