"""A pathway flow as a drawing: one box a step, top to bottom, each with how many reached
it, an arrow to the next with how many went on, and beside it how many were closed there.
Only the positions and the words are computed here; the template draws the SVG. Black on
white with the numbers in words, so that it reads without colour; the table beside it
holds the same numbers for a screen reader."""

import textwrap
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kaveri.statistics.flows import Flow, FlowStep
from kaveri.statistics.tables import HIDDEN

BOX_X = 8
BOX_WIDTH = 380
WIDTH = 2 * BOX_X + BOX_WIDTH
LINE = 18
PADDING = 10
ARROW = 46
CHARACTERS_A_LINE = 42


@dataclass(frozen=True)
class DrawnStep:
    top: int
    height: int
    lines: list[tuple[int, str]]  # (baseline, text)
    counted: bool
    arrow_from: int | None  # the arrow to the next step: from the box's bottom ...
    arrow_to: int | None  # ... to the next box's top
    went_on: str
    closed_here: str


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    box_x: int
    box_width: int
    middle: int
    note_x: int
    steps: list[DrawnStep]


def _figure(value: int | None) -> str:
    return HIDDEN if value is None else str(value)


def _words(step: FlowStep) -> list[str]:
    lines = textwrap.wrap(step.label, CHARACTERS_A_LINE)
    if step.counted:
        return [*lines, _("reached: %(count)s") % {"count": _figure(step.reached)}]
    return [*lines, _("not recorded in Kaveri")]


def draw(flow: Flow) -> Drawing:
    steps, top = [], PADDING
    for index, step in enumerate(flow.steps):
        words = _words(step)
        height = 2 * PADDING + LINE * len(words)
        lines = [(top + PADDING + LINE * (i + 1) - 4, text) for i, text in enumerate(words)]
        last = index + 1 == len(flow.steps)
        known = step.counted and not last
        steps.append(
            DrawnStep(
                top=top,
                height=height,
                lines=lines,
                counted=step.counted,
                arrow_from=None if last else top + height,
                arrow_to=None if last else top + height + ARROW,
                went_on=_("went on: %(count)s") % {"count": _figure(step.went_on)} if known else "",
                closed_here=(
                    _("closed here: %(count)s") % {"count": _figure(step.closed_here)}
                    if known
                    else ""
                ),
            )
        )
        top += height + ARROW
    middle = BOX_X + BOX_WIDTH // 2
    return Drawing(WIDTH, top - ARROW + PADDING, BOX_X, BOX_WIDTH, middle, middle + 14, steps)


SPARK_WIDTH = 120
SPARK_HEIGHT = 28
SPARK_MARGIN = 3


@dataclass(frozen=True)
class Sparkline:
    """A small line of values month by month: broken where a value is withheld, a dot
    where one stands alone; zero at the bottom, the largest at the top."""

    segments: list[str]  # polyline points, "x,y x,y ..."
    dots: list[tuple[float, float]]


def sparkline(values: list[int | None]) -> Sparkline:
    shown = [v for v in values if v is not None]
    top = max(shown, default=0) or 1
    step = (SPARK_WIDTH - 2 * SPARK_MARGIN) / max(len(values) - 1, 1)
    height = SPARK_HEIGHT - 2 * SPARK_MARGIN

    def point(i: int, value: int) -> tuple[float, float]:
        x = SPARK_MARGIN + i * step
        return round(x, 1), round(SPARK_MARGIN + height - height * value / top, 1)

    runs: list[list[tuple[float, float]]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append(point(i, value))
    segments = [" ".join(f"{x},{y}" for x, y in run) for run in runs if len(run) > 1]
    return Sparkline(segments, [run[0] for run in runs if len(run) == 1])
