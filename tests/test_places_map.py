"""Maps of the places views: colours, layers that follow the what-if, escaped texts."""

from __future__ import annotations

import folium

from geo.coverage import gap_areas
from geo.maps import asset_links
from geo.maps import style as S
from geo.meeting import Scenario
from geo.places_map import check_group, coverage_group, coverage_map, portfolio_map, share_colour
from geo.policy import evaluate
from tests.places_world import SETTINGS, P, buildings, buurten, world


def render(element) -> str:
    fmap = folium.Map(tiles=None)
    element.add_to(fmap)
    return fmap.get_root().render()


def test_share_classes():
    assert share_colour(None) == S.NO_DATA
    assert share_colour(0.0) == S.CHOROPLETH[0]
    assert share_colour(0.2) == S.CHOROPLETH[1]
    assert share_colour(0.79) == S.CHOROPLETH[3]
    assert share_colour(0.8) == S.CHOROPLETH[-1]


def test_coverage_group_follows_the_selection_and_escapes_names():
    data = world()
    data.places[4].name = "Court <script>alert(1)</script>"
    sc = Scenario(data, SETTINGS)
    verdicts = evaluate(data, scenario=sc)
    off = render(coverage_group(data, sc.result([]), gap_areas(data.buurten, [P(50, 50)], 250), verdicts, set()))
    on = render(coverage_group(data, sc.result([14]), gap_areas(data.buurten, [P(50, 50), P(750, 350)], 250),
                               verdicts, {14}))
    assert off != on
    for fid in ("cov-BU09990001", "gap-BU09990001", "gap-BU09990002", "candidate-14"):
        assert fid in on
    # tooltips and popups are escaped HTML; the raw name travels only as JSON data with "</" escaped
    assert "<script>alert(1)</script>" not in on and "&lt;script&gt;alert(1)" in on


def test_base_maps_are_offline_and_deterministic():
    a = portfolio_map(buurten(), buildings(), "nl", basemap="none")
    b = portfolio_map(buurten(), buildings(), "nl", basemap="none")
    assert all(link.startswith("/app/static/") for link in asset_links(a))
    strip = lambda html: __import__("re").sub(r"_[0-9a-f]{32}", "", html)  # noqa: E731
    assert strip(a.get_root().render()) == strip(b.get_root().render())
    cov = coverage_map(world(), [], "en", basemap="none").get_root().render()
    assert "Beyond walking distance" in cov
    assert "spot" in render(check_group(P(10, 10), 500, 615))
    assert '"features":[]' not in render(check_group(P(10, 10), 500, 615))


def test_base_maps_fit_the_buurten_with_a_fractional_zoom():
    # With whole zoom steps, fit_bounds in a narrow column left the municipality at half size.
    for fmap in (portfolio_map(buurten(), buildings(), "nl", basemap="none"),
                 coverage_map(world(), [], "nl", basemap="none")):
        html = fmap.get_root().render()
        assert '"zoomSnap": 0.25' in html and "fitBounds" in html


def test_prepared_boundaries_draw_the_same_map_without_converting_them_again():
    """Pages prepare the buurten's display geometry once (web.cached_buurt_shapes): the
    maps drawn with it show the same outlines and coverage fills, fitted to the same view."""
    import re

    from shapely.geometry import shape

    from geo.places_map import buurt_shapes
    from tests.test_maps import geojson_payloads, script_of

    data = world()
    shapes = buurt_shapes(data.buurten)
    sc = Scenario(data, SETTINGS)
    maps = [coverage_map(data, [], "nl", basemap="none", shapes=s) for s in (None, shapes)]
    plain, prepared = (script_of(fm) for fm in maps)
    assert '"enc":[' in prepared  # sent as compact rings, decoded in the browser

    def features(script):
        return {f["id"]: f for p in geojson_payloads(script) for f in p["features"]}

    for code in (a.code for a in data.buurten):
        a, b = shape(features(plain)[code]["geometry"]), shape(features(prepared)[code]["geometry"])
        assert a.hausdorff_distance(b) < 5e-5  # a few metres: the 2 m display simplification
    fit = [re.search(r"fitBounds\(\s*(\[\[.*?\]\])", m.get_root().render(), re.S).group(1) for m in maps]
    assert fit[0] == fit[1]
    group = coverage_group(data, sc.result([]), {}, [], set(), shapes=shapes)
    fills = features(render(group).split("<script>", 1)[-1].replace("var data =", "\nvar data ="))
    assert {f"cov-{a.code}" for a in data.buurten} <= set(fills)
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for k, f in fills.items() if k.startswith("cov-"))


def test_resident_pin_and_suggestion_maps_take_the_prepared_boundaries():
    import re

    from geo import participation as P
    from geo.places_map import buurt_shapes
    from tests.test_maps import script_of

    areas = world().buurten
    shapes = buurt_shapes(areas)
    for make in (lambda s: P.pin_map(areas, "nl", "none", shapes=s), lambda s: P.public_map([], areas, "nl", "none", shapes=s)):
        plain, prepared = make(None), make(shapes)
        assert '"enc":[' in script_of(prepared) and '"enc":[' not in script_of(plain)
        fit = [re.search(r"fitBounds\(\s*(\[\[.*?\]\])", m.get_root().render(), re.S).group(1) for m in (plain, prepared)]
        assert fit[0] == fit[1]
