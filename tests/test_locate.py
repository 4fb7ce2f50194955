"""Point → buurt in the running app: asked of the store, on SQLite and PostGIS.

A click, a resident's pin or one save is located by the store
(:class:`geo.spatial.StoreAreas` → ``store.area_at``: ``ST_Covers`` on
PostGIS), not by an index of every buurt held in the app server; bulk
imports keep their in-process :class:`geo.spatial.AreaIndex`, and both give
the same answer (on a shared edge: the lowest code).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import Point, box

from geo import agenda
from geo import initiatives as I
from geo import model as m
from geo import participation as P
from geo.access import ANONYMOUS, Actor
from geo.clients import Client
from geo.crs import rd_to_lonlat
from geo.drawing import neighbours, neighbours_of
from geo.explore import buurt_at_click
from geo.io.pending import place_pending
from geo.spatial import AreaIndex, StoreAreas, buurten_of, locator
from geo.store import open_store
from tests.common import INSIDE_A, OUTSIDE, app_on, small_world

ROOT = Path(__file__).resolve().parent.parent
PLANNER = Actor(name="test-planner", role="planner")
ADMIN = Actor(name="test-admin", role="admin")
CONFIG = P.ParticipationConfig(per_client=100, per_address=100, per_minute=1000)


def _event(point) -> dict:
    lon, lat = rd_to_lonlat(point.x, point.y)
    return {"last_clicked": {"lat": lat, "lng": lon}}


def _street_of_buurten(store, n: int = 12) -> list[m.Area]:
    """``n`` buurten of 100 m wide side by side, numbered from east to west
    (an in-process STRtree then meets the higher code first on an edge)."""
    areas = [m.Area("GM9998", "Rijgemeente", geometry=box(0, 0, n * 100, 100))]
    areas += [m.Area(f"BU999800{i:02d}", f"Vak {i}", geometry=box((n - 1 - i) * 100, 0, (n - i) * 100, 100),
                     parent_code="WK999800") for i in range(n)]
    for a in areas:
        store.add(a)
    return areas[1:]


class CountingReads:
    """The real store, with a note of every ``list`` call (what a question read)."""

    def __init__(self, store) -> None:
        self._store = store
        self.listed: list[tuple[str, object]] = []

    def __getattr__(self, name):
        return getattr(self._store, name)

    def list(self, cls, *args, **where):
        self.listed.append((cls.__name__, where.get("level")))
        return self._store.list(cls, *args, **where)

    def areas_listed(self) -> list:
        return [x for x in self.listed if x[0] == "Area"]


def test_a_point_on_a_shared_edge_lies_in_the_lowest_code_for_clicks_and_imports_alike(store):
    buurten = _street_of_buurten(store)
    index, asked = AreaIndex.from_store(store), StoreAreas(store)
    for k in range(1, len(buurten)):
        edge = Point(k * 100, 50)
        lowest = min(a.code for a in buurten if a.geometry.covers(edge))
        assert asked.code_at(edge) == lowest, edge
        assert index.code_at(edge) == lowest, edge  # an import places it where a click would
    assert asked.code_at(Point(100, 0)) == index.code_at(Point(100, 0)) == "BU99980010"
    # the address-point import locates its rows in one vectorised query, with the same answers
    points = [Point(k * 100, 50) for k in range(len(buurten) + 2)] + [Point(150, 50), Point(-5, 50)]
    assert list(index.codes_at(points)) == [asked.code_at(p) for p in points]
    assert list(index.codes_at([])) == [] and list(AreaIndex([]).codes_at(points[:2])) == [None, None]


def test_a_click_outside_every_buurt_selects_nothing(store):
    for a in small_world():
        store.add(a)
    asked = StoreAreas(store)
    pos, code = buurt_at_click(_event(OUTSIDE), asked)
    assert pos is not None and code is None
    pin = P.pin_at_click(_event(OUTSIDE), asked)
    assert pin is not None and not pin.inside
    assert asked.at(None) is None and asked.at(Point()) is None
    # a shape is located by its representative point
    assert asked.code_at(INSIDE_A.buffer(10)) == "BU99990000"
    assert asked.code_at(box(169_000, 389_000, 171_000, 391_000)) is None


def test_a_click_in_a_buurt_of_another_gemeente_names_that_buurt(store):
    for a in small_world():
        store.add(a)
    street = _street_of_buurten(store)
    asked = StoreAreas(store)
    assert buurt_at_click(_event(Point(250, 50)), asked)[1] == "BU99980009"
    assert buurt_at_click(_event(INSIDE_A), asked)[1] == "BU99990000"
    # the page of one gemeente reads only its own buurten (by the gemeente's box) …
    reads = CountingReads(store)
    assert [a.code for a in buurten_of(reads, "GM9999")] == ["BU99990000", "BU99990001"]
    assert [a.code for a in buurten_of(reads, "GM9998")] == [a.code for a in street]
    assert reads.areas_listed() == []
    # … and every buurt when it shows all gemeenten, or when the gemeente has no boundary stored
    assert len(buurten_of(store, None)) == 2 + len(street)
    store.delete(m.Area, "GM9998")
    assert [a.code for a in buurten_of(store, "GM9998")] == [a.code for a in street]
    assert asked.has("BU99980000") and not asked.has("GM9999") and not asked.has("BU00000000")


def test_single_saves_ask_the_store_instead_of_reading_every_buurt(demo_store):
    reads = CountingReads(demo_store)
    inside = demo_store.get(m.Area, "BU17710005").geometry.representative_point()
    lon, lat = rd_to_lonlat(inside.x, inside.y)

    draft = P.Draft(category="meeting", text="Een bankje bij de speeltuin graag", pin=P.Pin(lon, lat, "BU17710001"))
    sug = P.submit(reads, ANONYMOUS, draft, CONFIG, client=Client())
    assert sug.buurt_code == "BU17710005"  # from the store, not what the session claimed

    ini = I.submit(reads, ANONYMOUS, I.InitiativeDraft(
        title="Bloembakken", text="Wij zetten bloembakken neer in de straat.", participants="Buren van nr. 1-9",
        cost_eur=200, pin=P.Pin(lon, lat, None)), CONFIG, client=Client())
    assert ini.buurt_code == "BU17710005"

    act = demo_store.list(m.Activity)[0]
    act.geometry = inside.buffer(20)
    assert agenda.save_activity(reads, PLANNER, act).buurt_code == "BU17710005"

    pending = demo_store.add(m.PendingPlace(layer="meeting-places", data={"name": "Buurthuis", "kind": "building"}))
    placed = place_pending(reads, ADMIN, pending.id, inside)
    assert placed.buurt_code == "BU17710005"
    assert reads.areas_listed() == []


def test_the_agenda_table_places_its_rows_by_asking_the_store(demo_store):
    plan = next(p for p in demo_store.list(m.Plan) if demo_store.list(m.Activity, plan_id=p.id))
    rows = [a.to_dict() for a in demo_store.list(m.Activity, plan_id=plan.id)]
    reads = CountingReads(demo_store)
    saved = agenda.save_agenda(reads, PLANNER, plan.id, rows)
    assert [a.buurt_code for a in saved] == [r["buurt_code"] for r in rows]
    assert reads.areas_listed() == []


def test_the_plan_maps_neighbours_come_from_a_distance_question(demo_store):
    area = demo_store.get(m.Area, "BU17710005")
    everyone = demo_store.list(m.Area, level="buurt")
    reads = CountingReads(demo_store)
    found = neighbours_of(reads, area)
    assert [a.code for a in found] == [a.code for a in neighbours(area, everyone)]
    assert found and area.code not in [a.code for a in found]
    assert reads.areas_listed() == []


def test_a_passed_index_is_used_for_bulk_work(demo_store):
    index = AreaIndex.from_store(demo_store)
    assert locator(demo_store, index) is index
    assert isinstance(locator(demo_store), StoreAreas)


# --- the running app, on both stores --------------------------------------------------
@pytest.fixture
def both_app_env(backend, request, monkeypatch):
    """AppTest against a fresh demo on the test's backend."""
    yield from app_on(request.getfixturevalue("demo_db_url" if backend == "sqlite" else "pg_demo_url"), monkeypatch)


def _app(page: str | None = None, **state):
    from streamlit.testing.v1 import AppTest

    from geo.navigation import entry

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(entry(page).file)
        at.run()
    assert not at.exception, at.exception
    return at


def _click(at, point) -> None:
    comp = next(c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium"))
    at.session_state[comp.key] = _event(point)
    at.run()
    assert not at.exception, at.exception


FAR = 30_000  # the test gemeente moved east of the demo (small_world overlaps Geldrop-Mierlo)
INSIDE_FAR = Point(INSIDE_A.x + FAR, INSIDE_A.y)


def _neighbour_gemeente(url: str) -> None:
    from shapely.affinity import translate

    s = open_store(url)
    with s.transaction():
        for area in small_world():
            area.geometry = translate(area.geometry, xoff=FAR)
            s.save(area)
    assert s.area_at(INSIDE_FAR).code == "BU99990000"
    s.close()


def test_explorer_click_shows_the_buurt_under_it(both_app_env):
    _neighbour_gemeente(both_app_env)
    s = open_store(both_app_env)
    inside = s.get(m.Area, "BU17710005").geometry.representative_point()
    s.close()
    at = _app()
    _click(at, inside)
    assert at.subheader[0].value == "Braakhuizen-Zuid"
    assert at.session_state["explore_pick"] == "BU17710005"
    _click(at, INSIDE_FAR)  # a buurt of the other gemeente: outside the one shown
    assert any("buiten de gemeente" in w.value for w in at.warning)
    assert at.session_state["explore_pick"] == "BU17710005"


def test_suggestion_pin_is_placed_by_the_store(both_app_env):
    _neighbour_gemeente(both_app_env)
    s = open_store(both_app_env)
    inside = s.get(m.Area, "BU17710005").geometry.representative_point()
    s.close()
    at = _app("meedenken")
    _click(at, inside)
    assert at.session_state["suggest_buurt"] == "BU17710005"
    assert at.session_state["suggest_pin"].buurt_code == "BU17710005"
    _click(at, INSIDE_FAR)
    assert any("buiten de gemeente" in w.value for w in at.warning)
    assert at.session_state["suggest_pin"].buurt_code == "BU17710005"  # the pin stays where it was


def test_an_initiative_pin_in_another_gemeente_is_refused(both_app_env):
    _neighbour_gemeente(both_app_env)
    s = open_store(both_app_env)
    inside = s.get(m.Area, "BU17710005").geometry.representative_point()
    s.close()
    at = _app("initiatief")
    _click(at, INSIDE_FAR)  # Proefgemeente's buurt, while the page shows Geldrop-Mierlo
    assert any("buiten de gemeente" in w.value for w in at.warning)
    assert "ini_pin" not in at.session_state or at.session_state["ini_pin"] is None
    _click(at, inside)
    assert at.session_state["ini_pin"].buurt_code == "BU17710005"
    assert at.session_state["ini_buurt"] == "BU17710005"
