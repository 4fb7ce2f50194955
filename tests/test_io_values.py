"""Hostile numbers and oversized files: one choke point for every reader.

Every reader (GeoJSON, TopoJSON, GeoPackage, zipped Shapefile, CSV with
lat/lon, x/y or WKT, Excel) passes its values through
:func:`geo.io.values.check_frame` before GEOS or the database sees them.
NaN, infinities and absurd magnitudes in coordinates or numbers, rings with
too few distinct points and empty parts are refused with a message naming
file, row and field; the CLI exits 2 with one ``error:`` line and the
database unchanged. Import limits come from ``data/import_limits.toml``.
"""

from __future__ import annotations

import json
import math
import struct
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon

from geo import model as m
from geo.access import Actor
from geo.cli import main
from geo.errors import WijkatlasError
from geo.io import import_boundaries, import_places, read_source
from geo.io.limits import ImportLimits, load_limits
from geo.store import open_store

ADMIN = Actor("test-admin", "admin")
X, Y = 166_300.0, 380_150.0  # inside Braakhuizen-Zuid (demo), RD New
LON, LAT = 5.5607, 51.4143
HOSTILE = [math.nan, math.inf, -math.inf, 1e300, -1e300, 1e20]
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# --- one writer per reader ----------------------------------------------------------------
def _geojson(path: Path, x: float, y: float, number: float) -> Path:
    doc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "a", "kind": "park", "capacity": number},
                                                       "geometry": {"type": "Point", "coordinates": [x, y]}}]}
    path.write_text(json.dumps(doc, allow_nan=True))
    return path


def _topojson(path: Path, x: float, y: float, number: float) -> Path:
    doc = {"type": "Topology", "arcs": [], "objects": {"places": {"type": "GeometryCollection", "geometries": [
        {"type": "Point", "coordinates": [x, y], "properties": {"name": "a", "kind": "park", "capacity": number}}]}}}
    path.write_text(json.dumps(doc, allow_nan=True))
    return path


def _frame(x: float, y: float, number: float, crs: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": ["a"], "kind": ["park"], "capacity": [number]}, geometry=[Point(x, y)], crs=crs)


def _gpkg(path: Path, x: float, y: float, number: float) -> Path:
    _frame(x, y, number, "EPSG:28992").to_file(path, driver="GPKG", layer="plekken")
    return path


# exactly representable, patched in the .shp bytes afterwards (GDAL will not write NaN)
_SENTINEL, _SENTINEL_Y = 123456.78125, 387654.21875


def _shpzip(path: Path, x: float, y: float, number: float) -> Path:
    folder = path.parent / (path.stem + "_shp")
    folder.mkdir()
    frame = _frame(_SENTINEL, _SENTINEL_Y, number if math.isfinite(number) else 0.0, "EPSG:28992")
    if not math.isfinite(number):
        frame["capacity"] = [repr(number)]
    frame.to_file(folder / "plekken.shp")
    shp = folder / "plekken.shp"
    shp.write_bytes(shp.read_bytes().replace(struct.pack("<d", _SENTINEL), struct.pack("<d", x))
                    .replace(struct.pack("<d", _SENTINEL_Y), struct.pack("<d", y)))
    with zipfile.ZipFile(path, "w") as zf:
        for f in folder.iterdir():
            zf.write(f, f.name)
    return path


def _csv_xy(path: Path, x: float, y: float, number: float) -> Path:
    path.write_text(f"name;kind;x;y;capacity\na;park;{x!r};{y!r};{number!r}\n")
    return path


def _csv_latlon(path: Path, x: float, y: float, number: float) -> Path:
    path.write_text(f"name;kind;lat;lon;capacity\na;park;{y!r};{x!r};{number!r}\n")
    return path


def _csv_wkt(path: Path, x: float, y: float, number: float) -> Path:
    path.write_text(f"name;kind;wkt;capacity\na;park;POINT ({x!r} {y!r});{number!r}\n")
    return path


def _xlsx(path: Path, x: float, y: float, number: float) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name", "kind", "x", "y", "capacity"])
    cell = lambda v: v if math.isfinite(v) else repr(v)  # noqa: E731 - a sheet cannot hold inf/nan as a number
    ws.append(["a", "park", cell(x), cell(y), cell(number)])
    wb.save(path)
    return path


# reader, writer, suffix, (good x, good y) in the CRS that reader's file uses
READERS = {
    "geojson": (_geojson, "geojson", (LON, LAT)),
    "topojson": (_topojson, "topojson", (LON, LAT)),
    "gpkg": (_gpkg, "gpkg", (X, Y)),
    "shapefile": (_shpzip, "zip", (X, Y)),
    "csv-xy": (_csv_xy, "csv", (X, Y)),
    "csv-latlon": (_csv_latlon, "csv", (LON, LAT)),
    "csv-wkt": (_csv_wkt, "csv", (X, Y)),
    "xlsx": (_xlsx, "xlsx", (X, Y)),
}


def _write(tmp_path: Path, reader: str, x: float, y: float, number: float, n: int = 0) -> Path:
    writer, suffix, _ = READERS[reader]
    return writer(tmp_path / f"f{n}.{suffix}", x, y, number)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("value", HOSTILE, ids=repr)
def test_every_reader_refuses_a_hostile_coordinate_naming_row_and_field(tmp_path, reader, value):
    _, _, (gx, gy) = READERS[reader]
    path = _write(tmp_path, reader, value, gy, 1.0)
    crs = "EPSG:28992" if reader in ("csv-wkt",) else None
    with pytest.raises(WijkatlasError) as err:
        read_source(path, crs=crs)
    message = str(err.value)
    row = 2 if reader == "xlsx" else 1  # a sheet counts its header row
    assert path.name in message and f"rij {row}" in message and "veld" in message, message
    assert "\n" not in message


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("value", [math.inf, -math.inf, 1e300, -1e20], ids=repr)
def test_every_reader_refuses_a_hostile_number_naming_row_and_field(tmp_path, reader, value):
    _, _, (gx, gy) = READERS[reader]
    path = _write(tmp_path, reader, gx, gy, value)
    try:
        source = read_source(path)
    except WijkatlasError as exc:
        assert "rij " in str(exc) and "capacity" in str(exc), str(exc)
        return
    # A reader that keeps the cell as text: the importer's number check refuses it.
    store = open_store("sqlite://:memory:")
    from geo.bootstrap import ensure_demo

    ensure_demo(store)
    with pytest.raises(WijkatlasError, match="rij [12].*capacity"):
        import_places(store, ADMIN, path, "meeting-places", mapping={"name": "name", "kind": "kind", "capacity": "capacity"},
                      include_outside=True)
    assert source is not None


@pytest.mark.parametrize("reader", READERS)
@given(x=st.floats(allow_nan=True, allow_infinity=True), y=st.floats(allow_nan=True, allow_infinity=True),
       number=st.floats(allow_nan=True, allow_infinity=True))
@SETTINGS
def test_hypothesis_any_float_is_read_cleanly_or_refused_cleanly(tmp_path_factory, reader, x, y, number):
    tmp = tmp_path_factory.mktemp(reader)
    path = _write(tmp, reader, x, y, number)
    for crs in (None, "EPSG:28992", "EPSG:4326"):
        try:
            source = read_source(path, crs=crs)
        except WijkatlasError as exc:
            assert "\n" not in str(exc)
            continue
        coords = shapely.get_coordinates(np.asarray(source.frame.geometry.values, dtype=object))
        assert np.isfinite(coords).all()
        assert (np.abs(coords) < 1e7).all()
        for col in source.columns:
            if pd.api.types.is_numeric_dtype(source.frame[col].dtype):
                values = source.frame[col].to_numpy(dtype=float, na_value=np.nan)
                assert not np.isinf(values).any() and (np.abs(np.nan_to_num(values)) <= 1e15).all()


def test_rings_with_too_few_points_and_empty_parts_are_refused(tmp_path):
    cases = {
        "ring": "POLYGON ((166000 380000, 166000 380000, 166000 380000, 166000 380000))",
        "flat": "POLYGON ((166000 380000, 166100 380000, 166000 380000, 166000 380000))",
        "line": "LINESTRING (166000 380000, 166000 380000)",
        "part": "MULTIPOINT (EMPTY, (166000 380000))",
    }
    for name, wkt in cases.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(f'naam;wkt\nok;POINT (166000 380000)\n{name};{wkt}\n')
        with pytest.raises(WijkatlasError, match=rf"{name}.csv: rij 2, veld wkt"):
            read_source(path)


@pytest.fixture
def boundary_nan(tmp_path) -> Path:
    doc = {"type": "FeatureCollection", "features": [{"type": "Feature",
           "properties": {"BU_CODE": "BU17710099", "BU_NAAM": "x", "GM_CODE": "GM1771"},
           "geometry": {"type": "Polygon", "coordinates": [[[5.5, 51.4], [math.nan, 51.41], [5.52, 51.4], [5.5, 51.4]]]}}]}
    path = tmp_path / "grenzen.geojson"
    path.write_text(json.dumps(doc, allow_nan=True))
    return path


def test_cli_nan_boundary_is_exit_2_one_line_and_nothing_written(demo_db_url, boundary_nan, capsys):
    store = open_store(demo_db_url)
    before = store.count(m.Area)
    version = store.data_version()
    code = main(["--db", demo_db_url, "import", "boundaries", str(boundary_nan)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: grenzen.geojson: rij 1, veld geometrie") and err.count("\n") == 1, err
    assert store.count(m.Area) == before and store.data_version() == version


def test_cli_nan_wkt_with_crs_is_exit_2(demo_db_url, tmp_path, capsys):
    path = tmp_path / "plekken.csv"
    path.write_text("naam;soort;wkt\nA;park;POINT (166300 380150)\nB;park;POINT (NaN 380000)\n")
    code = main(["--db", demo_db_url, "import", "places", str(path), "--as", "meeting-places", "--crs", "EPSG:28992"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: plekken.csv: rij 2, veld wkt"), err


def test_data_page_shows_a_dutch_message_for_nan(apptest, app_env, boundary_nan):
    from test_page_data import uploaded

    at = apptest("gegevens", role="admin", **uploaded(boundary_nan))
    assert not at.exception
    assert at.error[0].value.startswith("grenzen.geojson: rij 1, veld geometrie: coördinaat")


# --- limits ---------------------------------------------------------------------------------
def test_default_limits_fit_the_largest_gemeente():
    assert load_limits("address-points").max_rows >= 500_000  # all of Amsterdam's BAG address points
    boundaries = load_limits("boundaries")
    assert boundaries.max_rows >= 17_000  # every buurt of the whole CBS wijk- en buurtkaart
    assert boundaries.max_file_mb >= 500
    assert load_limits("meeting-places").max_rows < load_limits("address-points").max_rows


def test_too_many_rows_is_refused_while_reading_with_the_limit_and_how_to_raise_it(tmp_path, demo_store):
    path = tmp_path / "veel.csv"
    path.write_text("naam;soort;x;y\n" + "".join(f"P{i};park;{X};{Y}\n" for i in range(60)))
    small = ImportLimits(layer="meeting-places", max_rows=50)
    with pytest.raises(WijkatlasError) as err:
        read_source(path, limits=small)
    message = str(err.value)
    assert "veel.csv: te veel rijen (meer dan 50, de grens" in message and "--allow-large" in message
    assert len(read_source(path, limits=small.large())) == 60


def test_limits_for_vertices_and_file_size(tmp_path):
    ring = Polygon([(X + 10 * math.cos(a), Y + 10 * math.sin(a)) for a in np.linspace(0, 2 * math.pi, 500)])
    frame = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[ring, ring], crs="EPSG:28992")
    path = tmp_path / "veel_punten.gpkg"
    frame.to_file(path, driver="GPKG")
    with pytest.raises(WijkatlasError, match="rij 1: te veel punten in één object"):
        read_source(path, limits=ImportLimits(max_vertices_per_feature=400))
    with pytest.raises(WijkatlasError, match="te veel punten in het bestand"):
        read_source(path, limits=ImportLimits(max_total_vertices=800))
    with pytest.raises(WijkatlasError, match="bestand is te groot"):
        read_source(path, limits=ImportLimits(max_file_mb=0.01))
    assert len(read_source(path, limits=ImportLimits(max_vertices_per_feature=600))) == 2
    # GeoPackage/GeoJSON: the row count is known before reading
    with pytest.raises(WijkatlasError, match="te veel objecten"):
        read_source(path, limits=ImportLimits(max_rows=1))


def test_cli_allow_large_and_configured_limits(demo_db_url, tmp_path, capsys, monkeypatch):
    limits_file = tmp_path / "limits.toml"
    limits_file.write_text("[default]\nmax_rows = 3\nlarge_factor = 10\n")
    import geo.io.limits as L

    monkeypatch.setattr(L, "LIMITS_PATH", limits_file)
    path = tmp_path / "plekken.csv"
    path.write_text("naam;soort;x;y\n" + "".join(f"P{i};park;{X};{Y}\n" for i in range(5)))
    store = open_store(demo_db_url)
    before = store.count(m.MeetingPlace)
    code = main(["--db", demo_db_url, "import", "places", str(path), "--as", "meeting-places"])
    err = capsys.readouterr().err
    assert code == 2 and "te veel rijen (meer dan 3, de grens voor laag meeting-places)" in err and "--allow-large" in err
    assert store.count(m.MeetingPlace) == before
    code = main(["--db", demo_db_url, "import", "places", str(path), "--as", "meeting-places", "--allow-large"])
    assert code == 0, capsys.readouterr().err
    assert store.count(m.MeetingPlace) == before + 5


def test_fewer_distinct_agrees_with_counting_every_point():
    """The sort-free proof of enough distinct points never disagrees with counting them."""
    import numpy as np
    import shapely

    from geo.io.values import _distinct_points, _fewer_distinct

    rng = np.random.default_rng(7)
    rings, lines = [], []
    for _ in range(3000):
        n = int(rng.integers(2, 7))
        spread = int(rng.choice([1, 2, 3, 1000]))  # small grids: repeated and collinear points are common
        xy = rng.integers(0, spread, size=(n, 2)).astype(float) + 150_000.0
        if rng.random() < 0.2:
            xy[:, 1] = 450_000.0  # all on one line
        lines.append(shapely.linestrings(xy))
        rings.append(shapely.linearrings(np.vstack([xy, xy[:1]]) if n >= 3 else np.vstack([xy, xy[:1], xy[:1]])))
    rings.append(shapely.linearrings([(0.1, 0.2), (1e9 + 0.1, 0.2), (0.1, 0.2), (0.1, 0.2)]))
    for geoms, k in ((np.array(rings, dtype=object), 3), (np.array(lines, dtype=object), 2)):
        assert (_fewer_distinct(geoms, k) == (_distinct_points(geoms) < k)).all()
        assert _fewer_distinct(geoms, k).any() and not _fewer_distinct(geoms, k).all()
