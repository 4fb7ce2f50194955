"""The grid of points behind the bulk analyses and the address-point import:
the same answers as an STRtree, the same rows written as before."""

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon, box

from geo import model as m
from geo.point_grid import PointGrid
from geo.spatial import AreaIndex, StoreAreas


def _brute(x, y, minx, miny, maxx, maxy):
    return sorted(np.flatnonzero((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)).tolist())


@pytest.mark.parametrize("cell", [0.5, 37.0, 1e6, 1e-12])
def test_points_in_a_box_are_the_points_in_that_box(cell):
    rng = np.random.default_rng(11)
    x, y = rng.uniform(0, 1000, 5000).round(0), rng.uniform(0, 800, 5000).round(0)  # many on box edges
    x[::97] = np.nan
    grid = PointGrid(x, y, cell)
    for minx, miny, maxx, maxy in [*rng.uniform(-100, 1100, (40, 4)).round(0).reshape(40, 4),
                                   (0, 0, 1000, 800), (-1e300, -np.inf, np.inf, 1e300), (5, 5, 5, 5),
                                   (2000, 2000, 3000, 3000), (10, 10, 0, 0), (np.nan, 0, 10, 10)]:
        assert sorted(grid.in_box(minx, miny, maxx, maxy).tolist()) == _brute(x, y, minx, miny, maxx, maxy)


def test_a_grid_without_points():
    assert len(PointGrid(np.array([np.nan]), np.array([np.nan]), 10).in_box(0, 0, 1, 1)) == 0
    assert len(PointGrid(np.empty(0), np.empty(0), 10).in_box(0, 0, 1, 1)) == 0


def _wiggly_buurten():
    """Four buurten sharing wiggly edges (vertices on each other's edges), out of code order."""
    def wiggle(x0, y0):
        top = [(x0 + i * 10, y0 + 100 + (5 if i % 2 else 0)) for i in range(11)]
        return Polygon([(x0, y0), (x0 + 100, y0), *reversed(top)])
    return [m.Area("BU99970003", "D", geometry=wiggle(100, 105)),
            m.Area("BU99970001", "B", geometry=wiggle(100, 0)),
            m.Area("BU99970000", "A", geometry=wiggle(0, 0)),
            m.Area("BU99970002", "C", geometry=wiggle(0, 105))]


def test_codes_at_answers_as_each_point_asked_of_the_tree(store):
    buurten = _wiggly_buurten()
    store.add_all(buurten)
    index = AreaIndex.from_store(store)
    rng = np.random.default_rng(12)
    vertices = shapely.points(shapely.get_coordinates(np.asarray([a.geometry for a in buurten])))
    points = np.concatenate([shapely.points(rng.uniform(-20, 220, (3000, 2)).round(1)), vertices,
                             np.asarray([None, Point(), Point(100, 50, 7), LineString([(10, 10), (20, 20)]),
                                         box(95, 40, 105, 60)], dtype=object)])
    got = index.codes_at(points)
    asked = StoreAreas(store)
    expected = [None if p is None or p.is_empty else index.code_at(p) if p.geom_type == "Point"
                else min((a.code for a in buurten if a.geometry.intersects(p)), default=None) for p in points]
    assert list(got) == expected
    assert got[-1] == "BU99970000"  # a box over an edge: its lowest code, as before
    edge = Point(100, 50)  # on the edge of A and B
    assert index.codes_at([edge])[0] == asked.code_at(edge) == "BU99970000"
    assert sum(c is None for c in got[:3000]) > 0 and len(set(got[:3000]) - {None}) == 4


def test_bulk_rows_with_empty_columns_are_stored_as_full_rows_would_be(store):
    """A file of points and ids only: its empty address fields take the table's defaults."""
    n = 30
    pts = [Point(i, 2 * i) for i in range(n)]
    ids = [f"{i:016d}" for i in range(n)]
    store.bulk_add(m.AddressPoint, {"geometry": pts, "bag_id": ids, "inhabitants": [None] * n,
                                    "house_number": [None] * n, "street": [""] * n, "place": [""] * n,
                                    "postcode": [""] * n, "buurt_code": [None] * n})
    sparse = store.list(m.AddressPoint)
    assert [a.bag_id for a in sparse] == ids and all(a.street == "" and a.inhabitants is None for a in sparse)
    # the same rows again, every field given: replaced by bag id, stored identically
    added, replaced = store.bulk_add(m.AddressPoint, {"geometry": pts, "bag_id": ids, "inhabitants": [None] * n,
                                                      "street": ["Kerkstraat"] * n, "place": [""] * n},
                                     replace_key="bag_id")
    assert (added, replaced) == (0, n)
    full = store.list(m.AddressPoint)
    assert [a.street for a in full] == ["Kerkstraat"] * n and [a.geometry for a in full] == pts
    # every id empty: nothing to replace by, nothing lost
    added, replaced = store.bulk_add(m.AddressPoint, {"geometry": pts[:3], "bag_id": [""] * 3}, replace_key="bag_id")
    assert (added, replaced) == (3, 0) and store.count(m.AddressPoint) == n + 3
