"""The first-visit benchmark rows (``bench/bench_first_visit.py``) at the demo scale, so they
cannot rot: every figure measured (never how fast), the kept database left unwritten."""

from bench import bench_first_visit


def test_first_visit_rows_measure_every_figure(tmp_path, monkeypatch):
    """Without the browser rows (they reuse bench.explorer's helpers, which the smoke
    benchmark keeps alive); a server start per figure is what costs here."""
    monkeypatch.delenv("WIJKATLAS_BENCH_FRESH", raising=False)
    results = bench_first_visit.run(["demo"], browser=False, folder=tmp_path, server_runs=1,
                                    pages=("verkennen",))
    missing = [(r.benchmark, r.variant, r.note) for r in results if r.median_ms is None]
    assert not missing, missing
    names = {(r.benchmark.split(": ", 1)[1], r.variant) for r in results}
    served = "first visit after `wijkatlas serve`, server time of its run"
    assert {(served, "without warm-up (as before)"), (served, "warm-up, visitor after it finished"),
            (served, "warm-up, visitor the moment the port opens")} <= names
    after = [r for r in results if "first run in a new session after" in r.benchmark]
    assert len(after) == 4 and sum(bool(r.is_baseline) for r in after) == 2
    from geo import model as m
    from geo.store import open_store

    kept = open_store(f"sqlite:///{tmp_path / 'demo' / 'wijkatlas.db'}")
    assert kept.count(m.StaffSession) == 0  # the writes went to copies
    kept.close()
