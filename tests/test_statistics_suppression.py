"""No person identifiable: small counts are hidden, and no hidden count can be worked out
from the figures shown beside it (tables built to leak, and random ones)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kaveri.statistics.suppression import SMALLEST_SHOWN, Shown, suppress, suppress_columns


def published(shown: Shown) -> list[list[int | None]]:
    """The table as a reader sees it: cells with their row totals, then the column totals
    with the grand total."""
    rows = [[*line, total] for line, total in zip(shown.cells, shown.row_totals, strict=True)]
    return [*rows, [*shown.column_totals, shown.total]]


def recovered(table: list[list[int | None]]) -> dict[tuple[int, int], int]:
    """What a reader works out: a line (row or column, its total last) with one figure
    hidden gives that figure; repeated while anything new comes out."""
    known = [list(line) for line in table]
    found = {}
    height, width = len(known), len(known[0])
    lines = [[(r, c) for c in range(width)] for r in range(height)]
    lines += [[(r, c) for r in range(height)] for c in range(width)]
    progress = True
    while progress:
        progress = False
        for line in lines:
            unknown = [cell for cell in line if known[cell[0]][cell[1]] is None]
            if len(unknown) != 1:
                continue
            (r, c), *_ = unknown
            *parts, total = [known[rr][cc] for rr, cc in line]
            value = (
                total - sum(v for v in parts if v is not None) if (r, c) != line[-1] else sum(parts)
            )
            known[r][c] = found[(r, c)] = value
            progress = True
    return found


def test_a_lone_small_count_would_be_its_total_minus_the_rest_so_another_goes_with_it():
    shown = suppress([[3, 10, 12], [20, 30, 40]])
    assert shown.cells[0][0] is None
    assert sum(v is None for v in shown.cells[0]) >= 2  # row 0: 3 and its partner
    assert recovered(published(shown)) == {}


def test_a_small_total_is_hidden_and_so_are_the_cells_that_add_up_to_it():
    shown = suppress([[2, 1], [30, 40]])
    assert shown.row_totals[0] is None
    assert shown.cells[0] == [None, None]
    assert recovered(published(shown)) == {}


def test_a_chain_of_differences_reveals_nothing():
    # Hiding only the 4 and one partner in its row would leave the partner's column with
    # one hidden figure; the column must lose another, and so on until the cycles close.
    shown = suppress([[4, 50, 60], [70, 80, 90], [100, 110, 120]])
    assert recovered(published(shown)) == {}
    assert shown.hidden >= 4


def test_nothing_is_hidden_without_a_small_count_and_zeros_are_shown():
    shown = suppress([[0, 5], [6, 7]])
    assert shown.hidden == 0
    assert published(shown) == [[0, 5, 5], [6, 7, 13], [6, 12, 18]]


def test_a_single_small_cell_of_a_one_cell_table():
    shown = suppress([[3]])
    assert published(shown) == [[None, None], [None, None]]


counts = st.one_of(st.integers(0, SMALLEST_SHOWN - 1), st.integers(0, 60))


def tables(most_rows: int):
    """Tables of 1 to 4 columns and 1 to `most_rows` rows, with many small counts."""
    return st.integers(1, 4).flatmap(
        lambda width: st.lists(
            st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=most_rows
        )
    )


@settings(max_examples=400, deadline=None)
@given(tables(4))
def test_any_table_shows_no_small_count_and_gives_none_away(cells):
    shown = suppress(cells)
    table = published(shown)
    truth = [[*row, sum(row)] for row in cells]
    truth.append([sum(col) for col in zip(*cells, strict=True)] + [sum(map(sum, cells))])
    for line, real in zip(table, truth, strict=True):
        for value, actual in zip(line, real, strict=True):
            assert value is None or value == actual
            assert not (value is not None and 0 < value < SMALLEST_SHOWN)
    assert recovered(table) == {}


def column_published(shown: Shown) -> list[list[int | None]]:
    return [*shown.cells, shown.column_totals]


def recovered_in_columns(table: list[list[int | None]]) -> dict[tuple[int, int], int]:
    """A column-only table: each column adds up to its total (the last row)."""
    transposed = [list(column) for column in zip(*table, strict=True)]
    found = {}
    for c, column in enumerate(transposed):
        *cells, total = column
        unknown = [r for r, v in enumerate(column) if v is None]
        if len(unknown) == 1:
            (r,) = unknown
            found[(r, c)] = (
                sum(cells) if r == len(cells) else total - sum(v for v in cells if v is not None)
            )
    return found


@settings(max_examples=300, deadline=None)
@given(tables(5))
def test_separate_counts_in_columns_give_none_away(cells):
    shown = suppress_columns(cells)
    table = column_published(shown)
    for line in table:
        assert not any(v is not None and 0 < v < SMALLEST_SHOWN for v in line)
    assert recovered_in_columns(table) == {}
