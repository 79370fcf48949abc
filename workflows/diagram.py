"""The definition as an SVG diagram, laid out on the server with grandalf (pure Python; no
graphviz binary, no external service). Stages are boxes coloured by category, transitions
arrows labelled with their button text. The drawing scales to its panel (a viewBox, width
100%), and each label is placed where it covers no other label and no stage."""

from __future__ import annotations

from dataclasses import dataclass
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
# An edge label's box, from its text: a generous average glyph width at font-size 10, so the
# box holds the text in any sans-serif the browser picks.
LABEL_FONT_SIZE = 10
LABEL_CHAR_W = 6.0
LABEL_H = 14.0
LABEL_PAD = 4.0
# Where a label may sit, first choice first: along its curve, then nudged off it.
CURVE_POSITIONS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)
NUDGES = (0.0, -LABEL_H, LABEL_H, -2 * LABEL_H, 2 * LABEL_H)


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


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )


@dataclass(frozen=True)
class EdgeDrawing:
    path: str
    text: str
    label: Box

    @property
    def centre(self) -> tuple[float, float]:
        return (self.label.x0 + self.label.x1) / 2, (self.label.y0 + self.label.y1) / 2


def _label_box(text: str, x: float, y: float) -> Box:
    half_w = (len(text) * LABEL_CHAR_W + 2 * LABEL_PAD) / 2
    return Box(x - half_w, y - LABEL_H / 2, x + half_w, y + LABEL_H / 2)


def _stage_box(centre: tuple[float, float]) -> Box:
    x, y = centre
    return Box(x - BOX_W / 2, y - BOX_H / 2, x + BOX_W / 2, y + BOX_H / 2)


def _place_label(text: str, anchors: list[tuple[float, float]], taken: list[Box]) -> Box:
    """The first free place among the anchors and their nudges; failing that, further below
    the first anchor until free (always ends: finitely many boxes are taken)."""
    for ax, ay in anchors:
        for nudge in NUDGES:
            box = _label_box(text, ax, ay + nudge)
            if not any(box.overlaps(other) for other in taken):
                return box
    ax, ay = anchors[0]
    box = _label_box(text, ax, ay)
    while any(box.overlaps(other) for other in taken):
        box = _label_box(text, ax, box.y1 + LABEL_H / 2 + 1)
    return box


def edge_drawings(
    spec: DefinitionSpec, positions: dict[str, tuple[float, float]]
) -> list[EdgeDrawing]:
    """One arrow per pair of stages (the labels of the transitions between them joined),
    each label placed clear of the stages and of the labels placed before it."""
    pairs: dict[tuple[str, str], list[str]] = {}
    for transition in spec.transitions.values():
        for source in transition.sources:
            if source in positions and transition.target in positions:
                pairs.setdefault((source, transition.target), []).append(transition.label)
    taken = [_stage_box(centre) for centre in positions.values()]
    drawings = []
    for (source, target), labels in pairs.items():
        start, end = positions[source], positions[target]
        text = " / ".join(labels)
        if source == target:
            x, y = start
            path = f"M{x + BOX_W / 2:.1f},{y - 8:.1f} c40,-30 40,46 0,16"
            width = len(text) * LABEL_CHAR_W + 2 * LABEL_PAD
            anchors = [(x + BOX_W / 2 + 34 + width / 2, y)]
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
            anchors = [
                (
                    (1 - t) ** 2 * sx + 2 * (1 - t) * t * cx + t * t * ex,
                    (1 - t) ** 2 * sy + 2 * (1 - t) * t * cy + t * t * ey,
                )
                for t in CURVE_POSITIONS
            ]
        label = _place_label(text, anchors, taken)
        taken.append(label)
        drawings.append(EdgeDrawing(path=path, text=text, label=label))
    return drawings


def definition_svg(spec: DefinitionSpec, positions: dict | None = None) -> str:
    """The drawing of `spec`, at `positions` when given (grandalf's layout of the same spec
    may differ from one call to the next: its vertices are hashed by identity)."""
    if not spec.stages:
        return ""
    positions = positions or layout(spec)
    edges = edge_drawings(spec, positions)
    boxes = [_stage_box(centre) for centre in positions.values()] + [e.label for e in edges]
    min_x = min(b.x0 for b in boxes) - MARGIN
    min_y = min(b.y0 for b in boxes) - MARGIN
    width = max(b.x1 for b in boxes) + MARGIN - min_x
    height = max(b.y1 for b in boxes) + MARGIN - min_y
    parts = [
        # Scaled to its panel: the viewBox keeps the proportions, the width follows the page.
        f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram" width="100%" '
        f'viewBox="{min_x:.0f} {min_y:.0f} {width:.0f} {height:.0f}" '
        'preserveAspectRatio="xMidYMin meet" '
        'font-family="system-ui, sans-serif" font-size="12" role="img">',
        "<title>Schéma du parcours</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#555"/></marker></defs>',
    ]
    for edge in edges:
        text = escape(edge.text)
        x, y = edge.centre
        parts.append(
            f'<g class="transition"><title>{text}</title><path d="{edge.path}" fill="none" '
            'stroke="#555" stroke-width="1.3" marker-end="url(#arrow)"/>'
            f'<text x="{x:.1f}" y="{y + LABEL_FONT_SIZE * 0.35:.1f}" '
            f'font-size="{LABEL_FONT_SIZE}" fill="#333" '
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
