"""AppTest of the real-estate page (vastgoed): portfolio, filters, check a location."""

from __future__ import annotations

import json

import pytest

from geo.crs import rd_to_lonlat
from tests.places_world import X0, Y0, stored_world


def folium_component(at):
    found = [el for el in at.get("component_instance") if el.proto.component_name.endswith("st_folium")]
    assert found, "no map component on the page"
    return found[0]


COLUMN_OF = {"re_table": "BAG-id", "re_check_buildings": "Afstand (m)", "re_check_served": "Inwoners binnen bereik"}


def _by_key(at, key):
    """A table on the page, recognised by a column only it has."""
    for df in at.dataframe:
        if COLUMN_OF[key] in df.value.columns:
            return df.value
    raise AssertionError(f"no table {key} on the page")


@pytest.fixture
def world_page(apptest, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'world.db'}"
    stored_world(url).close()
    monkeypatch.setenv("WIJKATLAS_DATABASE_URL", url)

    def run(**state):
        return apptest("vastgoed", role="real-estate", **state)

    return run


def test_demo_portfolio_for_the_real_estate_manager(apptest):
    at = apptest("vastgoed", role="real-estate")
    assert not at.exception
    assert at.title[0].value == "Maatschappelijk vastgoed"
    portfolio = _by_key(at, "re_table")
    assert len(portfolio) > 0 and "Bezetting %" in portfolio.columns
    script = json.loads(folium_component(at).proto.json_args)["script"]
    assert "building-" in script


def test_residents_cannot_open_it(apptest):
    at = apptest("verkennen")
    assert not at.exception
    from geo.access import ANONYMOUS, page_allowed

    assert not page_allowed(ANONYMOUS, "vastgoed")


def test_filters_narrow_map_and_table(world_page):
    at = world_page()
    assert not at.exception
    assert list(_by_key(at, "re_table")["Naam"]) == ["De Wissel", "Oude School", "Het Baken"]
    at.multiselect(key="re_f_policy").select("dispose").run()
    assert list(_by_key(at, "re_table")["Naam"]) == ["Het Baken"]
    assert any("1 van 3 gebouwen" in c.value for c in at.caption)
    script = json.loads(folium_component(at).proto.json_args)["script"]
    assert "Het Baken" in script and "De Wissel" not in script
    at.multiselect(key="re_f_policy").unselect("dispose").run()
    at.slider(key="re_f_occ").set_range(0, 50).run()
    assert list(_by_key(at, "re_table")["Naam"]) == ["De Wissel", "Het Baken"]
    at.slider(key="re_f_cond").set_range(5, 6).run()
    assert list(_by_key(at, "re_table")["Naam"]) == []


def test_check_a_candidate_lists_buildings_by_distance(world_page):
    at = world_page()
    at.selectbox(key="re_pick").select("mp-11").run()  # the new building at (480, 100)
    assert not at.exception
    near = _by_key(at, "re_check_buildings")
    assert list(near["Naam"]) == ["Oude School", "Het Baken", "De Wissel"]
    assert list(near["Afstand (m)"]) == [220, 269, 380]
    assert list(near["Bezetting %"]) == [90, 20, 45]
    at.number_input(key="re_search").set_value(300).run()
    assert list(_by_key(at, "re_check_buildings")["Naam"]) == ["Oude School", "Het Baken"]
    served = _by_key(at, "re_check_served")
    assert set(served["Code"]) == {"BU09990001", "BU09990002"}
    # the side column sums it up; the tables sit below the map at full width
    assert "2 gemeentelijke gebouw(en) binnen 300 m; bedient 2 buurt(en)." in " ".join(i.value for i in at.info)


def test_click_on_the_map_checks_that_spot(world_page):
    at = world_page()
    lon, lat = rd_to_lonlat(X0 + 400, Y0 + 200)
    at.session_state[folium_component(at).key] = {"last_clicked": {"lat": lat, "lng": lon}}
    at.run()
    assert not at.exception
    near = _by_key(at, "re_check_buildings")
    assert list(near["Naam"]) == ["Het Baken", "De Wissel", "Oude School"]
    assert list(near["Afstand (m)"]) == [141, 316, 316]
    texts = [str(md.value) for md in at.markdown]
    # (400, 200) is on the border of Alfa and Bravo: after the round trip through WGS84 it lies in one of them
    assert any(t_.startswith("Ligt in buurt") for t_ in texts), texts


def test_click_outside_warns(world_page):
    at = world_page()
    at.session_state[folium_component(at).key] = {"last_clicked": {"lat": 52.37, "lng": 4.89}}
    at.run()
    assert not at.exception
    assert any("buiten de gemeente" in w.value for w in at.warning)
    assert "Geen gemeentelijk gebouw binnen 500 m." in [str(md.value) for md in at.markdown]


def test_english(apptest):
    at = apptest("vastgoed", role="planner", lang="en")
    assert not at.exception
    assert at.title[0].value == "Municipal social real estate"
    assert at.subheader[0].value == "Check a location"


def test_check_the_location_of_an_address_point_by_bag_id(apptest, tmp_path, monkeypatch):
    from shapely.geometry import Point

    from geo import model as m

    url = f"sqlite:///{tmp_path / 'world.db'}"
    s = stored_world(url)
    s.add(m.AddressPoint(Point(X0 + 480, Y0 + 100), bag_id="0999010000000001"))
    s.close()
    monkeypatch.setenv("WIJKATLAS_DATABASE_URL", url)
    at = apptest("vastgoed", role="real-estate")
    at.text_input(key="re_bag").input("0999 0100 0000 0001").run()
    assert not at.exception
    near = _by_key(at, "re_check_buildings")
    assert list(near["Naam"]) == ["Oude School", "Het Baken", "De Wissel"]  # same spot as candidate mp-11
    at.text_input(key="re_bag").input("1234").run()
    assert any("geen geladen adrespunt met BAG-id 1234" in e.value for e in at.error)


def test_address_points_are_read_once_and_only_by_the_views_that_analyse_them(apptest, tmp_path, monkeypatch):
    """The explorer draws no address points and does not read them (hundreds of
    thousands in a large gemeente); the real-estate and meeting-place views read
    them once per data version and build the population and the what-if scenario once,
    shared by sessions."""
    from shapely.geometry import Point

    import geo.coverage
    import geo.meeting
    from geo import model as m

    url = f"sqlite:///{tmp_path / 'world.db'}"
    s = stored_world(url)
    s.add(m.AddressPoint(Point(X0 + 480, Y0 + 100), bag_id="0999010000000001"))
    s.close()
    monkeypatch.setenv("WIJKATLAS_DATABASE_URL", url)
    calls = {"read": 0, "population": 0, "scenario": 0}
    read, build, scenario = geo.meeting.read_addresses, geo.coverage.address_population, geo.meeting.Scenario

    def counted_read(store, *args, **kwargs):
        calls["read"] += 1
        return read(store, *args, **kwargs)

    def counted_build(*args, **kwargs):
        calls["population"] += 1
        return build(*args, **kwargs)

    class CountedScenario(scenario):
        def __init__(self, *args, **kwargs):
            calls["scenario"] += 1
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(geo.meeting, "Scenario", CountedScenario)
    monkeypatch.setattr(geo.meeting, "read_addresses", counted_read)
    monkeypatch.setattr(geo.coverage, "address_population", counted_build)
    apptest("verkennen", role="real-estate")
    assert calls == {"read": 0, "population": 0, "scenario": 0}
    for _ in range(2):  # two sessions, each checking a spot
        at = apptest("vastgoed", role="real-estate")
        at.text_input(key="re_bag").input("0999 0100 0000 0001").run()
        assert not at.exception and list(_by_key(at, "re_check_buildings")["Naam"])[0] == "Oude School"
        at = apptest("ontmoeten", role="planner")
        assert not at.exception
    assert calls == {"read": 1, "population": 1, "scenario": 1}  # the what-if model too, per settings


def test_only_the_shown_gemeentes_address_points_are_read(apptest, demo_db_url, monkeypatch):
    """A national database holds a million address points: the real-estate and
    meeting-place views read those of the gemeente they show, never the others'."""
    import numpy as np
    import shapely
    from shapely.affinity import translate

    from geo import model as m
    from geo.store import open_store
    from geo.store.sqlite import SQLiteStore
    from tests.common import small_world

    s = open_store(demo_db_url)
    with s.transaction():
        for area in small_world():  # a neighbour gemeente (GM9999) east of Geldrop-Mierlo
            area.geometry = translate(area.geometry, xoff=30_000)
            s.save(area)
    inside = s.get(m.Area, "BU17710005").geometry.representative_point()
    s.bulk_add(m.AddressPoint, {  # 3 in Geldrop-Mierlo, 400 in the neighbour
        "geometry": shapely.points(np.full(403, inside.x), np.full(403, inside.y)),
        "inhabitants": np.ones(403),
        "bag_id": np.array([f"17710100000000{i:02d}" for i in range(3)]
                           + [f"99990100000{i:05d}" for i in range(400)], dtype=object),
        "buurt_code": np.array(["BU17710005"] * 3 + ["BU99990000"] * 400, dtype=object),
    })
    s.close()
    read = []
    for name in ("read_columns", "read_gemeente_columns", "list"):
        original = getattr(SQLiteStore, name)

        def counted(self, cls, *args, _original=original, **kwargs):
            out = _original(self, cls, *args, **kwargs)
            if cls is m.AddressPoint:
                read.append(len(out))
            return out

        monkeypatch.setattr(SQLiteStore, name, counted)
    at = apptest("vastgoed", role="real-estate")
    assert not at.exception, at.exception
    assert "Een van de 3 geladen adrespunten" in at.text_input(key="re_bag").help
    at.text_input(key="re_bag").input("9999010000000007").run()  # the neighbour's: not shown here
    assert any("geen geladen adrespunt" in e.value for e in at.error)
    at = apptest("ontmoeten", role="planner")
    assert not at.exception, at.exception
    assert read and max(read) == 3, read  # the neighbour's 400 were never read
    at = apptest("vastgoed", role="real-estate", gemeente="GM9999")  # the neighbour: its own points
    assert "Een van de 400 geladen adrespunten" in at.text_input(key="re_bag").help
    assert max(read) == 400, read
