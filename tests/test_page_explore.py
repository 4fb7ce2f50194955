"""AppTest of the map explorer, through the real frame."""

import json
import re

from geo import model as m
from geo.crs import rd_to_lonlat
from geo.store import open_store


def folium_component(at):
    """The streamlit-folium element: its args hold the Leaflet script."""
    found = [el for el in at.get("component_instance") if el.proto.component_name.endswith("st_folium")]
    assert found, "no map component on the page"
    return found[0]


def component_args(el) -> dict:
    return json.loads(el.proto.json_args)


def test_explorer_shows_the_demo(apptest):
    at = apptest()
    assert not at.exception
    assert at.title[0].value == "Kaartverkenner"
    assert any("buurtgrenzen zijn echt" in c.value for c in at.caption)
    args = component_args(folium_component(at))
    script = args["script"]
    for code in ("BU17710000", "BU17710005", "BU17710100", "BU17710109"):
        assert code in script
    assert len(set(re.findall(r'"id": ?"BU\d{8}"', script))) == 11
    assert all(link.startswith("/app/static/") for link in args["js_links"] + args["css_links"])


def test_picking_a_buurt_by_name_shows_its_profile(apptest):
    at = apptest()
    at.selectbox(key="explore_pick").select("BU17710005").run()
    assert not at.exception
    assert at.subheader[0].value == "Braakhuizen-Zuid"
    labels = {mt.label: mt.value for mt in at.metric}
    assert labels["Activiteiten"] != "0"


def test_map_click_on_braakhuizen_zuid_shows_its_profile(apptest, app_env):
    s = open_store(app_env)
    inside = s.get(m.Area, "BU17710005").geometry.representative_point()
    lon, lat = rd_to_lonlat(inside.x, inside.y)
    at = apptest()
    comp = folium_component(at)
    at.session_state[comp.key] = {"last_clicked": {"lat": lat, "lng": lon}}
    at.run()
    assert not at.exception
    assert at.subheader[0].value == "Braakhuizen-Zuid"
    assert at.session_state["explore_pick"] == "BU17710005"


def test_click_outside_the_municipality_warns(apptest):
    at = apptest()
    comp = folium_component(at)
    at.session_state[comp.key] = {"last_clicked": {"lat": 52.37, "lng": 4.89}}  # Amsterdam
    at.run()
    assert not at.exception
    assert any("buiten de gemeente" in w.value for w in at.warning)


def test_choropleth_and_english(apptest):
    at = apptest()
    at.selectbox(key="explore_figure").select("P_65_EO_JR").run()
    assert not at.exception
    at.selectbox(key="lang").select("en").run()
    assert not at.exception
    assert at.title[0].value == "Map explorer"
    script = component_args(folium_component(at))["script"]
    assert "Share aged 65 and over" in script


def test_residents_never_see_unreviewed_suggestions(apptest, app_env):
    s = open_store(app_env)
    inside = s.get(m.Area, "BU17710005").geometry.representative_point()
    s.add(m.Suggestion("other", "NOG-NIET-BEOORDEELD", inside, status="received", buurt_code="BU17710005"))
    at = apptest()
    at.selectbox(key="explore_pick").select("BU17710005").run()
    script = component_args(folium_component(at))["script"]
    assert "NOG-NIET-BEOORDEELD" not in script
    assert all("NOG-NIET-BEOORDEELD" not in str(df.value.to_dict()) for df in at.dataframe)
    staff = apptest(role="moderator")
    staff.selectbox(key="explore_pick").select("BU17710005").run()
    assert "NOG-NIET-BEOORDEELD" in component_args(folium_component(staff))["script"]


def test_a_second_gemeente_gets_a_picker_and_the_map_shows_one_at_a_time(apptest, app_env):
    from tests.common import small_world

    s = open_store(app_env)
    with s.transaction():
        for area in small_world():
            s.save(area)
    s.add(m.MeetingPlace("Proefhuis", "building", small_world()[2].geometry.representative_point(),
                         buurt_code="BU99990000"))
    at = apptest()
    assert not at.exception
    picker = at.selectbox(key="gemeente_pick")  # the frame's picker, shared by every page
    assert picker.options == ["Geldrop-Mierlo (GM1771)", "Proefgemeente (GM9999)"]
    assert picker.value == "GM1771"  # the gemeente with the plans opens first
    assert any("buurtgrenzen zijn echt" in c.value for c in at.caption)
    script = component_args(folium_component(at))["script"]
    assert len(set(re.findall(r'"id": ?"BU\d{8}"', script))) == 11 and "BU99990000" not in script
    assert "Proefhuis" not in script
    assert "Proefgemeente" not in at.selectbox(key="explore_pick").options[-1]
    picker.select("GM9999").run()
    assert not at.exception
    script = component_args(folium_component(at))["script"]
    assert set(re.findall(r'"id": ?"(BU\d{8})"', script)) == {"BU99990000", "BU99990001"}
    assert "Proefhuis" in script and "BU17710005" not in script
    assert not any("buurtgrenzen zijn echt" in c.value for c in at.caption)  # the demo notice is about Geldrop-Mierlo
    assert at.selectbox(key="explore_pick").options[1:] == ["Noord (BU99990000)", "Zuid (BU99990001)"]
    at.selectbox(key="explore_pick").select("BU99990001").run()
    assert at.subheader[0].value == "Zuid"


def test_one_gemeente_has_no_picker(apptest):
    at = apptest()
    assert not [sb for sb in at.selectbox if sb.key == "gemeente_pick"]


def _pills(at, key="explore_layers"):
    return next(el for el in at.get("button_group") if el.key == key)


_layers = _pills


def test_map_layers_are_one_widget_and_a_layer_switched_off_leaves_the_map(apptest):
    at = apptest()
    assert _layers(at).value == ["activities", "meeting_places", "real_estate", "suggestions"]
    assert '"suggestion-' in component_args(folium_component(at))["script"]
    _layers(at).set_value(["activities", "meeting_places", "real_estate"]).run()
    assert not at.exception
    script = component_args(folium_component(at))["script"]
    assert '"suggestion-' not in script and '"meeting-' in script


def test_language_switch_keeps_the_chosen_filters(apptest):
    at = apptest()
    _layers(at).set_value(["meeting_places"]).run()
    _pills(at, "explore_domains").set_value(["spatial", "safety"]).run()
    at.selectbox(key="explore_figure").select("AANTAL_HH").run()
    at.selectbox(key="lang").select("en").run()
    assert not at.exception
    assert _pills(at, "explore_domains").value == ["spatial", "safety"]
    assert at.selectbox(key="explore_figure").value == "AANTAL_HH"
    assert _layers(at).value == ["meeting_places"]
    assert not [w for w in at.warning if "Session State" in w.value]


def test_residents_see_pins_snapped_to_the_grid(apptest, app_env):
    from shapely.geometry import Point

    from geo.participation import coarsen, load_config

    grid = load_config().coarsen_grid_m
    assert grid > 0
    exact = Point(165_512.345, 380_488.901)
    s = open_store(app_env)
    s.add(m.Suggestion("play", "PRECIES-HIER", exact, status="published", buurt_code="BU17710005"))
    script = component_args(folium_component(apptest()))["script"]
    lon, lat = rd_to_lonlat(exact.x, exact.y)
    snapped = coarsen(exact, grid)
    slon, slat = rd_to_lonlat(snapped.x, snapped.y)
    assert "PRECIES-HIER" in script
    assert f"{lon:.6f}"[:-1] not in script or f"{lat:.6f}"[:-1] not in script
    assert f"{round(slon, 6)}" in script and f"{round(slat, 6)}" in script


def test_a_click_runs_the_map_and_profile_only():
    """The map and the profile are one fragment: a click (or a buurt chosen in the list) reruns
    that part, not the frame, the sidebar and the legend, so the server sends and the browser
    renders only what a click changes. The page reads the map's data inside the fragment."""
    import ast
    from pathlib import Path

    tree = ast.parse((Path(__file__).parents[1] / "pages" / "explore.py").read_text())
    fragments = [f for f in tree.body if isinstance(f, ast.FunctionDef)
                 and any(ast.unparse(d) == "st.fragment" for d in f.decorator_list)]
    assert [f.name for f in fragments] == ["_map_and_profile"]
    called = {ast.unparse(c.func) for c in ast.walk(fragments[0]) if isinstance(c, ast.Call)}
    assert {"web.folium_map", "_profile_panel", "_read_click", "web.scoped_map_data"} <= called
    top_level = {ast.unparse(c.func) for stmt in tree.body if not isinstance(stmt, ast.FunctionDef)
                 for c in ast.walk(stmt) if isinstance(c, ast.Call)}
    assert "web.folium_map" not in top_level and "_map_and_profile" in top_level
