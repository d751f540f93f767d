"""A statistics table as it leaves Kaveri: a title, a header and rows of labels and figures,
with None where a figure is withheld. The same table is a CSV file, a worksheet and an API
answer, so that every export says exactly what the page says."""

import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

# Statistics Finland's mark for a figure withheld to protect the people behind it.
HIDDEN = ".."

Cell = str | int | float | None


@dataclass(frozen=True)
class StatTable:
    name: str  # the file name's stem and the API's table name
    title: str
    header: list[str]
    rows: list[list[Cell]]

    def as_text(self) -> list[list[str]]:
        return [self.header] + [[_text(cell) for cell in row] for row in self.rows]


def _text(cell: Cell) -> str:
    return HIDDEN if cell is None else str(cell)


def csv_bytes(table: StatTable) -> bytes:
    """Semicolon-separated, with a byte order mark so that a spreadsheet reads UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out, delimiter=";").writerows(table.as_text())
    return out.getvalue().encode("utf-8")


def xlsx_bytes(table: StatTable) -> bytes:
    """One worksheet: the title, the header in bold, figures as numbers, '..' as text."""
    book = Workbook()
    sheet = book.active
    sheet.title = table.name[:31]
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(table.header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([HIDDEN if cell is None else cell for cell in row])
    sheet.column_dimensions["A"].width = max([len(str(row[0])) for row in table.rows if row] + [20])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FORMATS = {
    "csv": ("text/csv; charset=utf-8", csv_bytes),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx_bytes),
}
