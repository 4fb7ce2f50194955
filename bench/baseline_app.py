"""The naive baseline of the explorer benchmark: the simplest st_folium app.

One big ``folium.GeoJson`` of all buurten plus one circle marker per point
(suggestions, meeting places, buildings), rebuilt on every script run; a
click is answered with the buurt's name and figures, found by testing each
buurt in a Python loop. It loads Leaflet from the app itself (offline), like
Wijkatlas, so the two are compared on the same footing.

Run: ``WIJKATLAS_DATABASE_URL=sqlite:///x.db streamlit run bench/baseline_app.py``
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import folium  # noqa: E402
import geopandas as gpd  # noqa: E402
import streamlit as st  # noqa: E402
from shapely.geometry import Point  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from geo import model as m  # noqa: E402
from geo.crs import lonlat_to_rd  # noqa: E402
from geo.maps import OfflineMap  # noqa: E402
from geo.store import open_store  # noqa: E402

st.set_page_config(page_title="Baseline", layout="wide")
store = open_store()
buurten = store.list(m.Area, level="buurt")
points = [p.geometry for cls in (m.Suggestion, m.MeetingPlace, m.RealEstate) for p in store.list(cls)
          if p.geometry is not None]

fmap = OfflineMap(location=(52.0, 5.0), zoom_start=12, tiles=None)
frame = gpd.GeoDataFrame({"code": [a.code for a in buurten], "name": [a.name for a in buurten],
                          "inw": [a.figures.get("AANT_INW") for a in buurten]},
                         geometry=[a.geometry for a in buurten], crs="EPSG:28992").to_crs(4326)
folium.GeoJson(frame, tooltip=folium.GeoJsonTooltip(["name", "code", "inw"])).add_to(fmap)
pts = gpd.GeoSeries(points, crs="EPSG:28992").to_crs(4326)
for p in pts:
    folium.CircleMarker((p.y, p.x), radius=5).add_to(fmap)
minx, miny, maxx, maxy = frame.total_bounds
fmap.fit_bounds([[miny, minx], [maxy, maxx]])

left, right = st.columns([5, 3])
with left:
    event = st_folium(fmap, key="map", height=620, use_container_width=True, returned_objects=["last_clicked"])
with right:
    click = (event or {}).get("last_clicked")
    if click:
        here = Point(*lonlat_to_rd(click["lng"], click["lat"]))
        found = next((a for a in buurten if a.geometry.contains(here)), None)
        if found:
            st.subheader(found.name)
            st.write(found.code)
            for key, value in sorted(found.figures.items()):
                st.write(f"{key}: {value}")
    else:
        st.info("Klik op een buurt")
