"""Coverage in a small world at exact RD coordinates (see tests/places_world.py)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from geo import model as m
from geo.coverage import (
    CoverageModel,
    coverage,
    gap_areas,
    grid_population,
    inhabitants_of,
    naive_covered_mask,
    points_population,
    straight_radius,
)
from geo.errors import ValidationError
from geo.meeting import Scenario, needs_per_buurt
from tests.places_world import A, B, P, SETTINGS, X0, Y0, buurten, world


def test_grid_spreads_inhabitants_evenly_over_cell_centres():
    pop = grid_population(buurten(), spacing=100)
    assert len(pop) == 32
    assert pop.codes == [A, B]
    a = pop.buurt == 0
    assert sorted(set(pop.x[a] - X0)) == [50, 150, 250, 350]
    assert np.allclose(pop.weight[a], 100) and np.allclose(pop.weight[~a], 50)
    assert pop.totals == {A: 1600, B: 800}


def test_one_place_at_the_corner_covers_three_points_to_the_person():
    pop = grid_population(buurten(), spacing=100)
    # 260 m walking / detour 1.3 = 200 m straight: (50,50) 71 m, (150,50) and (50,150) 158 m; (150,150) is 212 m.
    res = coverage(pop, [P(0, 0)], distance_m=260, detour_factor=1.3)
    rows = res.by_code()
    assert rows[A].covered == 300 and rows[A].inhabitants == 1600
    assert rows[A].share == pytest.approx(300 / 1600)
    assert rows[B].covered == 0 and rows[B].share == 0
    assert (res.inhabitants, res.covered) == (2400, 300)
    assert res.share == pytest.approx(300 / 2400)


def test_distance_is_inclusive_to_the_metre():
    pop = grid_population(buurten(), spacing=100)
    # The point (50, 50) lies exactly 250 m north of (50, -200): covered at 250 m, not at 249 m.
    at = coverage(pop, [P(50, -200)], distance_m=312.5, detour_factor=1.25)  # 250 m straight
    assert at.by_code()[A].covered == 100
    below = coverage(pop, [P(50, -200)], distance_m=249, detour_factor=1.0)
    assert below.by_code()[A].covered == 0


def test_detour_factor_shrinks_the_reach():
    pop = grid_population(buurten(), spacing=100)
    straight = coverage(pop, [P(200, 200)], distance_m=300, detour_factor=1.0).by_code()[A].covered
    detour = coverage(pop, [P(200, 200)], distance_m=300, detour_factor=1.5).by_code()[A].covered
    # From the centre of A: 4 inner points at 71 m, 8 edge points at 158 m, 4 corners at 212 m.
    assert straight == 1600  # 300 m straight
    assert detour == 1200  # 300 / 1.5 = 200 m: the corners drop out
    assert coverage(pop, [P(200, 200)], distance_m=300, detour_factor=2.0).by_code()[A].covered == 400  # 150 m


def test_polygon_places_measure_to_their_edge():
    pop = grid_population(buurten(), spacing=100)
    park = box(X0 + 400, Y0, X0 + 800, Y0 + 400)  # all of B as a park
    res = coverage(pop, [park], distance_m=100, detour_factor=1.0)
    # All of B; in A only the column x=350 (50 m from the edge).
    assert res.by_code()[B].covered == 800
    assert res.by_code()[A].covered == 400


def test_missing_inhabitants_are_unknown_not_zero():
    areas = buurten()
    areas[1].figures["AANT_INW"] = -99999999  # CBS: secret
    assert inhabitants_of(areas[1]) is None
    res = coverage(grid_population(areas, spacing=100), [P(0, 0)], distance_m=200, detour_factor=1.0)
    b = res.by_code()[B]
    assert (b.inhabitants, b.covered, b.share) == (None, None, None)
    assert res.inhabitants == 1600


def test_tiny_buurt_gets_one_point():
    tiny = m.Area(code="BU09990003", name="Klein", geometry=box(X0 + 10, Y0 + 10, X0 + 20, Y0 + 20),
                  figures={"AANT_INW": 7})
    pop = grid_population([tiny], spacing=100)
    assert len(pop) == 1 and pop.weight[0] == 7


def test_residential_mask_restricts_where_people_live():
    pop = grid_population(buurten(), spacing=100, residential={A: box(X0, Y0, X0 + 200, Y0 + 400)})
    a = pop.buurt == 0
    assert a.sum() == 8 and np.allclose(pop.weight[a], 200)


def test_address_points_seam():
    pts = [P(50, 50), P(350, 350), P(450, 50), P(2000, 2000)]  # the last lies outside both buurten
    pop = points_population(pts, [3, 4, 5, 9], buurten())
    assert pop.source == "points" and len(pop) == 3
    assert pop.totals == {A: 7.0, B: 5.0}
    res = coverage(pop, [P(0, 0)], distance_m=100, detour_factor=1.0)
    assert res.by_code()[A].covered == 3 and res.by_code()[B].covered == 0


def test_address_points_refuse_bad_weights():
    with pytest.raises(ValidationError):
        points_population([P(1, 1)], [1, 2], buurten())
    with pytest.raises(ValidationError):
        points_population([P(1, 1)], [-1], buurten())


@pytest.mark.parametrize("distance, detour", [(0, 1.3), (800, 0.9), (-5, 1.0)])
def test_bad_distance_or_detour_refused(distance, detour):
    with pytest.raises(ValidationError):
        straight_radius(distance, detour)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-200, 1000), st.floats(-200, 600)), min_size=0, max_size=6),
    st.floats(50, 600),
)
def test_vectorised_equals_naive_loop(place_xy, radius):
    pop = grid_population(buurten(), spacing=100)
    places = [P(x, y) for x, y in place_xy]
    model = CoverageModel(pop, places, radius, 1.0)
    assert np.array_equal(model.covered_mask(), naive_covered_mask(pop, places, radius))


def test_gap_areas_are_the_buurt_minus_the_reach():
    gaps = gap_areas(buurten(), [P(0, 0)], 200)
    quarter_disc = shapely.intersection(P(0, 0).buffer(200, quad_segs=16), box(X0, Y0, X0 + 400, Y0 + 400))
    assert gaps[A].area == pytest.approx(160_000 - quarter_disc.area)
    assert gaps[B].area == pytest.approx(160_000)
    assert gap_areas(buurten(), [box(X0 - 10, Y0 - 10, X0 + 810, Y0 + 410)], 1) == {}


def test_scenario_what_if_per_buurt():
    sc = Scenario(world(), SETTINGS)
    # existing: Buurthuis Alfa at (50, 50), 250 m: 8 points of A (dx, dy in 0..200 except (200, 200)).
    base = sc.baseline.by_code()
    assert base[A].covered == 800 and base[B].covered == 0
    assert [p.id for p in sc.candidates] == [11, 12, 13, 14]  # the rejected square is no candidate
    rows, after = sc.compare([14])
    by = {r.code: r for r in rows}
    # Cruijff Court at (750, 350): 8 points of B at 50 each.
    assert by[B].before == 0 and by[B].after == 400 and by[B].gain == 400
    assert by[A].gain == 0
    assert after.covered == 1200
    assert sc.reached_by(14) == {B: 400.0}
    assert sc.result([]).covered == 800


def test_scenario_kinds_filter_excludes_existing_places():
    from dataclasses import replace

    sc = Scenario(world(), replace(SETTINGS, kinds=("cruijff_court",)))
    assert sc.existing == [] and sc.baseline.covered == 0


def test_needs_per_buurt_counts_meeting_suggestions_beside_candidates():
    rows = {r.code: r for r in needs_per_buurt(world())}
    assert (rows[B].suggestions, rows[B].supporters, rows[B].existing, rows[B].candidates) == (2, 9, 0, 3)
    assert (rows[A].suggestions, rows[A].existing, rows[A].candidates) == (0, 1, 1)
