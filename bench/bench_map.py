"""Explorer map build: Wijkatlas's FeatureLayer vs folium's stock GeoJson.

The baseline is what a folium tutorial does: one ``folium.GeoJson`` per layer
from a GeoDataFrame, with ``GeoJsonTooltip``. Both build and render the map
for the same synthetic world of N buurten with points in each.
"""

from __future__ import annotations

import random

import folium
import geopandas as gpd
from shapely.geometry import Point, box

from bench import compare
from geo import model as m
from geo.maps import MapData, MapOptions, build_map


def world(n_buurten: int, points_per_buurt: int = 10) -> MapData:
    rng = random.Random(1771)
    side = int(n_buurten ** 0.5) + 1
    buurten, sugs = [], []
    for i in range(n_buurten):
        x0, y0 = 150_000 + (i % side) * 1000, 370_000 + (i // side) * 1000
        code = f"BU9999{i:04d}"
        buurten.append(m.Area(code, f"Buurt {i}", geometry=box(x0, y0, x0 + 1000, y0 + 1000),
                              figures={"AANT_INW": rng.randint(100, 5000)}))
        for j in range(points_per_buurt):
            sugs.append(m.Suggestion("play", f"Suggestie {i}-{j}", Point(x0 + rng.random() * 1000,
                                     y0 + rng.random() * 1000), status="published", id=len(sugs) + 1))
    return MapData(buurten=buurten, suggestions=sugs)


def folium_baseline(data: MapData) -> str:
    fmap = folium.Map(location=(51.43, 5.59), zoom_start=12, tiles=None)
    areas = gpd.GeoDataFrame(
        {"code": [a.code for a in data.buurten], "name": [a.name for a in data.buurten],
         "inw": [a.figures["AANT_INW"] for a in data.buurten]},
        geometry=[a.geometry for a in data.buurten], crs="EPSG:28992").to_crs(4326)
    folium.GeoJson(areas, tooltip=folium.GeoJsonTooltip(["name", "code", "inw"])).add_to(fmap)
    pts = gpd.GeoDataFrame({"text": [s.text for s in data.suggestions]},
                           geometry=[s.geometry for s in data.suggestions], crs="EPSG:28992").to_crs(4326)
    folium.GeoJson(pts, tooltip=folium.GeoJsonTooltip(["text"]), marker=folium.CircleMarker(radius=5)).add_to(fmap)
    return fmap.get_root().render()


def wijkatlas(data: MapData) -> str:
    return build_map(data, MapOptions(basemap="none", choropleth="AANT_INW")).get_root().render()


def run():
    out = []
    for n in (11, 400):
        data = world(n)
        out += compare(
            f"map build, {n} buurten + {len(data.suggestions)} pins",
            ("folium GeoJson + GeoJsonTooltip", lambda: folium_baseline(data)),
            [("wijkatlas build_map", lambda: wijkatlas(data))],
            runs=5,
        )
    return out
