"""Two tables must not give away by their difference what each withholds.

A table's own counts are suppressed as a table (kaveri.statistics.suppression). But a
coordinator can ask for two tables and subtract one from the other: the same choice with and
without a narrowing, every value of a narrowing in turn against the whole, or a period
against the same period a quarter or two shorter. So before a table is suppressed, each of its
counts is checked against the tables it could be subtracted from, and withheld where the
difference would be a count from 1 to SMALLEST_SHOWN - 1:

- Values of a narrowing. For each narrowing chosen (say the age group 18-24), the same count
  for every value of it, the rest of the choice unchanged, adds up to the count with the
  narrowing dropped. That line is protected as a table's row is (a lone small value would be
  the total minus the others), and the count is withheld where the protection hides its value
  or where all the other values together are 1 to SMALLEST_SHOWN - 1 (the whole minus this
  count). Every value's table sees the same line and hides the same cells.
- Quarters of the period. Periods are whole quarters (the form widens the chosen days), so
  any shorter period a coordinator could ask for leaves out some quarters at the beginning,
  some at the end, or both. The count is withheld where the quarters so left out hold 1 to
  SMALLEST_SHOWN - 1. (Whole months would do as well, but a flow of two people a month
  would then show nothing all year; a quarter's six show.)
- Both at once. The whole minus the count, for the period and for a shorter one, differ by
  the other values of a narrowing in the quarters left out: the count is withheld where
  those hold 1 to SMALLEST_SHOWN - 1.

The counts come as a cube: for each record, its month and its value of every narrowing
(StatisticsFilters.dimensions), counted over the period with no narrowing, so one query
gives the table and every table it could be subtracted from. The cube of a period does not
depend on the narrowings chosen, and a record's cell does not depend on the period (its
steps are those taken by the day counted, its age that at the end of its event's year): a
period's cube is its quarters' joined (kaveri.statistics.quarters), counted ahead each night
(kaveri.statistics.materialised), and a shorter period differs from a longer one by exactly
the quarters it leaves out, which is what the check of quarters above assumes."""

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import replace

from kaveri.statistics.filters import NARROWINGS, StatisticsFilters, whole_months
from kaveri.statistics.suppression import is_small, protected_line

# (month, value of every narrowing) -> counts by the table's own key; projected, (month,
# value of each narrowing chosen)
Cube = dict[tuple, Counter]

# The key part that stands for a table's total row or column: totals are subtracted too.
ALL = "*"


def position(key_part, parts: list) -> int:
    """The row or column of a key part in a table whose totals follow its parts."""
    return len(parts) if key_part == ALL else parts.index(key_part)


def coordinates(row: dict) -> tuple:
    """A record's place in the cube, from the annotations of `StatisticsFilters.dimensions`:
    its month, then its value of every narrowing in NARROWINGS order."""
    return (row["d_month"], *(row[f"d_{name}"] for name in NARROWINGS))


def _chosen_places(filters: StatisticsFilters) -> list[int]:
    """Where the narrowings chosen stand in a cube's coordinates."""
    return [1 + NARROWINGS.index(name) for name in filters.narrowed()]


def owned_by(filters: StatisticsFilters) -> Callable[[tuple], bool]:
    """Whether a record of the cube, by its coordinates, is counted in the table chosen."""
    chosen = list(zip(_chosen_places(filters), filters.chosen(), strict=True))

    def is_own(coords: tuple) -> bool:
        return all(coords[place] == value for place, value in chosen)

    return is_own


def own_counts(cube: Cube, filters: StatisticsFilters) -> Counter:
    found: Counter = Counter()
    is_own = owned_by(filters)
    for coords, counts in cube.items():
        if is_own(coords):
            found.update(counts)
    return found


def compact(cube: Cube, interned: dict | None = None) -> Cube:
    """The same cube with one object for each equal coordinate and key: a period's cube is
    kept over night (kaveri.statistics.materialised) and pickles each object once."""
    interned = {} if interned is None else interned

    def one(value):
        return interned.setdefault(value, value)

    return {
        tuple(map(one, coords)): Counter({one(key): n for key, n in counts.items()})
        for coords, counts in cube.items()
    }


def compact_with(cube: Cube, by_place: dict, interned: dict | None = None) -> tuple[Cube, dict]:
    """The cube compacted, and what else was kept by place in it with the same coordinates."""
    interned = {} if interned is None else interned
    cube = compact(cube, interned)
    return cube, {tuple(interned.get(c, c) for c in coords): v for coords, v in by_place.items()}


def project(cube: Cube, filters: StatisticsFilters) -> Cube:
    """The cube by month and the narrowings chosen only: (month, value of each chosen)."""
    places = _chosen_places(filters)
    found: Cube = {}
    for coords, counts in cube.items():
        key = (coords[0], *(coords[p] for p in places))
        if key in found:
            found[key].update(counts)
        else:
            found[key] = Counter(counts)
    return found


def within_month(cube: Cube, filters: StatisticsFilters, month) -> tuple[Cube, StatisticsFilters]:
    """The cube of one month's records, and the choice of that month alone."""
    found = {coords: counts for coords, counts in cube.items() if coords[0] == month}
    return found, replace(filters, start=month, end=whole_months(month, month)[1])


def withheld(cube: Cube, filters: StatisticsFilters) -> set[Hashable]:
    """The table's keys whose count another table would give away by difference."""
    chosen, wanted = project(cube, filters), filters.chosen()
    own = _by_month(chosen, lambda values: values == wanted)
    keys = {key for counts in own.values() for key, n in counts.items() if n}
    hidden = {key for key in keys if _quarters_left_out_small(own, filters, key)}
    for position in range(len(filters.narrowed())):
        line = _line(chosen, filters, position)
        value = filters.chosen()[position]
        hidden.update(key for key in keys if _hidden_in_line(line, value, key))
        others = _by_month(chosen, _is_other_value(filters, position))
        hidden.update(key for key in keys if _quarters_left_out_small(others, filters, key))
    return hidden


def _by_month(chosen: Cube, kept: Callable[[tuple], bool]) -> dict[object, Counter]:
    """Per month, the counts of the cells whose values of the narrowings chosen are kept."""
    found: dict[object, Counter] = {}
    for coords, counts in chosen.items():
        if kept(coords[1:]):
            found.setdefault(coords[0], Counter()).update(counts)
    return found


def _is_other_value(filters: StatisticsFilters, position: int) -> Callable[[tuple], bool]:
    """Whether a cell is of another value of the narrowing at `position`, the others as
    chosen: what the table without that narrowing minus this one counts. A period moved as
    well, the difference of the two differences is those cells in the quarters left out."""
    chosen = filters.chosen()
    rest = chosen[:position] + chosen[position + 1 :]

    def is_other(values: tuple) -> bool:
        others = values[:position] + values[position + 1 :]
        return values[position] != chosen[position] and others == rest

    return is_other


def _quarters_left_out_small(by_month: dict[object, Counter], filters, key) -> bool:
    series = [
        sum(by_month[month][key] for month in quarter if month in by_month)
        for quarter in filters.quarters()
    ]
    return any(is_small(n) for n in _left_out_by_shorter_periods(series))


def _left_out_by_shorter_periods(series: list[int]) -> Iterable[int]:
    """For every shorter period within the steps: the count of the steps it leaves out."""
    months = len(series)
    before = [0]
    for n in series:
        before.append(before[-1] + n)
    total = before[-1]
    for first in range(months):
        for last in range(first, months):
            if last - first + 1 < months:
                yield total - (before[last + 1] - before[first])


def _line(projected: Cube, filters: StatisticsFilters, position: int) -> dict[object, Counter]:
    """Counts per value of the narrowing at `position`, the other narrowings as chosen."""
    chosen = filters.chosen()
    line: dict[object, Counter] = {}
    for coords, counts in projected.items():
        values = coords[1:]
        others = values[:position] + values[position + 1 :]
        if others == chosen[:position] + chosen[position + 1 :]:
            line.setdefault(values[position], Counter()).update(counts)
    return line


def _hidden_in_line(line: dict[object, Counter], chosen, key) -> bool:
    """Hidden by the line's protection, or leaving out of the whole only a few (who would
    be the whole minus this count, all the other values together)."""
    if chosen not in line:
        return False
    values = sorted(line, key=repr)
    counts = [line[value][key] for value in values]
    left_out = sum(counts) - line[chosen][key]
    return is_small(left_out) or protected_line(counts)[values.index(chosen)]
