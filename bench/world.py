"""Reproducible synthetic municipalities at the scales of issue #11.

``write_world(folder, scale)`` writes the files a municipality would import
(GeoPackages in RD New, PDOK/CBS column names) and ``load_world(db, folder)``
imports them with the real ``wijkatlas import`` commands, so the benchmark
measures the same path a user takes. Everything is drawn from a seeded
random generator: the same scale always gives the same files.

Scales:

- ``large``: one gemeente of 480 buurten in 48 wijken (Voronoi cells,
  segmentised to about 260 vertices each: ~125,000 vertices), 300 meeting
  places (a third candidates), 200 municipal buildings, 3,000 resident
  suggestions and 500,000 BAG-like address points;
- ``national``: 342 gemeenten, 3,420 wijken, 14,500 buurten with the same
  vertex density, 100,000 suggestions and 1,000,000 address points;
- ``smoke``: the large recipe at 1/40 (for the test suite).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

CRS = "EPSG:28992"


@dataclass(frozen=True)
class Scale:
    name: str
    gemeenten: int
    buurten: int  # in all
    buurten_per_wijk: int
    vertices_per_buurt: int
    meeting_places: int
    buildings: int
    suggestions: int
    addresses: int
    side_m: float  # the square the whole world fills


SCALES = {
    "smoke": Scale("smoke", 1, 24, 6, 60, 12, 8, 80, 4_000, 4_000),
    "large": Scale("large", 1, 480, 10, 260, 300, 200, 3_000, 500_000, 15_000),
    "national": Scale("national", 342, 14_500, 4, 260, 3_000, 2_000, 100_000, 1_000_000, 180_000),
}

X0, Y0 = 100_000.0, 400_000.0


def _voronoi(rng: np.random.Generator, n: int, region) -> list:
    """``n`` cells tiling ``region`` (Voronoi of random seeds, clipped)."""
    minx, miny, maxx, maxy = region.bounds
    seeds = []
    while len(seeds) < n:
        xs = rng.uniform(minx, maxx, n * 2)
        ys = rng.uniform(miny, maxy, n * 2)
        inside = shapely.contains_xy(region, xs, ys)
        seeds.extend(zip(xs[inside], ys[inside]))
    seeds = np.array(seeds[:n])
    # order seeds along rows so neighbouring codes are neighbours on the map
    order = np.lexsort((seeds[:, 0], np.floor((seeds[:, 1] - miny) / ((maxy - miny) / max(1, int(n ** 0.5))))))
    seeds = seeds[order]
    cells = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=region)
    parts = shapely.get_parts(cells)
    # voronoi_polygons does not keep the seed order: match each cell to its seed
    tree = shapely.STRtree(parts)
    seed_pts = shapely.points(seeds)
    si, ci = tree.query(seed_pts, predicate="intersects")
    cell_of = np.full(n, -1)
    cell_of[si] = ci
    out = []
    for i in range(n):
        cell = shapely.intersection(parts[cell_of[i]], region)
        if cell.geom_type != "Polygon":
            cell = max(shapely.get_parts(cell), key=lambda g: g.area)
        out.append(cell)
    return out


def _densify(geoms: list, vertices: int) -> list:
    """Segmentise every ring with one global step (shared edges get the same
    points on both sides), then move each vertex by a smooth function of its
    position: boundaries wiggle like surveyed ones (so they do not simplify
    away to their corners) and neighbouring buurten still tile."""
    arr = np.asarray(geoms, dtype=object)
    step = float(shapely.length(arr).sum() / (len(arr) * vertices))
    dense = shapely.segmentize(arr, step)

    def wiggle(xy: np.ndarray) -> np.ndarray:
        x, y = xy[:, 0], xy[:, 1]
        dx = 2.5 * np.sin(x * 0.071 + y * 0.133) + 1.5 * np.sin(x * 0.31 - y * 0.27)
        dy = 2.5 * np.cos(x * 0.117 - y * 0.089) + 1.5 * np.cos(x * 0.23 + y * 0.41)
        return np.column_stack([x + dx, y + dy])

    return list(shapely.make_valid(shapely.transform(dense, wiggle)))


@dataclass
class World:
    folder: Path
    scale: Scale
    files: dict[str, Path]
    gemeenten: list[str]


def write_world(folder: Path, scale: str | Scale = "large", seed: int = 11) -> World:
    """Write the import files of one scale into ``folder`` (idempotent)."""
    sc = SCALES[scale] if isinstance(scale, str) else scale
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = {k: folder / f"{k}.gpkg" for k in
             ("gemeenten", "wijken", "buurten", "meeting_places", "real_estate", "suggestions", "addresses")}
    marker = folder / f"done-{sc.name}-{seed}"
    rng = np.random.default_rng(seed)
    world_box = shapely.box(X0, Y0, X0 + sc.side_m, Y0 + sc.side_m)
    gm_cells = [world_box] if sc.gemeenten == 1 else _voronoi(rng, sc.gemeenten, world_box)
    gm_codes = [f"GM{9000 + i:04d}" if sc.gemeenten > 1 else "GM9901" for i in range(sc.gemeenten)]
    if marker.exists():
        return World(folder, sc, files, gm_codes)
    per_gm = np.full(sc.gemeenten, sc.buurten // sc.gemeenten)
    per_gm[: sc.buurten - per_gm.sum()] += 1
    gm_rows, wk_rows, bu_rows = [], [], []
    for g, (gm, cell) in enumerate(zip(gm_codes, gm_cells)):
        gm_name = f"Gemeente {g + 1}" if sc.gemeenten > 1 else "Grootstad"
        buurten = _voronoi(rng, int(per_gm[g]), cell)
        n_wijk = -(-len(buurten) // sc.buurten_per_wijk)
        inw_total = 0
        for w in range(n_wijk):
            members = buurten[w * sc.buurten_per_wijk:(w + 1) * sc.buurten_per_wijk]
            wk = f"WK{gm[2:]}{w:02d}" if n_wijk <= 100 else None
            wk = wk or f"WK{gm[2:]}{w % 100:02d}"
            inw_wijk = 0
            for b, geom in enumerate(members):
                inw = int(rng.integers(300, 6000))
                inw_wijk += inw
                bu_rows.append({"buurtcode": f"BU{gm[2:]}{w % 100:02d}{b:02d}", "buurtnaam": f"Buurt {w + 1}.{b + 1}",
                                "wijkcode": wk, "gemeentecode": gm, "gemeentenaam": gm_name,
                                "aantal_inwoners": inw, "aantal_huishoudens": inw // 2,
                                "percentage_personen_65_jaar_en_ouder": int(rng.integers(5, 35)),
                                "geometry": geom})
            wk_rows.append({"wijkcode": wk, "wijknaam": f"Wijk {w + 1}", "gemeentecode": gm,
                            "gemeentenaam": gm_name, "aantal_inwoners": inw_wijk,
                            "geometry": shapely.union_all(members)})
            inw_total += inw_wijk
        gm_rows.append({"gemeentecode": gm, "gemeentenaam": gm_name, "aantal_inwoners": inw_total, "geometry": cell})
    bu_geoms = _densify([r["geometry"] for r in bu_rows], sc.vertices_per_buurt)
    for r, geom in zip(bu_rows, bu_geoms):
        r["geometry"] = geom
    wk_geoms = _densify([r["geometry"] for r in wk_rows], sc.vertices_per_buurt * 2)
    for r, geom in zip(wk_rows, wk_geoms):
        r["geometry"] = geom
    for rows, key in ((gm_rows, "gemeenten"), (wk_rows, "wijken"), (bu_rows, "buurten")):
        gpd.GeoDataFrame(rows, crs=CRS).to_file(files[key], driver="GPKG", layer=key)

    def points(n: int) -> np.ndarray:
        # clustered like a town: around buurt centres, inside the world
        centres = shapely.get_coordinates(shapely.centroid(np.asarray(bu_geoms, dtype=object)))
        pick = rng.integers(0, len(centres), n)
        xy = centres[pick] + rng.normal(0, 180, (n, 2))
        xy[:, 0] = np.clip(xy[:, 0], X0 + 1, X0 + sc.side_m - 1)
        xy[:, 1] = np.clip(xy[:, 1], Y0 + 1, Y0 + sc.side_m - 1)
        return xy

    kinds = ("building", "playground", "park", "square", "sports_park", "school")
    xy = points(sc.meeting_places)
    gpd.GeoDataFrame({
        "naam": [f"Ontmoetingsplek {i + 1}" for i in range(sc.meeting_places)],
        "soort": [kinds[i % len(kinds)] for i in range(sc.meeting_places)],
        "status": ["candidate" if i % 3 == 0 else "existing" for i in range(sc.meeting_places)],
        "capaciteit": rng.integers(10, 200, sc.meeting_places),
    }, geometry=shapely.points(xy), crs=CRS).to_file(files["meeting_places"], driver="GPKG")
    xy = points(sc.buildings)
    gpd.GeoDataFrame({
        "naam": [f"Gebouw {i + 1}" for i in range(sc.buildings)],
        "adres": [f"Straat {i + 1}" for i in range(sc.buildings)],
        "functie": ["buurthuis" if i % 2 else "sporthal" for i in range(sc.buildings)],
        "bvo": rng.integers(200, 3000, sc.buildings).astype(float),
        "bezetting": rng.integers(10, 100, sc.buildings).astype(float),
        "conditie": rng.integers(1, 7, sc.buildings),
        "jaarlijkse_kosten": rng.integers(5_000, 200_000, sc.buildings).astype(float),
    }, geometry=shapely.points(xy), crs=CRS).to_file(files["real_estate"], driver="GPKG")
    cats = ("meeting", "play", "greenery", "traffic_safety", "maintenance", "other")
    xy = points(sc.suggestions)
    gpd.GeoDataFrame({
        "categorie": [cats[i % len(cats)] for i in range(sc.suggestions)],
        "tekst": [f"Suggestie {i + 1}: meer ruimte om elkaar te ontmoeten" for i in range(sc.suggestions)],
        "status": ["published" if i % 5 else "received" for i in range(sc.suggestions)],
    }, geometry=shapely.points(xy), crs=CRS).to_file(files["suggestions"], driver="GPKG")
    xy = points(sc.addresses)
    gpd.GeoDataFrame({
        "identificatie": [f"{9901010000000000 + i:016d}" for i in range(sc.addresses)],
    }, geometry=shapely.points(xy), crs=CRS).to_file(files["addresses"], driver="GPKG")
    marker.write_text("ok\n")
    return World(folder, sc, files, gm_codes)


def wijkatlas(db: str, *args: str) -> subprocess.CompletedProcess:
    """Run the real ``wijkatlas`` command (as a user would) and fail loudly."""
    cmd = [sys.executable, "-m", "geo", "--db", db, *args]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {proc.stderr.strip()[-500:]}")
    return proc


IMPORTS = (
    ("gemeenten", ("import", "boundaries", "{file}", "--level", "gemeente")),
    ("wijken", ("import", "boundaries", "{file}", "--level", "wijk")),
    ("buurten", ("import", "boundaries", "{file}", "--level", "buurt")),
    ("real_estate", ("import", "places", "{file}", "--as", "real-estate")),
    ("meeting_places", ("import", "places", "{file}", "--as", "meeting-places")),
    ("suggestions", ("import", "places", "{file}", "--as", "suggestions")),
    ("addresses", ("import", "places", "{file}", "--as", "address-points")),
)


def load_world(db: str, world: World, timings: dict[str, float] | None = None) -> dict[str, float]:
    """Import every file of ``world`` into ``db`` with ``wijkatlas import``; seconds per file."""
    import time

    timings = {} if timings is None else timings
    wijkatlas(db, "init")
    for key, template in IMPORTS:
        # The national world is larger than an import's default limits (data/import_limits.toml)
        # on purpose: staff confirm such a file with --allow-large, as here.
        args = [a.format(file=world.files[key]) for a in template] + ["--allow-large"]
        t0 = time.perf_counter()
        wijkatlas(db, *args)
        timings[key] = time.perf_counter() - t0
    return timings


if __name__ == "__main__":  # python -m bench.world SCALE FOLDER [DB]
    scale, folder = sys.argv[1], Path(sys.argv[2])
    w = write_world(folder, scale)
    print(f"wrote {w.folder}")
    if len(sys.argv) > 3:
        print(load_world(sys.argv[3], w))
