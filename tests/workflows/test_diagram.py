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


def test_diagram_scales_to_its_panel_and_no_label_covers_another(definition):
    import re
    from itertools import combinations

    from workflows.diagram import _stage_box, edge_drawings, layout

    spec = live_spec(definition)
    positions = layout(spec)
    labels = [edge.label for edge in edge_drawings(spec, positions)]
    assert len(labels) == len({(s, t.target) for t in spec.transitions.values() for s in t.sources})
    for first, second in combinations(labels, 2):
        assert not first.overlaps(second), (first, second)
    stages = [_stage_box(centre) for centre in positions.values()]
    for label in labels:
        assert not any(label.overlaps(stage) for stage in stages), label

    svg = definition_svg(spec, positions)  # the same layout as the labels checked
    opening = svg[: svg.index(">")]
    assert 'width="100%"' in opening and "height=" not in opening
    # Every label lies inside the drawing's viewBox: nothing is cut off.
    x, y, width, height = map(float, re.search(r'viewBox="([^"]+)"', opening)[1].split())
    for label in labels:
        assert x <= label.x0 and label.x1 <= x + width
        assert y <= label.y0 and label.y1 <= y + height
