"""Workbooks as municipalities keep them, written by the tests.

- :func:`vastgoed_xlsx`: a real-estate list as an .xlsx — a notes sheet in
  front, a title block, a header merged over two rows with 'Adres' merged
  over Postcode | Huisnummer | Plaats, Dutch number formats (percentages,
  '#.##0,00', text '1.234,50'), dates, empty rows, and a formula cell whose
  value Excel computed (written into the file as Excel does);
- :func:`write_ods`: an OpenDocument spreadsheet (odfpy), with typed cells;
- :func:`encrypted_xlsx`: the same workbook protected with a password.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl


def with_cached_values(path: Path, values: dict[tuple[str, str], Any]) -> None:
    """Store the computed value of formula cells, as Excel does on saving
    (openpyxl writes formulas without their result). ``values`` maps
    (sheet xml name, cell) → value, e.g. ("sheet2", "F9") → 2469135."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    for (sheet, cell), value in values.items():
        name = f"xl/worksheets/{sheet}.xml"
        xml = parts[name].decode()
        xml, n = re.subn(rf'(<c r="{cell}"[^>]*>)<f>(.*?)</f><v\s*/>', rf"\1<f>\2</f><v>{value}</v>", xml)
        assert n == 1, f"no formula in {cell}"
        parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)


def vastgoed_workbook(rows: list[list[Any]] | None = None) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Toelichting"
    notes["A1"] = "Dit bestand bevat het maatschappelijk vastgoed; zie blad Vastgoed."
    ws = wb.create_sheet("Vastgoed")
    ws["A1"] = "Maatschappelijk vastgoed gemeente Geldrop-Mierlo"
    ws.merge_cells("A1:H1")
    ws["A2"] = "Peildatum: 1 januari 2026"
    # row 3 empty; header in rows 4-5
    for col, title in (("A", "Naam"), ("E", "Bezetting"), ("F", "Boekwaarde"), ("G", "Datum opname"),
                       ("H", "Beleid")):
        ws[f"{col}4"] = title
        ws.merge_cells(f"{col}4:{col}5")
    ws["B4"] = "Adres"
    ws.merge_cells("B4:D4")
    ws["B5"], ws["C5"], ws["D5"] = "Postcode", "Huisnummer", "Plaats"
    rows = rows if rows is not None else [
        ["De Smelt", "5664 HV", 12, "Geldrop", 0.85, 1234567.5, dt.date(2026, 3, 1), "behouden"],
        None,  # an empty row in the middle
        ["Het Huis", "5662jg", "3a", "Geldrop", 0.5, "1.234,50", dt.date(2025, 1, 2), "flexibel"],
        ["Sporthal Zuid", "5662 JG", 5, "Geldrop", 0.6, "=F6*2", dt.date(2025, 6, 30), "behouden"],
    ]
    r = 6
    for row in rows:
        if row is not None:
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c, value=value)
                if c == 5 and isinstance(value, float):
                    cell.number_format = "0%"
                if c == 6 and isinstance(value, float):
                    cell.number_format = "#,##0.00"
                if c == 7:
                    cell.number_format = "dd-mm-yyyy"
        r += 1
    ws.append([])
    ws.append([])
    wb.create_sheet("Grafiek")["A1"] = "leeg blad"
    return wb


def vastgoed_xlsx(path: Path, rows: list[list[Any]] | None = None, cached: bool = True) -> Path:
    wb = vastgoed_workbook(rows)
    wb.save(path)
    if cached and rows is None:
        with_cached_values(path, {("sheet2", "F9"): 2469135})
    return path


def encrypted_xlsx(path: Path, password: str = "geheim") -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO()
    vastgoed_workbook().save(plain)
    plain.seek(0)
    with open(path, "wb") as out:
        OOXMLFile(plain).encrypt(password, out)
    return path


def write_ods(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """An .ods with typed cells: str, int/float, ('pct', 0.85), date, ('formula', '=…', value)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            tr = TableRow()
            for value in row:
                if value is None:
                    cell = TableCell()
                elif isinstance(value, tuple) and value[0] == "pct":
                    cell = TableCell(valuetype="percentage", value=value[1])
                    cell.addElement(P(text=f"{value[1] * 100:.0f}%"))
                elif isinstance(value, tuple) and value[0] == "formula":
                    cell = TableCell(valuetype="float", value=value[2], formula=f"of:{value[1]}")
                    cell.addElement(P(text=str(value[2])))
                elif isinstance(value, dt.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat())
                    cell.addElement(P(text=value.strftime("%d-%m-%Y")))
                elif isinstance(value, (int, float)):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value).replace(".", ",")))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path
