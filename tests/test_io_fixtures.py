"""Fixture files written by the import tests themselves, in every format and schema.

A made-up municipality GM9991 (wijken WK999100, WK999101; four square
buurten of 1 km in RD New near Amersfoort) and a neighbour GM9992, plus a
national-style file that adds a third municipality whose figures are CBS's
negative codes for secret values. The builders are plain functions so the
readers, boundaries, places, export, CLI and page tests share them.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

X0, Y0 = 150_000.0, 450_000.0
SIZE = 1000.0


def buurten(gm: str = "9991", dx: float = 0.0) -> list[dict]:
    """Four buurten in two wijken: BU{gm}0000, 0001 (wijk 00) and 0100, 0101 (wijk 01)."""
    rows = []
    for i, (wk, bu) in enumerate([("00", "00"), ("00", "01"), ("01", "00"), ("01", "01")]):
        x = X0 + dx + (i % 2) * SIZE
        y = Y0 + (i // 2) * SIZE
        rows.append({
            "bu": f"BU{gm}{wk}{bu}", "wk": f"WK{gm}{wk}", "gm": f"GM{gm}",
            "bu_naam": f"Buurt {gm}-{wk}{bu}", "wk_naam": f"Wijk {gm}-{wk}", "gm_naam": f"Gemeente {gm}",
            "inw": 1000 + 10 * i, "p65": 20 + i, "geometry": box(x, y, x + SIZE, y + SIZE),
        })
    return rows


def upper_frame(gms=("9991",), secret: str | None = None) -> gpd.GeoDataFrame:
    rows = []
    for k, gm in enumerate(gms):
        for r in buurten(gm, dx=k * 3 * SIZE):
            rows.append({"BU_CODE": r["bu"], "BU_NAAM": r["bu_naam"], "WK_CODE": r["wk"], "WK_NAAM": r["wk_naam"],
                         "GM_CODE": r["gm"], "GM_NAAM": r["gm_naam"], "H2O": "NEE", "AANT_INW": r["inw"],
                         "P_65_EO_JR": r["p65"], "geometry": r["geometry"]})
    if secret:
        for r in buurten(secret, dx=len(gms) * 3 * SIZE):
            rows.append({"BU_CODE": r["bu"], "BU_NAAM": r["bu_naam"], "WK_CODE": r["wk"], "WK_NAAM": r["wk_naam"],
                         "GM_CODE": r["gm"], "GM_NAAM": r["gm_naam"], "H2O": "NEE", "AANT_INW": -99999999,
                         "P_65_EO_JR": -99997, "geometry": r["geometry"]})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:28992")


def pdok_frame(gm: str = "9991") -> gpd.GeoDataFrame:
    rows = [{"buurtcode": r["bu"], "buurtnaam": r["bu_naam"], "wijkcode": r["wk"], "gemeentecode": r["gm"],
             "gemeentenaam": r["gm_naam"], "aantal_inwoners": r["inw"],
             "percentage_personen_65_jaar_en_ouder": r["p65"], "jaarstatcode": f"2024{r['bu']}",
             "geometry": r["geometry"]} for r in buurten(gm)]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:28992")


def statcode_frame(level: str = "buurt", gm: str = "9991") -> gpd.GeoDataFrame:
    rows = buurten(gm)
    if level == "buurt":
        out = [{"statcode": r["bu"], "statnaam": r["bu_naam"], "jrstatcode": f"2024{r['bu']}",
                "geometry": r["geometry"]} for r in rows]
    else:
        wijken: dict[str, list] = {}
        for r in rows:
            wijken.setdefault(r["wk"], []).append(r)
        import shapely

        out = [{"statcode": wk, "statnaam": rs[0]["wk_naam"], "jrstatcode": f"2024{wk}",
                "geometry": shapely.union_all([r["geometry"] for r in rs])} for wk, rs in wijken.items()]
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:28992")


def write(frame: gpd.GeoDataFrame, path: Path, fmt: str, crs_member: bool = True) -> Path:
    """Write ``frame`` as geojson, gpkg, zipped shapefile ("shpzip") or CSV with WKT."""
    path = Path(path)
    if fmt == "geojson":
        doc = json.loads(frame.to_json())
        doc.pop("crs", None)
        if crs_member and frame.crs is not None and frame.crs.to_epsg() != 4326:
            doc["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{frame.crs.to_epsg()}"}}
        path.write_text(json.dumps(doc), encoding="utf-8")
    elif fmt == "gpkg":
        frame.to_file(path, layer=path.stem, driver="GPKG")
    elif fmt == "shpzip":
        folder = path.parent / (path.stem + "_shp")
        folder.mkdir(exist_ok=True)
        frame.to_file(folder / f"{path.stem}.shp")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(folder.iterdir()):
                zf.write(f, f.name)
    elif fmt == "csv":
        out = frame.drop(columns="geometry").copy()
        out["wkt"] = [g.wkt for g in frame.geometry]
        out.to_csv(path, index=False)
    else:  # pragma: no cover - a typo in a test
        raise ValueError(fmt)
    return path


def points_frame(rows: list[dict], crs: str = "EPSG:28992") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)


INSIDE = Point(X0 + 500, Y0 + 500)  # in BU99910000
INSIDE2 = Point(X0 + 1500, Y0 + 1500)  # in BU99910101
OUTSIDE = Point(X0 - 5000, Y0 - 5000)


@pytest.fixture
def gm9991_store(store):
    """An empty store holding the boundaries of GM9991."""
    from geo.access import Actor
    from geo.io import import_boundaries

    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = write(upper_frame(), Path(tmp) / "gm9991.gpkg", "gpkg")
        import_boundaries(store, Actor("test", "admin"), path)
    return store


def test_fixture_buurten_tile_without_overlap():
    geoms = [r["geometry"] for r in buurten()]
    assert sum(g.area for g in geoms) == pytest.approx(4 * SIZE * SIZE)
    assert all(not a.overlaps(b) for i, a in enumerate(geoms) for b in geoms[i + 1:])
    assert INSIDE.within(geoms[0]) and INSIDE2.within(geoms[3])
