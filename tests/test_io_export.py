"""Export for GIS staff, and export → import round trips."""

from __future__ import annotations

import json

import geopandas as gpd
import pyogrio
import pytest

from geo import model as m
from geo.access import Actor
from geo.errors import PermissionDenied, ValidationError
from geo.io import EXPORT_LAYERS, export_bytes, export_layers, import_boundaries, import_places
from geo.store import open_store

ADMIN = Actor("test-admin", "admin")
PLANNER = Actor("test-planner", "planner")


def test_geopackage_has_one_typed_layer_per_kind_in_rd(demo_store, tmp_path):
    path = tmp_path / "alles.gpkg"
    doc = export_layers(demo_store, PLANNER, path)
    assert set(doc["layers"]) == set(EXPORT_LAYERS)
    assert [str(n) for n, _ in pyogrio.list_layers(path)] == list(EXPORT_LAYERS)
    for layer in EXPORT_LAYERS:
        info = pyogrio.read_info(path, layer=layer)
        assert info["crs"] == "EPSG:28992"
        assert info["features"] == doc["layers"][layer] > 0
    types = lambda layer: dict(zip(pyogrio.read_info(path, layer=layer)["fields"],  # noqa: E731
                                   zip(pyogrio.read_info(path, layer=layer)["ogr_types"],
                                       pyogrio.read_info(path, layer=layer)["ogr_subtypes"])))
    mp = types("meeting_places")
    assert mp["capacity"][0] == "OFTInteger64" and mp["name"][0] == "OFTString"
    re_ = types("real_estate")
    assert re_["occupancy_pct"][0] == "OFTReal" and re_["condition"][0] == "OFTInteger64"
    act = types("activities")
    assert act["quick_win"] == ("OFTInteger", "OFSTBoolean")
    assert types("areas")["AANT_INW"][0] == "OFTReal"


def test_geojson_is_wgs84_and_single_layer(demo_store, tmp_path):
    path = tmp_path / "mp.geojson"
    export_layers(demo_store, PLANNER, path, ["meeting_places"])
    doc = json.loads(path.read_text())
    lon, lat = doc["features"][0]["geometry"]["coordinates"][:2]
    assert 3 < lon < 8 and 50 < lat < 54
    with pytest.raises(ValidationError, match="één laag"):
        export_layers(demo_store, PLANNER, tmp_path / "alles.geojson")
    with pytest.raises(ValidationError, match=".gpkg, .xlsx, .geojson of .csv"):
        export_layers(demo_store, PLANNER, tmp_path / "alles.ods")
    with pytest.raises(ValidationError, match="onbekende laag"):
        export_layers(demo_store, PLANNER, tmp_path / "x.gpkg", ["plans"])


def test_csv_carries_wkt_in_rd(demo_store, tmp_path):
    path = tmp_path / "re.csv"
    export_layers(demo_store, PLANNER, path, ["real_estate"])
    header, first = path.read_text(encoding="utf-8").splitlines()[:2]
    assert header.startswith("id,name,") and header.endswith(",wkt")
    assert "POINT (1" in first


def test_residents_contact_details_only_for_an_admin_who_asks(demo_store, tmp_path):
    sugg = demo_store.list(m.Suggestion)[0]
    demo_store.add(m.Contact(suggestion_id=sugg.id, email="bewoner@example.org"))
    plain = export_bytes(demo_store, ADMIN, "gpkg")
    assert b"bewoner@example.org" not in plain
    csv_plain = export_bytes(demo_store, ADMIN, "csv", ["suggestions"])
    assert b"bewoner@example.org" not in csv_plain and b"contact_email" not in csv_plain
    with pytest.raises(PermissionDenied):
        export_bytes(demo_store, PLANNER, "csv", ["suggestions"], include_contacts=True)
    with_contacts = export_bytes(demo_store, ADMIN, "csv", ["suggestions"], include_contacts=True)
    assert b"bewoner@example.org" in with_contacts


def test_residents_may_not_export(demo_store, tmp_path):
    with pytest.raises(PermissionDenied):
        export_layers(demo_store, Actor(), tmp_path / "x.gpkg")


def _same_geometry(a, b, tol=0.05):
    if a is None or b is None:
        return a is None and b is None
    return a.normalize().equals_exact(b.normalize(), tol)


def test_round_trip_boundaries_through_geopackage(demo_store, tmp_path):
    path = tmp_path / "rt.gpkg"
    export_layers(demo_store, PLANNER, path, ["areas"])
    fresh = open_store("sqlite://:memory:")
    summary = import_boundaries(fresh, ADMIN, path)
    assert summary.schema == "wijkatlas" and summary.derived == []
    before = {a.code: a for a in demo_store.list(m.Area)}
    after = {a.code: a for a in fresh.list(m.Area)}
    assert before.keys() == after.keys()
    for code, a in before.items():
        b = after[code]
        assert (a.name, a.level, a.parent_code) == (b.name, b.level, b.parent_code)
        assert {k: v for k, v in a.figures.items() if v is not None} == {
            k: v for k, v in b.figures.items() if v is not None}
        assert _same_geometry(a.geometry, b.geometry, 1e-6)


@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "csv"])
def test_round_trip_meeting_places_and_real_estate(demo_store, tmp_path, fmt):
    for layer, cli_name, fields in (
        ("meeting_places", "meeting-places", ("name", "kind", "status", "capacity", "real_estate_id", "buurt_code",
                                             "description")),
        ("real_estate", "real-estate", ("name", "address", "bag_id", "function", "floor_area_m2", "occupancy_pct",
                                        "condition", "yearly_cost_eur", "book_value_eur", "policy", "buurt_code")),
    ):
        cls = m.LAYER_CLASSES[layer]
        path = tmp_path / f"{layer}.{fmt}"
        export_layers(demo_store, PLANNER, path, [layer])
        before = demo_store.list(cls)
        if layer == "real_estate":  # meeting places point at real estate: compare in a fresh store
            target = open_store("sqlite://:memory:")
            export_layers(demo_store, PLANNER, tmp_path / "areas.gpkg", ["areas"])
            import_boundaries(target, ADMIN, tmp_path / "areas.gpkg")
        else:
            target = demo_store
            with target.transaction():
                for rec in before:
                    target.delete(cls, rec.id)
        summary = import_places(target, ADMIN, path, cli_name)
        assert summary.imported == len(before) and not summary.skipped
        after = target.list(cls)
        key = lambda r: tuple("" if getattr(r, f) is None else str(getattr(r, f)) for f in fields)  # noqa: E731
        assert sorted(map(key, before)) == sorted(map(key, after))
        geoms_before = sorted((r.name, r.geometry.wkt) for r in before)
        for (name, wkt), rec in zip(geoms_before, sorted(after, key=lambda r: (r.name, r.geometry.wkt))):
            assert rec.name == name
            assert _same_geometry(gpd.GeoSeries.from_wkt([wkt])[0], rec.geometry)


def test_round_trip_activities_with_mixed_geometries(demo_store, tmp_path):
    path = tmp_path / "act.gpkg"
    export_layers(demo_store, PLANNER, path, ["activities"])
    before = demo_store.list(m.Activity)
    fresh = open_store("sqlite://:memory:")
    export_layers(demo_store, PLANNER, tmp_path / "areas.gpkg", ["areas"])
    import_boundaries(fresh, ADMIN, tmp_path / "areas.gpkg")
    summary = import_places(fresh, ADMIN, path, "activities")
    assert summary.imported == len(before)
    fields = ("title", "domain", "description", "lead_partner", "partners", "start", "end", "status",
              "cost_estimate_eur", "cost_actual_eur", "quick_win", "buurt_code")
    key = lambda r: tuple(str(getattr(r, f) or "") for f in fields)  # noqa: E731
    assert sorted(map(key, before)) == sorted(map(key, fresh.list(m.Activity)))


def test_empty_layers_keep_their_geometry_type(store, tmp_path):
    path = tmp_path / "leeg.gpkg"
    doc = export_layers(store, PLANNER, path)
    assert set(doc["layers"].values()) == {0}
    assert dict((str(n), str(g)) for n, g in pyogrio.list_layers(path)) == {
        "areas": "MultiPolygon", "meeting_places": "Point", "real_estate": "Point", "activities": "Unknown",
        "suggestions": "Point"}


def test_layer_counts_of_one_gemeente_read_no_records(demo_store, monkeypatch):
    """The data page counts each layer of the gemeente it shows: counted, not
    every record of a national database read (100,000 suggestions, 18,500 areas)."""
    from shapely.geometry import Point

    from geo.io.export import layer_count, layer_records
    from geo.scope import Scope
    from tests.common import small_world

    with demo_store.transaction():
        for area in small_world():
            demo_store.save(area)
        demo_store.add(m.Suggestion("play", "elders", Point(150_000, 380_000), status="published",
                                    buurt_code="BU99990000"))
    scopes = [None, Scope(None, "alle"), Scope("GM1771", "G", unplaced=True), Scope("GM9999", "P", unplaced=False)]
    want = {(layer, i): len(layer_records(demo_store, layer, s)) for layer in EXPORT_LAYERS
            for i, s in enumerate(scopes)}
    assert want[("areas", 3)] == 4 and want[("suggestions", 3)] == 1
    original = demo_store.list

    def no_whole_reads(cls, *args, **kwargs):
        assert cls not in (m.Area, m.Suggestion, m.MeetingPlace, m.RealEstate), f"list({cls.__name__}) read it all"
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(demo_store, "list", no_whole_reads)
    for (layer, i), n in want.items():
        assert layer_count(demo_store, layer, scopes[i]) == n, (layer, scopes[i])
