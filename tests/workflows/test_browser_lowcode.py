"""The whole low-code loop in a real browser, with nothing but the admin UI: a coordinator
adds a stage and two transitions in the definition editor and publishes; a counsellor then
moves a demo pathway through the new stage, refused while the required field is empty."""

from __future__ import annotations

import re

import pytest

from territories.models import Organisation
from tests.axe import load_axe
from workflows import demo as workflows_demo
from workflows.models import Pathway, TransitionRecord, WorkflowDefinition
from workflows.policies import MEDIATORS
from workflows.specs import live_spec

PASSWORD = workflows_demo.DEMO_PASSWORD
STAGE_COUNT = 8  # stages of the default definition, listed first in the editor


@pytest.fixture
def workflow_demo(transactional_db):
    """The demo data the loop needs (territories, then the workflow's): the public site's
    pages are not needed here and take longer to build."""
    from territories import demo as territories_demo

    territories_demo.load(report=lambda message: None)
    workflows_demo.load(report=lambda message: None)


def log_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/admin/")


def assert_accessible(page) -> None:
    """axe-core's WCAG 2.1 A/AA rules on the page's main region: our screens, not the
    admin's own sidebar nor its flash messages (axe catches those while they fade in)."""
    load_axe(page)
    violations = page.evaluate(
        """async () => (await axe.run({include: [['main']], exclude: [['.messages']]},
            {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations
            .map(v => v.id + ': ' + v.nodes.map(n => n.html).join(' | '))"""
    )
    assert violations == [], violations


def block(page, index: int):
    """A top-level block of the definition's StreamField, by its form index."""
    return page.locator(f"[data-streamfield-child]:has(> input[name='elements-{index}-deleted'])")


def insert_after(page, index: int, block_label: str) -> int:
    """Clicks "Insérer un bloc" after the block `index`, picks the block type, and returns
    the new block's form index (the stream's count before insertion)."""
    new_index = int(page.locator("input[name=elements-count]").input_value())
    block(page, index).locator("xpath=following-sibling::div[1]").get_by_title(
        "Insérer un bloc"
    ).click()
    page.get_by_role("option", name=block_label, exact=True).click()
    page.locator(f"#elements-{new_index}-value-code").wait_for()
    return new_index


@pytest.fixture
def without_autosave(settings):
    """Wagtail autosaves the editor half a second after each change; SQLite's test database
    takes one request at a time, so an autosave racing the publish fails. The editor tests
    save explicitly."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


def fill_transition(page, index, *, code, label, sources, target, groups, field=None):
    prefix = f"#elements-{index}-value"
    page.locator(f"{prefix}-code").fill(code)
    page.locator(f"{prefix}-label").fill(label)
    # Stages are picked from the definition's own (workflows/static/workflows/stage_picker.js).
    for source in sources.split(","):
        block(page, index).locator(
            f"fieldset.ml-stage-picker input[value='{source.strip()}']"
        ).check()
    page.locator(f"{prefix}-target-picker").select_option(target)
    for group in groups:
        page.locator(
            f"input[name='elements-{index}-value-allowed_groups'][value='{group}']"
        ).check()
    if field:
        block(page, index).locator("[data-streamfield-list-add]").first.click()
        field_prefix = f"{prefix}-fields-0-value"
        page.locator(f"{field_prefix}-name").fill(field["name"])
        page.locator(f"{field_prefix}-label").fill(field["label"])
        page.locator(f"{field_prefix}-required").check()


@pytest.mark.browser
def test_coordinator_adds_a_stage_and_a_counsellor_moves_a_pathway_through_it(
    workflow_demo, without_autosave, live_server, page, artifacts_dir
):
    page.set_default_timeout(15_000)
    base = live_server.url

    # 1. The coordinator edits the published definition in the snippet editor.
    log_in(page, base, "coordinatrice")
    # Her organisation's definition (Toulouse): the list shows no other.
    definition = WorkflowDefinition.objects.get(
        name="Parcours d'accompagnement des jeunes", organisation__slug="toulouse"
    )
    page.get_by_role("link", name="Définitions de parcours").click()
    page.get_by_role("link", name=definition.name).first.click()
    page.locator("input[name=elements-count]").wait_for(state="attached")
    last_block = int(page.locator("input[name=elements-count]").input_value()) - 1

    stage = insert_after(page, STAGE_COUNT - 1, "Étape")
    page.locator(f"#elements-{stage}-value-code").fill("atelier_collectif")
    page.locator(f"#elements-{stage}-value-label").fill("Atelier collectif")
    page.locator(f"#elements-{stage}-value-category").select_option("support")
    page.locator(f"#elements-{stage}-value-reminder_days").fill("14")

    into = insert_after(page, last_block, "Transition")
    fill_transition(
        page,
        into,
        code="inscrire_atelier",
        label="Inscrire à l'atelier collectif",
        sources="accompagnement",
        target="atelier_collectif",
        groups=["Conseillers", "Coordinateurs"],
        field={"name": "theme_atelier", "label": "Thème de l'atelier"},
    )
    out = insert_after(page, into, "Transition")
    fill_transition(
        page,
        out,
        code="terminer_atelier",
        label="Terminer l'atelier",
        sources="atelier_collectif",
        target="accompagnement",
        groups=["Conseillers", "Coordinateurs"],
    )
    page.screenshot(path=artifacts_dir / "lowcode-1-editor.png", full_page=False)

    # Publish: the main button saves a draft; "Publier" is in its drop-down.
    page.locator(".w-dropdown--dropdown-button .w-dropdown__toggle").last.click()
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url(re.compile(r"/admin/snippets/workflows/workflowdefinition/(\?.*)?$"))
    page.screenshot(path=artifacts_dir / "lowcode-2-published.png", full_page=False)
    assert "publié" in page.locator(".messages").inner_text()
    definition.refresh_from_db()
    spec = live_spec(definition)
    assert spec.stages["atelier_collectif"].label == "Atelier collectif"
    assert spec.transitions["inscrire_atelier"].fields[0].required

    # 2. A counsellor moves a pathway of her caseload through the new stage.
    log_in(page, base, "conseillere.toulouse")
    page.goto(f"{base}/admin/parcours/tableau/")
    column = page.locator("section.ml-board__column", has=page.locator("#stage-accompagnement"))
    assert column.get_by_role("heading", name=re.compile("Accompagnement")).is_visible()
    assert page.locator("#stage-atelier_collectif").is_visible()  # the new column
    assert_accessible(page)
    column.locator("a.ml-card__name").first.click()
    page.get_by_role("heading", name=re.compile("Étape actuelle")).wait_for()
    pathway_pk = int(re.search(r"/admin/parcours/(\d+)/", page.url).group(1))

    page.get_by_role("link", name="Inscrire à l'atelier collectif").click()
    page.get_by_role("button", name="Inscrire à l'atelier collectif").click()
    refusal = page.get_by_role("alert")
    refusal.wait_for()
    assert "Transition refusée." in refusal.inner_text()
    assert page.get_by_text("Champ requis.").is_visible()
    page.screenshot(path=artifacts_dir / "lowcode-3-refused.png", full_page=True)
    assert_accessible(page)
    assert Pathway.objects.get(pk=pathway_pk).stage == "accompagnement"

    page.get_by_label("Thème de l'atelier").fill("Préparer un entretien d'embauche")
    page.get_by_role("button", name="Inscrire à l'atelier collectif").click()
    page.get_by_text("le parcours est maintenant à l'étape « Atelier collectif »").wait_for()
    page.screenshot(path=artifacts_dir / "lowcode-4-in-workshop.png", full_page=True)
    assert_accessible(page)

    page.get_by_role("link", name="Terminer l'atelier").click()
    page.get_by_role("button", name="Terminer l'atelier").click()
    page.get_by_text("le parcours est maintenant à l'étape « Accompagnement »").wait_for()
    page.screenshot(path=artifacts_dir / "lowcode-5-back.png", full_page=True)

    records = TransitionRecord.objects.filter(pathway_id=pathway_pk, kind="transition")
    assert list(records.values_list("transition_code", flat=True)[:2]) == [
        "terminer_atelier",
        "inscrire_atelier",
    ]
    assert records.get(transition_code="inscrire_atelier").answers == {
        "theme_atelier": "Préparer un entretien d'embauche"
    }


@pytest.mark.browser
def test_mediator_records_a_young_person_on_a_phone(
    transactional_db, live_server, browser, artifacts_dir
):
    from .factories import default_elements, make_user, publish_definition_from

    workflows_demo.ensure_groups()  # the roles, with access to the admin
    aveyron = Organisation.objects.create(
        name="Mission Locale de l'Aveyron", short_name="Aveyron", slug="aveyron"
    )
    mediator = make_user("mediatrice", MEDIATORS, organisation=aveyron)  # password "x"
    publish_definition_from(default_elements(), organisation=aveyron)
    context = browser.new_context(
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, live_server.url, mediator.username, "x")
        page.goto(f"{live_server.url}/admin/parcours/reperage/")
        page.get_by_label("Prénom").fill("Samir")
        page.get_by_label("Téléphone").fill("06 00 00 00 99")
        page.get_by_label("Logement").check()
        consent = page.get_by_label("Le jeune accepte")
        consent.check()
        submit = page.get_by_role("button", name="Enregistrer le repérage")
        for target in (page.get_by_label("Prénom"), submit):
            assert target.bounding_box()["height"] >= 44  # a finger, not a mouse pointer
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
        right_edges = page.locator("form.ml-form input:visible, form.ml-form select").evaluate_all(
            "elements => elements.map(e => e.getBoundingClientRect().right)"
        )
        assert max(right_edges) <= 390  # every field fits the screen
        page.screenshot(path=artifacts_dir / "reperage-mobile.png", full_page=True)
        assert_accessible(page)
        submit.click()
        page.get_by_text("Repérage enregistré : Samir est à l'étape « Repéré ».").wait_for()
        page.screenshot(path=artifacts_dir / "reperage-mobile-done.png", full_page=False)
    finally:
        context.close()
    pathway = Pathway.objects.get(youth__first_name="Samir")
    assert pathway.stage == "repere" and pathway.needs == ["housing"]
