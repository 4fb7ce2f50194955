"""The PostGIS column of the scale benchmark (issue #12).

For each scale of :mod:`bench.bench_scales` (``WIJKATLAS_BENCH_SCALES``), the
same generated world is imported with the real ``wijkatlas import`` into a
fresh PostGIS database, and measured against the SQLite database that
``bench_scales.prepare`` built in the same run:

- import throughput of each file (rows/s), PostGIS vs SQLite;
- ``wijkatlas coverage`` (whole command), PostGIS vs SQLite (geopandas/numpy
  in-process either way: the addresses are read once, then the analysis runs
  in the app server, which stays faster than SQL for this bulk question);
- point → buurt, one click: ``store.area_at`` (ST_Covers on the GiST index;
  SQLite: bbox columns + shapely) vs the in-process STRtree of every buurt,
  built for the question or already built (a per-process cache);
- point → buurt, bulk (5,000 points, as an import): one ``area_at`` per point
  vs building the STRtree once and one vectorised query (what imports keep);
- server time of the explorer's script run and of a click, PostGIS vs SQLite;
- the address points' bulk write alone (``store.bulk_add`` of the planned columns into an empty
  table): one binary COPY (what imports do) against the INSERTs by ``executemany`` that PostGIS
  used before (``bulk_via = "insert"``), the same columns, the rows checked equal.

PostGIS comes from ``WIJKATLAS_BENCH_POSTGIS_URL`` (a user that may create
databases) or a throwaway cluster (``tests/pgcluster.py``) when PostgreSQL
and PostGIS are installed; without either the rows say so.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import Result

ROOT = Path(__file__).resolve().parent.parent


def _server():
    """(admin URL, cluster or None) of a PostgreSQL with PostGIS."""
    url = os.environ.get("WIJKATLAS_BENCH_POSTGIS_URL")
    if url:
        return url, None
    sys.path.insert(0, str(ROOT))
    from tests import pgcluster

    if not pgcluster.postgis_available():
        return None, None
    cluster = pgcluster.create(tempfile.mkdtemp(prefix="wijkatlas-bench-pg-"))
    return cluster.url, cluster


def _fresh_database(admin_url: str, name: str) -> str:
    import psycopg

    from tests.postgis import with_database

    with psycopg.connect(with_database(admin_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = with_database(admin_url, name)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return url


def _locate_seconds(url: str, runs: int = 20, bulk: int = 5000) -> dict[str, float]:
    """Point → buurt on one store, in seconds.

    One question (a click): ``store.area_at`` (median of ``runs``), an
    in-process STRtree built from every buurt and asked once (what a server
    without a cache does; median of 3), and a lookup in an index already built
    (a warm per-process cache). Bulk (an import): ``bulk`` seeded points in the
    buurten's extent, one ``area_at`` each vs building the index once and one
    vectorised ``codes_at``; the answers are checked to be equal.
    """
    import numpy as np
    from shapely.geometry import Point

    from geo import model as m
    from geo.spatial import AreaIndex
    from geo.store import open_store

    store = open_store(url)
    buurten = store.list(m.Area, level="buurt")
    points = [b.geometry.representative_point() for b in buurten[:: max(1, len(buurten) // runs)]][:runs]
    out: dict[str, float] = {}
    db = []
    for p in points:
        t0 = time.perf_counter()
        store.area_at(p)
        db.append(time.perf_counter() - t0)
    out["area_at"] = statistics.median(db)
    fresh = []
    for p in points[:3]:
        t0 = time.perf_counter()
        AreaIndex.from_store(store, level="buurt").at(p)
        fresh.append(time.perf_counter() - t0)
    out["index_fresh"] = statistics.median(fresh)
    index = AreaIndex.from_store(store, level="buurt")
    warm = []
    for p in points:
        t0 = time.perf_counter()
        index.at(p)
        warm.append(time.perf_counter() - t0)
    out["index_warm"] = statistics.median(warm)

    minx, miny, maxx, maxy = np.array([b.geometry.bounds for b in buurten]).T
    rng = np.random.default_rng(12)
    xs = rng.uniform(minx.min(), maxx.max(), bulk)
    ys = rng.uniform(miny.min(), maxy.max(), bulk)
    many = [Point(x, y) for x, y in zip(xs, ys)]
    t0 = time.perf_counter()
    one_by_one = [(a.code if a else None) for a in (store.area_at(p) for p in many)]
    out["bulk_area_at"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    at_once = list(AreaIndex.from_store(store, level="buurt").codes_at(many))
    out["bulk_index"] = time.perf_counter() - t0
    if one_by_one != at_once:
        raise AssertionError("area_at and AreaIndex.codes_at disagree")
    store.close()
    return out


def _locate_rows(label: str, loc: dict[str, dict[str, float]]) -> list[Result]:
    out = []
    first = next(iter(loc))
    fresh = loc[first]["index_fresh"]
    out.append(Result(f"{label}: point → buurt (one click)", f"in-process STRtree, built from all buurten ({first})",
                      fresh * 1000, 3, is_baseline=True, note="what an app server does without a cache"))
    for name in loc:
        out.append(Result(f"{label}: point → buurt (one click)", f"{name}: in-process STRtree, already built",
                          loc[name]["index_warm"] * 1000, 20, fresh * 1000,
                          note="a per-process cache: every buurt held in each app server"))
    how = {"SQLite": "SQLite store.area_at (bbox index + shapely)", "PostGIS": "PostGIS store.area_at (ST_Covers, GiST)"}
    for name in loc:
        out.append(Result(f"{label}: point → buurt (one click)", how[name], loc[name]["area_at"] * 1000, 20,
                          fresh * 1000, note="what the app does: no buurt loaded into the app server"))
    for name in loc:
        base = loc[name]["bulk_area_at"]
        out.append(Result(f"{label}: 5,000 points → buurt (an import)", f"{name}: store.area_at per point",
                          base, 1, unit="s", is_baseline=True))
        out.append(Result(f"{label}: 5,000 points → buurt (an import)",
                          f"{name}: AreaIndex built once + codes_at", loc[name]["bulk_index"], 1, base,
                          unit="s", note="what imports do; same answers checked"))
    return out


def _bulk_write_rows(label: str, admin: str, pg_url: str, world, runs: int = 3) -> list[Result]:
    """``store.bulk_add`` of the address points alone, COPY vs the former INSERTs, into empty tables."""
    from geo import model as m
    from geo.io.address_points import plan_address_points
    from geo.io.limits import load_limits
    from geo.io.readers import read_source
    from geo.store import open_store
    from geo.store.copy import table_checksum

    store = open_store(pg_url)
    source = read_source(world.files["addresses"], limits=load_limits("address-points", True))
    columns = plan_address_points(store, source).bulk
    store.close()
    n = len(columns["geometry"])
    seconds: dict[str, list[float]] = {"insert": [], "copy": []}
    sums = {}
    for i in range(runs):
        for via in ("insert", "copy"):  # alternated, so a change of load hits both
            url = _fresh_database(admin, f"wijkatlas_bench_bulk_{via}")
            target = open_store(url)
            target.bulk_via = via
            t0 = time.perf_counter()
            target.bulk_add(m.AddressPoint, columns, replace_key="bag_id")
            seconds[via].append(time.perf_counter() - t0)
            if i == 0:
                sums[via] = table_checksum(target, m.AddressPoint)
            target.close()
    if sums["insert"] != sums["copy"]:
        raise AssertionError("COPY and INSERT wrote different address points")
    base = statistics.median(seconds["insert"])
    what = f"{label}: write {n:,} address points (store.bulk_add alone, empty table)"
    return [Result(what, "PostGIS: executemany of INSERTs (before)", base, runs, unit="s", is_baseline=True,
                   note=f"{n / base:,.0f} rows/s"),
            Result(what, "PostGIS: one binary COPY, indexes built after", statistics.median(seconds["copy"]), runs,
                   base, unit="s", note=f"{n / statistics.median(seconds['copy']):,.0f} rows/s; same rows checked")]


def run(scales: list[str] | None = None) -> list[Result]:
    from bench import bench_scales as bs
    from bench import explorer as ex
    from bench.world import IMPORTS, load_world, wijkatlas, write_world

    out: list[Result] = []
    admin, cluster = _server()
    if admin is None:
        return [Result("PostGIS", "not measured", None, 0,
                       note="PostgreSQL/PostGIS not installed and WIJKATLAS_BENCH_POSTGIS_URL unset")]
    try:
        for scale in scales or bs._scales():
            if scale == "national":
                # One gemeente at a time in the app: of the national world only the boundaries are
                # imported into PostGIS, to measure a click on the country's 14,500 buurten there.
                print("  PostGIS national (boundaries) …", file=sys.stderr)
                lite_url, lite_timings, rows, _ = bs.prepare(scale)
                pg_url = _fresh_database(admin, "wijkatlas_bench_national")
                world = write_world(bs.BENCH_DIR / scale / "files", scale)
                wijkatlas(pg_url, "init")
                label = "national (14,500 buurten)"
                for key, template in IMPORTS[:3]:
                    t0 = time.perf_counter()
                    wijkatlas(pg_url, *[a.format(file=world.files[key]) for a in template])
                    seconds = time.perf_counter() - t0
                    out.append(Result(f"{label}: import {key}", f"PostGIS: wijkatlas import ({seconds:.1f} s)",
                                      rows[key] / seconds, 1, unit="rows/s",
                                      note="not compared: the kept SQLite database was imported in another run"))
                out.extend(_locate_rows(label, {"SQLite": _locate_seconds(lite_url),
                                                "PostGIS": _locate_seconds(pg_url)}))
                continue
            label = {"demo": "demo (11 buurten)", "smoke": "smoke (24 buurten)",
                     "large": "large gemeente (480 buurten, 500k addresses)"}.get(scale, scale)
            print(f"  PostGIS {scale} …", file=sys.stderr)
            lite_url, lite_timings, rows, buurt = bs.prepare(scale)
            pg_url = _fresh_database(admin, f"wijkatlas_bench_{scale}")
            timings: dict[str, float] = {}
            if scale == "demo":
                t0 = time.perf_counter()
                wijkatlas(pg_url, "init", "--demo")
                timings["demo"] = time.perf_counter() - t0
            else:
                world = write_world(bs.BENCH_DIR / scale / "files", scale)
                load_world(pg_url, world, timings)
            for name, seconds in timings.items():
                n = rows.get(name)
                lite = lite_timings.get(name)
                if n:
                    out.append(Result(f"{label}: import {name}", f"PostGIS: wijkatlas import ({seconds:.1f} s)",
                                      n / seconds, 1, (n / lite) if lite else None, unit="rows/s",
                                      note=f"vs SQLite import of the same file ({lite:.1f} s)" if lite
                                      else "SQLite import not timed"))
                else:
                    out.append(Result(f"{label}: {name}", "PostGIS: wijkatlas init --demo", seconds, 1,
                                      lite, unit="s", note="vs SQLite"))
            runs = 1 if scale == "smoke" else 3
            if scale != "demo":
                out.extend(_bulk_write_rows(label, admin, pg_url, world, runs=runs))
            lite_cov = bs._cli_seconds(lite_url, "coverage", runs=runs)
            pg_cov = bs._cli_seconds(pg_url, "coverage", runs=runs)
            out.append(Result(f"{label}: coverage (PostGIS column)", "SQLite: wijkatlas coverage", lite_cov, runs,
                              unit="s", is_baseline=True))
            out.append(Result(f"{label}: coverage (PostGIS column)", "PostGIS: wijkatlas coverage", pg_cov, runs,
                              lite_cov, unit="s", note="analysis in-process (numpy/shapely) on both"))
            loc = {"SQLite": _locate_seconds(lite_url), "PostGIS": _locate_seconds(pg_url)}
            out.extend(_locate_rows(label, loc))
            served: dict[str, tuple[float, float] | str] = {}
            for name, url in (("SQLite", lite_url), ("PostGIS", pg_url)):
                try:
                    served[name] = ex.server_run_times(str(ROOT / "app.py"), url, buurt, runs=runs)
                except Exception as exc:  # noqa: BLE001 - report, do not hide
                    served[name] = str(exc)[:120]
            lite = served["SQLite"] if isinstance(served["SQLite"], tuple) else (None, None)
            for name in ("SQLite", "PostGIS"):
                got = served[name]
                for i, what in enumerate(("script run", "click")):
                    if isinstance(got, str):
                        out.append(Result(f"{label}: server time per {what}", f"wijkatlas explorer on {name}",
                                          None, 0, note=got))
                        continue
                    base = None if name == "SQLite" or lite[i] is None else lite[i] * 1000
                    out.append(Result(f"{label}: server time per {what}", f"wijkatlas explorer on {name}",
                                      got[i] * 1000, runs, base, is_baseline=name == "SQLite",
                                      note="click located by store.area_at" if what == "click" else ""))
    finally:
        if cluster is not None:
            cluster.stop("immediate")
            import shutil

            shutil.rmtree(cluster.datadir, ignore_errors=True)  # ~0.6 GB at the large scale
    return out
