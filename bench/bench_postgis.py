"""The PostGIS column of the scale benchmark (issue #12).

For each scale of :mod:`bench.bench_scales` (``WIJKATLAS_BENCH_SCALES``), the
same generated world is imported with the real ``wijkatlas import`` into a
fresh PostGIS database, and measured against the SQLite database that
``bench_scales.prepare`` built in the same run:

- import throughput of each file (rows/s), PostGIS vs SQLite;
- ``wijkatlas coverage`` (whole command), PostGIS vs SQLite (geopandas/numpy
  in-process either way: the addresses are read once, then the analysis runs
  in the app server, which stays faster than SQL for this bulk question);
- click → buurt: ``store.area_at`` (ST_Covers on the GiST index) vs building
  the in-process STRtree of every buurt and looking the point up;
- server time of the explorer's script run and of a click on PostGIS.

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


def _click_seconds(url: str, runs: int = 20) -> tuple[float, float]:
    """Median seconds of point → buurt: in the database, and via a fresh in-process index."""
    from geo import model as m
    from geo.spatial import AreaIndex
    from geo.store import open_store

    store = open_store(url)
    buurten = store.list(m.Area, level="buurt")
    points = [b.geometry.representative_point() for b in buurten[:: max(1, len(buurten) // runs)]][:runs]
    db, index = [], []
    for p in points:
        t0 = time.perf_counter()
        store.area_at(p)
        db.append(time.perf_counter() - t0)
    for p in points[:3]:
        t0 = time.perf_counter()
        AreaIndex.from_store(store, level="buurt").at(p)
        index.append(time.perf_counter() - t0)
    store.close()
    return statistics.median(db), statistics.median(index)


def run(scales: list[str] | None = None) -> list[Result]:
    from bench import bench_scales as bs
    from bench import explorer as ex
    from bench.world import load_world, wijkatlas, write_world

    out: list[Result] = []
    admin, cluster = _server()
    if admin is None:
        return [Result("PostGIS", "not measured", None, 0,
                       note="PostgreSQL/PostGIS not installed and WIJKATLAS_BENCH_POSTGIS_URL unset")]
    try:
        for scale in scales or bs._scales():
            if scale == "national":
                continue  # one gemeente at a time in the app; the national world is not repeated here
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
                                      note="vs SQLite import of the same file"))
                else:
                    out.append(Result(f"{label}: {name}", "PostGIS: wijkatlas init --demo", seconds, 1,
                                      lite, unit="s", note="vs SQLite"))
            runs = 1 if scale == "smoke" else 3
            lite_cov = bs._cli_seconds(lite_url, "coverage", runs=runs)
            pg_cov = bs._cli_seconds(pg_url, "coverage", runs=runs)
            out.append(Result(f"{label}: coverage (PostGIS column)", "SQLite: wijkatlas coverage", lite_cov, runs,
                              unit="s", is_baseline=True))
            out.append(Result(f"{label}: coverage (PostGIS column)", "PostGIS: wijkatlas coverage", pg_cov, runs,
                              lite_cov, unit="s", note="analysis in-process (numpy/shapely) on both"))
            db_s, index_s = _click_seconds(pg_url)
            out.append(Result(f"{label}: point → buurt", "in-process STRtree, built from all buurten",
                              index_s * 1000, 3, is_baseline=True, note="what an app server does without a cache"))
            out.append(Result(f"{label}: point → buurt", "PostGIS store.area_at (ST_Covers, GiST)", db_s * 1000, 20,
                              index_s * 1000, note="no buurt loaded into the app server"))
            try:
                page_s, click_s = ex.server_run_times(str(ROOT / "app.py"), pg_url, buurt, runs=runs)
                out.append(Result(f"{label}: server time per script run", "wijkatlas explorer on PostGIS",
                                  page_s * 1000, runs))
                out.append(Result(f"{label}: server time per click", "wijkatlas explorer on PostGIS",
                                  click_s * 1000, runs))
            except Exception as exc:  # noqa: BLE001 - report, do not hide
                out.append(Result(f"{label}: server time per click", "wijkatlas explorer on PostGIS", None, 0,
                                  note=str(exc)[:120]))
    finally:
        if cluster is not None:
            cluster.stop("immediate")
    return out
