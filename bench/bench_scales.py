"""Wijkatlas at three sizes (issue #11), each against a naive baseline in the same run.

Scales (``--scales`` on ``python -m bench``, default all three):

- ``demo``: the bundled demo of Geldrop-Mierlo (11 buurten);
- ``large``: one gemeente of 480 buurten (~125,000 vertices), 300 meeting
  places, 200 buildings, 3,000 suggestions, 500,000 address points;
- ``national``: 342 gemeenten, 14,500 buurten, 100,000 suggestions,
  1,000,000 address points;

(plus ``smoke``, a tiny one for the test suite). The worlds are generated
by :mod:`bench.world` (seeded) and imported with the real ``wijkatlas
import``. Measured per scale:

- import throughput of each file (rows/s), and the whole wijk- en
  buurtkaart (gemeenten, wijken, buurten) into a fresh database against a
  per-row import (:mod:`bench.baseline_rows`);
- ``wijkatlas coverage`` and ``wijkatlas check-policy`` (wall time of the
  command) against per-row Python baselines (coverage: records read one
  object per row, every address point tested against every place in a
  Python loop; check-policy: every buurt's comparison row built for each
  candidate, :mod:`bench.baseline_rows`);
- the explorer against the simplest st_folium app (:mod:`bench.baseline_app`):
  map drawn, click → profile, bytes, server time per run and per click,
  server memory with 1 and 10 sessions (:mod:`bench.explorer`);
- every page of the app: server time of its first run in a new session, at
  every scale (at national scale on the gemeente a session opens on, one of
  342; the overview of all gemeenten is also drawn in a browser).

Files and imported databases are kept in ``$WIJKATLAS_BENCH_DIR`` (default
``/tmp/wijkatlas-bench``) so a second run neither generates nor imports them
again (it reports the import figures measured when the database was built);
``WIJKATLAS_BENCH_FRESH=1`` imports anew.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import Result
from bench.world import SCALES, load_world, wijkatlas, write_world

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCALES = ("demo", "large", "national")
BENCH_DIR = Path(os.environ.get("WIJKATLAS_BENCH_DIR", "/tmp/wijkatlas-bench"))


def _scales() -> list[str]:
    raw = os.environ.get("WIJKATLAS_BENCH_SCALES")
    return [s for s in raw.split(",") if s] if raw else list(DEFAULT_SCALES)


def prepare(scale: str, folder: Path | None = None) -> tuple[str, dict[str, float], dict[str, int], str]:
    """A fresh database of this scale: (url, seconds per import, rows per import, a buurt code)."""
    import json

    folder = Path(folder or BENCH_DIR) / scale
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "wijkatlas.db"
    url = f"sqlite:///{db}"
    done = folder / "imported.json"  # a database fully imported by an earlier run, with its timings
    if done.exists() and db.exists() and not os.environ.get("WIJKATLAS_BENCH_FRESH"):
        saved = json.loads(done.read_text())
        return url, saved["timings"], saved["rows"], saved["buurt"]
    done.unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    timings: dict[str, float] = {}
    rows: dict[str, int] = {}
    if scale == "demo":
        t0 = time.perf_counter()
        wijkatlas(url, "init", "--demo")
        timings["demo"] = time.perf_counter() - t0
        return url, timings, rows, "BU17710005"  # quick: always fresh
    world = write_world(folder / "files", scale)
    load_world(url, world, timings)
    sc = world.scale
    rows = {"gemeenten": sc.gemeenten, "wijken": -(-sc.buurten // sc.buurten_per_wijk), "buurten": sc.buurten,
            "real_estate": sc.buildings, "meeting_places": sc.meeting_places, "suggestions": sc.suggestions,
            "addresses": sc.addresses}
    from geo import model as m
    from geo.store import open_store

    store = open_store(url)
    code = store.list(m.Area, level="buurt")[min(5, sc.buurten - 1)].code
    store.close()
    built = time.strftime("%Y-%m-%d %H:%M", time.localtime())
    done.write_text(json.dumps({"timings": timings, "rows": rows, "buurt": code, "built": built}))
    return url, timings, rows, code


def _built(scale: str, folder: Path | None = None) -> str | None:
    """When the kept database of this scale was imported (None: not recorded)."""
    import json

    done = Path(folder or BENCH_DIR) / scale / "imported.json"
    try:
        return json.loads(done.read_text()).get("built")
    except (OSError, ValueError):
        return None


def _cli_seconds(url: str, *args: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        wijkatlas(url, *args)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def naive_coverage_seconds(url: str, sample: float = 1.0) -> float:
    """The per-row baseline: one record per row, one Python loop over the points."""
    code = f"""
import time, sys
sys.path.insert(0, {str(ROOT)!r})
t0 = time.perf_counter()
import numpy as np
from geo import model as m
from geo.store import open_store
from geo.coverage import Population, naive_covered_mask
from geo.meeting import CoverageSettings
s = open_store({url!r})
addresses = [a for a in s.list(m.AddressPoint)]  # one Python object per row
places = [p.geometry for p in s.list(m.MeetingPlace) if p.status == "existing"]
n = max(1, int(len(addresses) * {sample}))
pts = addresses[:n]
pop = Population(np.array([a.geometry.x for a in pts]), np.array([a.geometry.y for a in pts]),
                 np.ones(n), np.zeros(n, dtype=np.int64), ["x"])
st = CoverageSettings()
naive_covered_mask(pop, places, st.distance_m / st.detour_factor)
print(time.perf_counter() - t0)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=3600)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-800:])
    return float(out.stdout.strip().splitlines()[-1])


KAART = (("gemeenten", "gemeente"), ("wijken", "wijk"), ("buurten", "buurt"))


def kaart_seconds(scale: str, folder: Path | None = None) -> tuple[float, float]:
    """The whole wijk- en buurtkaart (gemeenten, wijken, buurten) into a fresh database, twice:
    (per-row baseline, ``wijkatlas import boundaries`` ×3), each the sum of its three commands."""
    world = write_world(Path(folder or BENCH_DIR) / scale / "files", scale)
    out = []
    for name in ("baseline", "wijkatlas"):
        db = Path(folder or BENCH_DIR) / scale / f"kaart-{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db}"
        wijkatlas(url, "init")
        total = 0.0
        for key, level in KAART:
            t0 = time.perf_counter()
            if name == "wijkatlas":
                wijkatlas(url, "import", "boundaries", str(world.files[key]), "--level", level)
            else:
                _baseline("boundaries", url, str(world.files[key]), level)
            total += time.perf_counter() - t0
        out.append(total)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    return out[0], out[1]


def _baseline(*args: str) -> float:
    """Run :mod:`bench.baseline_rows` in its own process; the seconds it reports."""
    out = subprocess.run([sys.executable, "-m", "bench.baseline_rows", *args], capture_output=True, text=True,
                         timeout=7200, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-800:])
    return float(out.stdout.strip().splitlines()[-1])


def run(scales: list[str] | None = None, browser: bool | None = None, browser_runs: int = 3,
        folder: Path | None = None) -> list[Result]:
    from bench import explorer as ex

    out: list[Result] = []
    browser = ex.chromium_available() if browser is None else browser
    for scale in scales or _scales():
        label = {"demo": "demo (11 buurten)", "smoke": "smoke (24 buurten)",
                 "large": "large gemeente (480 buurten, 500k addresses)",
                 "national": "national (14,500 buurten, 1M addresses)"}.get(scale, scale)
        print(f"  preparing {scale} …", file=sys.stderr)
        started = time.strftime("%Y-%m-%d %H:%M", time.localtime())
        url, timings, rows, buurt = prepare(scale, folder)
        built = _built(scale, folder)
        kept = built is None or built < started  # imported by an earlier run: its figures are that run's
        for name, seconds in timings.items():
            n = rows.get(name)
            if n:
                out.append(Result(f"{label}: import {name}", f"wijkatlas import ({n:,} rows, {seconds:.1f} s)",
                                  n / seconds, 1, unit="rows/s", is_baseline=False,
                                  note=f"no baseline; measured when the database was built ({built or 'earlier run'})"
                                  if kept else "no baseline: the import as it is on main"))
            else:
                out.append(Result(f"{label}: {name}", "wijkatlas init --demo", seconds, 1, unit="s",
                                  is_baseline=False))
        big = scale in ("large", "national")
        runs = 1 if scale in ("national", "smoke") else 3
        print(f"  analyses {scale} …", file=sys.stderr)
        sample = 0.1 if scale == "national" else 1.0
        naive = naive_coverage_seconds(url, sample) / sample
        note = "baseline extrapolated from 10 % of the points" if sample < 1 else "same data"
        cov = _cli_seconds(url, "coverage", runs=runs)
        out.append(Result(f"{label}: coverage", "per-row Python loop", naive, 1, unit="s", note=note))
        out.append(Result(f"{label}: coverage", "wijkatlas coverage (whole command)", cov, runs, naive, unit="s",
                          note="target ≤ 3 s" if big else ""))
        share = 0.1 if scale == "national" else 1.0
        naive_pol = _baseline("policy", url, str(share))
        out.append(Result(f"{label}: check-policy", "per-candidate rows (every buurt's row for each candidate)",
                          naive_pol, 1, unit="s",
                          note=("extrapolated from 10 % of the candidates; " if share < 1 else "")
                          + "without process start-up"))
        pol = _cli_seconds(url, "check-policy", runs=runs)
        out.append(Result(f"{label}: check-policy", "wijkatlas check-policy (whole command)", pol, runs, naive_pol,
                          unit="s", note="target ≤ 3 s" if big else ""))
        if scale != "demo":
            print(f"  CBS kaart import {scale} …", file=sys.stderr)
            base_s, kaart_s = kaart_seconds(scale, folder)
            what = f"{label}: import whole kaart (gemeenten + wijken + buurten, fresh database)"
            out.append(Result(what, "per-row import (iterrows, one save per area)", base_s, 1, unit="s"))
            out.append(Result(what, "wijkatlas import boundaries ×3 (whole commands)", kaart_s, 1, base_s, unit="s",
                              note="target < 1 min" if scale == "national" else ""))
        if scale == "national":  # every page on one gemeente of the country, and the overview of all of them
            print(f"  pages {scale} …", file=sys.stderr)
            out.extend(_page_rows(ex, label, url, None, None, big, where=_opening_gemeente(url)))
            if browser:
                out.extend(_overview_browser_rows(ex, label, url, browser_runs))
            continue
        app = str(ROOT / "app.py")
        base = str(ROOT / "bench" / "baseline_app.py")
        print(f"  server run times {scale} …", file=sys.stderr)
        for name, script in (("baseline st_folium app", base), ("wijkatlas explorer", app)):
            try:
                page_s, click_s = ex.server_run_times(script, url, buurt, runs=runs)
            except Exception as exc:  # noqa: BLE001 - report, do not hide
                out.append(Result(f"{label}: server time per script run", name, None, 0, note=str(exc)[:120]))
                continue
            is_base = name.startswith("baseline")
            ref = None if is_base else _find(out, f"{label}: server time per script run", "baseline")
            out.append(Result(f"{label}: server time per script run", name, page_s * 1000, runs, ref,
                              is_baseline=is_base))
            ref = None if is_base else _find(out, f"{label}: server time per click", "baseline")
            out.append(Result(f"{label}: server time per click", name, click_s * 1000, runs, ref,
                              is_baseline=is_base))
        print(f"  pages {scale} …", file=sys.stderr)
        out.extend(_page_rows(ex, label, url, SMOKE_PAGES if scale == "smoke" else None,
                              _find(out, f"{label}: server time per script run", "baseline"), big,
                              where=_opening_gemeente(url) if scale != "demo" else ""))
        if not browser:
            continue
        from geo import model as m
        from geo.store import open_store

        store = open_store(url)
        n_buurten = store.count(m.Area, level="buurt")
        store.close()
        for name, script in (("baseline st_folium app", base), ("wijkatlas explorer", app)):
            print(f"  browser {scale}: {name} …", file=sys.stderr)
            is_base = name.startswith("baseline")
            try:
                with ex.Server(script, url) as server:
                    figs = ex.measure_app(server, n_buurten, runs=browser_runs,
                                          sessions_for_memory=10 if scale != "smoke" else 2)
            except Exception as exc:  # noqa: BLE001 - a baseline that cannot draw is a result too
                out.append(Result(f"{label}: navigation → map drawn", name, None, 0,
                                  note=f"failed: {type(exc).__name__}: {str(exc)[:100]}"))
                continue
            rows_ = [
                ("navigation → map drawn", figs.median(figs.drawn_s), "s", len(figs.drawn_s),
                 "target ≤ 2.5 s" if big else ""),
                ("navigation → map drawn, as Playwright notices it", figs.median(figs.seen_s), "s", len(figs.seen_s),
                 "the same moment, seen from Python: later by what the page's main thread does next"),
                ("navigation → every layer drawn", figs.median(figs.layers_s), "s", len(figs.layers_s),
                 "the buurten first, large point layers right after"),
                ("click in a buurt → profile shown", figs.median(figs.click_s), "s", len(figs.click_s),
                 "target ≤ 0.6 s" if big else ""),
                ("bytes for the first view", figs.median(figs.first_view_mb), "MB", len(figs.first_view_mb),
                 "target ≤ 3 MB" if big else "warm cache"),
                ("bytes per click", figs.median(figs.click_mb), "MB", len(figs.click_mb), ""),
                ("server memory, 1 session", figs.rss_1_mb, "MB", 1, "RSS"),
                ("server memory, 10 sessions", figs.rss_10_mb, "MB", 1, "RSS"),
            ]
            for what, value, unit, n, note in rows_:
                bench_name = f"{label}: {what}"
                ref = None if is_base else _find(out, bench_name, "baseline")
                out.append(Result(bench_name, name, value, n, ref, note=note, unit=unit, is_baseline=is_base))
    return out


SMOKE_PAGES = ["verkennen", "overzicht", "ontmoeten"]  # the smoke test keeps the path alive, not the whole list


def _opening_gemeente(url: str) -> str:
    """The gemeente a new session opens on (what the page rows of a database of many measure)."""
    from geo.scope import Gemeenten
    from geo.store import open_store

    store = open_store(url)
    try:
        found = Gemeenten.from_store(store)
    finally:
        store.close()
    return f"gemeente {found.main} ({found.names.get(found.main, '?')}) of {len(found.names):,}"


def _page_rows(ex, label: str, url: str, pages: list[str] | None, baseline_ms: float | None,
               big: bool, where: str = "") -> list[Result]:
    """One row per page: server time of its first run in a new session (AppTest)."""
    try:
        times = ex.page_run_times(url, pages)
    except Exception as exc:  # noqa: BLE001 - report, do not hide
        return [Result(f"{label}: page opened, server time", "every page", None, 0, note=str(exc)[:120])]
    rows = []
    for path, first, again in times:
        note = (f"first run after the server started: {first:.2f} s" + ("; target ≤ 2.5 s" if big else "")
                + (f"; {where}" if where else ""))
        rows.append(Result(f"{label}: page /{path} opened in a new session, server time", "wijkatlas",
                           again * 1000, 1, baseline_ms, note=note, is_baseline=False))
    return rows


def _overview_browser_rows(ex, label: str, url: str, runs: int) -> list[Result]:
    """The overview of all gemeenten in headless Chromium: drawn, bytes."""
    from geo import model as m
    from geo.store import open_store

    store = open_store(url)
    n = store.count(m.Area, level="gemeente") or 1
    store.close()
    name = "wijkatlas overview (/overzicht)"
    try:
        with ex.Server(str(ROOT / "app.py"), url) as server:
            figs = ex.measure_map_page(server, "overzicht", n, runs=runs)
    except Exception as exc:  # noqa: BLE001 - a failure is a result too
        return [Result(f"{label}: overview, navigation → map drawn", name, None, 0,
                       note=f"failed: {type(exc).__name__}: {str(exc)[:100]}")]
    return [
        Result(f"{label}: overview, navigation → map drawn", name, figs.median(figs.drawn_s), len(figs.drawn_s),
               note=f"target ≤ 3 s; {n:,} gemeente outlines; no baseline app at this scale", unit="s",
               is_baseline=False),
        Result(f"{label}: overview, bytes for the first view", name, figs.median(figs.first_view_mb),
               len(figs.first_view_mb), note="warm cache", unit="MB", is_baseline=False),
    ]


def _find(results: list[Result], benchmark: str, variant_prefix: str) -> float | None:
    for r in results:
        if r.benchmark == benchmark and r.variant.startswith(variant_prefix):
            return r.median_ms
    return None


__all__ = ["run", "prepare", "SCALES"]
