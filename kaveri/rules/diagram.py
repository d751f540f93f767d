"""Pathways and processes drawn as server-rendered SVG: no scripts, no external fonts."""

import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kaveri.rules.ruleset import RuleSet

BOX_WIDTH = 230
BOX_GAP = 44
PER_ROW = 4
BAND_HEIGHT = 26
LINE_HEIGHT = 17
FONT_SIZE = 13
CHARS_PER_LINE = 30
ROW_GAP = 46
MARGIN = 8

# Fill for each authority's band; white text on each meets WCAG AA contrast.
AUTHORITY_COLOURS = {
    "SOC": "#1d4ed8",
    "DIS": "#6d28d9",
    "EMP": "#15803d",
    "TYP": "#a0460a",
    "KELA": "#0369a1",
    "HEALTH": "#b91c1c",
    "PROVIDER": "#374151",
    "PENSION": "#be185d",
}
DEFAULT_COLOUR = "#374151"


def authority_colour(code: str) -> str:
    return AUTHORITY_COLOURS.get(code, DEFAULT_COLOUR)


def authority_name(rules: RuleSet, code: str, language: str) -> str:
    authority = rules.authorities[code]
    return (authority.short or authority.label).get(language)


@dataclass
class StepBox:
    authority: str
    authority_name: str
    text_lines: list[str]
    also_line: str
    timing_line: str


def _timing_prefix(kind: str) -> str:
    return {
        "plan_review": _("Review every"),
        "service_intensity": _("Intensity"),
        "service_decision_period": _("Decision for"),
        "service_continuation": _("Periods of"),
        "processing_time": _("Processing"),
        "initial_interview": _("Within"),
    }[kind]


def _boxes(rules: RuleSet, flow, language: str) -> list[StepBox]:
    boxes = []
    for step in flow.steps:
        also = ", ".join(authority_name(rules, code, language) for code in step.also)
        timing = ""
        if step.timing:
            timing = (
                f"{_timing_prefix(step.timing.kind)}: {rules.timing_text(step.timing, language)}"
            )
        boxes.append(
            StepBox(
                authority=step.authority,
                authority_name=authority_name(rules, step.authority, language),
                text_lines=textwrap.wrap(step.label.get(language), CHARS_PER_LINE),
                also_line=f"+ {also}" if also else "",
                timing_line=timing,
            )
        )
    return boxes


def _box_height(box: StepBox) -> int:
    extra = (1 if box.also_line else 0) + (1 if box.timing_line else 0)
    return BAND_HEIGHT + 12 + LINE_HEIGHT * (len(box.text_lines) + extra)


def _text(x: float, y: float, content: str, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<text x="{x}" y="{y}"{extra}>{escape(content)}</text>'


HIGHLIGHT_FILL = "#fef3c7"


def _draw_box(
    box: StepBox, number: int, x: int, y: int, height: int, highlighted: bool = False
) -> list[str]:
    colour = authority_colour(box.authority)
    fill, width = (HIGHLIGHT_FILL, 5) if highlighted else ("#ffffff", 2)
    parts = [
        f'<rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{height}" rx="8" '
        f'fill="{fill}" stroke="{colour}" stroke-width="{width}"/>',
        f'<path d="M{x} {y + 8} a8 8 0 0 1 8 -8 h{BOX_WIDTH - 16} a8 8 0 0 1 8 8 '
        f'v{BAND_HEIGHT - 8} h-{BOX_WIDTH} z" fill="{colour}"/>',
        _text(
            x + 10, y + 18, f"{number}. {box.authority_name}", fill="#ffffff", font_weight="bold"
        ),
    ]
    line_y = y + BAND_HEIGHT + LINE_HEIGHT
    for line in box.text_lines:
        parts.append(_text(x + 10, line_y, line, fill="#111827"))
        line_y += LINE_HEIGHT
    if box.also_line:
        parts.append(_text(x + 10, line_y, box.also_line, fill="#374151", font_style="italic"))
        line_y += LINE_HEIGHT
    if box.timing_line:
        parts.append(_text(x + 10, line_y, box.timing_line, fill="#7c2d12", font_weight="bold"))
    return parts


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#4b5563" '
        f'stroke-width="2" marker-end="url(#arrowhead)"/>'
    )


def _row_connector(x_end: int, y_bottom: int, y_next_top: int) -> str:
    mid = y_bottom + ROW_GAP / 2
    x_start = MARGIN + BOX_WIDTH / 2
    return (
        f'<path d="M{x_end} {y_bottom} V{mid} H{x_start} V{y_next_top - 2}" fill="none" '
        f'stroke="#4b5563" stroke-width="2" marker-end="url(#arrowhead)"/>'
    )


def flow_svg(rules: RuleSet, flow, language: str, highlight: int | None = None) -> SafeString:
    """The flow as SVG; `highlight` (a 0-based step index) marks where a client is now."""
    boxes = _boxes(rules, flow, language)
    rows = [boxes[i : i + PER_ROW] for i in range(0, len(boxes), PER_ROW)]
    parts: list[str] = []
    y = MARGIN
    number = 1
    for row_index, row in enumerate(rows):
        height = max(_box_height(b) for b in row)
        for col, box in enumerate(row):
            x = MARGIN + col * (BOX_WIDTH + BOX_GAP)
            parts += _draw_box(box, number, x, y, height, highlighted=number - 1 == highlight)
            if col < len(row) - 1:
                parts.append(
                    _arrow(
                        x + BOX_WIDTH, y + height / 2, x + BOX_WIDTH + BOX_GAP - 4, y + height / 2
                    )
                )
            number += 1
        if row_index < len(rows) - 1:
            last_x = MARGIN + (len(row) - 1) * (BOX_WIDTH + BOX_GAP) + BOX_WIDTH / 2
            parts.append(_row_connector(last_x, y + height, y + height + ROW_GAP))
        y += height + ROW_GAP
    width = MARGIN * 2 + min(len(boxes), PER_ROW) * (BOX_WIDTH + BOX_GAP) - BOX_GAP
    total_height = y - ROW_GAP + MARGIN
    title_id = f"diagram-{flow.code}-title"
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flow-diagram" role="img" '
        f'aria-labelledby="{title_id}" viewBox="0 0 {width} {total_height}" '
        f'width="{width}" height="{total_height}" font-family="sans-serif" '
        f'font-size="{FONT_SIZE}">'
        f'<title id="{title_id}">{escape(flow.code)}: {escape(flow.label.get(language))}'
        f"{escape(_here_text(boxes, highlight))}</title>"
        '<defs><marker id="arrowhead" markerWidth="10" markerHeight="8" refX="9" refY="4" '
        'orient="auto"><path d="M0 0 L10 4 L0 8 z" fill="#4b5563"/></marker></defs>'
        + "".join(parts)
        + "</svg>"
    )
    return mark_safe(svg)


def _here_text(boxes: list[StepBox], highlight: int | None) -> str:
    if highlight is None:
        return ""
    return " – " + _("now at step %(n)s") % {"n": highlight + 1}
