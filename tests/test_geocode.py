"""Rows without coordinates placed on BAG address points, offline: a
synthetic BAG extract is imported (the columnar ``--as address-points``
path), then a list of addresses is matched against it."""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest
from shapely.geometry import Point

from geo import model as m
from geo.access import Actor
from geo.cli import main
from geo.errors import ValidationError
from geo.io.addresses import Address, read_address
from geo.io.places import commit_places, import_places, plan_places
from geo.io.readers import read_source
from geo.store import open_store
from tests.places_world import A, B, X0, Y0, buurten

ADMIN = Actor("beheer", "admin")
# identificatie, postcode, huisnummer, huisletter, toevoeging, straat, plaats, x, y
BAG = [
    ("0999010000000001", "5661AA", 1, "", "", "Sint-Jozefstraat", "Geldrop", 50, 50),
    ("0999010000000002", "5661AA", 3, "", "", "Sint-Jozefstraat", "Geldrop", 70, 50),
    ("0999010000000003", "5661AA", 12, "", "", "Sint-Jozefstraat", "Geldrop", 100, 100),
    ("0999010000000004", "5661AA", 12, "A", "", "Sint-Jozefstraat", "Geldrop", 120, 100),
    ("0999010000000005", "5661AB", 14, "", "1", "Heuvel", "Geldrop", 200, 200),
    ("0999010000000006", "5661AB", 14, "", "2", "Heuvel", "Geldrop", 200, 220),
    ("0999010000000007", "5661AB", 20, "A", "", "Heuvel", "Geldrop", 250, 250),
    ("0999010000000008", "5661AB", 20, "B", "", "Heuvel", "Geldrop", 780, 380),
    ("0999010000000009", "5662BA", 7, "", "", "Émile Zolastraat", "Mierlo", 500, 100),
    ("0999010000000010", "5662BA", 9, "", "", "Émile Zolastraat", "Mierlo", 520, 100),
]


def bag_csv(path, rows=BAG):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["identificatie", "postcode", "huisnummer", "huisletter", "huisnummertoevoeging",
                    "openbareruimtenaam", "woonplaatsnaam", "x", "y"])
        for ident, pc, nr, letter, add, street, place, dx, dy in rows:
            w.writerow([ident, pc, nr, letter, add, street, place, X0 + dx, Y0 + dy])
    return path


@pytest.fixture
def world(store, tmp_path):
    store.add_all(buurten())
    summary = import_places(store, ADMIN, bag_csv(tmp_path / "bag.csv"), "address-points")
    assert (summary.imported, summary.created, summary.updated) == (10, 10, 0)
    return store


def test_address_points_carry_the_address(world):
    p = world.list(m.AddressPoint, bag_id="0999010000000009")[0]
    assert (p.postcode, p.house_number, p.street, p.place, p.buurt_code) == ("5662BA", 7, "Émile Zolastraat",
                                                                             "Mierlo", B)
    assert p.street_key == "emile zolastraat|mierlo"
    p4 = world.list(m.AddressPoint, bag_id="0999010000000004")[0]
    assert (p4.house_number, p4.house_letter, p4.buurt_code) == (12, "A", A)


def test_a_fresh_extract_replaces_points_by_bag_id(world, tmp_path):
    moved = [("0999010000000001", "5661AA", 1, "", "", "Sint-Jozefstraat", "Geldrop", 60, 60),
             ("0999010000000099", "5661AA", 5, "", "", "Sint-Jozefstraat", "Geldrop", 80, 50)]
    summary = import_places(world, ADMIN, bag_csv(tmp_path / "bag2.csv", moved), "address-points")
    assert (summary.created, summary.updated) == (1, 1)
    assert world.count(m.AddressPoint) == 11
    assert world.list(m.AddressPoint, bag_id="0999010000000001")[0].geometry.equals(Point(X0 + 60, Y0 + 60))


def test_bad_values_in_an_extract_refuse_it_naming_row_and_column(store, tmp_path):
    store.add_all(buurten())
    bad = list(BAG)
    bad[3] = ("0999010000000004", "566 AA", 12, "A", "", "Sint-Jozefstraat", "Geldrop", 120, 100)
    with pytest.raises(ValidationError, match=r"bag.csv: rij 4, veld 'postcode': '566 AA' is geen postcode"):
        import_places(store, ADMIN, bag_csv(tmp_path / "bag.csv", bad), "address-points")
    bad[3] = ("0999010000000004", "5661AA", "twaalf", "A", "", "Sint-Jozefstraat", "Geldrop", 120, 100)
    with pytest.raises(ValidationError, match=r"rij 4, veld 'huisnummer': 'twaalf' is geen huisnummer"):
        import_places(store, ADMIN, bag_csv(tmp_path / "bag.csv", bad), "address-points")
    assert store.count(m.AddressPoint) == 0


ADDRESSES = [
    # name, bag id, postcode, number, street, place
    ("Bij id", "0999010000000002", "", "", "", ""),
    ("Postcode en nummer", "", "5661 aa", "1", "", ""),
    ("Met letter", "", "5661AA", "12a", "", ""),
    ("Met toevoeging", "", "5661AB", "14-2", "", ""),
    ("Op straat", "", "", "7", "EMILE ZOLASTRAAT", "mierlo"),
    ("Dubbel", "", "5661AB", "20", "", ""),
    ("Onbekend", "", "9999ZZ", "1", "", ""),
    ("Verkeerd nummer", "", "5661AA", "4", "", ""),
    ("Niets", "", "", "", "", ""),
]


def address_xlsx(path, rows=ADDRESSES):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Panden"
    ws.append(["Gebouwen van de gemeente"])
    ws.append([])
    ws.append(["Naam", "BAG-id", "Postcode", "Huisnummer", "Straat", "Plaats"])
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def test_rows_are_placed_per_method_and_the_rest_reported_with_reasons(world, tmp_path):
    source = read_source(address_xlsx(tmp_path / "panden.xlsx"))
    plan = plan_places(world, source, "real-estate")
    s = plan.summary
    assert s.placed_by == {"bag_id": 1, "postcode_number": 3, "street_number": 1}
    placed = {r.name: r.geometry for r in plan.records}
    assert placed["Bij id"].equals(Point(X0 + 70, Y0 + 50))
    assert placed["Postcode en nummer"].equals(Point(X0 + 50, Y0 + 50))
    assert placed["Met letter"].equals(Point(X0 + 120, Y0 + 100))  # 12A, not 12
    assert placed["Met toevoeging"].equals(Point(X0 + 200, Y0 + 220))
    assert placed["Op straat"].equals(Point(X0 + 500, Y0 + 100))  # Émile Zolastraat, Mierlo
    unplaced = {u["row"]: u for u in s.unplaced}
    assert sorted(unplaced) == [9, 10, 11, 12]  # sheet rows (title block and header above)
    assert unplaced[9]["reason"].startswith("adres niet eenduidig")
    assert unplaced[9]["candidates"] == ["Heuvel 20A, 5661 AB Geldrop", "Heuvel 20B, 5661 AB Geldrop"]
    assert unplaced[10]["reason"] == "adres niet gevonden"
    assert unplaced[11]["reason"] == "adres niet gevonden"
    assert unplaced[11]["candidates"][:2] == ["Sint-Jozefstraat 3, 5661 AA Geldrop",
                                              "Sint-Jozefstraat 1, 5661 AA Geldrop"]
    assert unplaced[12]["reason"] == "geen coördinaten en geen adres"
    assert s.skipped_by_reason == {"adres niet eenduidig": 1, "adres niet gevonden": 2,
                                   "geen coördinaten en geen adres": 1}
    assert "geplaatst via BAG-id: 1, postcode en huisnummer: 3, straat, huisnummer en plaats: 1" in "\n".join(s.lines())


def test_keep_unplaced_stores_them_for_later_placement(world, tmp_path):
    source = read_source(address_xlsx(tmp_path / "panden.xlsx"))
    plan = plan_places(world, source, "real-estate", keep_unplaced=True)
    assert plan.summary.kept_unplaced == 4 and len(plan.records) == 5
    commit_places(world, ADMIN, plan)
    pending = world.list(m.PendingPlace)
    assert [p.data["name"] for p in pending] == ["Dubbel", "Onbekend", "Verkeerd nummer", "Niets"]
    dubbel = pending[0]
    assert dubbel.layer == "real-estate" and dubbel.source == "panden.xlsx, blad 'Panden', rij 9"
    assert [c["label"] for c in dubbel.candidates] == ["Heuvel 20A, 5661 AB Geldrop", "Heuvel 20B, 5661 AB Geldrop"]
    assert world.count(m.RealEstate) == 5


def test_a_postcode_alone_places_at_its_middle_only_when_compact(world, tmp_path):
    path = tmp_path / "lijst.csv"
    path.write_text("naam,postcode\nCompact,5662 BA\nVerspreid,5661AB\n", encoding="utf-8")
    plan = plan_places(world, read_source(path), "real-estate")
    assert plan.summary.placed_by == {"postcode": 1}
    assert plan.records[0].geometry.equals(Point(X0 + 510, Y0 + 100))
    (u,) = plan.summary.unplaced
    assert u["row"] == 2 and u["reason"].startswith("adres niet eenduidig: postcode zonder huisnummer")


def test_combined_address_cells_are_split():
    cols = {"address": "adres"}
    a = read_address({"adres": "Sint-Jozefstraat 12a, 5661 AA Geldrop"}, cols)
    assert (a.street, a.number, a.letter, a.postcode, a.place) == ("Sint-Jozefstraat", 12, "A", "5661AA", "Geldrop")
    b = read_address({"adres": "Heuvel 14-2"}, cols)
    assert (b.street, b.number, b.addition) == ("Heuvel", 14, "2")
    assert read_address({"nr": 7.0}, {"house_number": "nr"}).number == 7
    assert Address(street="Heuvel", number=14, addition="2").label() == "Heuvel 14-2"


def test_cli_reports_placed_and_unplaced_rows(world, tmp_path, capsys):
    # The CLI on a file database with the same world
    url = f"sqlite:///{tmp_path / 'w.db'}"
    s = open_store(url)
    s.add_all(buurten())
    assert main(["--db", url, "import", "places", str(bag_csv(tmp_path / "bag.csv")), "--as", "address-points"]) == 0
    capsys.readouterr()
    path = address_xlsx(tmp_path / "panden.xlsx")
    assert main(["--db", url, "import", "places", str(path), "--as", "real-estate", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert ("niet geplaatst: rij 9 (5661 AB 20): adres niet eenduidig: 2 adressen met huisnummer 20; "
            "dichtstbij: Heuvel 20A, 5661 AB Geldrop | Heuvel 20B, 5661 AB Geldrop") in out
    assert "niet geplaatst: rij 10 (9999 ZZ 1): adres niet gevonden" in out
    assert "geplaatst via BAG-id: 1, postcode en huisnummer: 3, straat, huisnummer en plaats: 1" in out
    assert main(["--db", url, "import", "places", str(path), "--as", "real-estate", "--keep-unplaced",
                 "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["placed_by"] == {"bag_id": 1, "postcode_number": 3, "street_number": 1}
    assert doc["kept_unplaced"] == 4 and len(doc["unplaced"]) == 4
    assert s.count(m.PendingPlace) == 4 and s.count(m.RealEstate) == 5


def test_the_real_polling_station_list_is_placed_by_postcode(real_data, demo_store, tmp_path):
    """Kiesraad's polling stations of Geldrop-Mierlo: 28 stations in 20 buildings, names and
    postcodes, no coordinates."""
    path = real_data / "stembureaus_gr2022_GM1771.csv"
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 28 and len({r["naam_stembureau"] for r in rows}) == 20
    inside = demo_store.get(m.Area, "BU17710005").geometry.representative_point()
    postcodes = sorted({r["postcode"].replace(" ", "") for r in rows})
    n = len(postcodes)
    demo_store.bulk_add(m.AddressPoint, {  # three addresses per postcode, 30 m apart, all in one buurt
        "geometry": [Point(inside.x + 10 * (i % 3), inside.y + 10 * (i // 3) % 30) for i in range(3 * n)],
        "postcode": [pc for pc in postcodes for _ in range(3)],
        "house_number": [k + 1 for _ in postcodes for k in range(3)],
        "buurt_code": ["BU17710005"] * (3 * n),
    })
    summary = import_places(demo_store, ADMIN, path, "real-estate", map_options=["naam_stembureau=name"],
                            dry_run=True)
    assert summary.placed_by == {"postcode": 28}
    assert summary.imported == 28 and not summary.unplaced


def test_a_large_extract_lands_with_its_indexes_and_reads_the_same_through_arrow(store, tmp_path, monkeypatch):
    """The bulk path: ≥ 20,000 rows rebuild the table's indexes after the insert; a large CSV is parsed
    by Arrow. Same records either way (the threshold is lowered so a small file takes the Arrow path)."""
    from geo.io import readers

    store.add_all(buurten())
    n = 20_500
    rows = [(f"0999010{i:09d}", f"5661{chr(65 + i % 26)}{chr(65 + i // 26 % 26)}", i % 150 + 1, "", "",
             f"Straat {i % 40}", "Geldrop", 5 + (i % 790), 5 + (i // 790) % 390) for i in range(n)]
    path = bag_csv(tmp_path / "groot.csv", rows)
    plain = read_source(path)
    monkeypatch.setattr(readers, "_ARROW_CSV_BYTES", 0)
    arrow = read_source(path)
    assert list(arrow.frame.columns) == list(plain.frame.columns)
    assert arrow.frame.drop(columns="geometry").astype(str).equals(plain.frame.drop(columns="geometry").astype(str))
    summary = commit_places(store, ADMIN, plan_places(store, arrow, "address-points"))
    assert summary.imported == store.count(m.AddressPoint) == n
    indexes = store.table_indexes("address_points")
    assert {"address_points_buurt", "address_points_postcode", "address_points_street", "address_points_bag"} <= indexes
    (p,) = store.find_addresses(bag_ids=["0999010000020499"])
    assert (p.postcode, p.house_number, p.street_key) == (rows[-1][1], rows[-1][2], "straat 19|geldrop")


def test_numbers_are_read_a_column_at_a_time_with_dutch_rules(tmp_path):
    import numpy as np
    import pandas as pd

    from geo.errors import ImportFormatError
    from geo.io.readers import numbers

    col = pd.Series(["1.234,5", "12,5", "", "7", "1.234", " 3 "], dtype="string")
    assert np.allclose(numbers(col, True, "f.csv", "v", np.arange(1, 7)), [1234.5, 12.5, np.nan, 7, 1234, 3],
                       equal_nan=True)
    assert numbers(pd.Series(["1.5", "2"], dtype="string"), False, "f.csv", "v", np.arange(1, 3)).tolist() == [1.5, 2]
    mixed = pd.Series([1.5, "2,5", None, 4], dtype=object)  # a workbook column
    assert np.allclose(numbers(mixed, False, "f.xlsx", "v", np.arange(1, 5)), [1.5, 2.5, np.nan, 4], equal_nan=True)
    with pytest.raises(ImportFormatError, match=r"f.csv: rij 12, veld v: 'twee' is geen getal"):
        numbers(pd.Series(["1", "twee"], dtype="string"), False, "f.csv", "v", np.array([11, 12]))
