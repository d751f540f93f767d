"""No person identifiable in a table of counts: small cells are suppressed, and enough
other cells with them that no suppressed cell can be worked out from the margins.

Primary suppression hides every count from 1 to SMALLEST_SHOWN - 1 (a zero is shown: it
names no one). Secondary suppression then makes every row and every column of the table,
its totals included, hold no suppressed cell or at least two: a lone hidden cell would be
its row total minus the cells shown. With two or more in every line, the hidden cells lie
on cycles of rows and columns, and any of them can be moved up and down along a cycle
without changing a shown figure, so none is determined. Of the candidates, the smallest
count is hidden, so as little as possible is lost.
"""

from dataclasses import dataclass

# A count under five people is not published (Statistics Finland's threshold for
# frequency tables on people; the privacy rule).
SMALLEST_SHOWN = 5


@dataclass(frozen=True)
class Shown:
    """A table as it may be published: None where a count is hidden."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None

    @property
    def hidden(self) -> int:
        lines = [*self.cells, self.row_totals, self.column_totals, [self.total]]
        return sum(value is None for line in lines for value in line)


def is_small(count: int) -> bool:
    return 0 < count < SMALLEST_SHOWN


Cell = tuple[int, int]


def suppress(cells: list[list[int]], withheld: set[Cell] = frozenset()) -> Shown:
    """A cross-table (people by one thing in rows and another in columns) with its row and
    column totals and grand total, suppressed; `withheld` are (row, column) cells hidden
    whatever their count (kaveri.statistics.differencing)."""
    full = [[*row, sum(row)] for row in cells]
    full.append([sum(column) for column in zip(*full, strict=True)])
    shown = _shown(full, _rows(full) + _columns(full), withheld)
    return Shown(
        cells=[line[:-1] for line in shown[:-1]],
        row_totals=[line[-1] for line in shown[:-1]],
        column_totals=shown[-1][:-1],
        total=shown[-1][-1],
    )


def suppress_columns(cells: list[list[int]], withheld: set[Cell] = frozenset()) -> Shown:
    """A table whose columns are separate counts of the same groups (opened, assessed,
    planned): each column adds up to its total; a row adds up to nothing."""
    full = [*cells, [sum(column) for column in zip(*cells, strict=True)]]
    shown = _shown(full, _columns(full), withheld)
    return Shown(
        cells=shown[:-1], row_totals=[None] * len(cells), column_totals=shown[-1], total=None
    )


def protected_line(values: list[int]) -> list[bool]:
    """Which of the values that add up to a total are hidden, as in a table's row."""
    full = [[*values, sum(values)]]
    return [value is None for value in _shown(full, _rows(full))[0][:-1]]


def _shown(
    full: list[list[int]], lines, withheld: set[Cell] = frozenset()
) -> list[list[int | None]]:
    hidden = {(r, c) for r, line in enumerate(full) for c, v in enumerate(line) if is_small(v)}
    hidden |= {cell for cell in withheld if full[cell[0]][cell[1]]}
    _protect(full, hidden, lines)
    return [
        [None if (r, c) in hidden else v for c, v in enumerate(line)] for r, line in enumerate(full)
    ]


def _rows(full: list[list[int]]) -> list[list[tuple[int, int]]]:
    """Each row with its total: one equation a reader could solve."""
    return [[(r, c) for c in range(len(full[0]))] for r in range(len(full))]


def _columns(full: list[list[int]]) -> list[list[tuple[int, int]]]:
    return [[(r, c) for r in range(len(full))] for c in range(len(full[0]))]


def _protect(full: list[list[int]], hidden: set[tuple[int, int]], lines) -> None:
    """Hide the smallest shown count of every line that holds a lone hidden one, until no
    line does. Zeros are hidden only when nothing else in the line is left to hide."""

    def cost(cell: tuple[int, int]) -> tuple[bool, int]:
        value = full[cell[0]][cell[1]]
        return value == 0, value

    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(cell in hidden for cell in line) != 1:
                continue
            candidates = [cell for cell in line if cell not in hidden]
            if candidates:
                hidden.add(min(candidates, key=cost))
                changed = True
