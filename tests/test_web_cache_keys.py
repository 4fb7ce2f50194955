"""The shared caches of ``geo.web`` survive writes to tables they do not read.

Real stores (SQLite and PostGIS), real Streamlit caches (AppTest): a sign-in,
an audit line or a rate-limit counter rebuilds nothing; a suggestion rebuilds
what shows suggestions and not the buurten; a changed buurt rebuilds both.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from geo import model as m
from geo.access import Actor
from geo.store import open_store
from tests.common import app_on

ROOT = Path(__file__).resolve().parent.parent


def _probe():
    """What a page gets from the shared caches, by identity (the same object: not rebuilt)."""
    import streamlit as st

    from geo import web

    builds = st.session_state.setdefault("builds", [])
    suggestions_only = web.cached_build("probe-suggestions", lambda: builds.append("suggestions") or object(),
                                        tables=("suggestions",))
    everything = web.cached_build("probe-everything", lambda: builds.append("everything") or object())
    st.session_state.setdefault("seen", []).append({
        "map_data": id(web.scoped_map_data()),
        "buurten": id(web.cached_buurten()),
        "gemeenten": id(web.gemeenten()),
        "area_index": id(web.cached_area_index()),
        "addresses": id(web.cached_addresses()),
        "suggestions_only": id(suggestions_only),
        "everything": id(everything),
    })


@pytest.fixture(params=["sqlite", "postgis"])
def probe_env(request, monkeypatch):
    url = request.getfixturevalue("demo_db_url" if request.param == "sqlite" else "pg_demo_url")
    yield from app_on(url, monkeypatch)


def _rebuilt(at) -> set[str]:
    """Which caches gave another object in the last run than in the one before."""
    at.run()
    assert not at.exception, at.exception
    before, after = at.session_state["seen"][-2:]
    return {name for name in after if after[name] != before[name]}


def test_a_cache_is_rebuilt_only_after_a_write_to_a_table_it_reads(probe_env):
    from geo import staff_sessions

    store = open_store(probe_env)
    at = AppTest.from_function(_probe, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert _rebuilt(at) == set()  # nothing written: everything shared

    # Writes during ordinary page views: a staff sign-in and its session refresh, an audit line,
    # a resident's rate-limit counter. None of the shown data: nothing is rebuilt but the cache
    # that asked to be rebuilt after every write.
    sid = staff_sessions.start(store, Actor(name="ann", role="admin"), time.time())
    assert _rebuilt(at) == {"everything"}
    staff_sessions.touch(store, sid, time.time() + 60)
    store.add(m.AuditEntry(at="2026-12-01T12:00:00+00:00", user="ann", action="signin.ok"))
    store.add(m.ClientEvent(action="suggest", client_key="c1", address_key="a1", at=time.time()))
    assert _rebuilt(at) == {"everything"}

    # A suggestion: what shows suggestions (the explorer's data), not the buurten or addresses.
    buurt = store.list(m.Area, level="buurt")[0]
    inside = buurt.geometry.representative_point()
    store.add(m.Suggestion(category="meeting", text="Een plek om elkaar te zien", geometry=inside,
                           buurt_code=buurt.code))
    assert _rebuilt(at) == {"map_data", "suggestions_only", "everything"}

    # A changed buurt: everything that reads areas.
    buurt.name = "Andere naam"
    store.update(buurt)
    assert _rebuilt(at) == {"map_data", "buurten", "gemeenten", "area_index", "everything"}

    # Address points: the addresses, nothing else.
    store.bulk_add(m.AddressPoint, {"geometry": [Point(inside.x + 1, inside.y)], "bag_id": ["0772200000000001"],
                                    "buurt_code": [buurt.code]})
    assert _rebuilt(at) == {"addresses", "everything"}
    assert at.session_state["builds"].count("suggestions") == 2  # first run, after the suggestion
    store.close()


def test_the_explorer_keeps_its_map_after_a_sign_in_and_rebuilds_it_after_a_suggestion(app_env):
    """The explorer's layers and rendered map (web.folium_map) are not built again after a write
    that does not change them; a new suggestion is on the map in the next run."""
    from geo import staff_sessions
    from geo import web

    calls = []
    real = web._rendered_map

    def counting(fmap):
        calls.append(1)
        return real(fmap)

    store = open_store(app_env)
    web._rendered_map = counting
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state["actor"] = Actor(name="test-planner", role="planner")
        at.run()
        assert not at.exception and len(calls) == 1
        staff_sessions.start(store, Actor(name="test-planner", role="planner"), time.time())
        store.add(m.AuditEntry(at="2026-12-01T12:00:00+00:00", user="test-planner", action="signin.ok"))
        fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)  # a new visitor
        fresh.session_state["actor"] = Actor(name="test-planner", role="planner")
        fresh.run()
        assert not fresh.exception and len(calls) == 1  # the same map, not rendered again
        buurt = store.list(m.Area, level="buurt")[0]
        text = "Zichtbaar na de volgende run"
        store.add(m.Suggestion(category="meeting", text=text, geometry=buurt.geometry.representative_point(),
                               buurt_code=buurt.code, status="published"))
        fresh.run()
        assert not fresh.exception and len(calls) == 2
        script = next(c for c in fresh.get("component_instance") if c.proto.component_name.endswith("st_folium"))
        assert text in script.proto.json_args  # the new suggestion is in the map sent
    finally:
        web._rendered_map = real
        store.close()


def _layers_probe():
    import streamlit as st

    from geo import web
    from geo.maps import MapOptions, build_layers

    public = st.session_state.get("public", False)
    data = web.scoped_map_data(public_only=public)
    opts = MapOptions(choropleth=st.session_state.get("figure"))
    if "domains" in st.session_state:
        opts.domains = st.session_state["domains"]
    layers = web.cached_layers(data, opts, public)
    plain = build_layers(data, opts)

    def same(a, b):  # every attribute but the element's random id
        def fields(layer):
            return {k: v for k, v in vars(layer).items() if k != "_id"}

        return (a is None and b is None) or (a.data_json == b.data_json and fields(a) == fields(b))

    st.session_state["same"] = (same(layers.areas, plain.areas) and same(layers.outlines, plain.outlines)
                                and list(layers.points) == list(plain.points)
                                and all(same(layers.points[n], plain.points[n]) for n in plain.points))
    st.session_state.setdefault("ids", []).append(
        {"areas": id(layers.areas), **{name: id(layer) for name, layer in layers.points.items()}})


def test_explorer_layers_are_built_apart_and_a_suggestion_rebuilds_only_its_layer(app_env):
    """web.cached_layers gives what build_layers gives, each layer cached on the table it shows."""
    store = open_store(app_env)
    at = AppTest.from_function(_layers_probe, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["same"]
    buurt = store.list(m.Area, level="buurt")[0]
    store.add(m.Suggestion(category="meeting", text="Nog een plek", geometry=buurt.geometry.representative_point(),
                           buurt_code=buurt.code))
    at.run()
    assert not at.exception and at.session_state["same"]
    before, after = at.session_state["ids"][-2:]
    assert {name for name in after if after[name] != before[name]} == {"suggestions"}
    plan = store.list(m.Plan)[0]
    plan.title = "Een andere titel"
    store.update(plan)  # a plan colours its buurt: the buurten layer, no point layer
    at.run()
    before, after = at.session_state["ids"][-2:]
    assert {name for name in after if after[name] != before[name]} == {"areas"}
    at.session_state["figure"] = "AANT_INW"  # another option of the buurten: that layer only
    at.run()
    assert not at.exception and at.session_state["same"]
    before, after = at.session_state["ids"][-2:]
    assert {name for name in after if after[name] != before[name]} == {"areas"}
    at.session_state["domains"] = ("social",)  # a filter of the activities: that layer only
    at.run()
    assert not at.exception and at.session_state["same"]
    before, after = at.session_state["ids"][-2:]
    assert {name for name in after if after[name] != before[name]} == {"activities"}
    at.session_state["public"] = True  # the public view: its own suggestions, every other layer shared
    at.run()
    assert not at.exception and at.session_state["same"]
    before, after = at.session_state["ids"][-2:]
    assert {name for name in after if after[name] != before[name]} == {"suggestions"}
    store.close()
