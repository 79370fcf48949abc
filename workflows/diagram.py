"""The definition as an SVG diagram, laid out on the server with grandalf (pure Python; no
graphviz binary, no external service). Stages are boxes coloured by category, transitions
arrows labelled with their button text."""

from __future__ import annotations

from html import escape

from grandalf.graphs import Edge, Graph, Vertex
from grandalf.layouts import SugiyamaLayout

from .choices import StageCategory
from .specs import DefinitionSpec

# Fill and text colours per category, contrasted for WCAG AA text.
COLOURS = {
    StageCategory.IDENTIFICATION: ("#e8f0fe", "#1a3d7c"),
    StageCategory.RECEPTION: ("#e6f4ea", "#1e5631"),
    StageCategory.ASSESSMENT: ("#fef7e0", "#6b4e00"),
    StageCategory.REFERRAL: ("#f3e8fd", "#4a2175"),
    StageCategory.SUPPORT: ("#e0f7f7", "#0b4f4f"),
    StageCategory.LOST_CONTACT: ("#fce8e6", "#8a1c12"),
    StageCategory.EXIT: ("#eeeeee", "#262626"),
}
BOX_W, BOX_H = 170, 46
MARGIN = 30


class _View:
    def __init__(self, w: float, h: float):
        self.w, self.h = w, h
        self.xy = (0.0, 0.0)


def layout(spec: DefinitionSpec) -> dict[str, tuple[float, float]]:
    """Centres of the stage boxes, top to bottom in the flow's order."""
    vertices = {code: Vertex(code) for code in spec.stages}
    edges = []
    seen = set()
    for transition in spec.transitions.values():
        for source in transition.sources:
            pair = (source, transition.target)
            if (
                source in vertices
                and transition.target in vertices
                and pair not in seen
                and source != transition.target
            ):
                seen.add(pair)
                edges.append(Edge(vertices[source], vertices[transition.target]))
    for vertex in vertices.values():
        vertex.view = _View(BOX_W, BOX_H)
    graph = Graph(list(vertices.values()), edges)
    positions: dict[str, tuple[float, float]] = {}
    offset_x = 0.0
    for component in graph.C:
        sugiyama = SugiyamaLayout(component)
        initial = [v for v in component.sV if spec.stages[v.data].initial]
        sugiyama.init_all(roots=initial or None)
        sugiyama.xspace, sugiyama.yspace = 40, 70
        sugiyama.draw()
        xs = [v.view.xy[0] for v in component.sV]
        min_x = min(xs)
        for vertex in component.sV:
            x, y = vertex.view.xy
            positions[vertex.data] = (x - min_x + offset_x, y)
        offset_x += max(xs) - min_x + BOX_W + 40
    return positions


def _border_point(centre, towards):
    """Where the line from a box's centre towards a point leaves the box."""
    (cx, cy), (tx, ty) = centre, towards
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return centre
    scale = min(
        (BOX_W / 2) / abs(dx) if dx else float("inf"),
        (BOX_H / 2) / abs(dy) if dy else float("inf"),
    )
    return cx + dx * scale, cy + dy * scale


def definition_svg(spec: DefinitionSpec) -> str:
    if not spec.stages:
        return ""
    positions = layout(spec)
    min_x = min(x for x, _y in positions.values()) - BOX_W / 2 - MARGIN
    min_y = min(y for _x, y in positions.values()) - BOX_H / 2 - MARGIN
    max_x = max(x for x, _y in positions.values()) + BOX_W / 2 + MARGIN
    max_y = max(y for _x, y in positions.values()) + BOX_H / 2 + MARGIN
    width, height = max_x - min_x, max_y - min_y
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="{min_x:.0f} {min_y:.0f} {width:.0f} {height:.0f}" '
        'font-family="system-ui, sans-serif" font-size="12" role="img">',
        "<title>Schéma du parcours</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#555"/></marker></defs>',
    ]
    pairs: dict[tuple[str, str], list[str]] = {}
    for transition in spec.transitions.values():
        for source in transition.sources:
            if source in positions and transition.target in positions:
                pairs.setdefault((source, transition.target), []).append(transition.label)
    for (source, target), labels in pairs.items():
        start = positions[source]
        end = positions[target]
        if source == target:
            x, y = start
            path = f"M{x + BOX_W / 2:.1f},{y - 8:.1f} c40,-30 40,46 0,16"
            label_xy = (x + BOX_W / 2 + 34, y)
        else:
            # A curve, bent more when the reverse arrow exists, so both stay visible.
            mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
            dx, dy = end[0] - start[0], end[1] - start[1]
            length = max((dx * dx + dy * dy) ** 0.5, 1)
            bend = 40 if (target, source) in pairs or abs(dy) > 150 else 12
            cx, cy = mx - dy / length * bend, my + dx / length * bend
            sx, sy = _border_point(start, (cx, cy))
            ex, ey = _border_point(end, (cx, cy))
            path = f"M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}"
            label_xy = ((sx + 2 * cx + ex) / 4, (sy + 2 * cy + ey) / 4)
        text = escape(" / ".join(labels))
        parts.append(
            f'<g class="transition"><title>{text}</title><path d="{path}" fill="none" '
            'stroke="#555" stroke-width="1.3" marker-end="url(#arrow)"/>'
            f'<text x="{label_xy[0]:.1f}" y="{label_xy[1]:.1f}" font-size="10" fill="#333" '
            'text-anchor="middle" paint-order="stroke" stroke="#fff" stroke-width="3">'
            f"{text}</text></g>"
        )
    for code, stage in spec.stages.items():
        x, y = positions[code]
        fill, ink = COLOURS.get(stage.category, ("#fff", "#000"))
        stroke_width = 3 if stage.initial or stage.final else 1.5
        parts.append(
            f'<g class="stage" data-code="{escape(code)}" data-category="{escape(stage.category)}">'
            f'<rect x="{x - BOX_W / 2:.1f}" y="{y - BOX_H / 2:.1f}" '
            f'width="{BOX_W}" height="{BOX_H}" '
            f'rx="8" fill="{fill}" stroke="{ink}" stroke-width="{stroke_width}"/>'
            f'<text x="{x:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-weight="bold" '
            f'fill="{ink}">'
            f"{escape(stage.label)}</text>"
            f'<text x="{x:.1f}" y="{y + 13:.1f}" text-anchor="middle" font-size="10" fill="{ink}">'
            f"{escape(stage.category_label)}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)
