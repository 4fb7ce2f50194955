"""Spreadsheets as municipalities keep them: Excel (.xlsx, .xlsm, .xls) and
OpenDocument (.ods).

:func:`read_sheet` turns one sheet into a table of typed cell values the way
a person reads it:

- the sheet is the one asked for (``--sheet``), else the one whose header
  row ``prefer`` scores best (the first on a tie); :func:`sheet_names` lists them;
- the header row is found under a title block (the first row, within the
  first :data:`HEADER_SEARCH_ROWS`, with the most text cells); a header
  whose cells are merged across columns over a second header row (``Adres``
  over ``Straat | Huisnummer | Postcode``) gives the lower names, prefixed
  with the upper one where a lower name repeats;
- number formats: a percentage cell (``85%``, stored as 0.85) reads as 85, a
  date cell as a date, a formula as the value Excel last computed (a
  formula that was never computed is refused, naming the cell), decimal
  commas and thousands separators in text cells are left to the importers'
  Dutch number parsing;
- empty rows and columns are dropped; each data row keeps its row number in
  the sheet, so messages name ``blad``, ``rij`` and ``kolom`` as the user
  sees them.

Reading is done by well-kept libraries: openpyxl for .xlsx/.xlsm (it knows
merged cells, number formats and cached formula values), python-calamine for
.ods and .xls. A workbook protected with a password (an encrypted OLE
container), or one that is damaged, is refused with a clear message.
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..errors import ImportFormatError

SHEET_FORMATS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}
FORMAT_LABELS = {"xlsx": "Excel-werkmap (.xlsx)", "xls": "Excel 97-2003-werkmap (.xls)",
                 "ods": "OpenDocument-rekenblad (.ods)"}
HEADER_SEARCH_ROWS = 30
MAX_SHEET_CELLS = 5_000_000  # a sheet with more cells than this is refused (memory)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Table:
    """One sheet's data: column names, rows of typed values, and where they came from."""

    sheet: str
    sheets: list[str]
    columns: list[str]
    frame: pd.DataFrame  # object columns: str, float, int, bool, date/datetime or None
    row_numbers: list[int]  # each frame row's 1-based row in the sheet
    header_rows: str  # '4' or '4–5' (1-based, as the sheet shows)
    notes: list[str] = field(default_factory=list)


def sniff_sheet(path: Path, name: str) -> str | None:
    """'xlsx', 'xls' or 'ods' when ``name`` says a spreadsheet; its bytes must agree."""
    fmt = SHEET_FORMATS.get(Path(name).suffix.lower())
    if fmt is None:
        return None
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE_MAGIC):
        if fmt == "xls" and not _encrypted_ole(path):
            return fmt
        if _encrypted_ole(path):
            raise ImportFormatError(
                f"{name}: de werkmap is met een wachtwoord beveiligd; sla hem zonder wachtwoord op en probeer opnieuw"
            )
        raise ImportFormatError(f"{name}: heet {Path(name).suffix} maar is een ouder Office-bestand; "
                                "sla het op als .xlsx")
    if fmt in ("xlsx", "ods") and not head.startswith(b"PK\x03\x04"):
        raise ImportFormatError(f"{name}: is geen geldige {FORMAT_LABELS[fmt]} (het bestand is beschadigd of "
                                "heeft een verkeerde extensie)")
    if fmt == "xls" and not head.startswith(_OLE_MAGIC):
        raise ImportFormatError(f"{name}: is geen geldige {FORMAT_LABELS[fmt]}")
    return fmt


def _encrypted_ole(path: Path) -> bool:
    """An OLE container holding an ``EncryptedPackage`` stream is a password-protected
    Office file (xlsx/docx with a password to open)."""
    data = path.read_bytes()[: 2**20]
    return "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data


# --- raw cells per library --------------------------------------------------------------
@dataclass
class _Grid:
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]]  # 0-based (r0, c0, r1, c1), inclusive


def _damaged(name: str, fmt: str, exc: BaseException) -> ImportFormatError:
    text = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
    return ImportFormatError(f"{name}: kan niet gelezen worden als {FORMAT_LABELS[fmt]} ({text})")


def _open_xlsx(path: Path, name: str):
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unknown extensions, data validation …
            return openpyxl.load_workbook(path, data_only=True, read_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError, AttributeError,
            EOFError) as exc:
        raise _damaged(name, "xlsx", exc) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises lxml/xml errors of many kinds for broken parts
        raise _damaged(name, "xlsx", exc) from None


def _xlsx_names(path: Path, name: str) -> list[str]:
    return list(_open_xlsx(path, name).sheetnames)


def _xlsx_grid(wb, sheet: str, name: str, formulas: set[str]) -> _Grid:
    ws = wb[sheet]
    if ws.max_row * ws.max_column > MAX_SHEET_CELLS:
        raise ImportFormatError(f"{name}, blad '{sheet}': te groot ({ws.max_row} rijen × {ws.max_column} kolommen)")
    rows: list[list[Any]] = []
    for r, row in enumerate(ws.iter_rows(), start=1):
        out = []
        for c, cell in enumerate(row, start=1):
            value = cell.value
            if isinstance(value, str) and value.startswith("=") and cell.data_type == "f":
                value = _Formula(sheet, cell.coordinate)
            elif value is None and cell.coordinate in formulas:
                value = _Formula(sheet, cell.coordinate)
            elif isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
                value = round(value * 100, 10)
            elif isinstance(value, dt.datetime) and value.time() == dt.time(0) and not _has_time(cell.number_format):
                value = value.date()
            elif isinstance(value, dt.time):
                value = value.isoformat(timespec="minutes")
            out.append(value)
        rows.append(out)
    merged = [(rg.min_row - 1, rg.min_col - 1, rg.max_row - 1, rg.max_col - 1) for rg in ws.merged_cells.ranges]
    return _Grid(rows, merged)


def _has_time(fmt: str | None) -> bool:
    f = (fmt or "").lower()
    return "h" in f or "ss" in f


@dataclass(frozen=True)
class _Formula:
    """A formula cell whose computed value the file does not hold."""

    sheet: str
    cell: str


def _calamine_names(path: Path, name: str, fmt: str) -> list[str]:
    return list(_calamine_book(path, name, fmt).sheet_names)


def _calamine_book(path: Path, name: str, fmt: str):
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - calamine reports every problem as its own error types
        raise _damaged(name, fmt, exc) from None


_ODS_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}


def _ods_percent_cells(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Sheet → (row, column), 0-based, of the cells an .ods types as percentages
    (calamine gives their stored fraction, 0.85 for 85%)."""
    import xml.etree.ElementTree as ET

    t, o = _ODS_NS["table"], _ODS_NS["office"]
    out: dict[str, set[tuple[int, int]]] = {}
    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
            sheet, r = None, 0
            for event, el in ET.iterparse(fh, events=("start", "end")):
                tag = el.tag
                if event == "start" and tag == f"{{{t}}}table":
                    sheet, r = el.get(f"{{{t}}}name"), 0
                    out.setdefault(sheet, set())
                elif event == "end" and tag == f"{{{t}}}table-row":
                    c = 0
                    for cell in el:
                        span = int(cell.get(f"{{{t}}}number-columns-repeated", "1"))
                        if cell.get(f"{{{o}}}value-type") == "percentage":
                            out[sheet].update((r, c + k) for k in range(min(span, 1024)))
                        c += span
                    r += int(el.get(f"{{{t}}}number-rows-repeated", "1"))
                    el.clear()
    except (zipfile.BadZipFile, KeyError, OSError, ET.ParseError):
        return {}
    return out


def _calamine_grid(book, sheet: str, name: str, fmt: str, percent: set[tuple[int, int]] = frozenset()) -> _Grid:
    try:
        ws = book.get_sheet_by_name(sheet)
        rows = ws.to_python(skip_empty_area=False)
        merged = [((r0, c0), (r1, c1)) for (r0, c0), (r1, c1) in (getattr(ws, "merged_cell_ranges", None) or [])]
    except Exception as exc:  # noqa: BLE001
        raise _damaged(name, fmt, exc) from None
    if sum(len(r) for r in rows) > MAX_SHEET_CELLS:
        raise ImportFormatError(f"{name}, blad '{sheet}': te groot ({len(rows)} rijen)")
    out = []
    for r, row in enumerate(rows):
        cells = []
        for c, v in enumerate(row):
            if (r, c) in percent and isinstance(v, (int, float)) and not isinstance(v, bool):
                v = round(v * 100, 10)
            elif isinstance(v, str) and v == "":
                v = None
            elif isinstance(v, dt.datetime) and v.time() == dt.time(0):
                v = v.date()
            elif isinstance(v, dt.time):
                v = v.isoformat(timespec="minutes")
            elif isinstance(v, dt.timedelta):
                v = str(v)
            cells.append(v)
        out.append(cells)
    return _Grid(out, [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merged])


class Workbook:
    """An open workbook: its sheet names and each sheet's grid of cells."""

    def __init__(self, path: Path, name: str, fmt: str):
        self.path, self.name, self.fmt = path, name, fmt
        if fmt == "xlsx":
            self._book = _open_xlsx(path, name)
            self.sheets = list(self._book.sheetnames)
            self._formulas = None
            if _has_formulas(path):
                import openpyxl

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    self._formulas = openpyxl.load_workbook(path, data_only=False)
        else:
            self._percent: dict[str, set[tuple[int, int]]] | None = None
            self._book = _calamine_book(path, name, fmt)
            self.sheets = list(self._book.sheet_names)
        if not self.sheets:
            raise ImportFormatError(f"{name}: de werkmap heeft geen bladen")

    def grid(self, sheet: str) -> _Grid:
        if self.fmt == "xlsx":
            cells: set[str] = set()
            if self._formulas is not None:  # cells that hold a formula, to tell 'never computed' from empty
                cells = {c.coordinate for row in self._formulas[sheet].iter_rows() for c in row if c.data_type == "f"}
            return _xlsx_grid(self._book, sheet, self.name, cells)
        if self.fmt == "ods":
            if self._percent is None:
                self._percent = _ods_percent_cells(self.path)
            return _calamine_grid(self._book, sheet, self.name, self.fmt, self._percent.get(sheet, set()))
        return _calamine_grid(self._book, sheet, self.name, self.fmt)


def _has_formulas(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return any(n.startswith("xl/worksheets/") and b"<f" in zf.read(n) for n in zf.namelist()
                       if n.endswith(".xml"))
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


# --- from a grid to a table ---------------------------------------------------------------
def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and np.isnan(v))


def _is_text(v: Any) -> bool:
    if not isinstance(v, str) or not v.strip():
        return False
    s = v.strip().replace(".", "").replace(",", "").replace("%", "").replace("-", "").replace(" ", "")
    return not s.isdigit()


def _fill_merged(rows: list[list[Any]], merged: list[tuple[int, int, int, int]], upto: int) -> None:
    """Give every cell of a merged range within the first ``upto`` rows the range's value."""
    for r0, c0, r1, c1 in merged:
        if r0 >= upto or r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else None
        for r in range(r0, min(r1, upto - 1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value


def _header_row(rows: list[list[Any]]) -> int | None:
    """The first of the first rows that names (nearly) as many columns as the
    widest row fills, with (about) as many distinct texts as any row: a title
    block has one text (merged across, or in one cell) or a few, a header one
    per column; a data row below the header may have as many texts but comes later."""
    head = rows[:HEADER_SEARCH_ROWS]
    distinct = [len({str(v).strip() for v in row if _is_text(v)}) for row in head]
    filled = [sum(1 for v in row if not _blank(v)) for row in head]
    if not distinct or max(distinct) < 2:
        return None
    most_texts, widest = max(distinct), max(filled)
    for r, row in enumerate(head):
        if distinct[r] >= max(2, 0.5 * most_texts) and filled[r] >= 0.8 * widest:
            return r
    return int(np.argmax(distinct))


def _table(grid: _Grid, sheet: str, sheets: list[str], name: str) -> Table:
    rows = grid.rows
    width = max((len(r) for r in rows), default=0)
    rows = [list(r) + [None] * (width - len(r)) for r in rows]
    _fill_merged(rows, grid.merged, HEADER_SEARCH_ROWS + 1)
    h = _header_row(rows)
    if h is None:
        raise ImportFormatError(f"{name}, blad '{sheet}': geen kopregel gevonden (een rij met kolomnamen)")
    def texts(r: int) -> list[str]:
        return [("" if _blank(v) else str(v).strip()) for v in rows[r]]

    def grouped(r: int) -> bool:  # cells merged across columns within row r only
        return any(r0 == r1 == r and c1 > c0 for r0, c0, r1, c1 in grid.merged)

    header, first = texts(h), h + 1
    # A two-row header: group cells merged across columns over sub-headers ('Adres' over
    # 'Postcode | Huisnummer | Plaats'). The lower names count, prefixed with the group's
    # where a lower name repeats ('2025 Kosten', '2026 Kosten').
    upper = None
    if grouped(h) and first < len(rows) and any(_is_text(v) for v in rows[first]) \
            and all(_blank(v) or _is_text(v) for v in rows[first]):
        upper, header, first = header, texts(first), first + 1
    elif h > 0 and grouped(h - 1) and all(_blank(v) or isinstance(v, (str, int)) for v in rows[h - 1]):
        upper = texts(h - 1)
    if upper is not None:
        names = [lo or up for up, lo in zip(upper, header)]
        dupes = {n for n in names if n and names.count(n) > 1}
        header = [f"{up} {lo}" if (lo in dupes and up and up != lo) else n for up, lo, n in zip(upper, header, names)]
    keep = [c for c, col in enumerate(header) if col or any(not _blank(r[c]) for r in rows[first:])]
    columns = []
    for c in keep:
        col = header[c] or f"kolom_{_letters(c)}"
        if col in columns:
            raise ImportFormatError(f"{name}, blad '{sheet}': kolomnaam '{col}' staat er twee keer in "
                                    f"(rij {h + 1}); geef de kolommen verschillende namen")
        columns.append(col)
    data, numbers = [], []
    for r in range(first, len(rows)):
        values = [rows[r][c] for c in keep]
        if all(_blank(v) for v in values):
            continue
        for c, v in zip(keep, values):
            if isinstance(v, _Formula):
                raise ImportFormatError(
                    f"{name}, blad '{sheet}', rij {r + 1}, kolom {header[c] or _letters(c)} (cel {v.cell}): "
                    "bevat een formule zonder berekende uitkomst; open het bestand in Excel of LibreOffice, "
                    "sla het op en probeer opnieuw"
                )
        data.append([None if _blank(v) else (_unquote(v.strip()) if isinstance(v, str) else v) for v in values])
        numbers.append(r + 1)
    frame = pd.DataFrame(data, columns=columns, dtype=object) if data else pd.DataFrame(columns=columns, dtype=object)
    shown = f"{h + 1}" if first == h + 1 else f"{h + 1}–{first}"
    notes = [f"blad '{sheet}', kopregel op rij {shown}"]
    return Table(sheet, sheets, columns, frame, numbers, shown, notes)


def _unquote(text: str) -> str:
    """Text an export neutralised ('=…' written as "'=…", OWASP) back as it was."""
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return text[1:]
    return text


def _letters(c: int) -> str:
    out = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


def read_sheet(path: Path, name: str, fmt: str, sheet: str | None = None,
               prefer: Callable[[list[str]], float] | None = None) -> Table:
    """The table of one sheet of a workbook (see the module doc)."""
    book = Workbook(path, name, fmt)
    if sheet is not None:
        if sheet not in book.sheets:
            raise ImportFormatError(f"{name}: blad '{sheet}' bestaat niet; bladen: {', '.join(book.sheets)}")
        return _table(book.grid(sheet), sheet, book.sheets, name)
    tables: list[Table] = []
    errors: list[ImportFormatError] = []
    for s in book.sheets:
        try:
            tables.append(_table(book.grid(s), s, book.sheets, name))
        except ImportFormatError as exc:
            errors.append(exc)
    useful = [t for t in tables if len(t.frame)]
    if not useful:
        if errors:  # the error of a sheet that has a table beats 'no header row' on a notes sheet
            raise next((e for e in errors if "geen kopregel" not in str(e)), errors[0])
        raise ImportFormatError(f"{name}: geen van de bladen ({', '.join(book.sheets)}) bevat gegevens")
    if len(useful) == 1 or prefer is None:
        return useful[0]
    scores = [prefer(t.columns) for t in useful]
    return useful[int(np.argmax(scores))]


def sheet_names(path: Path, name: str, fmt: str) -> list[str]:
    return Workbook(path, name, fmt).sheets
