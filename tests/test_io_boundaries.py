"""CBS boundaries in all three schemas and every format; real Ermelo file."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo import model as m
from geo.access import Actor
from geo.errors import ImportFormatError, PermissionDenied, ValidationError, WijkatlasError
from geo.io import import_boundaries
from geo.io.boundaries import cbs_value
from test_io_fixtures import pdok_frame, statcode_frame, upper_frame, write

ADMIN = Actor("test-admin", "admin")
FORMATS = [("geojson", "geojson"), ("gpkg", "gpkg"), ("shpzip", "zip"), ("csv", "csv")]


def snapshot(store):
    return {cls.__name__: sorted(repr(r.to_dict()) for r in store.list(cls)) for cls in (m.Area, m.AuditEntry)}


@pytest.mark.parametrize("fmt,suffix", FORMATS)
@pytest.mark.parametrize("schema", ["upper", "pdok", "statcode"])
def test_every_schema_in_every_format(store, tmp_path, schema, fmt, suffix):
    if schema == "pdok" and fmt == "shpzip":
        pytest.skip("a shapefile cuts names to 10 characters; PDOK ships its lower-case schema as GPKG/GeoJSON")
    frame = {"upper": upper_frame, "pdok": pdok_frame, "statcode": statcode_frame}[schema]()
    path = write(frame, tmp_path / f"grenzen.{suffix}", fmt)
    summary = import_boundaries(store, ADMIN, path)
    assert summary.levels == ["buurt"]
    assert summary.municipalities == ["GM9991"]
    assert summary.crs_found == "EPSG:28992"
    assert store.count(m.Area, level="buurt") == 4
    bu = store.get(m.Area, "BU99910101")
    assert bu.parent_code == "WK999101"
    assert bu.geometry.area == pytest.approx(1e6)
    # wijk membership and the wijken themselves derived from the codes
    assert set(summary.derived) >= {"WK999100", "WK999101", "GM9991"}
    wk = store.get(m.Area, "WK999100")
    assert wk.geometry.area == pytest.approx(2e6) and wk.parent_code == "GM9991"
    if schema != "statcode":
        assert bu.figures["AANT_INW"] == 1030
        assert bu.figures["P_65_EO_JR"] == 23
    if schema == "upper":
        assert wk.name == "Wijk 9991-00" and store.get(m.Area, "GM9991").name == "Gemeente 9991"


def test_statcode_topojson_with_both_levels(store, tmp_path):
    import json

    topo = {"type": "Topology", "transform": {"scale": [1, 1], "translate": [150000, 450000]},
            "objects": {"gebieden": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0]], "properties": {"statcode": "WK999100", "statnaam": "Wijk"}},
                {"type": "Polygon", "arcs": [[0]], "properties": {"statcode": "BU99910000", "statnaam": "Buurt"}},
            ]}},
            "arcs": [[[0, 0], [1000, 0], [0, 1000], [-1000, 0], [0, -1000]]]}
    path = tmp_path / "gebieden.topojson"
    path.write_text(json.dumps(topo))
    summary = import_boundaries(store, ADMIN, path)
    assert summary.format == "topojson" and summary.levels == ["wijk", "buurt"]
    assert summary.derived == ["GM9991"]
    assert store.get(m.Area, "BU99910000").parent_code == "WK999100"


def test_national_file_with_municipality_filter_and_cbs_negative_codes(store, tmp_path):
    path = write(upper_frame(gms=("9991", "9992"), secret="9993"), tmp_path / "nl.gpkg", "gpkg")
    summary = import_boundaries(store, ADMIN, path, municipalities=["GM9993"])
    assert summary.municipalities == ["GM9993"]
    assert store.count(m.Area, level="buurt") == 4
    bu = store.get(m.Area, "BU99930000")
    assert bu.figures["AANT_INW"] is None and bu.figures["P_65_EO_JR"] is None
    assert not store.exists(m.Area, "BU99910000")
    # without the filter: every municipality, each listed
    summary = import_boundaries(store, ADMIN, path)
    assert summary.municipalities == ["GM9991", "GM9992", "GM9993"]
    assert store.count(m.Area, level="buurt") == 12


def test_municipality_not_in_file_is_refused(store, tmp_path):
    path = write(upper_frame(gms=("9991", "9992")), tmp_path / "nl.geojson", "geojson")
    with pytest.raises(ImportFormatError, match=r"geen gebieden van GM1771 \(wel van GM9991, GM9992\)"):
        import_boundaries(store, ADMIN, path, municipalities=["GM1771"])
    with pytest.raises(ValidationError, match="gemeentecode"):
        import_boundaries(store, ADMIN, path, municipalities=["Ermelo"])
    assert store.count(m.Area) == 0


def test_cbs_value():
    assert cbs_value(-99999999) is None
    assert cbs_value("-99997") is None
    assert cbs_value(-5) == -5
    assert cbs_value("") is None
    assert cbs_value("12,5") == 12.5


def test_level_option(store, tmp_path):
    wijken = write(statcode_frame("wijk"), tmp_path / "wijken.geojson", "geojson")
    with pytest.raises(ImportFormatError, match="niveau 'buurt'"):
        import_boundaries(store, ADMIN, wijken, level="buurt")
    summary = import_boundaries(store, ADMIN, wijken, level="wijk")
    assert summary.levels == ["wijk"]
    assert store.count(m.Area, level="wijk") == 2
    assert store.count(m.Area, level="buurt") == 0


def test_reimport_replaces_and_keeps_file_wijken(store, tmp_path):
    import_boundaries(store, ADMIN, write(statcode_frame("wijk"), tmp_path / "w.geojson", "geojson"))
    wk_before = store.get(m.Area, "WK999100")
    frame = upper_frame()
    path = write(frame, tmp_path / "b.gpkg", "gpkg")
    first = import_boundaries(store, ADMIN, path)
    assert first.created == 4 and first.derived == []  # the wijken (and their gemeente) came with the first file
    frame.loc[0, "BU_NAAM"] = "Nieuwe naam"
    frame.loc[0, "AANT_INW"] = 5
    second = import_boundaries(store, ADMIN, write(frame, tmp_path / "b2.gpkg", "gpkg"))
    assert second.created == 0 and second.updated == 4
    bu = store.get(m.Area, "BU99910000")
    assert bu.name == "Nieuwe naam" and bu.figures["AANT_INW"] == 5
    assert store.count(m.Area, level="buurt") == 4
    assert store.get(m.Area, "WK999100").source == wk_before.source  # not overwritten by a derived one


def test_reimport_reports_stored_areas_the_new_file_lacks(store, tmp_path):
    frame = upper_frame(gms=("9991", "9992"))
    import_boundaries(store, ADMIN, write(frame, tmp_path / "all.gpkg", "gpkg"))
    assert store.count(m.Area, level="buurt") == 8
    fewer = frame[frame["BU_CODE"] != "BU99910101"]
    summary = import_boundaries(store, ADMIN, write(fewer, tmp_path / "fewer.gpkg", "gpkg"),
                                municipalities=["GM9991"])
    assert summary.not_in_file == ["BU99910101"]  # only gemeente 9991's buurten are compared
    assert summary.to_dict()["not_in_file"] == ["BU99910101"]
    assert any("niet in dit bestand" in line and "BU99910101" in line for line in summary.lines())
    assert store.exists(m.Area, "BU99910101")  # reported, not deleted
    again = import_boundaries(store, ADMIN, write(frame, tmp_path / "all2.gpkg", "gpkg"), dry_run=True)
    assert again.not_in_file == []


def test_invalid_empty_and_duplicate_geometries_reported(store, tmp_path):
    frame = upper_frame()
    bowtie = shapely.Polygon([(150000, 450000), (151000, 451000), (151000, 450000), (150000, 451000)])
    frame.loc[0, "geometry"] = bowtie
    frame.loc[1, "geometry"] = None
    extra = frame.iloc[[2]].copy()
    frame = gpd.GeoDataFrame(pd.concat([frame, extra], ignore_index=True), crs=frame.crs)
    path = write(frame, tmp_path / "messy.gpkg", "gpkg")
    summary = import_boundaries(store, ADMIN, path)
    assert summary.repaired == 1
    assert store.get(m.Area, "BU99910000").geometry.is_valid
    reasons = summary.skipped_by_reason
    assert reasons == {"dubbele code": 1, "lege of ontbrekende geometrie": 1}
    assert summary.duplicates == ["BU99910100"]
    assert {s.id for s in summary.skipped} == {"BU99910001", "BU99910100"}


def test_not_a_boundary_file(store, tmp_path):
    frame = upper_frame()[["geometry"]].assign(naam="iets")
    path = write(frame, tmp_path / "geen.gpkg", "gpkg")
    with pytest.raises(ImportFormatError, match="geen CBS-grenzen herkend"):
        import_boundaries(store, ADMIN, path)


def test_dry_run_writes_nothing_and_planner_may_not_import(store, tmp_path):
    path = write(upper_frame(), tmp_path / "b.gpkg", "gpkg")
    summary = import_boundaries(store, ADMIN, path, dry_run=True)
    assert summary.dry_run and summary.imported == 7
    assert store.count(m.Area) == 0
    with pytest.raises(PermissionDenied):
        import_boundaries(store, Actor("p", "planner"), path)
    assert store.count(m.Area) == 0


def test_failure_inside_transaction_leaves_database_unchanged(demo_store, tmp_path, monkeypatch):
    before = snapshot(demo_store)
    path = write(upper_frame(gms=("9991", "9992")), tmp_path / "b.gpkg", "gpkg")
    calls = {"n": 0}
    original = type(demo_store).add

    def failing_add(self, record):  # the areas are written (in bulk); the audit entry after them fails
        if isinstance(record, m.AuditEntry):
            calls["n"] = demo_store.count(m.Area)
            raise WijkatlasError("schijf vol")
        return original(self, record)

    monkeypatch.setattr(type(demo_store), "add", failing_add)
    with pytest.raises(WijkatlasError, match="schijf vol"):
        import_boundaries(demo_store, ADMIN, path)
    monkeypatch.undo()
    assert calls["n"] > len(before["Area"])  # the new areas were in, inside the transaction
    assert snapshot(demo_store) == before


def test_real_ermelo_pdok_geopackage(store, real_data):
    summary = import_boundaries(store, ADMIN, real_data / "cmp_ermelo_cbs_buurten_GM0233.gpkg",
                                municipalities=["GM0233"])
    assert summary.schema == "pdok"
    assert summary.municipalities == ["GM0233"]
    assert store.count(m.Area, level="buurt") == 17
    assert all(a.parent_code.startswith("WK0233") for a in store.list(m.Area, level="buurt"))
    assert store.exists(m.Area, "GM0233")
    ermelo = store.get(m.Area, "BU02330000")
    assert ermelo.figures["AANT_MAN"] == 5215  # the file leaves inhabitants empty: men + women, marked as derived
    assert ermelo.figures["AANT_INW"] == 5215 + ermelo.figures["AANT_VROUW"] and "mannen + vrouwen" in ermelo.source
    assert store.get(m.Area, "GM0233").name == "Ermelo"


@pytest.mark.parametrize("fmt,suffix", [("gpkg", "gpkg"), ("shpzip", "zip")])
def test_municipality_is_filtered_while_reading_with_the_same_outcome(store, tmp_path, fmt, suffix):
    """--municipality reads only that gemeente's rows from a GeoPackage/Shapefile;
    the plan, the summary (row numbers, skipped rows, row count) and errors stay as with a full read."""
    from geo.io.boundaries import municipality_where, plan_boundaries, schema_score
    from geo.io.readers import read_source

    frame = upper_frame(gms=("9991", "9992", "9993"), secret="9994")
    bad = frame.iloc[[5]].copy()
    bad["BU_CODE"] = "XX-kapot"
    frame = gpd.GeoDataFrame(pd.concat([frame.iloc[:3], bad, frame.iloc[3:]], ignore_index=True), crs=frame.crs)
    path = write(frame, tmp_path / f"landelijk.{suffix}", fmt)
    full = read_source(path, prefer=schema_score)
    for wanted in (["GM9992"], ["GM9994", "GM9991"]):
        part = read_source(path, prefer=schema_score, where=municipality_where(wanted))
        assert len(part) < len(full)  # really filtered while reading
        a = plan_boundaries(store, full, municipalities=wanted)
        b = plan_boundaries(store, part, municipalities=wanted)
        assert b.summary.to_dict() == a.summary.to_dict()
        assert [x.to_dict() for x in b.areas] == [x.to_dict() for x in a.areas]
        assert a.summary.rows == len(frame) and a.summary.skipped[0].row == 4
    with pytest.raises(ImportFormatError) as full_err:
        plan_boundaries(store, full, municipalities=["GM1234"])
    with pytest.raises(ImportFormatError) as part_err:
        import_boundaries(store, ADMIN, path, municipalities=["GM1234"])  # matches only the bad row
    assert str(part_err.value) == str(full_err.value) and "GM9991" in str(full_err.value)
    with pytest.raises(ImportFormatError) as full_err:
        plan_boundaries(store, full, level="wijk", municipalities=["GM9991"])
    with pytest.raises(ImportFormatError) as part_err:
        import_boundaries(store, ADMIN, path, level="wijk", municipalities=["GM9991"])
    assert str(part_err.value) == str(full_err.value)
    assert store.count(m.Area) == 0
    summary = import_boundaries(store, ADMIN, path, municipalities=["GM9994"])
    assert summary.municipalities == ["GM9994"] and store.get(m.Area, "BU99940000").figures["AANT_INW"] is None


def _messy_frame() -> gpd.GeoDataFrame:
    """Three gemeenten (one with CBS's secret codes) and every row a per-row import had to judge."""
    frame = upper_frame(gms=("9991", "9992"), secret="9993")
    frame["WONINGEN"] = ["1.234" if i % 3 else "" for i in range(len(frame))]  # numbers as text, blanks
    frame.loc[0, "geometry"] = shapely.Polygon([(150000, 450000), (151000, 451000), (151000, 450000),
                                                (150000, 451000)])  # a bow-tie: repaired
    frame.loc[1, "geometry"] = None
    frame.loc[2, "BU_NAAM"] = "Noord\u202e\x07 (oud)\u0301"  # bidi override, bell, loose accent: cleaned
    frame.loc[3, "geometry"] = shapely.LineString([(150000, 450000), (150100, 450100)])  # not an area
    extra = frame.iloc[[4, 5, 6]].copy()
    extra["BU_CODE"] = [frame.loc[4, "BU_CODE"], "XX123", "WK999100"]  # duplicate, no code, code of a wijk
    return gpd.GeoDataFrame(pd.concat([frame, extra], ignore_index=True), crs=frame.crs)


def _areas(store) -> list:
    return sorted(repr(a.to_dict()) for a in store.list(m.Area))


def test_bulk_write_stores_what_saving_row_by_row_stored(store, tmp_path):
    """The columnar import against the straightforward one: plan, then ``store.save`` per area."""
    from geo.io.boundaries import commit_boundaries, plan_boundaries, schema_score
    from geo.io.readers import read_source
    from geo.store import open_store
    from geo.text import clean_text

    reference = open_store("sqlite://:memory:")
    frame = _messy_frame()
    for round_ in range(2):  # the second round re-imports: every area is replaced
        if round_:
            frame["BU_NAAM"] = frame["BU_NAAM"] + " (nieuw)"
            frame["AANT_INW"] = frame["AANT_INW"] + 1
        source = read_source(write(frame, tmp_path / f"messy{round_}.gpkg", "gpkg"), prefer=schema_score)
        plan = plan_boundaries(store, source)
        summary = commit_boundaries(store, ADMIN, plan)
        with reference.transaction():
            for area in plan_boundaries(reference, source).areas:
                reference.save(area)
        assert _areas(store) == _areas(reference)
        assert (summary.created, summary.updated) == ((summary.imported, 0) if not round_ else (0, summary.imported))
    assert summary.repaired == 1 and summary.duplicates == [frame.loc[4, "BU_CODE"]]
    assert summary.skipped_by_reason == {"code past niet bij kolom BU_CODE": 1, "dubbele code": 1,
                                         "geen geldige CBS-code": 1, "lege of ontbrekende geometrie": 1,
                                         "ongeldige geometrie, niet te repareren": 1}
    assert [s.row for s in summary.skipped] == sorted(s.row for s in summary.skipped)  # in row order
    named = store.get(m.Area, frame.loc[2, "BU_CODE"])
    assert named.name == clean_text(frame.loc[2, "BU_NAAM"]) and "\u202e" not in named.name and "\x07" not in named.name
    secret = store.get(m.Area, "BU99930000")
    assert secret.figures["AANT_INW"] is None and secret.figures["P_65_EO_JR"] is None
    assert cbs_value("1.234") is not None  # a number written as text is a figure
    assert store.get(m.Area, frame.loc[7, "BU_CODE"]).figures["WONINGEN"] == cbs_value("1.234")
    assert store.count(m.AuditEntry) == 2


def test_clean_all_equals_clean_one_at_a_time():
    import numpy as np

    from geo.io.geometry import clean, clean_all

    geoms = [
        shapely.box(0, 0, 1, 1),
        shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]),  # bow-tie
        shapely.Polygon([(0, 0, 5), (1, 0, 5), (1, 1, 5)]),  # with z
        shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)]),
        shapely.LineString([(0, 0), (1, 1)]),
        shapely.Point(3, 3),
        shapely.Polygon([(0, 0), (1, 0), (2, 0), (0, 0)]),  # no area: nothing usable
        shapely.GeometryCollection([shapely.box(0, 0, 1, 1), shapely.Point(5, 5)]),
    ]
    for polygonal in (True, False):
        got, repaired = clean_all(np.array(geoms, dtype=object), polygonal=polygonal)
        for g, out, rep in zip(geoms, got, repaired):
            want, want_rep = clean(g, polygonal=polygonal)
            assert (out is None) == (want is None) and bool(rep) == want_rep, (g.wkt, polygonal)
            if want is not None:
                assert out.equals_exact(want, 0) and shapely.get_coordinate_dimension(out) == 2
    assert len(clean_all(np.empty(0, dtype=object))[0]) == 0
