"""The definition's diagram."""

from workflows.diagram import COLOURS, definition_svg
from workflows.specs import live_spec


def test_diagram_draws_every_stage_and_transition(definition):
    spec = live_spec(definition)
    svg = definition_svg(spec)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    for stage in spec.stages.values():
        assert f'data-code="{stage.code}"' in svg
        assert COLOURS[stage.category][0] in svg
    assert "Proposer un diagnostic" in svg
    assert svg.count('class="transition"') == len(
        {(s, t.target) for t in spec.transitions.values() for s in t.sources}
    )
