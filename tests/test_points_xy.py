"""Address points read as coordinates (no geometry object per row) and the
coverage pairs found on them without an STRtree of points: the same answers
as the geometry path, on both stores."""

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, box

from geo import model as m
from geo.columns import Columns
from geo.coverage import CoverageModel, address_population, pairs_within
from geo.errors import StoreError
from geo.meeting import Scenario, load_places, read_addresses
from geo.portfolio import find_address
from geo.store.base import wkb_points_xy

NOORD = m.Area("BU99990000", "Noord", geometry=box(0, 0, 1000, 1000), figures={"AANT_INW": 1000})
ZUID = m.Area("BU99990001", "Zuid", geometry=box(1000, 0, 2000, 1000), figures={"AANT_INW": 600})


def _strtree_pairs(places, x, y, radius):
    """What the model used before: an STRtree of all points, one dwithin query."""
    pts = shapely.points(x, y)
    place_idx, point_idx = shapely.STRtree(pts).query(np.asarray(places, dtype=object), predicate="dwithin",
                                                      distance=radius)
    return sorted(zip(place_idx.tolist(), point_idx.tolist()))


# --- WKB → x, y -------------------------------------------------------------------------------

def test_wkb_points_are_read_exactly_without_geometry_objects():
    rng = np.random.default_rng(1)
    x, y = rng.uniform(100_000, 200_000, 500), rng.uniform(300_000, 600_000, 500)
    wkb = shapely.to_wkb(shapely.points(x, y), byte_order=1)
    gx, gy = wkb_points_xy(list(wkb))
    assert np.array_equal(gx, x) and np.array_equal(gy, y)  # bit for bit
    gx, gy = wkb_points_xy([memoryview(b) for b in wkb])  # a driver's buffers
    assert np.array_equal(gx, x) and np.array_equal(gy, y)


@pytest.mark.parametrize("values", [
    [shapely.to_wkb(Point(1, 2), byte_order=0), shapely.to_wkb(Point(3, 4), byte_order=0)],  # big-endian
    [shapely.to_wkb(Point(1, 2, 9)), shapely.to_wkb(Point(3, 4, 9))],  # with a height
    [shapely.to_wkb(Point(1, 2)), None, shapely.to_wkb(Point(3, 4))],  # a missing one
    [shapely.to_wkb(Point(1, 2)), shapely.to_wkb(Point()), shapely.to_wkb(Point(3, 4))],  # an empty one
])
def test_other_point_encodings_give_the_same_coordinates(values):
    x, y = wkb_points_xy(values)
    got = [(a, b) for a, b in zip(x, y) if not np.isnan(a)]
    assert got == [(1.0, 2.0), (3.0, 4.0)]
    assert len(x) == len(values)


def test_values_that_only_add_up_to_points_are_not_read_as_points():
    """Two points' WKB in one value and an empty value: 42 bytes with a point header every 21
    bytes, but not one point per value. The lengths are checked, not only their sum: the
    values go to the WKB reader, which refuses the empty one."""
    two = shapely.to_wkb(Point(1, 2)) + shapely.to_wkb(Point(3, 4))
    with pytest.raises(shapely.errors.GEOSException):
        wkb_points_xy([two, b""])


def test_a_geometry_that_is_no_point_is_refused():
    with pytest.raises(StoreError, match="geen punt"):
        wkb_points_xy([shapely.to_wkb(Point(1, 2)), shapely.to_wkb(box(0, 0, 1, 1))], "address_points")


def test_no_values_give_empty_arrays():
    x, y = wkb_points_xy([])
    assert len(x) == len(y) == 0


# --- the store ------------------------------------------------------------------------------------

def test_read_xy_gives_the_coordinates_of_read_columns(store):
    rng = np.random.default_rng(2)
    xs, ys = rng.uniform(150_000, 160_000, 40), rng.uniform(380_000, 390_000, 40)
    store.add_all([m.AddressPoint(Point(x, y), inhabitants=None if i % 2 else float(i), bag_id=f"{i:016d}",
                                  buurt_code="BU99990000" if i % 3 else None) for i, (x, y) in enumerate(zip(xs, ys))])
    # a row without a point (address points are validated to have one; a bulk write or an old row may not)
    store.bulk_add(m.AddressPoint, {"geometry": [None], "bag_id": ["0000000000000999"]})
    cols = store.read_xy(m.AddressPoint, ["inhabitants", "buurt_code"])
    full = store.read_columns(m.AddressPoint, ["geometry", "inhabitants", "buurt_code"])
    assert isinstance(cols, Columns) and len(cols) == 41 and "geometry" not in cols
    assert np.array_equal(cols["x"][:40], xs) and np.array_equal(cols["y"][:40], ys)  # exactly as stored
    assert np.isnan(cols["x"][40]) and np.isnan(cols["y"][40])
    assert np.array_equal(cols["inhabitants"], full["inhabitants"], equal_nan=True)
    assert list(cols["buurt_code"]) == list(full["buurt_code"])
    assert len(store.read_xy(m.AddressPoint, buurt_code="BU99990000")) == 26  # a filter, as read_columns takes
    records = list(store.read_xy(m.AddressPoint))
    assert [r.geometry for r in records[:40]] == list(full["geometry"][:40]) and records[40].geometry is None
    with pytest.raises(TypeError):
        store.read_xy(m.AddressPoint, ["nope"])


def test_records_from_xy_columns_carry_their_point(store):
    store.add(m.AddressPoint(Point(5, 6), bag_id="0000000000000042"))
    cols = store.read_xy(m.AddressPoint, ["bag_id", "buurt_code"])
    record = cols.record(0)
    assert isinstance(record, m.AddressPoint) and record.geometry.equals(Point(5, 6))
    assert record.bag_id == "0000000000000042" and record.buurt_code is None
    assert find_address(cols, "0000000000000042").geometry.equals(Point(5, 6))


def test_read_xy_of_an_empty_layer(store):
    cols = store.read_xy(m.AddressPoint, ["inhabitants"])
    assert len(cols) == 0 and len(cols["x"]) == 0 and len(cols["inhabitants"]) == 0


def test_a_stored_geometry_that_is_no_point_is_refused(store):
    store.bulk_add(m.AddressPoint, {"geometry": [Point(0, 0), box(0, 0, 1, 1)], "bag_id": ["1", "2"]})
    with pytest.raises(StoreError, match="geen punt"):
        store.read_xy(m.AddressPoint)


def test_population_from_xy_equals_population_from_geometries(store):
    store.add_all([NOORD, ZUID])
    pts = [(100, 500), (200, 500), (800, 500), (900, 500), (1500, 500), (5000, 5000), (1000, 500)]
    # stored buurt codes are hints: one is stale (boundaries changed since), one missing, one unknown
    hints = ["BU99990000", "BU99990001", None, "BU99990000", "BU99990001", None, "BU00000000"]
    store.add_all([m.AddressPoint(Point(x, y), buurt_code=h) for (x, y), h in zip(pts, hints)])
    by_records = address_population([NOORD, ZUID], store.list(m.AddressPoint), spacing=100)
    by_geometry = address_population([NOORD, ZUID], read_addresses(store), spacing=100)
    by_xy = address_population([NOORD, ZUID], store.read_xy(m.AddressPoint, ["inhabitants", "buurt_code"]),
                               spacing=100)
    for pop in (by_geometry, by_xy):
        for name in ("x", "y", "weight", "buurt"):
            assert np.array_equal(getattr(by_records, name), getattr(pop, name))
        assert pop.totals == by_records.totals == {"BU99990000": 1000.0, "BU99990001": 600.0}
    assert (by_xy.buurt == 0).sum() == 5 and (by_xy.buurt == 1).sum() == 1  # stale hint corrected; edge → lowest
    assert [p.coords[0] for p in by_xy.points] == list(zip(by_xy.x, by_xy.y))


def test_the_analyses_read_points_as_coordinates(demo_store):
    """load_places (coverage, check-policy) reads x/y, and the result equals the geometry path."""
    rng = np.random.default_rng(5)
    points = []
    for area in demo_store.list(m.Area, level="buurt"):  # hints right, stale (outside the buurt) or missing
        minx, miny, maxx, maxy = area.geometry.bounds
        for i, (x, y) in enumerate(zip(rng.uniform(minx, maxx, 60), rng.uniform(miny, maxy, 60))):
            points.append(m.AddressPoint(Point(x, y), buurt_code=None if i % 7 == 0 else area.code))
    demo_store.add_all(points)
    data = load_places(demo_store)
    assert isinstance(data.addresses, Columns) and "x" in data.addresses and "geometry" not in data.addresses
    assert len(data.addresses) == len(points)
    fast = Scenario(data)
    data.addresses = read_addresses(demo_store)
    slow = Scenario(data)
    everything = [c.id for c in fast.candidates]
    assert fast.result(everything).to_dict() == slow.result(everything).to_dict()
    assert fast.baseline.to_dict() == slow.baseline.to_dict()
    for cand in fast.candidates:
        assert fast.reached_by(cand.id) == pytest.approx(slow.reached_by(cand.id), rel=1e-12)


# --- pairs within the radius -----------------------------------------------------------------

def test_pairs_within_equal_the_strtree_on_random_points():
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 20_000, 30_000), rng.uniform(0, 15_000, 30_000)
    places = [Point(*p) for p in rng.uniform(-500, 20_500, (60, 2))]
    places += [box(3000, 3000, 3400, 3100), LineString([(0, 0), (5000, 7000)]), None, Point()]
    radius = 800 / 1.3
    pi, qi = pairs_within(np.asarray(places, dtype=object), x, y, radius)
    assert sorted(zip(pi.tolist(), qi.tolist())) == _strtree_pairs(places, x, y, radius)
    for k in np.unique(pi):  # grouped by place, points ascending within a place
        assert np.all(np.diff(qi[pi == k]) > 0)


def test_pairs_exactly_at_the_radius_are_decided_as_geos_decides():
    """Integer coordinates and a radius of 5: many points lie at exactly 5 (3-4-5 triangles)."""
    gx, gy = np.meshgrid(np.arange(-12, 13, dtype=float), np.arange(-12, 13, dtype=float))
    x, y = gx.ravel() + 100_000.0, gy.ravel() + 400_000.0
    places = [Point(100_000, 400_000), Point(100_003, 399_996), box(100_000, 400_000, 100_002, 400_001),
              LineString([(99_990, 400_000), (100_010, 400_000)])]
    pi, qi = pairs_within(np.asarray(places, dtype=object), x, y, 5.0)
    got = sorted(zip(pi.tolist(), qi.tolist()))
    assert got == _strtree_pairs(places, x, y, 5.0)
    on_circle = [(int(x[q] - 100_000), int(y[q] - 400_000)) for p, q in got if p == 0]
    assert (3, 4) in on_circle and (5, 0) in on_circle and (4, 4) not in on_circle


def test_pairs_within_with_a_tiny_radius_and_points_without_coordinates():
    x = np.array([0.0, 1e-7, np.nan, 50_000.0, 2e-7])
    y = np.array([0.0, 0.0, 5.0, 50_000.0, np.nan])
    places = np.asarray([Point(0, 0), Point(50_000, 50_000)], dtype=object)
    pi, qi = pairs_within(places, x, y, 1e-6)
    assert sorted(zip(pi.tolist(), qi.tolist())) == [(0, 0), (0, 1), (1, 3)]
    assert len(pairs_within(places, np.array([np.nan]), np.array([np.nan]), 10)[0]) == 0
    assert len(pairs_within(np.asarray([], dtype=object), x, y, 10)[0]) == 0


def test_the_model_covers_what_the_strtree_covers():
    rng = np.random.default_rng(4)
    pts = [m.AddressPoint(Point(*p)) for p in rng.uniform(0, 2000, (3000, 2)).round(0)]
    pop = address_population([NOORD, ZUID], pts, spacing=100)
    places = [Point(500, 500), Point(1500, 200), box(900, 900, 1100, 1000)]
    model = CoverageModel(pop, places, 400, 1.3)
    expected = np.zeros(len(pop), dtype=bool)
    expected[[q for _, q in _strtree_pairs(places, pop.x, pop.y, 400 / 1.3)]] = True
    assert np.array_equal(model.covered_mask(), expected)
    for k in range(3):
        assert sorted(model.points_of([k])) == [q for p, q in _strtree_pairs(places, pop.x, pop.y, 400 / 1.3)
                                                if p == k]
