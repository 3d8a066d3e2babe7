"""Tables for spreadsheets: CSV that Excel and WPS open as Chinese, and XLSX, both with
cells that cannot run as formulas. Shared by every export (the audit record, the case
ledger); each export only says which columns and rows."""

import csv
import io

from .text import xml_safe

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

# A spreadsheet program runs a cell that starts with one of these as a formula (CSV
# injection): prefix it with an apostrophe, which Excel and WPS show as plain text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe(value):
    """A cell's text, guarded. Numbers stay numbers (a negative count is not a formula);
    everything else becomes text, with a leading ' where a spreadsheet would compute it."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    # Whatever was stored (before text was cleaned at the door, or by a path that did not
    # clean it), a control character must not make the file fail: XML cannot hold it.
    text = "" if value is None else xml_safe(str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value):
        return value


def csv_stream(header, rows):
    """The table as CSV lines, one string per row, for a StreamingHttpResponse: UTF-8
    with a byte-order mark, so that Excel and WPS open the Chinese correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([safe(v) for v in row])


def xlsx_bytes(header, rows, *, sheet="Sheet1", widths=()):
    """The table as one XLSX workbook (openpyxl's write-only mode: rows are not kept in
    memory as cell objects), the header frozen at the top."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    ws.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.append([safe(v) for v in header])
    for row in rows:
        ws.append([safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
