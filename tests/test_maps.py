"""The map builder: every buurt and layer drawn, offline, escaped, stable."""

import json
import re

import pytest
from shapely.geometry import Point
from streamlit_folium import generate_leaflet_string

from geo import model as m
from geo.maps import (
    MapData,
    MapOptions,
    asset_links,
    build_map,
    class_breaks,
    class_colour,
    format_number,
    highlight_group,
    load_map_data,
)
from geo.maps import style as S
from tests.common import INSIDE_A, INSIDE_B, LINE_A, small_world


def script_of(fmap) -> str:
    fmap.render()
    return generate_leaflet_string(fmap)


def geojson_payloads(script: str) -> list[dict]:
    """The FeatureCollections embedded in the map script."""
    from geo.maps.layers import unpack_features

    out = []
    for match in re.finditer(r"\bdata = (\{.*?\});\n", script, flags=re.S):
        payload = json.loads(match.group(1).replace("<\\/", "</"))
        out.append(unpack_features(payload))  # styles, tables and rings as the browser unpacks them
    return out


@pytest.fixture
def world() -> MapData:
    areas = small_world()
    return MapData(
        buurten=[a for a in areas if a.level == "buurt"],
        wijken=[a for a in areas if a.level == "wijk"],
        gemeenten=[a for a in areas if a.level == "gemeente"],
        plans={"BU99990000": m.Plan("BU99990000", "Plan Noord", stage="in_execution")},
        activities=[
            m.Activity(title="Buurtfeest", domain="social", status="running", geometry=INSIDE_A, id=1),
            m.Activity(title="Veilige route", domain="safety", status="planned", geometry=LINE_A, id=2),
            m.Activity(title="Zonder plek", domain="spatial", id=3),
        ],
        meeting_places=[m.MeetingPlace("Court", "cruijff_court", INSIDE_B, status="candidate", id=1)],
        real_estate=[m.RealEstate("Hofdael", INSIDE_A, occupancy_pct=45, condition=4, policy="dispose", id=1)],
        suggestions=[
            m.Suggestion("play", "<img src=x onerror=alert(1)> `${alert(2)}` </script>", INSIDE_B,
                         status="published", id=1)
        ],
    )


def test_map_contains_every_buurt_and_layer(world):
    script = script_of(build_map(world))
    payloads = geojson_payloads(script)
    ids = {f["id"] for p in payloads for f in p["features"]}
    assert {"BU99990000", "BU99990001"} <= ids
    assert {"activity-1", "activity-2", "meeting-1", "building-1", "suggestion-1"} <= ids
    assert "activity-3" not in ids  # no place on the map: nothing to draw
    for name in ("Buurten", "Agenda-activiteiten", "Ontmoetingsplaatsen", "Maatschappelijk vastgoed",
                 "Suggesties van bewoners"):
        assert name in script


def test_geometries_reach_the_browser_in_wgs84(world):
    payloads = geojson_payloads(script_of(build_map(world)))
    buurt = next(f for p in payloads for f in p["features"] if f["id"] == "BU99990000")
    lon, lat = buurt["geometry"]["coordinates"][0][0]
    assert 5.0 < lon < 6.5 and 51.0 < lat < 52.0


def test_only_local_assets_are_loaded(world):
    fmap = build_map(world, MapOptions(basemap="none"))
    links = asset_links(fmap)
    assert links and all(link.startswith("/app/static/") for link in links)
    assert "http" not in "".join(links)
    assert "tile." not in script_of(fmap)


@pytest.mark.parametrize("basemap, host", [("brt", "service.pdok.nl"), ("osm", "tile.openstreetmap.org")])
def test_basemaps_are_selectable(world, basemap, host):
    assert host in script_of(build_map(world, MapOptions(basemap=basemap)))


def test_resident_text_is_escaped_data_never_markup(world):
    script = script_of(build_map(world))
    assert "<img src=x" not in script
    assert "&lt;img src=x onerror=alert(1)&gt;" in script
    assert "</script>" not in script.replace("<\\/script>", "")
    sug = next(f for p in geojson_payloads(script) for f in p["features"] if f["id"] == "suggestion-1")
    assert "&lt;img" in sug["properties"]["_tip"]


def test_layers_and_filters_are_respected(world):
    opts = MapOptions(layers=("activities",), domains=("safety",), statuses=("planned", "running"))
    ids = {f["id"] for p in geojson_payloads(script_of(build_map(world, opts))) for f in p["features"]}
    assert "activity-2" in ids and "activity-1" not in ids
    assert not any(i.startswith(("meeting-", "building-", "suggestion-")) for i in ids)


def test_choropleth_colours_by_class_and_marks_missing(world):
    opts = MapOptions(choropleth="P_65_EO_JR")
    payloads = geojson_payloads(script_of(build_map(world, opts)))
    fills = {f["id"]: f["properties"]["_s"].get("fillColor") for p in payloads for f in p["features"]}
    assert fills["BU99990001"] == S.NO_DATA
    assert fills["BU99990000"] != S.NO_DATA


def test_without_choropleth_buurten_show_plan_stage(world):
    payloads = geojson_payloads(script_of(build_map(world)))
    fills = {f["id"]: f["properties"]["_s"].get("fillColor") for p in payloads for f in p["features"]}
    assert fills["BU99990000"] == S.STAGE_COLOURS["in_execution"]
    assert fills["BU99990001"] == S.STAGE_COLOURS["not_started"]


def test_same_input_gives_the_same_script(world):
    assert script_of(build_map(world)) == script_of(build_map(world))


def test_the_view_is_fitted_before_any_layer_is_drawn(world):
    """Layers added before the view is set would be projected and drawn twice."""
    script = script_of(build_map(world))
    assert 0 < script.index(".fitBounds(") < script.index("L.geoJSON(")


def test_highlight_is_separate_from_the_map(world):
    from geo.maps import FeatureLayer

    group = highlight_group(world.buurten[0])
    assert sum(isinstance(c, FeatureLayer) for c in group._children.values()) == 1
    assert len(highlight_group(None)._children) == 0
    # the same selection gives the same script: Streamlit need not send the map again
    assert highlight_group(world.buurten[0]).get_name() == group.get_name()


def test_class_breaks_and_colours():
    breaks = class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert breaks[0] == 1 and breaks[-1] == 10 and breaks == sorted(breaks)
    assert class_colour(1, breaks) == S.CHOROPLETH[0]
    assert class_colour(10, breaks) == S.CHOROPLETH[-1]
    assert class_colour(None, breaks) == S.NO_DATA
    assert class_breaks([]) == [] and class_breaks([None, 3.0]) == [3.0, 3.0]


def test_numbers_are_written_the_dutch_way():
    assert format_number(40733, "nl") == "40\u2009733"
    assert format_number(40733, "en") == "40,733"
    assert format_number(21.5, "nl") == "21,5"
    assert format_number(None) == "—"


def test_load_map_data_hides_unpublished_suggestions_from_the_public(store):
    for a in small_world():
        store.add(a)
    store.add(m.Suggestion("play", "zichtbaar", INSIDE_A, status="published"))
    store.add(m.Suggestion("play", "nog niet", INSIDE_A, status="received"))
    store.add(m.Suggestion("play", "verborgen", INSIDE_A, status="hidden"))
    assert [s.text for s in load_map_data(store, public_only=True).suggestions] == ["zichtbaar"]
    assert {s.text for s in load_map_data(store).suggestions} == {"zichtbaar", "nog niet"}


def test_legend_swatches_draw_without_the_map_stylesheet():
    """The sidebar legend has no Wijkatlas CSS: every swatch carries its size and colour inline."""
    from geo.maps import legend_html

    html = legend_html([("Lagen", [
        ("box", {"fillColor": "#1b9e77"}),
        ("rond", {"fillColor": "#d95f02", "shape": "circle", "dashArray": "3 3"}),
        ("lijn", {"color": "#333", "shape": "line", "dashArray": "4 4"}),
        ("kwaad", {"fillColor": "red;background:url(http://x)"}),
    ])])
    spans = re.findall(r'<span class="([^"]+)" style="([^"]+)"></span>', html)
    assert len(spans) == 4
    for _, css in spans:
        assert "display:inline-block" in css and ("width:14px" in css or "width:18px" in css)
    assert "background:#1b9e77" in spans[0][1]
    assert "border-radius:50%" in spans[1][1] and "dashed" in spans[1][1]
    assert "border-top:2px dashed #333" in spans[2][1]
    assert "url(" not in html and "background:transparent" in spans[3][1]


def test_basemap_attribution_follows_the_language():
    data = MapData(buurten=[])
    assert "contributors" in build_map(data, MapOptions(basemap="osm", lang="en")).get_root().render()
    assert "bijdragers" in build_map(data, MapOptions(basemap="osm", lang="nl")).get_root().render()


def test_choropleth_legend_says_no_data_only_when_a_buurt_lacks_the_value():
    from geo.maps import legend_sections

    buurten = [a for a in small_world() if a.level == "buurt"]  # Zuid has no P_65_EO_JR
    data = MapData(buurten=buurten)
    entries = legend_sections(data, MapOptions(choropleth="P_65_EO_JR"))[0][1]
    assert entries[-1][0] == "geen gegevens"
    entries = legend_sections(data, MapOptions(choropleth="AANT_INW", lang="en"))[0][1]
    assert len(entries) == 5 and entries[0][0] == "1,000 – 1,200" and "no data" not in [e[0] for e in entries]


def test_english_map_and_legend_have_no_dutch_labels(demo_store):
    """Tooltips, popups, legend and attribution of the demo map in English: no Dutch interface words."""
    from geo.maps import legend_html, legend_sections

    data = load_map_data(demo_store)
    opts = MapOptions(lang="en", choropleth="P_65_EO_JR")
    html = build_map(data, opts).get_root().render() + legend_html(legend_sections(data, opts))
    dutch = ["Naam", "Fase", "Inwoners", "Capaciteit", "Adres", "Functie", "Bezetting", "Beleid", "Steunbetuigingen",
             "Categorie", "Domein", "Periode", "Trekker", "Soort", "Kandidaat", "Gepland", "geen gegevens", "Aandeel",
             "Sociaal", "Kaartgegevens", "bijdragers", "Behouden", "Ontmoeten"]
    assert [w for w in dutch if re.search(rf"\b{w}\b", html)] == []
    assert "Share aged 65 and over" in html and "Occupancy" in html


def test_public_pins_are_snapped_to_the_grid(store):
    for a in small_world():
        store.add(a)
    store.add(m.Suggestion("play", "Schommel", Point(165_512.3, 380_488.9), status="published"))
    public = load_map_data(store, public_only=True, coarsen_m=25).suggestions[0].geometry
    assert (public.x, public.y) == (165_512.5, 380_487.5)
    staff = load_map_data(store).suggestions[0].geometry
    assert (staff.x, staff.y) == (165_512.3, 380_488.9)


# --- readable at any size, buurten clickable whatever lies on top (issue #11) --------------------
def _many_suggestions(world, n):
    import random

    rng = random.Random(11)
    noord = world.buurten[0].geometry
    minx, miny, maxx, maxy = noord.bounds
    world.suggestions = [
        m.Suggestion("play", f"Suggestie {i}", Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy)),
                     status="published", id=i + 1)
        for i in range(n)
    ]
    return world


def test_a_layer_with_many_points_is_clustered_on_canvas_with_local_assets(world):
    from geo.maps.layers import CLUSTER_FROM

    fmap = build_map(_many_suggestions(world, CLUSTER_FROM + 5))
    script = script_of(fmap)
    assert script.count("var many = true") == 1  # only the suggestions layer is that big
    assert "L.markerClusterGroup" in script and "L.canvas(" in script
    assert json.dumps(S.CLUSTER_COLOURS["suggestions"]) in script  # counts drawn in the layer's colour
    links = asset_links(fmap)
    assert "/app/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in links
    assert all(link.startswith("/app/static/") for link in links)
    html = fmap.get_root().render()
    assert html.index("leaflet/leaflet.js") < html.index("leaflet.markercluster.js")  # plugin after Leaflet


def test_a_few_points_are_drawn_as_they_were(world):
    fmap = build_map(world)
    script = script_of(fmap)
    assert "var many = true" not in script
    assert not any("markercluster" in link for link in asset_links(fmap))


def test_vendored_cluster_plugin_is_present():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "static" / "vendor" / "leaflet.markercluster"
    assert (root / "leaflet.markercluster.js").stat().st_size > 10_000
    assert (root / "MarkerCluster.css").exists() and (root / "MIT-LICENCE.txt").exists()


def test_clicks_on_markers_and_clusters_are_passed_to_the_buurt_beneath(world):
    script = script_of(build_map(_many_suggestions(world, 80)))
    assert 'layer.on("click", passClick)' in script and 'group.on("clusterclick", passClick)' in script
    assert 'map.fire("click"' in script


def test_the_map_carries_each_buurts_headline_figures_escaped(world):
    world.buurten[0].name = "<b>Noord</b> & co"
    world.buurten[0].figures = {"AANT_INW": 2610, "P_65_EO_JR": 29, "AANTAL_HH": 1430}
    payloads = geojson_payloads(script_of(build_map(world)))
    noord = next(f for p in payloads for f in p["features"] if f["id"] == "BU99990000")
    info = noord["properties"]["_info"]
    assert "&lt;b&gt;Noord&lt;/b&gt; &amp; co" in info and "<b>Noord</b>" not in info
    assert "2\u2009610" in info and "29" in info and "1\u2009430" in info and "In uitvoering" in info
    assert 'data-code="BU99990000"' in info


def test_the_same_data_give_the_same_script_on_every_run(world):
    """Streamlit then sends a reference to the map the browser has, not the map again."""
    from geo.maps import build_layers

    layers = build_layers(world, MapOptions())
    first = script_of(build_map(world, MapOptions(), layers=layers))
    again = script_of(build_map(world, MapOptions(), layers=layers))
    assert first == again
    assert script_of(build_map(world, MapOptions())) == first  # built afresh: the same too


def test_compact_rings_decode_to_the_same_shape_within_a_metre():
    from shapely.geometry import shape

    from geo.maps.layers import compact_geometry, decode_line, encode_line, expand_geometry

    ring = [[5.581234, 51.421234], [5.591234, 51.421234], [5.591234, 51.431234], [5.581234, 51.421234]]
    assert decode_line(encode_line(ring)) == [[round(x, 5), round(y, 5)] for x, y in ring]
    poly = {"type": "MultiPolygon", "coordinates": [[ring], [[[-1.5, -2.25], [-1.4, -2.25], [-1.4, -2.2], [-1.5, -2.25]]]]}
    small = compact_geometry(poly)
    assert "coordinates" not in small and len(json.dumps(small)) < len(json.dumps(poly))
    assert shape(expand_geometry(small)).hausdorff_distance(shape(poly)) < 1e-5  # about a metre
    point = {"type": "Point", "coordinates": [5.5, 51.4]}
    assert compact_geometry(point) is point


def test_the_explorer_sends_buurt_rings_compactly(world):
    script = script_of(build_map(world))
    assert '"enc":[' in script and "function decode(str)" in script


def test_template_text_in_a_suggestion_is_never_run_on_the_server(world):
    """folium compiles rendered scripts as Jinja templates again: text must not become a template."""
    world.suggestions[0].text = "zie {{ 7*7 }} en {{ cycler.__init__.__globals__.os.getcwd() }} {% if 1 %}x{% endif %}"
    world.buurten[0].name = "{# comment #}Noord"
    html = build_map(world).get_root().render()
    assert "49" not in html and "/work" not in html
    payloads = geojson_payloads(script_of(build_map(world)))
    sug = next(f for p in payloads for f in p["features"] if f["id"] == "suggestion-1")
    assert "{{ 7*7 }}" in sug["properties"]["_pop"]  # the browser still shows the text as typed
    noord = next(f for p in payloads for f in p["features"] if f["id"] == "BU99990000")
    assert noord["properties"]["name"] == "{# comment #}Noord"


def test_pins_send_their_row_labels_and_styles_once_per_layer():
    """Thousands of suggestions: each popup's row labels and each style travel once
    per layer; the browser builds the same escaped table as html_table."""
    from shapely.geometry import Point

    from geo.maps import FeatureLayer, feature, html_table, table
    from geo.maps.layers import Line, esc

    rows = lambda i: [("Categorie", "Spelen"), ("Status", "Gepubliceerd"), ("Tekst", f"<img src=x> {i} & {{{{ 7*7 }}}}")]
    feats = [feature(Point(155000 + i, 385000), fid=f"suggestion-{i}", style={"color": "#fff", "shape": "pin"},
                     popup=table(rows(i), title=f"S-{i} <b>"), tooltip=Line("Spelen", rows(i)[2][1]),
                     props={"_label": "Spelen"})
             for i in range(200)]
    layer = FeatureLayer(feats, name="suggestions")
    script = layer.data_json
    assert script.count("Categorie") == 1 and script.count('"#fff"') == 1
    assert script.count("Spelen") == 1 and script.count("Gepubliceerd") == 1  # recurring texts: once
    assert script.count("&lt;img src=x&gt; 7 ") == 1  # in popup and tooltip, sent once
    assert "<img" not in script and "&lt;img src=x&gt;" in script and "{{" not in script
    payload = geojson_payloads(f"var data = {script};\n")[0]
    for i in (0, 199):
        props = next(f for f in payload["features"] if f["id"] == f"suggestion-{i}")["properties"]
        assert props["_pop"] == html_table(rows(i), title=f"S-{i} <b>")
        assert props["_tip"] == f"Spelen: {esc(rows(i)[2][1])}"
        assert props["_s"] == {"color": "#fff", "shape": "pin"} and props["_label"] == "Spelen"



def test_every_map_has_a_zoom_limit_of_its_own_also_without_a_basemap(world):
    """The cluster plugin refuses a map without a maximum zoom; folium gives one only to a basemap."""
    for basemap in ("none", "brt"):
        html = build_map(_many_suggestions(world, 100), MapOptions(basemap=basemap)).get_root().render()
        head = html[html.index("L.map("):]
        assert '"maxZoom": 19' in head[:head.index(");")]
