"""The dashboard's charts, drawn as SVG on the server: no script, no inline style (the
admin's Content-Security-Policy refuses both), colours from classes in
static/indicators/dashboard.css. Each function takes plain numbers and returns markup
(escaped labels, marked safe); the page puts the chart's data table right after it, so the
SVG is a picture (role="img" with a label) and the table is what screen readers and
printers read. A viewBox and width 100% let the chart shrink to a phone's width."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 600
BAR_HEIGHT = 28
GAP = 10
LABEL_WIDTH = 190
SERIES_CLASSES = ("ml-chart__bar--a", "ml-chart__bar--b", "ml-chart__bar--c")


def _svg(label: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="ml-chart" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" '
        'preserveAspectRatio="xMinYMin meet">{}</svg>',
        WIDTH,
        height,
        label,
        body,
    )


def _number(value: int | str) -> int:
    """A count as drawn: a hidden one ("< 5", indicators.disclosure) draws nothing, and
    its printed value says why."""
    return value if isinstance(value, int) else 0


def _scale(values: Sequence[int | str]) -> int:
    return max([*map(_number, values), 1])


def horizontal_bars(label: str, rows: Sequence[tuple[str, int | str]]) -> SafeString:
    """One bar per (label, count), longest for the largest count: the funnel, the sources."""
    top = _scale([count for _, count in rows])
    room = WIDTH - LABEL_WIDTH - 50
    parts = []
    for index, (name, count) in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP)
        length = round(room * _number(count) / top)
        parts.append(
            format_html(
                '<text class="ml-chart__label" x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect class="ml-chart__bar {}" x="{}" y="{}" width="{}" height="{}"></rect>'
                '<text class="ml-chart__value" x="{}" y="{}">{}</text>',
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT * 0.68,
                name,
                SERIES_CLASSES[0],
                LABEL_WIDTH,
                y,
                length,
                BAR_HEIGHT,
                LABEL_WIDTH + length + 6,
                y + BAR_HEIGHT * 0.68,
                count,
            )
        )
    height = max(len(rows) * (BAR_HEIGHT + GAP) - GAP, BAR_HEIGHT)
    return _svg(label, height, mark_safe("".join(parts)))  # noqa: S308 (each part escaped)


def grouped_columns(
    label: str, groups: Sequence[tuple[str, Sequence[int | str]]], series: Sequence[str]
) -> SafeString:
    """Columns side by side per group (a month), one colour per series, with a legend:
    entries into support and exits per month."""
    chart_top, chart_height, legend_height = 10, 200, 30
    top = _scale([value for _, values in groups for value in values])
    slot = (WIDTH - 20) / max(len(groups), 1)
    column = min(28.0, (slot - 8) / max(len(series), 1))
    baseline = chart_top + chart_height
    parts = [
        format_html(
            '<line class="ml-chart__axis" x1="10" y1="{}" x2="{}" y2="{}"></line>',
            baseline,
            WIDTH - 10,
            baseline,
        )
    ]
    for index, (name, values) in enumerate(groups):
        left = 10 + index * slot + (slot - column * len(values)) / 2
        for position, value in enumerate(values):
            height = round(chart_height * _number(value) / top)
            x = round(left + position * column, 1)
            parts.append(
                format_html(
                    '<rect class="ml-chart__bar {}" x="{}" y="{}" width="{}" height="{}"></rect>'
                    '<text class="ml-chart__value" x="{}" y="{}" text-anchor="middle">{}</text>',
                    SERIES_CLASSES[position % len(SERIES_CLASSES)],
                    x,
                    baseline - height,
                    round(column - 2, 1),
                    height,
                    round(x + column / 2 - 1, 1),
                    baseline - height - 4,
                    value,
                )
            )
        parts.append(
            format_html(
                '<text class="ml-chart__label" x="{}" y="{}" text-anchor="middle">{}</text>',
                round(10 + index * slot + slot / 2, 1),
                baseline + 18,
                name,
            )
        )
    legend_y = baseline + 30
    parts.append(_legend(series, legend_y))
    return _svg(label, legend_y + legend_height, mark_safe("".join(parts)))  # noqa: S308


def _legend(series: Sequence[str], y: float) -> SafeString:
    return format_html_join(
        "",
        '<rect class="ml-chart__bar {}" x="{}" y="{}" width="14" height="14"></rect>'
        '<text class="ml-chart__label" x="{}" y="{}">{}</text>',
        (
            (SERIES_CLASSES[i % len(SERIES_CLASSES)], 10 + i * 220, y, 30 + i * 220, y + 12, name)
            for i, name in enumerate(series)
        ),
    )


def share_bar(label: str, parts: Sequence[tuple[str, int | str]]) -> SafeString:
    """One bar cut in proportion to each part (inside and outside the QPVs), with a legend
    giving each part's share in per cent."""
    total = sum(_number(count) for _, count in parts)
    # Beside a hidden count, a share would give it away: the legend gives the counts then.
    any_hidden = any(_number(count) != count for _, count in parts)
    x = 10.0
    room = WIDTH - 20
    pieces = []
    legend = []
    for index, (name, count) in enumerate(parts):
        share = _number(count) / total if total else 0
        length = round(room * share, 1)
        css = SERIES_CLASSES[index % len(SERIES_CLASSES)]
        pieces.append(
            format_html(
                '<rect class="ml-chart__bar {}" x="{}" y="0" width="{}" height="{}"></rect>',
                css,
                x,
                length,
                BAR_HEIGHT * 1.5,
            )
        )
        x += length
        legend.append(f"{name} : {count}" if any_hidden else f"{name} : {round(share * 100)} %")
    body = mark_safe("".join(pieces))  # noqa: S308 (each piece escaped)
    return _svg(label, round(BAR_HEIGHT * 1.5 + 40), body + _legend(legend, BAR_HEIGHT * 1.5 + 14))
