"""Charts for the audit report as inline SVG: no script, no external file, prints as drawn.

Horizontal bar charts for named things: they read well with long labels (rule categories,
principle names), in print and in grey scale; column charts for a trend over years, which read left
to right. Every label is escaped; each bar carries a <title> with its exact value and the chart an
accessible name. Each chart has a table of the same numbers beside it in the report.
"""

from __future__ import annotations

from itertools import count

from markupsafe import Markup, escape

_ids = count(1)

LABEL_WIDTH = 230
VALUE_WIDTH = 90
ROW = 26
BAR = 16
MAX_LABEL = 34


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "\u2026"


def bar_chart(
    title: str,
    rows: list[tuple[str, float, str]],
    maximum: float | None = None,
    width: int = 640,
    css_class: str = "bar",
) -> Markup:
    """`rows` are (label, value, value as text); bars scale to `maximum` (default: the largest)."""
    chart_id = f"chart{next(_ids)}"
    if not rows:
        return Markup('<p class="empty">{}</p>').format(f"{title}: nothing to show.")
    top = maximum if maximum else max(value for _, value, _ in rows) or 1
    plot = width - LABEL_WIDTH - VALUE_WIDTH
    height = ROW * len(rows) + 8
    parts = [
        Markup(
            '<svg class="chart" role="img" aria-labelledby="{0}" width="{1}" height="{2}" '
            'viewBox="0 0 {1} {2}" xmlns="http://www.w3.org/2000/svg">'
        ).format(chart_id, width, height),
        Markup('<title id="{}">{}</title>').format(chart_id, title),
    ]
    for index, (label, value, text) in enumerate(rows):
        y = 4 + index * ROW
        length = 0 if value <= 0 else max(2, round(plot * min(value, top) / top))
        parts.append(
            Markup(
                "<g><title>{label}: {text}</title>"
                '<text x="{lx}" y="{ty}" text-anchor="end" class="label">{short}</text>'
                '<rect x="{bx}" y="{by}" width="{bw}" height="{bh}" class="{cls}"/>'
                '<text x="{vx}" y="{ty}" class="value">{text}</text></g>'
            ).format(
                label=label,
                text=text,
                short=_short(label),
                lx=LABEL_WIDTH - 8,
                ty=y + BAR - 3,
                bx=LABEL_WIDTH,
                by=y,
                bw=length,
                bh=BAR,
                cls=css_class,
                vx=LABEL_WIDTH + length + 6,
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


COLUMN = 56
COLUMN_BAR = 34
PLOT_HEIGHT = 160
AXIS = 22
TOP = 20


def column_chart(title: str, rows: list[tuple[str, float, str]], maximum: float | None = None) -> Markup:
    """`rows` are (label, value, value as text) in order (years, oldest first); one column each."""
    chart_id = f"chart{next(_ids)}"
    if not rows:
        return Markup('<p class="empty">{}</p>').format(f"{title}: nothing to show.")
    top = maximum if maximum else max(value for _, value, _ in rows) or 1
    width = max(320, COLUMN * len(rows) + 16)
    height = TOP + PLOT_HEIGHT + AXIS
    parts = [
        Markup(
            '<svg class="chart columns" role="img" aria-labelledby="{0}" width="{1}" height="{2}" '
            'viewBox="0 0 {1} {2}" xmlns="http://www.w3.org/2000/svg">'
        ).format(chart_id, width, height),
        Markup('<title id="{}">{}</title>').format(chart_id, title),
        Markup('<line x1="8" x2="{0}" y1="{1}" y2="{1}" class="axis"/>').format(width - 8, TOP + PLOT_HEIGHT),
    ]
    for index, (label, value, text) in enumerate(rows):
        x = 8 + index * COLUMN + (COLUMN - COLUMN_BAR) // 2
        length = 0 if value <= 0 else max(2, round(PLOT_HEIGHT * min(value, top) / top))
        y = TOP + PLOT_HEIGHT - length
        centre = x + COLUMN_BAR // 2
        parts.append(
            Markup(
                "<g><title>{label}: {text}</title>"
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" class="bar"/>'
                '<text x="{cx}" y="{vy}" text-anchor="middle" class="value">{text}</text>'
                '<text x="{cx}" y="{ly}" text-anchor="middle" class="label">{label}</text></g>'
            ).format(
                label=label,
                text=text,
                x=x,
                y=y,
                w=COLUMN_BAR,
                h=length,
                cx=centre,
                vy=y - 5,
                ly=TOP + PLOT_HEIGHT + 16,
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


__all__ = ["bar_chart", "column_chart", "escape"]
