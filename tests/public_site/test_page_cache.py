"""The page cache in front of Django (page_cache/), driven through real WSGI calls:
what a visitor receives, and when an editor's change shows."""

from dataclasses import dataclass
from datetime import datetime
from wsgiref.util import setup_testing_defaults
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from wagtail.models import Page, Site

from page_cache import generation, mixins
from page_cache import wsgi as page_cache_wsgi
from page_cache.wsgi import PageCache
from public_site.models import HomePage
from territories.models import Commune, Organisation

PARIS = ZoneInfo("Europe/Paris")
REDIS_TEST_URL = "redis://127.0.0.1:6379/3"

pytestmark = pytest.mark.django_db


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def cache(self) -> str | None:
        return self.headers.get("x-page-cache")

    @property
    def text(self) -> str:
        return self.body.decode()


def wsgi_get(
    app,
    path: str,
    *,
    query: str = "",
    cookie: str = "",
    method: str = "GET",
    host: str = "localhost",
):
    """One request through the WSGI interface, as gunicorn makes it."""
    environ: dict = {}
    setup_testing_defaults(environ)
    environ.update(
        REQUEST_METHOD=method,
        PATH_INFO=path,
        QUERY_STRING=query,
        HTTP_HOST=host,
        SERVER_NAME=host,
    )
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    started: dict = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=int(status[:3]), headers={k.lower(): v for k, v in headers})

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return Response(started["status"], started["headers"], body)


@pytest.fixture
def make_app(settings):
    """A factory of WSGI applications like cms.wsgi's; two of them stand for two workers.

    Django closes the database connection at the end of each request, which would end the
    test's transaction: like Django's test client, keep it open."""
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield lambda: PageCache(WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def home(db) -> HomePage:
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Accueil de test", slug="accueil-test"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    return home


def publish_title(page: Page, title: str, capture) -> None:
    """An editor's publish, with the on-commit callbacks run as a real commit would."""
    with capture(execute=True):
        page.title = title
        page.save_revision().publish()


def test_second_anonymous_get_is_a_hit(make_app, home):
    app = make_app()
    first = wsgi_get(app, "/")
    second = wsgi_get(app, "/")
    assert (first.status, first.cache) == (200, "miss")
    assert (second.status, second.cache) == (200, "hit")
    assert "Accueil de test" in second.text
    assert second.body == first.body
    assert second.headers["content-type"].startswith("text/html")


def test_head_is_served_from_the_cache_without_a_body(make_app, home):
    app = make_app()
    get = wsgi_get(app, "/")
    head = wsgi_get(app, "/", method="HEAD")
    assert head.cache == "hit"
    assert head.body == b""
    assert int(head.headers["content-length"]) == len(get.body)


def test_analytics_cookies_do_not_defeat_the_cache(make_app, home):
    app = make_app()
    wsgi_get(app, "/")
    assert wsgi_get(app, "/", cookie="_pk_id=abc; theme=dark").cache == "hit"


def test_logged_in_editor_never_gets_nor_fills_the_cache(make_app, home, client, django_user_model):
    editor = django_user_model.objects.create_superuser("editrice", "e@example.org", "x")
    client.force_login(editor)
    session = f"{django_settings.SESSION_COOKIE_NAME}={client.cookies['sessionid'].value}"
    app = make_app()

    as_editor = wsgi_get(app, "/", cookie=session)
    assert as_editor.cache is None
    assert b"data-wagtail-userbar" in as_editor.body
    assert wsgi_get(app, "/").cache == "miss", "the editor's visit stored nothing"

    assert wsgi_get(app, "/").cache == "hit"
    again_as_editor = wsgi_get(app, "/", cookie=session)
    assert again_as_editor.cache is None
    assert b"data-wagtail-userbar" in again_as_editor.body


def test_csrf_cookie_bypasses_the_cache(make_app, home):
    app = make_app()
    wsgi_get(app, "/")
    assert wsgi_get(app, "/", cookie=f"{django_settings.CSRF_COOKIE_NAME}=x").cache is None


def test_publish_is_seen_at_once_by_every_worker(
    make_app, home, django_capture_on_commit_callbacks
):
    worker_a, worker_b = make_app(), make_app()
    wsgi_get(worker_a, "/")
    assert wsgi_get(worker_b, "/").cache == "hit", "workers share stored pages"
    assert wsgi_get(worker_a, "/").cache == "hit"

    publish_title(home, "Titre publié à l'instant", django_capture_on_commit_callbacks)

    for worker in (worker_a, worker_b):
        response = wsgi_get(worker, "/")
        assert "Titre publié à l&#x27;instant" in response.text
        assert "Accueil de test" not in response.text


def test_unpublished_change_is_not_seen_before_commit(make_app, home):
    """The generation moves on commit only: a rolled-back publish invalidates nothing."""
    app = make_app()
    wsgi_get(app, "/")
    try:
        with transaction.atomic():
            home.title = "Jamais publié"
            home.save_revision().publish()
            raise RuntimeError("rollback")
    except RuntimeError:
        pass
    assert wsgi_get(app, "/").cache == "hit"


def test_query_string_bypasses_the_cache(make_app, home):
    app = make_app()
    wsgi_get(app, "/")
    with_query = wsgi_get(app, "/", query="utm_source=affiche")
    assert with_query.status == 200
    assert with_query.cache is None
    assert wsgi_get(app, "/", query="utm_source=affiche").cache is None


def test_not_found_is_never_cached(make_app, home):
    app = make_app()
    assert wsgi_get(app, "/n-existe-pas/").status == 404
    second = wsgi_get(app, "/n-existe-pas/")
    assert (second.status, second.cache) == (404, "miss")
    other_worker = make_app()
    assert wsgi_get(other_worker, "/n-existe-pas/").cache == "miss"


def test_snippet_save_invalidates(make_app, home, django_capture_on_commit_callbacks):
    app = make_app()
    wsgi_get(app, "/")
    assert wsgi_get(app, "/").cache == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        Commune.objects.create(name="Onet-le-Château", insee_code="12176")
    assert wsgi_get(app, "/").cache == "miss"


def test_draft_save_keeps_the_cache(make_app, home, django_capture_on_commit_callbacks):
    """Drafts and autosaves change nothing a visitor sees."""
    app = make_app()
    wsgi_get(app, "/")
    with django_capture_on_commit_callbacks(execute=True):
        home.title = "Brouillon"
        home.save_revision()
    response = wsgi_get(app, "/")
    assert response.cache == "hit"
    assert "Brouillon" not in response.text


def test_a_deploy_forgets_what_the_previous_release_stored(make_app, home):
    """Deploys run `migrate`; new templates must show at once."""
    app = make_app()
    wsgi_get(app, "/")
    call_command("migrate", verbosity=0)
    assert wsgi_get(app, "/").cache == "miss"


def test_entries_expire_at_midnight_paris(make_app, home, monkeypatch):
    """Pages show "next dates": what was stored yesterday evening is not served today."""
    evening = datetime(2026, 3, 28, 23, 59, 30, tzinfo=PARIS).timestamp()
    clock = [evening]
    monkeypatch.setattr(page_cache_wsgi.time, "time", lambda: clock[0])
    app = make_app()
    wsgi_get(app, "/")
    assert wsgi_get(app, "/").cache == "hit"
    clock[0] = datetime(2026, 3, 29, 0, 0, 1, tzinfo=PARIS).timestamp()
    assert wsgi_get(app, "/").cache == "miss"


def test_next_date_boundary_follows_summer_time():
    during_change = datetime(2026, 3, 29, 10, 0, tzinfo=PARIS).timestamp()
    boundary = datetime.fromtimestamp(generation.next_date_boundary(during_change), PARIS)
    assert boundary == datetime(2026, 3, 30, 0, 0, tzinfo=PARIS)
    assert boundary.utcoffset().total_seconds() == 2 * 3600


def test_disabled_cache_stays_out_of_the_way(make_app, home, settings):
    settings.PAGE_CACHE_ENABLED = False
    app = make_app()
    wsgi_get(app, "/")
    assert wsgi_get(app, "/").cache is None


@pytest.fixture
def redis_cache(settings):
    """The production set-up: the generation and the pages in Redis (DB 3 for the tests)."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis n'est pas joignable sur 127.0.0.1:6379.")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": "ml-tests",
        }
    }
    yield
    cache.clear()


def test_publish_through_redis_is_seen_by_both_workers(
    redis_cache, make_app, home, django_capture_on_commit_callbacks
):
    worker_a, worker_b = make_app(), make_app()
    wsgi_get(worker_a, "/")
    assert wsgi_get(worker_b, "/").cache == "hit"
    assert wsgi_get(worker_b, "/").cache == "hit", "served from worker B's memory copy"

    publish_title(home, "Publié via Redis", django_capture_on_commit_callbacks)

    assert "Publié via Redis" in wsgi_get(worker_b, "/").text
    assert "Publié via Redis" in wsgi_get(worker_a, "/").text


def test_demo_pages_and_the_form_are_cached(make_app, public_demo):
    """Pages that opted in are stored, the "être recontacté" form included: it carries no
    personal CSRF token (public_site.spam explains what protects it instead)."""
    from public_site.models import ContactRequestPage, PermanencePage

    app = make_app()
    permanence = PermanencePage.objects.get(slug="ccas-onet-le-chateau")
    for path in (permanence.url, permanence.url + permanence.reverse_subpage("ical")):
        wsgi_get(app, path)
        assert wsgi_get(app, path).cache == "hit", path

    form_url = ContactRequestPage.objects.get(url_path__endswith="/aveyron/etre-recontacte/").url
    first, second = wsgi_get(app, form_url), wsgi_get(app, form_url)
    assert (first.status, second.status) == (200, 200)
    assert (first.cache, second.cache) == ("miss", "hit")
    assert "csrfmiddlewaretoken" not in second.text
    assert 'name="rendered_at"' in second.text
    assert "set-cookie" not in second.headers


def test_a_malformed_cookie_does_not_hide_the_session(make_app, home, client, django_user_model):
    """A cookie the standard library cannot parse (JSON from a consent banner) must not make
    a logged-in visitor look anonymous: Django still finds their session."""
    editor = django_user_model.objects.create_superuser("editeur", "e2@example.org", "x")
    client.force_login(editor)
    session = f"{django_settings.SESSION_COOKIE_NAME}={client.cookies['sessionid'].value}"
    app = make_app()
    cookie = 'cc_cookie={"categories":["necessary"]}; ' + session
    assert wsgi_get(app, "/", cookie=cookie).cache is None
    assert wsgi_get(app, "/").cache == "miss", "nothing was stored for the editor"


def test_a_response_marked_private_is_never_stored():
    """Wagtail answers a page behind a view restriction with Cache-Control: private."""
    cache_layer = PageCache(app=None)
    environ = {mixins.ENVIRON_OPT_IN: True, "REQUEST_METHOD": "GET"}
    assert cache_layer._is_storable(environ, "200 OK", [("Content-Type", "text/html")])
    for value in ("private", "no-cache, no-store, must-revalidate, max-age=0"):
        assert not cache_layer._is_storable(environ, "200 OK", [("Cache-Control", value)])


def test_two_sections_on_one_host_never_mix(make_app, public_demo):
    """/aveyron/ and /toulouse/ on the same host: each stored and served as its own page."""
    app = make_app()
    for _round in range(2):
        aveyron = wsgi_get(app, "/aveyron/")
        toulouse = wsgi_get(app, "/toulouse/")
        assert "Aveyron" in aveyron.text and "Toulouse" not in aveyron.text
        assert "Toulouse" in toulouse.text and "Aveyron" not in toulouse.text
    assert (aveyron.cache, toulouse.cache) == ("hit", "hit")


def test_two_sites_serving_different_roots_at_slash_never_mix(make_app, db, settings):
    """A domain per organisation (a Wagtail Site each): "/" on one host is never answered
    with the other's home page, though the path is the same."""
    settings.ALLOWED_HOSTS = ["aveyron.example.org", "toulouse.example.org", "localhost"]
    root = Page.get_first_root_node()
    for host, name in (("aveyron", "ML Aveyron test"), ("toulouse", "ML Toulouse test")):
        slug = f"{host}-cache-test"  # the demo's migration may hold "aveyron" already
        organisation = Organisation.objects.create(name=name, short_name=name, slug=slug)
        home = root.add_child(
            instance=HomePage(
                title=f"Accueil {name}", slug=f"{slug}-site", organisation=organisation
            )
        )
        Site.objects.create(hostname=f"{host}.example.org", port=80, root_page=home)
    app = make_app()
    for _round in range(2):
        aveyron = wsgi_get(app, "/", host="aveyron.example.org")
        toulouse = wsgi_get(app, "/", host="toulouse.example.org")
        assert (aveyron.status, toulouse.status) == (200, 200)
        assert "Accueil ML Aveyron test" in aveyron.text
        assert "ML Toulouse test" not in aveyron.text
        assert "Accueil ML Toulouse test" in toulouse.text
        assert "ML Aveyron test" not in toulouse.text
    assert (aveyron.cache, toulouse.cache) == ("hit", "hit")


AGENDA = "/aveyron/permanences/"


def _agenda_links(text: str) -> set[str]:
    """The agenda addresses a page links to (its other periods, filters kept)."""
    import html
    import re

    return {
        html.unescape(link) for link in re.findall(r'href="(/aveyron/permanences/\?[^"]*)"', text)
    }


def test_every_agenda_page_the_site_links_to_is_a_hit_on_its_second_request(make_app, public_demo):
    from public_site.models import PermanencePage

    app = make_app()
    onet = PermanencePage.objects.get(slug="ccas-onet-le-chateau")
    commune = onet.venue.commune_id
    starts = [AGENDA, f"{AGENDA}?commune={commune}&service=employment"]
    seen: set[str] = set()
    while starts:
        url = starts.pop()
        if url in seen:
            continue
        seen.add(url)
        path, _sep, query = url.partition("?")
        first = wsgi_get(app, path, query=query)
        assert first.status == 200, url
        starts.extend(_agenda_links(first.text))
        second = wsgi_get(app, path, query=query)
        assert second.cache == "hit", url
        assert second.body == first.body
    # Period 1 to 4, unfiltered and filtered.
    assert len(seen) >= 8, seen


def test_agenda_parameters_are_sorted_into_the_key(make_app, public_demo):
    from public_site.models import PermanencePage

    app = make_app()
    commune = PermanencePage.objects.get(slug="ccas-onet-le-chateau").venue.commune_id
    first = wsgi_get(app, AGENDA, query=f"service=employment&commune={commune}&periode=2")
    assert first.cache == "miss"
    other_order = wsgi_get(app, AGENDA, query=f"periode=2&commune={commune}&service=employment")
    assert other_order.cache == "hit"
    assert other_order.body == first.body


@pytest.mark.parametrize(
    "query",
    [
        "periode=9",  # out of range: rendered as period 4, never stored under "9"
        "periode=02",
        "commune=999999",  # no such commune
        "service=astrology",
        "periode=2&periode=3",
        "periode=2&utm_source=affiche",
        "commune=%C3%A9",
    ],
)
def test_an_invalid_or_foreign_agenda_query_is_never_stored(make_app, public_demo, query):
    app = make_app()
    first, second = wsgi_get(app, AGENDA, query=query), wsgi_get(app, AGENDA, query=query)
    assert (first.status, second.status) == (200, 200)
    assert second.cache != "hit"


def test_a_crowded_agenda_is_cut_into_pages_of_dates_each_a_hit(make_app, public_demo, settings):
    from bench.permanences import add_permanences
    from public_site.models import PermanenceIndexPage, Venue
    from public_site.models.agenda import AGENDA_PAGE_DATES

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    index = PermanenceIndexPage.objects.get(url_path__endswith="/aveyron/permanences/")
    add_permanences(index, AGENDA_PAGE_DATES * 3, list(Venue.objects.all()))
    app = make_app()
    first = wsgi_get(app, AGENDA)
    assert first.text.count('<li class="card') == AGENDA_PAGE_DATES
    links = [link for link in _agenda_links(first.text) if "page=2" in link]
    assert links, "no link to the following dates"
    path, _sep, query = links[0].partition("?")
    assert wsgi_get(app, path, query=query).status == 200
    assert wsgi_get(app, path, query=query).cache == "hit"
