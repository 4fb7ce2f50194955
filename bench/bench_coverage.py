"""Coverage: Wijkatlas's STRtree ``dwithin`` query vs a per-point Python loop.

Both answer "which inhabitant points lie within reach of a meeting place"
for the same population and places. The baseline loops over the points in
Python and measures each point's distance to all places
(:func:`geo.coverage.naive_covered_mask`); the variants are
:class:`geo.coverage.CoverageModel` built from scratch (one vectorised STRtree
query) and the what-if recompute once the model is built (switching a
candidate on or off). Every run checks that the answers are identical.

Worlds: the bundled demo (11 buurten, 50 m grid) when it is available, and a
synthetic 200-buurt world (1 km² buurten, 50 m grid: 80 000 points, 200
places). Run ``python bench/bench_coverage.py`` or ``python -m bench bench_coverage``.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
from shapely.geometry import Point, box

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import Result, median_ms  # noqa: E402
from geo import model as m  # noqa: E402
from geo.coverage import CoverageModel, grid_population, naive_covered_mask  # noqa: E402

DISTANCE, DETOUR = 800.0, 1.3


def synthetic(n_buurten: int = 200, places_per_buurt: float = 1.0):
    rng = random.Random(1771)
    side = int(n_buurten ** 0.5) + 1
    buurten, places = [], []
    for i in range(n_buurten):
        x0, y0 = 150_000 + (i % side) * 1000, 370_000 + (i // side) * 1000
        buurten.append(m.Area(f"BU9999{i:04d}", f"Buurt {i}", geometry=box(x0, y0, x0 + 1000, y0 + 1000),
                              figures={"AANT_INW": rng.randint(100, 5000)}))
    for _ in range(int(n_buurten * places_per_buurt)):
        places.append(Point(150_000 + rng.random() * side * 1000, 370_000 + rng.random() * (n_buurten / side) * 1000))
    return buurten, places


def demo():
    from geo.demo import DEMO_DIR, read_demo

    if not (DEMO_DIR / "areas.geojson").exists():
        return None
    d = read_demo()
    buurten = [a for a in d.areas if a.level == "buurt"]
    places = [p.geometry for p in d.meeting_places if p.status != "rejected" and p.geometry is not None]
    return buurten, places


def bench_world(name: str, buurten, places, runs: int, naive_runs: int) -> list[Result]:
    pop = grid_population(buurten, spacing=50)
    radius = DISTANCE / DETOUR
    model = CoverageModel(pop, places, DISTANCE, DETOUR)
    half = list(range(0, len(places), 2))
    assert np.array_equal(model.covered_mask(), naive_covered_mask(pop, places, radius)), "answers differ"
    assert np.array_equal(model.covered_mask(half), naive_covered_mask(pop, [places[i] for i in half], radius))
    title = f"coverage, {name}: {len(buurten)} buurten, {len(pop):,} points, {len(places)} places"
    base = median_ms(lambda: naive_covered_mask(pop, places, radius), runs=naive_runs)
    note = "same covered points checked"
    out = [Result(title, "per-point Python loop (shapely.distance per point)", base, naive_runs, None, note)]
    out.append(Result(title, "CoverageModel: STRtree dwithin, build + result", median_ms(
        lambda: CoverageModel(pop, places, DISTANCE, DETOUR).result(), runs=runs), runs, base, note))
    out.append(Result(title, "what-if recompute on a built model", median_ms(
        lambda: model.result(half), runs=runs), runs, base, note))
    return out


def run() -> list[Result]:
    out = []
    d = demo()
    if d:
        out += bench_world("demo", *d, runs=9, naive_runs=5)
    out += bench_world("synthetic", *synthetic(200), runs=5, naive_runs=3)
    return out


def main() -> int:
    from bench.__main__ import table

    print(table(run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
