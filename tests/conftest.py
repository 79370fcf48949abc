"""Fixtures shared by the whole suite."""

import io
import os
from pathlib import Path

import pytest
from django.db import connection

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# beside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _skip_postgres_only(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("Ce test a besoin de PostgreSQL (DATABASE_URL).")


@pytest.fixture
def admin_access(db):
    """The demo data gives every staff role access to the admin; the factories do not. A
    module asks for it with `pytestmark = pytest.mark.usefixtures("admin_access")`."""
    from django.contrib.auth.models import Group, Permission

    from workflows.policies import COORDINATORS, COUNSELLORS, DATA_PROTECTION_OFFICERS, MEDIATORS

    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in (COORDINATORS, COUNSELLORS, MEDIATORS, DATA_PROTECTION_OFFICERS):
        Group.objects.get_or_create(name=name)[0].permissions.add(access)


@pytest.fixture
def demo_data(db):
    """The demo data, as `make run` loads it."""
    from django.core.management import call_command

    call_command("load_demo_data", stdout=io.StringIO())


# Every page of a browser test reports each Content-Security-Policy violation it meets
# (blocked, or only reported by the admin's report-only policy) to the test.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation({
    disposition: event.disposition,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    page: event.documentURI,
    source: event.sourceFile ? `${event.sourceFile}:${event.lineNumber}` : "",
    sample: event.sample,
  });
});
"""


class CSPGuard:
    """Collects the CSP violations of every browser context of one test.

    Two ears: the `securitypolicyviolation` event (with its disposition, `enforce` or
    `report`) and Chromium's console line, which also covers a page without JavaScript."""

    def __init__(self) -> None:
        self.violations: list[dict] = []

    def watch(self, context) -> None:
        context.expose_binding(
            "__reportCspViolation", lambda _source, report: self.violations.append(report)
        )
        context.add_init_script(CSP_LISTENER)
        context.on("page", self._watch_console)

    def _watch_console(self, page) -> None:
        def on_console(message) -> None:
            text = message.text
            if "Content Security Policy" in text or "Content-Security-Policy" in text:
                disposition = "report" if "report-only" in text else "enforce"
                self.violations.append({"disposition": disposition, "console": text})

        page.on("console", on_console)

    def blocked(self) -> list[dict]:
        return [v for v in self.violations if v["disposition"] == "enforce"]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def csp_guard() -> CSPGuard:
    return CSPGuard()


@pytest.fixture
def browser(chromium, csp_guard, monkeypatch):
    """The browser of one test: each context it opens reports CSP violations, and the test
    fails at teardown if any was met."""
    open_context = chromium.new_context

    def new_context(**options):
        context = open_context(**options)
        csp_guard.watch(context)
        return context

    monkeypatch.setattr(chromium, "new_context", new_context)
    yield chromium
    monkeypatch.undo()
    assert not csp_guard.violations, f"Violations de la CSP : {csp_guard.violations}"


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR
