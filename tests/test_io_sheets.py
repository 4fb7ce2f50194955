"""Excel and OpenDocument workbooks in: sheet choice, header under a title
block, merged headers, number formats, dates, empty rows, formulas, and
clear refusals of damaged and password-protected workbooks."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from shapely.geometry import Point

from geo import model as m
from geo.cli import main
from geo.errors import ImportFormatError
from geo.io.readers import read_source
from geo.store import open_store
from tests.workbooks import encrypted_xlsx, vastgoed_workbook, vastgoed_xlsx, with_cached_values, write_ods


def test_the_data_sheet_is_found_under_a_title_block_with_merged_headers(tmp_path):
    src = read_source(vastgoed_xlsx(tmp_path / "vastgoed.xlsx"))
    assert src.format == "xlsx"
    assert src.layer == "Vastgoed"  # not the notes sheet in front, not the empty chart sheet
    assert src.layers == ["Toelichting", "Vastgoed", "Grafiek"]
    assert src.columns == ["Naam", "Postcode", "Huisnummer", "Plaats", "Bezetting", "Boekwaarde", "Datum opname",
                           "Beleid"]
    assert src.row_numbers == [6, 8, 9]  # the empty row 7 is left out, rows keep their number in the sheet
    assert src.by_address and "kopregel op rij 4–5" in src.crs_note


def test_cells_are_read_as_a_person_reads_them(tmp_path):
    rows = read_source(vastgoed_xlsx(tmp_path / "vastgoed.xlsx")).frame.drop(columns="geometry").to_dict("records")
    smelt, huis, hal = rows
    assert smelt["Bezetting"] == 85.0  # 85% in the sheet, 0.85 in the file
    assert smelt["Boekwaarde"] == 1234567.5  # a number with a Dutch display format stays a number
    assert smelt["Datum opname"] == dt.date(2026, 3, 1)
    assert huis["Boekwaarde"] == "1.234,50"  # typed as text: left to the Dutch number parsing
    assert huis["Huisnummer"] == "3a"
    assert hal["Boekwaarde"] == 2469135  # a formula: the value Excel computed


def test_a_formula_that_was_never_computed_is_refused_naming_the_cell(tmp_path):
    path = vastgoed_xlsx(tmp_path / "vastgoed.xlsx", cached=False)
    with pytest.raises(ImportFormatError, match=r"blad 'Vastgoed', rij 9, kolom Boekwaarde \(cel F9\): .*formule"):
        read_source(path)


def test_a_sheet_is_chosen_by_name_and_an_unknown_one_is_refused(tmp_path):
    path = vastgoed_xlsx(tmp_path / "vastgoed.xlsx")
    assert read_source(path, layer="Vastgoed").layer == "Vastgoed"
    with pytest.raises(ImportFormatError, match="blad 'Kaart' bestaat niet; bladen: Toelichting, Vastgoed, Grafiek"):
        read_source(path, layer="Kaart")
    with pytest.raises(ImportFormatError, match="geen kopregel"):
        read_source(path, layer="Toelichting")


def test_a_workbook_with_coordinates_is_placed_without_addresses(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Speelplekken"
    ws.append(["Naam", "Soort", "X", "Y"])
    ws.append(["Speeltuin", "speeltuin", "165.400,5", 380400])  # Dutch text number beside a real one
    path = tmp_path / "speel.xlsx"
    wb.save(path)
    src = read_source(path)
    assert not src.by_address
    assert src.frame.geometry.iloc[0].equals(Point(165400.5, 380400))


def test_a_bad_coordinate_names_sheet_row_and_column(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Lijst"
    ws.append(["Overzicht"])
    ws.append(["Naam", "lat", "lon"])
    ws.append(["A", 51.42, 5.57])
    ws.append(["B", "vijftig", 5.57])
    path = tmp_path / "lijst.xlsx"
    wb.save(path)
    with pytest.raises(ImportFormatError, match=r"lijst.xlsx, blad 'Lijst': rij 4, veld lat: 'vijftig' is geen getal"):
        read_source(path)


def test_an_ods_reads_like_an_xlsx(tmp_path):
    path = write_ods(tmp_path / "stembureaus.ods", {
        "Info": [["Lijst van stembureaus"]],
        "Stembureaus": [
            ["Stembureaus gemeenteraad 2026"], [],
            ["Naam", "Postcode", "Huisnummer", "Bezetting", "Datum", "Totaal"],
            ["SCC Hofdael", "5664 HV", 1, ("pct", 0.85), dt.date(2026, 3, 1), ("formula", "[.B4]*2", 2)],
            [None] * 6,
            ["Kasteelhoeve", "5662 JG", "3a", ("pct", 0.5), dt.date(2026, 3, 2), 4.5],
        ],
    })
    src = read_source(path)
    assert (src.format, src.layer, src.row_numbers) == ("ods", "Stembureaus", [4, 6])
    first, second = src.frame.drop(columns="geometry").to_dict("records")
    assert first["Bezetting"] == 85.0 and second["Bezetting"] == 50.0
    assert first["Datum"] == dt.date(2026, 3, 1) and first["Totaal"] == 2
    assert second["Huisnummer"] == "3a"


def test_damaged_and_protected_workbooks_are_refused_clearly(tmp_path):
    good = vastgoed_xlsx(tmp_path / "goed.xlsx").read_bytes()
    cut = tmp_path / "kapot.xlsx"
    cut.write_bytes(good[: len(good) // 2])
    with pytest.raises(ImportFormatError, match="kapot.xlsx: kan niet gelezen worden als Excel"):
        read_source(cut)
    csv_named_xlsx = tmp_path / "lijst.xlsx"
    csv_named_xlsx.write_text("naam;postcode\nA;5664HV\n")
    with pytest.raises(ImportFormatError, match="lijst.xlsx: is geen geldige Excel"):
        read_source(csv_named_xlsx)
    with pytest.raises(ImportFormatError, match="met een wachtwoord beveiligd"):
        read_source(encrypted_xlsx(tmp_path / "geheim.xlsx"))
    broken_ods = tmp_path / "kapot.ods"
    broken_ods.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(ImportFormatError, match="kapot.ods: kan niet gelezen worden als OpenDocument"):
        read_source(broken_ods)


def test_duplicate_column_names_are_refused(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Naam", "Postcode", "Naam"])
    wb.active.append(["A", "5664HV", "B"])
    path = tmp_path / "dubbel.xlsx"
    wb.save(path)
    with pytest.raises(ImportFormatError, match="kolomnaam 'Naam' staat er twee keer in"):
        read_source(path)


def test_repeated_sub_headers_under_merged_groups_are_prefixed(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["D1"] = "Naam", "2025", "2026"
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:C1")
    ws.merge_cells("D1:E1")
    ws["B2"], ws["C2"], ws["D2"], ws["E2"] = "Kosten", "Bezetting", "Kosten", "Bezetting"
    ws.append(["Huis", 100, 0.5, 110, 0.6])
    path = tmp_path / "jaren.xlsx"
    wb.save(path)
    ws_path = path
    with pytest.raises(ImportFormatError, match="geen geometrie"):  # no place in it: the columns are still named
        read_source(ws_path)
    from geo.io.sheets import read_sheet

    assert read_sheet(path, "jaren.xlsx", "xlsx").columns == [
        "Naam", "2025 Kosten", "2025 Bezetting", "2026 Kosten", "2026 Bezetting"]


def test_cli_imports_an_excel_sheet_of_real_estate_by_address(demo_db_url, tmp_path, capsys):
    s = open_store(demo_db_url)
    p = s.get(m.Area, "BU17710005").geometry.representative_point()
    s.bulk_add(m.AddressPoint, {
        "geometry": [Point(p.x, p.y), Point(p.x + 20, p.y), Point(p.x + 40, p.y)],
        "postcode": ["5664HV", "5662JG", "5662JG"], "house_number": [12, 3, 5],
        "house_letter": ["", "A", ""], "street": ["Hofdael", "Kasteellaan", "Kasteellaan"],
        "place": ["Geldrop", "Geldrop", "Geldrop"], "bag_id": ["1771010000000001", "1771010000000002", ""],
        "buurt_code": ["BU17710005"] * 3,
    })
    path = vastgoed_xlsx(tmp_path / "vastgoed.xlsx")
    before = s.count(m.RealEstate)
    assert main(["--db", demo_db_url, "import", "places", str(path), "--as", "real-estate", "--sheet", "Vastgoed",
                 "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["imported"] == 3 and doc["placed_by"] == {"postcode_number": 3}
    added = {r.name: r for r in s.list(m.RealEstate)[before:]}
    assert added["De Smelt"].occupancy_pct == 85 and added["De Smelt"].book_value_eur == 1234567.5
    assert added["Het Huis"].book_value_eur == 1234.5 and added["Het Huis"].policy == "flexible"
    assert added["Het Huis"].geometry.equals(Point(p.x + 20, p.y))
    assert added["Sporthal Zuid"].book_value_eur == 2469135


def test_cli_refuses_a_protected_workbook_with_one_line(demo_db_url, tmp_path, capsys):
    path = encrypted_xlsx(tmp_path / "geheim.xlsx")
    before = open_store(demo_db_url).data_version()
    assert main(["--db", demo_db_url, "import", "places", str(path), "--as", "real-estate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: geheim.xlsx: de werkmap is met een wachtwoord beveiligd") and err.count("\n") == 1
    assert open_store(demo_db_url).data_version() == before


def test_workbook_helper_writes_formulas_with_values(tmp_path):
    wb = vastgoed_workbook()
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(AssertionError):
        with_cached_values(tmp_path / "x.xlsx", {("sheet2", "A6"): 1})  # not a formula cell


def test_workbooks_pass_the_import_limits_and_the_value_checks(tmp_path):
    from geo.io.limits import ImportLimits

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plekken"
    ws.append(["Lijst van plekken"])
    ws.append(["Naam", "X", "Y", "Capaciteit"])
    for i in range(12):
        ws.append([f"Plek {i}", 165_400 + i, 380_400, 10])
    path = tmp_path / "plekken.xlsx"
    wb.save(path)
    assert len(read_source(path)) == 12
    with pytest.raises(ImportFormatError, match="plekken.xlsx, blad 'Plekken': te veel rijen"):
        read_source(path, limits=ImportLimits(layer="meeting-places", max_rows=10))
    ws["D9"] = 1e300  # an absurd number in the sheet's row 9
    wb.save(path)
    with pytest.raises(ImportFormatError, match=r"blad 'Plekken'.*rij 9.*Capaciteit"):
        read_source(path)
