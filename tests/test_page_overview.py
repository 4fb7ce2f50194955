"""The overview of all gemeenten: outlines with a key figure, a click adds one gemeente's wijken and buurten."""

import json

from shapely.geometry import box

from geo import model as m
from geo.crs import rd_to_lonlat
from geo.maps import FeatureLayer
from geo.maps.overview import OVERVIEW_SIMPLIFY_M, detail_layers, gemeente_areas, gemeenten_layer, level_layer
from geo.store import open_store
from tests.common import areas_read


def _component(at):
    found = [el for el in at.get("component_instance") if el.proto.component_name.endswith("st_folium")]
    assert found, "no map on the page"
    return found[0]


def test_overview_shows_every_gemeente_and_a_click_adds_its_buurten(apptest, app_env):
    s = open_store(app_env)
    s.add(m.Area("GM0999", "Naburig", geometry=box(170_000, 380_000, 172_000, 382_000),
                 figures={"AANT_INW": 1234}))
    at = apptest("overzicht")
    assert not at.exception
    script = json.loads(_component(at).proto.json_args)["script"]
    assert "wa-GM1771" in script and "wa-GM0999" in script  # both gemeenten
    assert "wa-buurt" not in script  # no buurten until one gemeente is chosen
    inside = s.get(m.Area, "BU17710005").geometry.representative_point()
    lon, lat = rd_to_lonlat(inside.x, inside.y)
    at.session_state["overview_map"] = {"last_clicked": {"lat": lat, "lng": lon}}
    at.run()
    assert not at.exception
    script = json.loads(_component(at).proto.json_args)["script"]
    assert script.count("wa-buurt wa-BU1771") == 11 and "wa-GM0999" in script
    assert any("GM1771" in md.value for md in at.markdown)
    at.button[0].click().run()  # open in the explorer
    assert not at.exception
    assert at.session_state["gemeente"] == "GM1771"


def test_each_level_is_simplified_by_its_own_tolerance():
    import shapely

    wiggly = shapely.Polygon([(x, 0.5 * (x % 2)) for x in range(0, 1000)] + [(1000, 1000), (0, 1000)])
    area = m.Area("GM0999", "Naburig", geometry=wiggly, figures={"AANT_INW": 5})
    gm = level_layer([area], "gemeente", "AANT_INW")
    bu = level_layer([m.Area("BU09990000", "B", geometry=wiggly)], "buurt", None)
    n_gm = len(gm.features[0]["geometry"]["coordinates"][0])
    n_bu = len(bu.features[0]["geometry"]["coordinates"][0])
    assert n_gm < 10 and n_gm <= n_bu
    assert OVERVIEW_SIMPLIFY_M["gemeente"] > OVERVIEW_SIMPLIFY_M["wijk"] > OVERVIEW_SIMPLIFY_M["buurt"]


def test_a_gemeente_known_only_by_its_buurten_is_their_union():
    b1 = m.Area("BU09990001", "A", geometry=box(0, 0, 10, 10), figures={"AANT_INW": 10})
    b2 = m.Area("BU09990002", "B", geometry=box(10, 0, 20, 10), figures={"AANT_INW": 5})
    (gm,) = gemeente_areas([], {"GM0999": [b1, b2]})
    assert gm.code == "GM0999" and gm.geometry.area == 200 and gm.figures["AANT_INW"] == 15
    layers = gemeenten_layer([gm], "AANT_INW")
    assert isinstance(layers.gemeenten, FeatureLayer) and layers.legend
    assert [type(x) for x in detail_layers([], [b1, b2], None)] == [FeatureLayer]


def test_a_chosen_gemeentes_wijken_and_buurten_are_read_by_its_box(apptest, app_env, monkeypatch):
    """A national database holds 3,600 wijken and 14,500 buurten: choosing one
    gemeente on the overview reads its own, not every one of them."""
    from shapely.affinity import translate

    from tests.common import small_world

    s = open_store(app_env)
    with s.transaction():
        for area in small_world():  # a second gemeente 30 km east of Geldrop-Mierlo
            area.geometry = translate(area.geometry, xoff=30_000)
            s.save(area)
    s.close()
    at = apptest("overzicht")
    assert not at.exception
    read = areas_read(monkeypatch)
    at.session_state["overview_gm"] = "GM9999"
    at.run()
    assert not at.exception
    script = json.loads(_component(at).proto.json_args)["script"]
    assert script.count("wa-buurt wa-BU9999") == 2 and "WK999900" in script
    assert read and not [c for c in read if c.startswith(("BU1771", "WK1771"))], read
