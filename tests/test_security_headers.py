"""Security headers, as a browser receives them: the Content-Security-Policy of a public page
rendered and served from the page cache, the admin's (enforced where it can, reported against
the strict one), Permissions-Policy everywhere, and what caches may keep of the API."""

from __future__ import annotations

from wsgiref.util import setup_testing_defaults

import pytest
from csp.utils import build_policy
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from wagtail.models import Locale, Page, Site

from page_cache.wsgi import PageCache
from public_site.models import HomePage

# The workflow's fixtures (places, roles, the default definition, a pathway).
from tests.workflows.conftest import (  # noqa: F401
    coordinator,  # the definition's author
    counsellor,
    definition,
    pathway,
    places,
)

pytestmark = pytest.mark.django_db

CSP = "content-security-policy"
CSP_REPORT_ONLY = "content-security-policy-report-only"
PERMISSIONS_POLICY = "permissions-policy"


def directives(header: str) -> dict[str, list[str]]:
    """`default-src 'self'; img-src 'self' data:` -> {directive: [sources]}."""
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def assert_strict_public_policy(header: str) -> None:
    policy = directives(header)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert "nonce-" not in header  # a stored page is shared: a nonce would be everyone's


def assert_permissions_policy(headers) -> None:
    features = dict(item.strip().split("=", 1) for item in headers[PERMISSIONS_POLICY].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature


@pytest.fixture
def home(db):
    """A home page at the default site's root. Wagtail keeps the sites' root paths in the
    cache: forget them before and after, so no other test sees this site."""
    cache.clear()
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Accueil de test", slug="accueil-test"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    yield home
    cache.clear()


@pytest.fixture
def cached_app(settings):
    """cms.wsgi's application: the page cache in front of Django. Like Django's test client,
    keep the test's database connection open across requests."""
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield PageCache(WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def wsgi_get(app, path: str) -> tuple[dict[str, str], bytes]:
    """One anonymous GET through the WSGI interface, as gunicorn makes it."""
    environ: dict = {}
    setup_testing_defaults(environ)
    environ.update(REQUEST_METHOD="GET", PATH_INFO=path, HTTP_HOST="localhost")
    started: dict = {}

    def start_response(status, headers, exc_info=None):
        started["headers"] = {name.lower(): value for name, value in headers}

    result = app(environ, start_response)
    body = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    return started["headers"], body


def test_a_rendered_public_page_enforces_the_strict_policy(client, home):
    response = client.get("/", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert_strict_public_policy(response[CSP])
    assert CSP_REPORT_ONLY not in response.headers  # the admin's only
    assert_permissions_policy(response.headers)


def test_a_page_served_from_the_page_cache_carries_the_same_headers(cached_app, home):
    rendered, _ = wsgi_get(cached_app, "/")
    cached, body = wsgi_get(cached_app, "/")
    assert (rendered["x-page-cache"], cached["x-page-cache"]) == ("miss", "hit")
    assert b"Accueil de test" in body
    assert_strict_public_policy(cached[CSP])
    assert cached[CSP] == rendered[CSP]
    assert_permissions_policy(cached)


def test_the_public_not_found_page_enforces_the_strict_policy(client, home):
    response = client.get("/nulle-part/", HTTP_HOST="localhost")
    assert response.status_code == 404
    assert_strict_public_policy(response[CSP])


def test_the_admin_enforces_what_it_can_and_reports_against_the_strict_policy(
    client, django_user_model
):
    client.force_login(django_user_model.objects.create_superuser("admin-csp", "", "x"))
    response = client.get("/admin/")
    assert response.status_code == 200
    enforced = directives(response[CSP])
    assert enforced["default-src"] == ["'self'"]
    assert enforced["object-src"] == ["'none'"]
    assert enforced["frame-ancestors"] == ["'self'"]  # its own previews
    assert "'unsafe-inline'" in enforced["script-src"]  # Wagtail's date pickers
    reported = directives(response[CSP_REPORT_ONLY])
    assert reported["script-src"] == ["'self'"]
    assert reported["style-src"] == ["'self'"]
    assert_permissions_policy(response.headers)


def test_the_admin_login_page_has_the_admin_policy(client):
    response = client.get("/admin/login/")
    assert "'unsafe-inline'" in directives(response[CSP])["script-src"]
    assert directives(response[CSP_REPORT_ONLY])["script-src"] == ["'self'"]


def test_workflow_api_responses_are_kept_by_no_cache(client, counsellor, pathway):  # noqa: F811
    client.force_login(counsellor)
    detail = f"/api/pathways/{pathway.pk}/"
    for url in ("/api/pathways/", detail, detail + "history/", "/api/definitions/"):
        response = client.get(url)
        assert response.status_code == 200, url
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= cache_control, url
        assert "Authorization" in response["Vary"], url
        assert_permissions_policy(response.headers)


def test_a_refused_workflow_api_request_is_kept_by_no_cache(client):
    response = client.get("/api/pathways/")
    assert response.status_code == 401
    assert "no-store" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]


def test_public_api_responses_keep_their_caching(client, home):
    agenda = client.get("/api/agenda/")
    assert agenda.status_code == 200
    assert agenda["Cache-Control"].startswith("public, max-age=")
    assert "ETag" in agenda.headers
    pages = client.get("/api/v2/pages/")
    assert pages.status_code == 200
    assert "no-store" not in pages.get("Cache-Control", "")


@pytest.mark.browser
def test_the_browser_fixture_hears_what_the_public_policy_blocks(browser, csp_guard, settings):
    """The guard every browser test runs under: an inline script and a style attribute are
    blocked by the public policy and heard; JSON-LD is data, not script, and passes."""
    policy = build_policy(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    html = (
        '<script type="application/ld+json">{"@type": "Event"}</script>'
        "<script>document.title = 'injecté';</script>"
        '<p style="color: red">Bonjour</p>'
    )
    context = browser.new_context()
    page = context.new_page()
    page.route(
        "http://csp.test/",
        lambda route: route.fulfill(
            body=html, headers={"Content-Type": "text/html", "Content-Security-Policy": policy}
        ),
    )
    page.goto("http://csp.test/")
    assert page.title() != "injecté"
    context.close()
    heard = {violation.get("directive") for violation in csp_guard.blocked()}
    assert heard == {"script-src-elem", "style-src-attr", None}  # None: the console lines
    csp_guard.violations.clear()  # heard as expected: the fixture's own check then passes


@pytest.mark.browser
def test_the_api_documentation_works_under_its_policy(live_server, page):
    """Swagger UI and Redoc show the schema with no CSP violation (the `browser` fixture
    checks at teardown), and ask nothing of Google's fonts."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.set_default_timeout(30_000)
    for path in ("/api/docs/", "/api/redoc/"):
        page.goto(live_server.url + path)
        page.get_by_text("API Mission Locale").first.wait_for()
    assert not [url for url in requested if "fonts.g" in url]


@pytest.mark.browser
def test_an_editor_s_userbar_works_under_the_public_policy(
    live_server, page, client, django_user_model, settings
):
    """A logged-in editor sees Wagtail's userbar on the public pages (its scripts and
    styles come from our static files) with no CSP violation; the `browser` fixture checks."""
    cache.clear()
    # A live server empties the tables after each test: Wagtail's locale and root page too.
    Locale.objects.get_or_create(language_code="fr")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Accueil de test", slug="accueil-test"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    client.force_login(django_user_model.objects.create_superuser("editrice-csp", "", "x"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page.goto(live_server.url + "/")
    page.locator("wagtail-userbar button").first.click()
    page.get_by_role("menuitem").first.wait_for()
    page.wait_for_timeout(1000)  # the accessibility checker runs when the menu opens
    cache.clear()
