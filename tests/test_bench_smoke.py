"""The benchmark's smoke version: the same code paths at a tiny scale, so it cannot rot.

It generates the smoke world, imports it with the real CLI, runs the
analyses against their per-row baselines, times script runs of the explorer
and of the naive st_folium baseline, and (with Chromium) measures both in a
browser. It asserts that every figure was measured, never how fast it was.
"""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import bench_scales
from bench.__main__ import table, write_table
from bench.explorer import chromium_available


def test_smoke_benchmark_measures_every_figure(tmp_path, monkeypatch):
    monkeypatch.delenv("WIJKATLAS_BENCH_FRESH", raising=False)
    browser = chromium_available()
    # In a thread of its own: in a full run the browser suite's session Chromium
    # holds a sync Playwright loop in this thread, and Playwright refuses a second.
    with ThreadPoolExecutor(1) as pool:
        results = pool.submit(bench_scales.run, ["smoke"], browser=browser, browser_runs=1,
                              folder=tmp_path).result()
    names = {r.benchmark.split(": ", 1)[1] for r in results}
    assert {"import buurten", "import addresses", "coverage", "check-policy",
            "server time per script run", "server time per click",
            "page /verkennen opened in a new session, server time",
            "page /ontmoeten opened in a new session, server time"} <= names
    if browser:
        assert {"navigation → map drawn", "navigation → every layer drawn", "click in a buurt → profile shown",
                "bytes for the first view",
                "bytes per click", "server memory, 10 sessions",
                "navigation → map drawn, as Playwright notices it"} <= names
        # The browser's clock notes the map drawn before Python (t0 just before navigation) can see it.
        drawn = {r.variant: r.median_ms for r in results if r.benchmark.endswith(": navigation → map drawn")}
        seen = {r.variant: r.median_ms for r in results
                if r.benchmark.endswith(": navigation → map drawn, as Playwright notices it")}
        assert drawn.keys() == seen.keys() and len(drawn) == 2
        assert all(0 < drawn[v] <= seen[v] for v in drawn), (drawn, seen)
    pages = [r for r in results if "opened in a new session" in r.benchmark]
    assert pages and all("gemeente GM" in r.note for r in pages)  # which gemeente the pages showed
    missing = [(r.benchmark, r.variant, r.note) for r in results if r.median_ms is None]
    assert not missing, missing
    assert all(r.ratio for r in results)
    text = table(results)
    assert text.count("\n") == len(results) + 1
    doc = tmp_path / "BENCHMARKS.md"
    doc.write_text("# Benchmarks\n\nProse that stays.\n")
    write_table(doc, text, "--scales smoke")
    write_table(doc, text, "--scales smoke")  # replaced, not appended
    written = doc.read_text()
    assert written.count("<!-- bench:table -->") == 1 and "Prose that stays." in written


def test_the_world_is_reproducible(tmp_path):
    from bench.world import write_world

    a = write_world(tmp_path / "a", "smoke")
    b = write_world(tmp_path / "b", "smoke")
    for key in ("buurten", "addresses"):
        import geopandas as gpd

        fa, fb = gpd.read_file(a.files[key]), gpd.read_file(b.files[key])
        assert len(fa) == len(fb) > 0
        assert fa.geometry.geom_equals_exact(fb.geometry, 1e-9).all()
    buurten = gpd.read_file(a.files["buurten"])
    # neighbouring buurten tile the gemeente: no gaps, no overlaps to speak of
    total = buurten.geometry.area.sum()
    union = buurten.geometry.union_all().area
    assert abs(total - union) / union < 1e-3


def test_apptest_sessions_share_one_component_registry_as_a_server_does(tmp_path):
    """A new AppTest scans every installed package for components in its first run (~0.3 s a
    session, which a real server does once at start): the benchmark's sessions share one."""
    from streamlit.testing.v1 import AppTest

    from bench.explorer import APPTEST_SESSIONS

    script = tmp_path / "page.py"
    script.write_text("import streamlit as st\nst.write('hoi')\n")
    space = {"AppTest": AppTest}
    exec(APPTEST_SESSIONS, space)
    first, second = space["new_session"](str(script)), space["new_session"](str(script))
    assert first._bidi_component_manager is not None
    assert first._bidi_component_manager is second._bidi_component_manager
    second.run()
    assert not second.exception and second.markdown[0].value == "hoi"
