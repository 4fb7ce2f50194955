"""Spatial questions answered by the store, the same on SQLite and PostGIS."""

from __future__ import annotations

from shapely.geometry import Point, box

from geo import model as m
from tests.common import BUURT_A, BUURT_B, INSIDE_A, INSIDE_B, OUTSIDE, small_world


def _world(store):
    for r in small_world():
        store.add(r)
    for i, (x, y) in enumerate([(165_500, 380_500), (165_560, 380_500), (166_500, 380_500), (170_000, 390_000)]):
        store.add(m.Suggestion(category="play" if i < 3 else "other", text=f"s{i}", geometry=Point(x, y),
                               status="published"))


def test_point_to_buurt(store):
    _world(store)
    assert store.area_at(INSIDE_A).code == "BU99990000"
    assert store.area_at(INSIDE_B).code == "BU99990001"
    assert store.area_at(OUTSIDE) is None
    # On the shared edge both cover the point: the lowest code answers, on both stores.
    assert store.area_at(Point(166_000, 380_500)).code == "BU99990000"
    assert store.area_at(INSIDE_A, level="wijk").code == "WK999900"


def test_features_in_the_view(store):
    _world(store)
    view = (165_400, 380_400, 165_600, 380_600)
    assert [s.text for s in store.in_window(m.Suggestion, view)] == ["s0", "s1"]
    assert [s.text for s in store.in_window(m.Suggestion, view, category="other")] == []
    assert [a.code for a in store.in_window(m.Area, box(165_100, 380_100, 165_200, 380_200).bounds,
                                            level="buurt")] == ["BU99990000"]
    assert {a.code for a in store.in_window(m.Area, BUURT_B.bounds, level="buurt")} == {"BU99990000", "BU99990001"}
    assert BUURT_A.intersects(BUURT_B)  # they touch along x = 166000


def test_within_a_distance(store):
    _world(store)
    near = store.within_distance(m.Suggestion, Point(165_500, 380_500), 60, category="play")
    assert [s.text for s in near] == ["s0", "s1"]
    assert [s.text for s in store.within_distance(m.Suggestion, Point(165_500, 380_500), 59.9)] == ["s0"]
    assert store.within_distance(m.Suggestion, Point(165_500, 380_500), 10, status=[]) == []


def test_a_click_is_answered_from_an_index_not_by_reading_every_buurt(store):
    # SQLite keeps the box after the geometry in the row: without a covering index every buurt's
    # geometry was read to answer one click (50 ms for the country's 14,500 buurten, BENCHMARKS.md).
    assert "areas_bbox" in store.table_indexes("areas")
    if store.url.startswith("sqlite"):
        where, params = store._bbox_overlaps(165_500, 380_500, 165_500, 380_500)
        plan = store._conn().execute(f"EXPLAIN QUERY PLAN SELECT code FROM areas WHERE level = ? AND {where}",
                                     ["buurt", *params]).fetchall()
        assert "areas_bbox" in " ".join(str(row[-1]) for row in plan), plan


def test_the_near_duplicate_check_finds_suggestions_on_an_index_of_their_box(store):
    # Submitting a suggestion asks for suggestions of its category near the pin; without an index
    # on the box every supportable suggestion was read (16-26 ms at 100,000 suggestions).
    from geo.participation import SUPPORTABLE

    assert "suggestions_bbox" in store.table_indexes("suggestions")
    _world(store)
    near = store.within_distance(m.Suggestion, Point(165_500, 380_500), 60, category="play",
                                 status=list(SUPPORTABLE))
    assert [s.text for s in near] == ["s0", "s1"]
    if store.url.startswith("sqlite"):
        where, params = store._bbox_overlaps(165_440, 380_440, 165_560, 380_560)
        plan = store._conn().execute(
            f"EXPLAIN QUERY PLAN SELECT * FROM suggestions WHERE {where} AND category = ? AND status IN (?, ?, ?)",
            [*params, "play", *SUPPORTABLE]).fetchall()
        assert "suggestions_bbox" in " ".join(str(row[-1]) for row in plan), plan
