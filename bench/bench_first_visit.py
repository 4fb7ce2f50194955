"""The first visitor: after ``wijkatlas serve`` (the warm-up) and after a write (table versions).

``python -m bench bench_first_visit --scales large`` runs these rows alone. For each
scale (``WIJKATLAS_BENCH_SCALES``, default demo and large), on a copy of the
benchmark's database (the copy is written to; the kept database is not):

- **first visit after `wijkatlas serve`**: the server started as the README says,
  then one visitor. Server time of its run (measured at the server's own
  WebSocket: request sent → run finished) and navigation → map drawn in
  headless Chromium, a new one (nothing cached: a first visitor) and one whose
  cache holds the app's files from a visit to another server (the demo) on the
  same port, stopped before the measured one starts. A new server per run. Baseline: the same server with the warm-up
  switched off (``WIJKATLAS_WARM_UP=0``), what every start gave before. With
  the warm-up: a visitor after it has finished (its line in the server's
  output) and, for the server time, one the moment the port opens.
- **first run after a write**: a page opened in a new session (AppTest, signed
  in as an admin) after a staff sign-in (a write that changes nothing shown)
  and after one new suggestion. Baseline in the same run: every shared cache
  keyed on the one data version that every write bumps (the behaviour before
  table versions, obtained by keying ``geo.web``'s caches on
  ``store.data_version()``).
"""

from __future__ import annotations

import json
import os
import statistics
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import Result
from bench.explorer import APPTEST_SESSIONS

ROOT = Path(__file__).resolve().parent.parent
LABELS = {"demo": "demo (11 buurten)", "smoke": "smoke (24 buurten)",
          "large": "large gemeente (480 buurten, 500k addresses)"}


def _scales() -> list[str]:
    wanted = os.environ.get("WIJKATLAS_BENCH_SCALES", "demo,large")
    return [s for s in wanted.split(",") if s and s != "national"]


def _copy(url: str, folder: Path, name: str) -> str:
    """A consistent copy of the SQLite database at ``url`` (SQLite's backup: the WAL included)."""
    src = url.removeprefix("sqlite:///")
    dst = folder / f"{name}.db"
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return f"sqlite:///{dst}"


def _n_buurten(url: str) -> int:
    from geo import model as m
    from geo.store import open_store

    store = open_store(url)
    try:
        return store.count(m.Area, level="buurt")
    finally:
        store.close()


def first_visit(url: str, warm_up: bool, at_once: bool, browser: str | None, n_buurten: int,
                timeout_s: float = 600, other_url: str | None = None) -> float:
    """Start ``wijkatlas serve`` on ``url``; seconds of the first visitor's run at the server
    (``browser`` None), or navigation → map drawn in Chromium: ``"new"`` a new browser
    (nothing cached), ``"cached"`` one whose cache holds the app's files (Streamlit's, the map
    component's, Leaflet's) from a visit to another server on the same port (``other_url``,
    e.g. the demo), stopped before this one starts: no page ran on the measured server."""
    from bench import explorer as ex
    from geo.web import warm_up as visit

    port = ex._free_port()
    app = str(ROOT / "app.py")
    pw = chromium = context = None
    if browser:
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        chromium = pw.chromium.launch(executable_path=ex.CHROMIUM, args=ex.CHROMIUM_ARGS, headless=True)
        context = chromium.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
        ex.watch_drawn(context, n_buurten)
    try:
        if browser == "cached":
            with ex.Server(app, other_url, port=port, env={"WIJKATLAS_WARM_UP": "0"}) as other:
                page = context.new_page()
                page.goto(other.url)
                ex._map_frame(page, int(timeout_s * 1000)).wait_for_function(
                    "document.querySelectorAll('path.leaflet-interactive').length >= 1", timeout=timeout_s * 1000)
                page.close()
        with ex.Server(app, url, port=port, env={"WIJKATLAS_WARM_UP": "1" if warm_up else "0"}) as server:
            if warm_up and not at_once:
                found = server.wait_for_log("(warm-up)", "warm-up overgeslagen", timeout_s=timeout_s)
                if found != "(warm-up)":
                    raise RuntimeError(f"the warm-up failed: see {server.log}")
            if not browser:
                return visit(f"ws://127.0.0.1:{server.port}/_stcore/stream", timeout_s=timeout_s)
            wait_paths = ex._wait_paths(n_buurten)
            page = context.new_page()
            page.goto(server.url)
            ex._map_frame(page, int(timeout_s * 1000)).wait_for_function(wait_paths, timeout=timeout_s * 1000)
            return ex.drawn_seconds(page)  # by the browser's clock, as bench.explorer measures
    finally:
        if chromium is not None:
            chromium.close()
            pw.stop()


AFTER_WRITE = r"""
import json, os, sys, time
url, mode, pages = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
os.environ["WIJKATLAS_DATABASE_URL"] = url
sys.path.insert(0, os.getcwd())
from streamlit.testing.v1 import AppTest
from geo import model as m, staff_sessions, web
from geo.access import Actor
from geo.navigation import PAGES
from geo.store import open_store
# APPTEST_SESSIONS
if mode == "one-version":  # before table versions: every cache keyed on every write
    web._version = lambda tables: web.store().data_version()
store = open_store(url)


def opened(path):
    entry = next(e for e in PAGES if e.url_path == path)
    at = new_session("app.py", default_timeout=900)
    at.session_state["actor"] = Actor(name="bench-admin", role="admin")
    t0 = time.perf_counter(); at.run()
    if not entry.default:
        at.switch_page(entry.file); t0 = time.perf_counter(); at.run()
    assert not at.exception, (path, at.exception)
    return time.perf_counter() - t0


out = {}
for path in pages:
    opened(path)  # the first run after the start: every cache built
for path in pages:
    staff_sessions.start(store, Actor(name="bench-admin", role="admin"), time.time())
    out[f"{path}|sign-in"] = opened(path)
for path in pages:
    buurt = store.list(m.Area, level="buurt", order_by="code")[0]
    store.add(m.Suggestion(category="meeting", text="Een plek om elkaar te ontmoeten",
                           geometry=buurt.geometry.representative_point(), buurt_code=buurt.code))
    out[f"{path}|suggestion"] = opened(path)
print(json.dumps(out))
"""


def after_write(url: str, mode: str, pages: list[str]) -> dict[str, float]:
    code = AFTER_WRITE.replace("# APPTEST_SESSIONS", APPTEST_SESSIONS)
    done = subprocess.run([sys.executable, "-c", code, url, mode, ",".join(pages)], capture_output=True,
                          text=True, cwd=ROOT, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-600:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(scales: list[str] | None = None, browser: bool | None = None, folder: Path | None = None,
        pages: tuple[str, ...] = ("verkennen", "ontmoeten"), server_runs: int = 3,
        browser_runs: int = 2) -> list[Result]:
    from bench import bench_scales
    from bench import explorer as ex

    browser = ex.chromium_available() if browser is None else browser
    out: list[Result] = []
    for scale in scales or _scales():
        label = LABELS.get(scale, scale)
        print(f"  first visits {scale} …", file=sys.stderr)
        url, *_ = bench_scales.prepare(scale, folder)
        with tempfile.TemporaryDirectory(prefix="wijkatlas-first-") as tmp:
            copy = _copy(url, Path(tmp), "served")
            n = _n_buurten(copy)
            demo = None
            if browser:  # the other server a browser's cache is filled from (same files, another database)
                from bench.world import wijkatlas

                demo = f"sqlite:///{Path(tmp) / 'other.db'}"
                wijkatlas(demo, "init", "--demo")
            what = f"{label}: first visit after `wijkatlas serve`"
            variants = (("without warm-up (as before)", False, False),
                        ("warm-up, visitor after it finished", True, False),
                        ("warm-up, visitor the moment the port opens", True, True))
            measures = [("server time of its run", "ms", None, variants, server_runs)]
            if browser:
                measures += [(f"navigation → map drawn, {kind}", "s", mode, variants[:2], browser_runs)
                             for kind, mode in (("new browser (nothing cached)", "new"),
                                                ("browser with the app's files cached", "cached"))]
            for measure, unit, mode, chosen, runs in measures:
                base = None
                for name, warm, at_once in chosen:
                    try:
                        values = [first_visit(copy, warm, at_once, mode, n, other_url=demo) for _ in range(runs)]
                    except Exception as exc:  # noqa: BLE001 - report, do not hide
                        out.append(Result(f"{what}, {measure}", name, None, 0, note=str(exc)[:120]))
                        continue
                    value = statistics.median(values) * (1000 if unit == "ms" else 1)
                    is_base = not warm
                    note = "the explorer, anonymous (the start page); a new server per run" + (
                        "; target ≤ 2.5 s" if scale == "large" and mode else "")
                    out.append(Result(f"{what}, {measure}", name, value, runs, None if is_base else base,
                                      unit=unit, is_baseline=is_base, note=note))
                    base = value if is_base else base
            for mode in ("one-version", "table-versions"):
                try:
                    times = after_write(_copy(url, Path(tmp), f"write-{mode}"), mode, list(pages))
                except Exception as exc:  # noqa: BLE001
                    out.append(Result(f"{label}: first run after a write", mode, None, 0, note=str(exc)[:120]))
                    continue
                for key, seconds in times.items():
                    path, write = key.split("|")
                    bench_name = (f"{label}: page /{path}, first run in a new session after "
                                  + ("a staff sign-in (nothing shown changed)" if write == "sign-in"
                                     else "one new suggestion"))
                    is_base = mode == "one-version"
                    ref = None if is_base else next((r.median_ms for r in out if r.benchmark == bench_name
                                                     and r.is_baseline), None)
                    out.append(Result(bench_name, "every cache on one data version (as before)" if is_base
                                      else "caches keyed on the tables they read", seconds * 1000, 1, ref,
                                      is_baseline=is_base, note="AppTest, signed in as an admin"))
    return out


__all__ = ["run"]
