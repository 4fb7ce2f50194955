"""One gemeente's rows of a bulk layer, read by the store on its buurt code (SQLite and PostGIS)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import Point

from geo import model as m
from geo.meeting import ADDRESS_COLUMNS, read_addresses
from geo.scope import Scope
from geo.store.base import gemeente_code_ranges

# Two gemeenten whose codes sort next to each other (GM0999 just below GM1000), their
# neighbours' codes on either side, a code of another kind and addresses outside every buurt.
CODES = ["BU09990001", "BU09990002", "BU10000001", "BU10009901", "BU10010000", "WK100000", "GM1000", "",
         None, "BU1000", "BU99999999"]


def _addresses(store):
    n = len(CODES) * 3
    codes = (CODES * 3)[:n]
    store.bulk_add(m.AddressPoint, {
        "geometry": shapely.points(np.arange(n) * 10.0 + 150_000, np.full(n, 380_000.0)),
        "inhabitants": np.arange(n, dtype=float),
        "bag_id": np.array([f"{i:016d}" for i in range(n)], dtype=object),
        "buurt_code": np.array(codes, dtype=object),
    })
    return codes


@pytest.mark.parametrize("unplaced", [False, True])
def test_one_gemeente_of_address_points_is_what_filtering_all_of_them_gives(store, unplaced):
    _addresses(store)
    everything = read_addresses(store)
    for gm in ("GM1000", "GM0999", "GM1001", "GM9999", "GM4242"):
        got = read_addresses(store, gm, unplaced)
        want = Scope(gm, gm, unplaced).address_points(everything)
        assert list(got.data) == list(ADDRESS_COLUMNS)
        assert got["bag_id"].tolist() == want["bag_id"].tolist(), gm  # same rows, in key order
        assert shapely.equals(got["geometry"], want["geometry"]).all()
        assert np.allclose(got["inhabitants"], want["inhabitants"])
    got = read_addresses(store, "GM1000", unplaced)
    expected = {"BU10000001", "BU10009901", "WK100000", "GM1000", "BU1000"} | ({"", None} if unplaced else set())
    assert set(got["buurt_code"].tolist()) == expected


def test_only_the_asked_fields_and_no_rows_for_what_is_no_gemeente(store):
    _addresses(store)
    got = store.read_gemeente_columns(m.AddressPoint, "GM1000", ["bag_id"])
    assert list(got.data) == ["bag_id"] and len(got) == 15
    assert len(store.read_gemeente_columns(m.AddressPoint, "1000", ["bag_id"])) == 0
    assert len(store.read_gemeente_columns(m.AddressPoint, "GM10", ["bag_id"])) == 0
    assert len(store.read_gemeente_columns(m.AddressPoint, "xx", ["bag_id"], unplaced=True)) == 6
    assert len(store.read_gemeente_columns(m.AddressPoint, "GM1000", ["bag_id"], unplaced=True)) == 21
    with pytest.raises(TypeError):
        store.read_gemeente_columns(m.Area, "GM1000")  # areas have no buurt code
    with pytest.raises(TypeError):
        store.read_gemeente_columns(m.AddressPoint, "GM1000", ["nope"])


def test_other_layers_by_their_buurt_code(store):
    for i, code in enumerate(["BU10000001", "BU20000001", None]):
        store.add(m.Suggestion(category="play", text=f"s{i}", geometry=Point(150_000 + i, 380_000),
                               status="published", buurt_code=code))
    assert store.read_gemeente_columns(m.Suggestion, "GM1000", ["text"])["text"].tolist() == ["s0"]
    assert store.read_gemeente_columns(m.Suggestion, "GM2000", ["text"], unplaced=True)["text"].tolist() == \
        ["s1", "s2"]


def test_the_key_ranges_hold_every_code_of_the_gemeente_and_no_other():
    assert gemeente_code_ranges("GM1771") == [("GM1771", "GM1772"), ("WK1771", "WK1772"), ("BU1771", "BU1772")]
    assert gemeente_code_ranges("GM9999")[2] == ("BU9999", "BV")
    assert gemeente_code_ranges("GM17") == [] and gemeente_code_ranges(None) == []
    low, high = gemeente_code_ranges("GM0999")[2]
    assert low <= "BU09990000" < high and not (low <= "BU10000000" < high) and not ("BU0998" >= low)


def test_sqlite_finds_a_small_gemeente_on_the_index_not_by_reading_the_table(tmp_path):
    # A national table holds a million address points; a gemeente holds a few thousand of them.
    from geo.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'w.db'}")
    n = 4000
    codes = np.array([f"BU{1000 + i % 200:04d}0001" for i in range(n)], dtype=object)
    store.bulk_add(m.AddressPoint, {"geometry": shapely.points(np.full(n, 150_000.0), np.full(n, 380_000.0)),
                                    "inhabitants": np.ones(n), "bag_id": np.array([str(i) for i in range(n)],
                                                                                   dtype=object),
                                    "buurt_code": codes})
    conn = store._conn()
    steps = []
    conn.set_progress_handler(lambda: steps.append(1), 100)  # SQLite's work, in units of 100 VM steps
    one = store.read_gemeente_columns(m.AddressPoint, "GM1007", ["bag_id", "geometry"], unplaced=True)
    small = len(steps)
    steps.clear()
    store.read_columns(m.AddressPoint, ["bag_id", "geometry"])
    whole = len(steps)
    conn.set_progress_handler(None, 0)
    assert len(one) == n // 200 and set(one["bag_id"].tolist()) == {str(i) for i in range(7, n, 200)}
    assert small * 20 < whole, (small, whole)  # the other 199 gemeenten were never read
    store.close()


def test_address_points_of_a_gemeente_as_coordinates(store):
    _addresses(store)
    shapes = read_addresses(store, "GM1000", True)
    got = read_addresses(store, "GM1000", True, xy=True)
    assert "geometry" not in got and list(got.data) == ["x", "y", "inhabitants", "bag_id", "buurt_code"]
    assert np.array_equal(got["x"], shapely.get_x(shapes["geometry"]))
    assert np.array_equal(got["y"], shapely.get_y(shapes["geometry"]))
    assert got.find("bag_id", shapes["bag_id"][2]).geometry.equals(shapes["geometry"][2])  # a record has its point
    bare = store.read_gemeente_columns(m.AddressPoint, "GM1000", ["geometry"], xy=True)
    assert list(bare.data) == ["x", "y"] and len(bare) == 15
