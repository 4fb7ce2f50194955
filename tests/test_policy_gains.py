"""``Scenario.gains`` (the array path check-policy uses) against filtering every row of ``compare``.

A seeded world of two gemeenten with the awkward cases: buurten without a CBS
figure (missing or CBS's negative code), a buurt of 0 inhabitants, buurten
without address points (grid), address points outside every buurt or without
a stored buurt, a candidate far from everything, two candidates on one spot.
"""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import Point, box

from geo import model as m
from geo.meeting import CoverageSettings, PlacesData, Scenario
from geo.policy import RULES, Context, Finding
from geo.costs import estimate, load_unit_costs

X0, Y0, SIDE = 150_000.0, 400_000.0, 300.0
SETTINGS = CoverageSettings(distance_m=260, detour_factor=1.0, grid_spacing_m=60, target_share=0.8)


def _world(seed: int = 11) -> PlacesData:
    rng = np.random.default_rng(seed)
    buurten = []
    for row in range(5):
        for col in range(8):  # columns 0-3: gemeente 0001, 4-7: gemeente 0002
            gm = "0001" if col < 4 else "0002"
            code = f"BU{gm}{row:02d}{col:02d}"
            inw: float | None = float(rng.integers(50, 3000))
            if (row, col) in ((1, 1), (3, 6)):
                inw = None  # no figure
            elif (row, col) == (2, 2):
                inw = -99997.0  # CBS: secret
            elif (row, col) == (4, 5):
                inw = 0.0
            x, y = X0 + col * SIDE, Y0 + row * SIDE
            buurten.append(m.Area(code=code, name=f"Buurt {row}-{col}", geometry=box(x, y, x + SIDE, y + SIDE),
                                  figures={"AANT_INW": inw}))
    addresses = []
    for area in buurten:
        r, c = int(area.code[6:8]), int(area.code[8:10])
        if (r + c) % 5 == 0:
            continue  # no address points: this buurt keeps the grid
        own = (r * c) % 3 == 0  # every point with its own inhabitants
        minx, miny, _, _ = area.geometry.bounds
        for _ in range(int(rng.integers(5, 40))):
            hint = None if rng.random() < 0.1 else area.code
            addresses.append(m.AddressPoint(
                geometry=Point(minx + rng.random() * SIDE, miny + rng.random() * SIDE),
                inhabitants=float(rng.integers(1, 5)) if own else None, buurt_code=hint))
    for _ in range(30):  # outside every buurt: left out of coverage
        addresses.append(m.AddressPoint(geometry=Point(X0 - 500 - rng.random() * 400, Y0 + rng.random() * 1500),
                                        buurt_code=None))
    places = []
    for i in range(6):
        places.append(m.MeetingPlace(id=100 + i, name=f"Bestaand {i}", kind="building", status="existing",
                                     geometry=Point(X0 + rng.random() * 8 * SIDE, Y0 + rng.random() * 5 * SIDE)))
    for i in range(24):
        places.append(m.MeetingPlace(id=200 + i, name=f"Kandidaat {i}", kind="square",
                                     status="candidate" if i % 2 else "proposed",
                                     geometry=Point(X0 + rng.random() * 8 * SIDE, Y0 + rng.random() * 5 * SIDE)))
    places.append(m.MeetingPlace(id=300, name="Nergens", kind="square", status="candidate",
                                 geometry=Point(X0 + 50_000, Y0 + 50_000)))  # covers nothing
    places.append(m.MeetingPlace(id=301, name="Dubbel", kind="square", status="candidate",
                                 geometry=places[6].geometry))  # on the same spot as candidate 200
    places.append(m.MeetingPlace(id=302, name="Op een bestaande", kind="square", status="candidate",
                                 geometry=places[0].geometry))  # adds nothing the existing place does not cover
    return PlacesData(buurten=buurten, places=places, addresses=addresses)


def _reference(sc: Scenario, ids: list[int], below: float, min_gain: float):
    """The straightforward computation: every buurt's row, filtered and maximised in Python."""
    rows, _ = sc.compare(ids)
    gains = [r for r in rows if r.share_before is not None and r.share_before < below and r.gain >= min_gain]
    return len(gains), (max(gains, key=lambda r: (r.gain, r.code)) if gains else None)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return Scenario(_world(), SETTINGS)


def test_the_world_has_the_awkward_cases(scenario):
    pop = scenario.population
    assert sum(1 for v in pop.totals.values() if v is None) == 2 and 0.0 in pop.totals.values()
    assert len(pop.codes) == 40 and {c[2:6] for c in pop.codes} == {"0001", "0002"}
    assert scenario.reached_by(300) == {}
    assert 0 < (scenario.baseline.share or 0) < 1


@pytest.mark.parametrize("below", [0.0, 0.3, 0.8, 1.0])
@pytest.mark.parametrize("min_gain", [0, 1, 40, 10**9])
def test_gains_equal_the_rows_of_compare(scenario, below, min_gain):
    found = 0
    for cid in [p.id for p in scenario.candidates]:
        count, best = _reference(scenario, [cid], below, min_gain)
        got = scenario.gains([cid], below=below, min_gain=min_gain)
        assert (got.count, got.best) == (count, best), cid
        found += count
    if below >= 0.8 and min_gain <= 40:
        assert found  # the comparison is not vacuous


def test_gains_of_several_candidates_and_unknown_ids(scenario):
    ids = [p.id for p in scenario.candidates]
    for chosen in (ids[:2], ids[3:9], ids, [300], [999_999], []):
        count, best = _reference(scenario, chosen, 0.8, 1)
        got = scenario.gains(chosen, below=0.8, min_gain=1)
        assert (got.count, got.best) == (count, best), chosen
    assert scenario.gains([300], below=0.8).best is None
    assert scenario.gains([200], below=0.8) == scenario.gains([301], below=0.8)


def test_the_rule_reports_what_the_rows_give(scenario):
    """raise_coverage's finding equals the finding the per-row computation gives, for every candidate."""
    costs = load_unit_costs()
    for cfg in ({"severity": "attention", "min_gain_inhabitants": 1},
                {"severity": "conflict", "min_gain_inhabitants": 0}):
        for place in scenario.candidates:
            ctx = Context(scenario.data, scenario, costs, estimate(place, None, costs))
            count, best = _reference(scenario, [place.id], SETTINGS.target_share, cfg["min_gain_inhabitants"])
            if best is None:
                want = Finding("raise_coverage", cfg["severity"], "places.rule.raise_coverage.none", {"target": 80})
            else:
                want = Finding("raise_coverage", "aligned", "places.rule.raise_coverage.raises",
                               {"buurt": best.name, "before": round(best.share_before * 100),
                                "after": round((best.share_after or 0) * 100), "gain": best.gain,
                                "target": 80, "others": count - 1})
            assert RULES["raise_coverage"].check(place, ctx, cfg) == want, place.id
