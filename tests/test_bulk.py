"""Bulk paths for large gemeenten: decoding, columnar reads, coverage from columns."""

import typing

import numpy as np
import pytest
from shapely.geometry import Point, box

from geo import model as m
from geo.columns import Columns
from geo.coverage import CoverageModel, address_population
from geo.meeting import Scenario, load_places, read_addresses
from geo.portfolio import find_address
from geo.store.base import TABLES

NOORD = m.Area("BU99990000", "Noord", geometry=box(0, 0, 1000, 1000), figures={"AANT_INW": 1000})
ZUID = m.Area("BU99990001", "Zuid", geometry=box(1000, 0, 2000, 1000), figures={"AANT_INW": 600})


def test_type_hints_are_resolved_once_per_table_not_per_row(store, monkeypatch):
    for spec in TABLES.values():
        spec.__dict__.pop("kinds", None)  # forget what earlier tests cached
    store.add_all([m.AddressPoint(Point(i, i), bag_id=f"{i:016d}") for i in range(50)])
    calls = []
    real = typing.get_type_hints
    monkeypatch.setattr(typing, "get_type_hints", lambda *a, **k: calls.append(a) or real(*a, **k))
    for _ in range(3):
        assert len(store.list(m.AddressPoint)) == 50
    assert len(calls) <= 1


def test_read_columns_gives_the_same_values_as_records(store):
    store.add_all([m.AddressPoint(Point(10 + i, 20 - i), inhabitants=None if i % 2 else float(i),
                                  bag_id=f"{i:016d}", buurt_code="BU99990000" if i % 3 else None)
                   for i in range(7)])
    cols = store.read_columns(m.AddressPoint)
    records = store.list(m.AddressPoint)
    assert isinstance(cols, Columns) and len(cols) == 7
    assert cols["id"].dtype == np.int64 and cols["inhabitants"].dtype == float
    assert list(cols["bag_id"]) == [r.bag_id for r in records]
    assert [g.wkt for g in cols["geometry"]] == [r.geometry.wkt for r in records]
    assert [cols.record(i) for i in range(7)] == records  # NaN comes back as None
    assert list(cols) == records
    assert len(store.read_columns(m.AddressPoint, ["geometry"], buurt_code="BU99990000")) == 4
    with pytest.raises(TypeError):
        store.read_columns(m.AddressPoint, ["nope"])


def test_empty_layer_reads_as_empty_columns(store):
    cols = store.read_columns(m.AddressPoint, ["geometry", "inhabitants"])
    assert len(cols) == 0 and not cols and len(cols["geometry"]) == 0


def test_find_address_in_columns(store):
    store.add(m.AddressPoint(Point(5, 6), bag_id="0000000000000042"))
    cols = read_addresses(store)
    assert find_address(cols, "0000 0000 0000 0042").geometry.equals(Point(5, 6))


def test_coverage_from_columns_equals_coverage_from_records(store):
    store.add_all([NOORD, ZUID])
    pts = [(100, 500), (200, 500), (800, 500), (900, 500), (1500, 500), (5000, 5000)]
    # stored buurt codes are hints: one is stale (boundaries changed since) and one is missing
    hints = ["BU99990000", "BU99990001", None, "BU99990000", "BU99990001", None]
    store.add_all([m.AddressPoint(Point(x, y), buurt_code=h) for (x, y), h in zip(pts, hints)])
    records = store.list(m.AddressPoint)
    by_records = address_population([NOORD, ZUID], records, spacing=100)
    by_columns = address_population([NOORD, ZUID], read_addresses(store), spacing=100)
    for name in ("x", "y", "weight", "buurt"):
        assert np.array_equal(getattr(by_records, name), getattr(by_columns, name))
    assert by_columns.totals == by_records.totals == {"BU99990000": 1000.0, "BU99990001": 600.0}
    assert (by_columns.buurt == 0).sum() == 4 and (by_columns.buurt == 1).sum() == 1  # the stale hint corrected


def test_adding_a_candidate_incrementally_equals_recomputing(demo_store):
    data = load_places(demo_store)
    sc = Scenario(data)
    assert sc.candidates
    for cand in sc.candidates:
        fast = sc.result([cand.id])
        full = sc.model.result(sc.active([cand.id]))
        assert fast.to_dict() == full.to_dict()
        assert np.array_equal(fast.covered_mask, full.covered_mask)
    everything = [c.id for c in sc.candidates]
    assert sc.result(everything).to_dict() == sc.model.result(sc.active(everything)).to_dict()


def test_points_of_groups_each_places_reach():
    pop = address_population([NOORD], [m.AddressPoint(Point(x, 500)) for x in (100, 300, 900)], spacing=100)
    model = CoverageModel(pop, [Point(0, 500), Point(1000, 500)], 250, 1.0)
    assert sorted(model.points_of([0])) == [0]
    assert sorted(model.points_of([1])) == [2]
    assert sorted(model.points_of([0, 1, 7])) == [0, 2]


def test_read_columns_of_areas_equal_their_records(store):
    """Text, JSON and geometry columns come back as list() gives them, on both stores."""
    from shapely.geometry import box

    store.add_all([
        m.Area(code="GM9999", name="Gemeente", geometry=box(0, 0, 10, 10), figures={"AANT_INW": 5.0}),
        m.Area(code="WK999900", name="Wijk", geometry=box(0, 0, 2, 2), figures={}, source="afgeleid uit buurtcodes"),
        m.Area(code="BU99990000", name="Buurt", geometry=box(0, 0, 1, 1), figures={"AANT_INW": None}),
    ])
    cols = store.read_columns(m.Area, ["code", "level", "source", "figures", "geometry"])
    records = store.list(m.Area)
    assert list(cols["code"]) == [a.code for a in records] and list(cols["level"]) == [a.level for a in records]
    assert list(cols["figures"]) == [a.figures for a in records]
    assert [None if g is None else g.wkt for g in cols["geometry"]] == \
        [None if a.geometry is None else a.geometry.wkt for a in records]
    assert list(store.read_columns(m.Area, ["code"], level="wijk")["code"]) == ["WK999900"]


def test_bulk_add_cleans_text_as_every_write_does(store):
    """NFC, no control or bidi characters: a bulk write stores text exactly as ``add`` would."""
    from geo.text import clean_text

    streets = ["Kerkstraat", "Kerk\u202estraat\x07", "Ge\u0301ldropseweg", None]
    store.bulk_add(m.AddressPoint, {"geometry": [Point(i, i) for i in range(4)],
                                    "bag_id": [f"{i:016d}" for i in range(4)],
                                    "street": [s or "" for s in streets], "place": ["Geldrop"] * 4})
    got = [a.street for a in store.list(m.AddressPoint)]
    assert got == [clean_text(s or "") for s in streets]
    assert got[1] == "Kerkstraat" and got[2] == "G\u00e9ldropseweg"
