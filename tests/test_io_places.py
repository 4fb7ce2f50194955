"""Other layers: mapping, presets, buurt by location, reports; real BGT file."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import box

from geo import model as m
from geo.access import Actor
from geo.errors import ImportFormatError, PermissionDenied, ValidationError
from geo.io import auto_mapping, import_boundaries, import_places
from geo.io.places import vocabulary_code
from geo.spatial import AreaIndex
from test_io_fixtures import INSIDE, INSIDE2, OUTSIDE, gm9991_store, points_frame, write  # noqa: F401

ADMIN = Actor("test-admin", "admin")


def snapshot(store):
    return {cls.__name__: sorted(repr(r.to_dict()) for r in store.list(cls))
            for cls in (m.MeetingPlace, m.RealEstate, m.Activity, m.Suggestion, m.AuditEntry)}


def test_dutch_columns_map_without_asking(gm9991_store, tmp_path):
    frame = points_frame([
        {"naam": "Buurthuis De Kern", "soort": "buurthuis", "status": "bestaand", "capaciteit": 80, "geometry": INSIDE},
        {"naam": "Speeltuin Oost", "soort": "Speeltuin", "status": "kandidaat", "capaciteit": None, "geometry": INSIDE2},
    ])
    path = write(frame, tmp_path / "plekken.geojson", "geojson")
    summary = import_places(gm9991_store, ADMIN, path, "meeting-places")
    assert summary.mapping == {"name": "naam", "kind": "soort", "status": "status", "capacity": "capaciteit"}
    places = gm9991_store.list(m.MeetingPlace)
    assert [(p.name, p.kind, p.status, p.capacity, p.buurt_code) for p in places] == [
        ("Buurthuis De Kern", "building", "existing", 80, "BU99910000"),
        ("Speeltuin Oost", "playground", "candidate", None, "BU99910101"),
    ]


def test_real_estate_csv_with_decimal_comma_and_rd(gm9991_store, tmp_path):
    path = tmp_path / "vastgoed.csv"
    path.write_text(
        "naam;adres;bezetting;conditie;beleid;jaarlijkse_kosten;x;y\n"
        f"Gemeentehuis;Markt 1;85,5;2;behouden;12.345,50;{INSIDE.x};{INSIDE.y}\n"
        f"Oude school;Laan 3;30%;5;afstoten;;{INSIDE2.x};{INSIDE2.y}\n", encoding="utf-8")
    summary = import_places(gm9991_store, ADMIN, path, "real-estate")
    assert summary.imported == 2 and "RD New" in summary.crs_note
    a, b = gm9991_store.list(m.RealEstate)
    assert (a.occupancy_pct, a.condition, a.policy, a.yearly_cost_eur) == (85.5, 2, "keep", 12345.5)
    assert (b.occupancy_pct, b.policy, b.yearly_cost_eur, b.buurt_code) == (30, "dispose", None, "BU99910101")


def test_activities_and_suggestions(gm9991_store, tmp_path):
    acts = points_frame([{"titel": "Bankjes plaatsen", "domein": "ruimtelijk", "trekker": "Gemeente",
                          "partners": "Woonbedrijf; Welzijn", "begin": "2026-Q1", "eind": "2026-Q3",
                          "status": "gepland", "quick_win": "ja", "geometry": INSIDE}])
    import_places(gm9991_store, ADMIN, write(acts, tmp_path / "a.gpkg", "gpkg"), "activities")
    act = gm9991_store.list(m.Activity)[0]
    assert (act.domain, act.partners, act.quick_win, act.buurt_code) == (
        "spatial", ["Woonbedrijf", "Welzijn"], True, "BU99910000")
    sugg = points_frame([{"categorie": "groen", "tekst": "Meer bomen <script>", "geometry": INSIDE2}])
    import_places(gm9991_store, ADMIN, write(sugg, tmp_path / "s.geojson", "geojson"), "suggestions")
    s = gm9991_store.list(m.Suggestion)[0]
    assert (s.category, s.text, s.status, s.buurt_code) == ("greenery", "Meer bomen <script>", "received", "BU99910101")
    assert s.created_at


def test_map_option_and_missing_required_field(gm9991_store, tmp_path):
    frame = points_frame([{"omschrijving_kort": "Trapveldje", "wat": "sportveld", "geometry": INSIDE}])
    path = write(frame, tmp_path / "eigen.gpkg", "gpkg")
    with pytest.raises(ImportFormatError, match="--map KOLOM=name"):
        import_places(gm9991_store, ADMIN, path, "meeting-places")
    import_places(gm9991_store, ADMIN, path, "meeting-places", map_options=["omschrijving_kort=name", "wat=kind"])
    assert gm9991_store.list(m.MeetingPlace)[0].kind == "sports_park"
    with pytest.raises(ValidationError, match="geen kolom 'bestaat_niet'"):
        import_places(gm9991_store, ADMIN, path, "meeting-places", map_options=["bestaat_niet=name"])
    with pytest.raises(ValidationError, match="geen veld"):
        import_places(gm9991_store, ADMIN, path, "meeting-places", map_options=["wat=soort_ding"])


def test_bad_value_refuses_whole_file_naming_row_and_field(gm9991_store, tmp_path):
    before = snapshot(gm9991_store)
    frame = points_frame([
        {"naam": "Goed", "soort": "park", "capaciteit": 10, "geometry": INSIDE},
        {"naam": "Fout", "soort": "ruimteschip", "capaciteit": 10, "geometry": INSIDE},
    ])
    with pytest.raises(ValidationError, match=r"k.gpkg: rij 2, veld 'soort': 'ruimteschip'"):
        import_places(gm9991_store, ADMIN, write(frame, tmp_path / "k.gpkg", "gpkg"), "meeting-places")
    path = tmp_path / "v.csv"
    path.write_text(f"naam,bezetting,x,y\nA,veel,{INSIDE.x},{INSIDE.y}\n")
    with pytest.raises(ValidationError, match=r"v.csv: rij 1, veld 'bezetting': 'veel' is geen getal"):
        import_places(gm9991_store, ADMIN, path, "real-estate")
    path.write_text(f"naam,bezetting,x,y\nA,150,{INSIDE.x},{INSIDE.y}\n")
    with pytest.raises(ValidationError, match=r"rij 1, veld 'bezetting': moet tussen 0 en 100"):
        import_places(gm9991_store, ADMIN, path, "real-estate")
    assert snapshot(gm9991_store) == before


def test_outside_empty_invalid_and_duplicates_reported(gm9991_store, tmp_path):
    bowtie = shapely.Polygon([(150100, 450100), (150900, 450900), (150900, 450100), (150100, 450900)])
    frame = points_frame([
        {"id": "a", "naam": "Binnen", "soort": "park", "geometry": INSIDE},
        {"id": "b", "naam": "Buiten", "soort": "park", "geometry": OUTSIDE},
        {"id": "c", "naam": "Leeg", "soort": "park", "geometry": None},
        {"id": "d", "naam": "Vlinder", "soort": "square", "geometry": bowtie},
        {"id": "a", "naam": "Nog eens", "soort": "park", "geometry": INSIDE2},
    ])
    path = write(frame, tmp_path / "mix.gpkg", "gpkg")
    summary = import_places(gm9991_store, ADMIN, path, "meeting-places")
    assert summary.imported == 2 and summary.repaired == 1
    assert summary.skipped_by_reason == {"buiten de gemeente": 1, "dubbel id": 1, "lege of ontbrekende geometrie": 1}
    assert summary.duplicates == ["a"]
    assert {(s.row, s.id) for s in summary.skipped} == {(2, "b"), (3, "c"), (5, "a")}
    vlinder = gm9991_store.list(m.MeetingPlace, name="Vlinder")[0]
    assert vlinder.geometry.is_valid and vlinder.buurt_code == "BU99910000"
    doc = json.loads(summary.to_json())
    assert doc["skipped_count"] == 3 and doc["repaired"] == 1
    # asked for: the outside one comes in without a buurt
    summary = import_places(gm9991_store, ADMIN, path, "meeting-places", include_outside=True, dry_run=True)
    assert summary.outside_included == 1 and summary.imported == 3


def test_no_boundaries_yet(store, tmp_path):
    frame = points_frame([{"naam": "A", "soort": "park", "geometry": INSIDE}])
    path = write(frame, tmp_path / "a.geojson", "geojson")
    with pytest.raises(ImportFormatError, match="nog geen buurtgrenzen"):
        import_places(store, ADMIN, path, "meeting-places")
    assert import_places(store, ADMIN, path, "meeting-places", include_outside=True).imported == 1


def test_only_admin_imports(gm9991_store, tmp_path):
    frame = points_frame([{"naam": "A", "soort": "park", "geometry": INSIDE}])
    path = write(frame, tmp_path / "a.geojson", "geojson")
    for role in ("planner", "real-estate", "moderator", "resident"):
        with pytest.raises(PermissionDenied):
            import_places(gm9991_store, Actor("x", role), path, "meeting-places")
    assert gm9991_store.count(m.MeetingPlace) == 0


def test_osm_preset(gm9991_store, tmp_path):
    frame = points_frame([
        {"osm_id": "1", "name": "De Brug", "amenity": "community_centre", "leisure": None, "geometry": INSIDE},
        {"osm_id": "2", "name": "Johan Cruijff Court", "amenity": None, "leisure": "pitch", "geometry": INSIDE},
        {"osm_id": "3", "name": None, "amenity": None, "leisure": "playground", "geometry": INSIDE2},
        {"osm_id": "4", "name": "Voetbalveld", "amenity": None, "leisure": "pitch", "geometry": INSIDE2},
        {"osm_id": "5", "name": "Bakker", "amenity": "shop", "leisure": None, "geometry": INSIDE2},
    ], crs="EPSG:28992").to_crs(4326)
    summary = import_places(gm9991_store, ADMIN, write(frame, tmp_path / "osm.geojson", "geojson"), "meeting-places")
    assert summary.preset == "osm"
    kinds = [(p.name, p.kind) for p in gm9991_store.list(m.MeetingPlace)]
    assert kinds == [("De Brug", "building"), ("Johan Cruijff Court", "cruijff_court"), ("Speeltuin", "playground"),
                     ("Voetbalveld", "sports_park")]
    assert summary.skipped_by_reason == {"geen ontmoetingsplaats volgens preset": 1}


def test_osm_other_tags_hstore(gm9991_store, tmp_path):
    frame = points_frame([{"osm_id": "9", "name": "Plein", "other_tags": '"place"=>"square","surface"=>"paving"',
                           "geometry": INSIDE}])
    import_places(gm9991_store, ADMIN, write(frame, tmp_path / "o.gpkg", "gpkg"), "meeting-places")
    assert gm9991_store.list(m.MeetingPlace)[0].kind == "square"


def test_bgt_preset_on_synthetic_file(gm9991_store, tmp_path):
    frame = gpd.GeoDataFrame([
        {"identificatie": "NL.IMGeo.1", "naam": "40619", "bgtplustype": "niet-bgt:recreatie: speeltuin",
         "status": "bestaand", "geometry": box(150100, 450100, 150200, 450200)},
        {"identificatie": "NL.IMGeo.2", "naam": None, "bgtplustype": "niet-bgt:recreatie: sportterrein",
         "status": "plan", "geometry": box(151100, 451100, 151300, 451300)},
        {"identificatie": "NL.IMGeo.3", "naam": None, "bgtplustype": "niet-bgt:functioneel beheer: hondenuitlaatplaats",
         "status": "bestaand", "geometry": box(150300, 450300, 150400, 450400)},
    ], geometry="geometry", crs="EPSG:28992").to_crs(3857)
    summary = import_places(gm9991_store, ADMIN, write(frame, tmp_path / "bgt.gpkg", "gpkg"), "meeting-places")
    assert summary.preset == "bgt" and summary.crs_found == "EPSG:3857"
    got = [(p.name, p.kind, p.status, p.buurt_code) for p in gm9991_store.list(m.MeetingPlace)]
    assert got == [("Speeltuin 40619", "playground", "existing", "BU99910000"),
                   ("Sportterrein 2", "sports_park", "proposed", "BU99910101")]


def test_auto_mapping_and_vocabulary():
    assert auto_mapping(["Naam", "Soort", "Capaciteit", "x"], "meeting-places") == {
        "name": "Naam", "kind": "Soort", "capacity": "Capaciteit"}
    assert auto_mapping(["naam", "bezetting", "conditie", "beleid"], "real-estate") == {
        "name": "naam", "occupancy_pct": "bezetting", "condition": "conditie", "policy": "beleid"}
    assert vocabulary_code("Cruijff Court", m.MEETING_KINDS) == "cruijff_court"
    assert vocabulary_code("Herontwikkelen", m.POLICY_CATEGORIES) == "redevelop"
    assert vocabulary_code("nonsense", m.POLICY_CATEGORIES) is None


@pytest.fixture
def harderwijk_store(store, real_data):
    """Boundaries shaped like Harderwijk: two buurten splitting the BGT file's extent."""
    from geo.io.readers import read_source

    minx, miny, maxx, maxy = read_source(
        real_data / "cmp_harderwijk_bgtplus_functioneelgebied_G0243.gpkg").frame.total_bounds
    mid = (minx + maxx) / 2
    frame = gpd.GeoDataFrame([
        {"statcode": "BU02430001", "statnaam": "Harderwijk-West", "geometry": box(minx - 10, miny - 10, mid, maxy + 10)},
        {"statcode": "BU02430002", "statnaam": "Harderwijk-Oost", "geometry": box(mid, miny - 10, maxx + 10, maxy + 10)},
    ], geometry="geometry", crs="EPSG:28992")
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        import_boundaries(store, ADMIN, write(frame, Path(tmp) / "hw.geojson", "geojson"))
    return store


def test_real_harderwijk_bgt_playgrounds(harderwijk_store, real_data):
    path = real_data / "cmp_harderwijk_bgtplus_functioneelgebied_G0243.gpkg"
    summary = import_places(harderwijk_store, ADMIN, path, "meeting-places")
    assert summary.preset == "bgt" and summary.crs_found == "EPSG:3857"
    assert harderwijk_store.count(m.MeetingPlace, kind="playground") == 219
    assert harderwijk_store.count(m.MeetingPlace, kind="sports_park") == 37
    assert summary.skipped_by_reason == {"geen ontmoetingsplaats volgens preset": 606 - 256}
    assert all(p.buurt_code in ("BU02430001", "BU02430002") for p in harderwijk_store.list(m.MeetingPlace))


def test_real_harderwijk_against_ermelo_boundaries(store, real_data):
    """Ermelo borders Harderwijk: Harderwijk's playgrounds lie outside Ermelo unless asked for."""
    import_boundaries(store, ADMIN, real_data / "cmp_ermelo_cbs_buurten_GM0233.gpkg")
    path = real_data / "cmp_harderwijk_bgtplus_functioneelgebied_G0243.gpkg"
    with pytest.raises(ImportFormatError, match="buiten de gemeente: 256"):
        import_places(store, ADMIN, path, "meeting-places", dry_run=True)
    assert store.count(m.MeetingPlace) == 0
    full = import_places(store, ADMIN, path, "meeting-places", include_outside=True)
    assert full.imported == 256 and full.outside_included == 256
    assert len(store.list(m.MeetingPlace, buurt_code=None)) == 256


def test_failure_while_writing_leaves_nothing(gm9991_store, tmp_path, monkeypatch):
    from geo.errors import WijkatlasError

    before = snapshot(gm9991_store)
    frame = points_frame([{"naam": f"Plek {i}", "soort": "park", "geometry": INSIDE} for i in range(5)])
    path = write(frame, tmp_path / "vijf.gpkg", "gpkg")
    original = type(gm9991_store).add

    def failing_add(self, record):
        # The import's last write (its audit line), after the places are in: on PostGIS those go by
        # one COPY (add_all), on SQLite one add each; either way the transaction must write nothing.
        if isinstance(record, m.AuditEntry):
            raise WijkatlasError("schijf vol")
        return original(self, record)

    monkeypatch.setattr(type(gm9991_store), "add", failing_add)
    with pytest.raises(WijkatlasError, match="schijf vol"):
        import_places(gm9991_store, ADMIN, path, "meeting-places")
    monkeypatch.undo()
    assert snapshot(gm9991_store) == before


class _CountingIndex(AreaIndex):
    """The real buurt index, counting the points it was asked about one at a time."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.asked_one = 0

    def code_at(self, geom):
        self.asked_one += 1
        return super().code_at(geom)


def test_points_are_placed_in_buurten_in_one_go_with_the_codes_one_by_one_would_give(gm9991_store, tmp_path):
    from shapely.geometry import LineString, Point

    from geo.io.places import plan_places
    from geo.io.readers import read_source
    from test_io_fixtures import SIZE, X0, Y0

    rng = np.random.default_rng(5)
    xs = rng.uniform(X0 - 300, X0 + 2 * SIZE + 300, 400)  # inside, on shared edges and outside
    ys = rng.uniform(Y0 - 300, Y0 + 2 * SIZE + 300, 400)
    xs[:40], ys[:40] = X0 + SIZE, Y0 + rng.uniform(0, 2 * SIZE, 40)  # on the edge of two buurten
    xs[40:45], ys[40:45] = X0 + SIZE, Y0 + SIZE  # the corner of four
    geoms = [Point(x, y, 7.0) if k % 3 == 0 else Point(x, y) for k, (x, y) in enumerate(zip(xs, ys))]
    geoms += [LineString([(X0 + 100, Y0 + 100), (X0 + 1900, Y0 + 1900)]), None]
    rows = [{"categorie": "groen", "tekst": f"punt {k}", "geometry": g} for k, g in enumerate(geoms)]
    source = read_source(write(points_frame(rows), tmp_path / "s.gpkg", "gpkg"))
    index = _CountingIndex(gm9991_store.list(m.Area, level="buurt"))
    plan = plan_places(gm9991_store, source, "suggestions", index=index, include_outside=True)
    assert index.asked_one == 1  # the line only: every point was placed in one go
    plain = AreaIndex(gm9991_store.list(m.Area, level="buurt"))
    got = {r.text: r.buurt_code for r in plan.records}
    assert len(got) == len(geoms) - 1  # the row without geometry is not a suggestion
    for r in plan.records:
        assert r.geometry.has_z is False
        assert got[r.text] == plain.code_at(r.geometry), r.text
    assert {got[f"punt {k}"] for k in range(40, 45)} == {"BU99910000"}  # a corner: the lowest code
    assert any(c is None for c in got.values()) and plan.summary.outside_included > 0
