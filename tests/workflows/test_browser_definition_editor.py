"""The definition editor as an untrained coordinator meets it, in a real browser: blocks
folded to one line each, no reading metrics, and a new stage wired to the flow by picking
stages from lists (no code typed into a transition), then published."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from workflows import demo as workflows_demo
from workflows.policies import COORDINATORS
from workflows.specs import live_spec

from .factories import default_elements, make_places, make_user, publish_definition_from
from .test_browser_lowcode import block, insert_after, log_in, without_autosave  # noqa: F401

STAGE_COUNT = 8  # stages of the default definition, listed first in the editor


@pytest.fixture
def coordinator_and_definition(transactional_db):
    workflows_demo.ensure_groups()  # the roles, coordinators editing definitions
    places = make_places()
    coordinator = make_user("coord", COORDINATORS, organisation=places["aveyron"])
    definition = publish_definition_from(default_elements(), user=coordinator)
    return coordinator, definition


@pytest.mark.browser
@pytest.mark.usefixtures("without_autosave")
def test_coordinator_wires_a_new_stage_by_picking_stages_and_publishes(
    coordinator_and_definition, live_server, page, artifacts_dir
):
    coordinator, definition = coordinator_and_definition
    page.set_default_timeout(15_000)
    base = live_server.url
    log_in(page, base, coordinator.username, "x")
    page.goto(
        base + reverse("wagtailsnippets_workflows_workflowdefinition:edit", args=[definition.pk])
    )
    page.locator("input[name=elements-count]").wait_for(state="attached")
    last_block = int(page.locator("input[name=elements-count]").input_value()) - 1

    # One line per block: the stages' and transitions' fields are folded away.
    assert page.locator("#elements-0-value-code").is_hidden()
    assert "Repéré (repere)" in block(page, 0).inner_text()
    assert (
        "Valider le diagnostic et orienter (diagnostic → oriente)"
        in page.locator("#w-editor-form").inner_text()
    )
    # No word count, reading time nor readability for a definition.
    assert page.locator("[data-side-panel-toggle='checks']").count() == 0
    page.screenshot(path=artifacts_dir / "editor-1-collapsed.png", full_page=False)

    # A new stage, not saved yet…
    stage = insert_after(page, STAGE_COUNT - 1, "Étape")
    page.locator(f"#elements-{stage}-value-code").fill("atelier_collectif")
    page.locator(f"#elements-{stage}-value-label").fill("Atelier collectif")
    page.locator(f"#elements-{stage}-value-category").select_option("support")

    # …is offered at once to a new transition, whose stages are picked, never typed.
    into = insert_after(page, last_block, "Transition")
    page.locator(f"#elements-{into}-value-code").fill("inscrire_atelier")
    page.locator(f"#elements-{into}-value-label").fill("Inscrire à l'atelier")
    sources = block(page, into).locator("fieldset.ml-stage-picker")
    assert page.locator(f"#elements-{into}-value-sources").is_hidden()  # the codes' text box
    sources.get_by_label("Accompagnement", exact=True).check()
    sources.get_by_label("Diagnostic", exact=True).check()
    target = page.locator(f"#elements-{into}-value-target-picker")
    target.select_option(label="Atelier collectif")
    page.get_by_label("Conseillers").and_(
        page.locator(f"input[name='elements-{into}-value-allowed_groups']")
    ).check()
    # Only the workflow roles are offered, in French.
    offered = page.locator(f"input[name='elements-{into}-value-allowed_groups']").evaluate_all(
        "boxes => boxes.map(b => b.value)"
    )
    assert offered == ["Coordinateurs", "Conseillers", "Médiateurs"]

    # And back out of it.
    out = insert_after(page, into, "Transition")
    page.locator(f"#elements-{out}-value-code").fill("terminer_atelier")
    page.locator(f"#elements-{out}-value-label").fill("Terminer l'atelier")
    block(page, out).locator("fieldset.ml-stage-picker").get_by_label(
        "Atelier collectif", exact=True
    ).check()
    page.locator(f"#elements-{out}-value-target-picker").select_option(label="Accompagnement")
    page.locator(f"input[name='elements-{out}-value-allowed_groups'][value='Conseillers']").check()

    # Renaming the stage's code carries the transitions along.
    page.locator(f"#elements-{stage}-value-code").fill("atelier_groupe")
    page.locator(f"#elements-{stage}-value-label").fill("Atelier de groupe")
    assert target.input_value() == "atelier_groupe"
    assert target.locator("option:checked").inner_text() == "Atelier de groupe"
    assert page.locator(f"#elements-{out}-value-sources").input_value() == "atelier_groupe"
    block(page, into).screenshot(path=artifacts_dir / "editor-2-picked.png")

    # Publish: the main button saves a draft; "Publier" is in its drop-down.
    page.locator(".w-dropdown--dropdown-button .w-dropdown__toggle").last.click()
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url(re.compile(r"/admin/snippets/workflows/workflowdefinition/(\?.*)?$"))
    assert "publié" in page.locator(".messages").inner_text()

    definition.refresh_from_db()
    spec = live_spec(definition)
    assert spec.stages["atelier_groupe"].label == "Atelier de groupe"
    assert spec.transitions["inscrire_atelier"].sources == ("diagnostic", "accompagnement")
    assert spec.transitions["inscrire_atelier"].target == "atelier_groupe"
    assert spec.transitions["terminer_atelier"].sources == ("atelier_groupe",)
    assert spec.transitions["terminer_atelier"].target == "accompagnement"

    row = page.locator("tr", has=page.get_by_role("link", name=definition.name))
    assert "Publiée" in row.text_content() and "Oui" in row.text_content()
    assert "Brouillon non publié" not in row.text_content()

    # The new stage is on the board, where the pathways will reach it.
    page.goto(f"{base}/admin/parcours/tableau/")
    assert page.locator("#stage-atelier_groupe").is_visible()

    # A change left half-way (a draft) is flagged in the list, and undone from there.
    page.goto(
        base + reverse("wagtailsnippets_workflows_workflowdefinition:edit", args=[definition.pk])
    )
    block(page, 0).locator("[data-panel-toggle]").first.click()  # unfold the first stage
    page.locator("#elements-0-value-label").fill("Repéré à moitié")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.locator(".messages").wait_for()
    page.goto(base + reverse("wagtailsnippets_workflows_workflowdefinition:list"))
    assert "Brouillon non publié" in row.text_content()
    row.get_by_role("link", name="Revenir à la version publiée").click()
    page.get_by_role("button", name="Oui, abandonner le brouillon").click()
    assert "Brouillon abandonné" in page.locator(".messages").inner_text()
    assert "Brouillon non publié" not in row.text_content()
    definition.refresh_from_db()
    assert not definition.has_unpublished_changes
