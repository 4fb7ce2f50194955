"""Shapes drawn on the plan page's map, and that map itself.

Drawn shapes arrive from the browser as GeoJSON in EPSG:4326
(:func:`drawn_to_rd`); they are repaired where possible and stored in RD New
(:func:`clean_geometry`). :func:`plan_map` builds the map to draw on, with
leaflet-draw served by the app (no CDN).
"""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from . import model as m
from .crs import RD_BOUNDS, to_store
from .errors import GeometryError


DRAWABLE = ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon")


def clean_geometry(geom: BaseGeometry) -> BaseGeometry:
    """A valid RD geometry, repaired where possible, or :class:`GeometryError`."""
    if geom is None or geom.is_empty:
        raise GeometryError("de vorm is leeg", where="plek")
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
        if geom.geom_type == "GeometryCollection":
            polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
            geom = shapely.union_all(polys) if polys else geom
    if geom.is_empty or geom.geom_type not in DRAWABLE:
        raise GeometryError(f"de vorm ({geom.geom_type}) kan niet worden hersteld; teken hem opnieuw", where="plek")
    x0, y0, x1, y1 = RD_BOUNDS
    minx, miny, maxx, maxy = geom.bounds
    if not (x0 <= minx and maxx <= x1 and y0 <= miny and maxy <= y1):
        raise GeometryError("de vorm ligt niet in Nederland (RD New)", where="plek")
    return geom


def drawn_to_rd(drawing: dict[str, Any] | None) -> BaseGeometry:
    """A shape drawn in the browser (GeoJSON Feature or geometry, EPSG:4326)
    as a clean RD New geometry. A drawn circle becomes a polygon."""
    if not drawing:
        raise GeometryError("er is niets getekend", where="plek")
    geometry = drawing.get("geometry", drawing) if isinstance(drawing, dict) else None
    if not isinstance(geometry, dict) or "type" not in geometry:
        raise GeometryError("de tekening is geen GeoJSON-vorm", where="plek")
    try:
        geom = shape(geometry)
    except Exception as exc:  # noqa: BLE001 - shapely raises several kinds
        raise GeometryError(f"de tekening is geen geldige vorm ({exc})", where="plek") from None
    if geom.is_empty:
        raise GeometryError("de vorm is leeg", where="plek")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise GeometryError("de tekening heeft geen lengte- en breedtegraden (EPSG:4326)", where="plek")
    rd = to_store(geom)
    radius = (drawing.get("properties") or {}).get("radius") if isinstance(drawing, dict) else None
    if rd.geom_type == "Point" and isinstance(radius, (int, float)) and radius > 0:
        rd = rd.buffer(float(radius), quad_segs=16)
    return clean_geometry(rd)


def last_drawing(event: dict[str, Any] | None) -> dict[str, Any] | None:
    """The shape a streamlit-folium Draw event carries (last drawn first)."""
    if not event:
        return None
    if event.get("last_active_drawing"):
        return event["last_active_drawing"]
    drawings = event.get("all_drawings") or []
    return drawings[-1] if drawings else None


def plan_map(area: m.Area, neighbours: list[m.Area], activities: list[m.Activity],
             analysis: list[m.AnalysisItem], lang: str = "nl", basemap: str = "none", draw: bool = True,
             height: int = 520):
    """The plan area with its activities and analysis points, and (with
    ``draw``) leaflet-draw tools served by the app (:class:`OfflineDraw`)."""
    import folium

    from .i18n import label, t
    from .maps import BASEMAPS, FeatureLayer, OfflineDraw, OfflineMap, esc, feature, html_table
    from .maps import style as S

    fmap = OfflineMap(
        lang=lang, location=(51.43, 5.59), zoom_start=14, tiles=None, control_scale=True, height=height,
                      zoom_snap=0.25, zoom_delta=0.5)  # a fractional zoom lets fit_bounds fill the map
    base = BASEMAPS.get(basemap)
    if base:
        folium.TileLayer(tiles=base["tiles"], attr=base["attr_en"] if lang == "en" else base["attr"], max_zoom=base["max_zoom"], control=False).add_to(fmap)
    outlines = [feature(a.geometry, fid=a.code, style={"color": "#999", "weight": 1, "fillColor": "#eee",
                                                       "fillOpacity": 0.3}, tooltip=html_table([], title=a.name))
                for a in sorted(neighbours, key=lambda a: a.code) if a.geometry is not None]
    outlines.append(feature(area.geometry, fid=area.code, style={"color": "#333", "weight": 3, "fillColor": "#fff7d6",
                                                                 "fillOpacity": 0.35}))
    area_layer = FeatureLayer(outlines, name="areas", interactive=False)
    area_layer.add_to(fmap)
    from .agenda import activity_numbers

    feats = []
    numbers = activity_numbers(activities)
    for a in activities:
        i = numbers.get(a.id)
        if a.geometry is None:
            continue
        colour = S.DOMAIN_COLOURS.get(a.domain, "#555")
        style = {"color": colour, "fillColor": colour, "radius": 8, "shape": "circle", **S.STATUS_STYLE[a.status]}
        rows = [(t("agenda.col.domain", lang), label(a.domain, lang)), (t("agenda.col.status", lang), label(a.status, lang)),
                (t("timeline.col.period", lang), f"{a.start} – {a.end}" if a.start else "")]
        feats.append(feature(a.geometry, fid=f"activity-{a.id}", style=style, tooltip=f"<b>{i}. {esc(a.title)}</b>",
                             popup=html_table(rows, title=a.title), props={"_label": a.title}))
    for item in analysis:
        if item.geometry is None:
            continue
        colour = "#1a9641" if item.kind == "strength" else "#d7191c"
        feats.append(feature(item.geometry, fid=f"analysis-{item.id}",
                             style={"color": "#222", "fillColor": colour, "shape": "square", "fillOpacity": 0.9},
                             tooltip=f"{esc(label(item.kind, lang))}: {esc(item.text[:80])}",
                             props={"_label": label(item.kind, lang)}))
    FeatureLayer(feats, name="plan").add_to(fmap)
    if draw:
        OfflineDraw(
            export=False,
            position="topleft",
            draw_options={"circle": False, "circlemarker": False, "rectangle": True, "polygon": True,
                          "polyline": True, "marker": True},
            edit_options={"edit": False, "remove": True},
        ).add_to(fmap)
    # Fit the plan area and what is drawn in it; the neighbours are only context around it.
    # Measured on the stored geometries (the layers above simplify what they draw).
    fit = [g for g in (area.geometry, *(a.geometry for a in activities), *(i.geometry for i in analysis))
           if g is not None and not g.is_empty]
    bounds = _web_bounds(fit) or area_layer.bounds()
    if bounds:
        fmap.fit_view(bounds)
    return fmap


def _web_bounds(geoms: list[BaseGeometry]) -> list[list[float]] | None:
    """[[south, west], [north, east]] in WGS84 of RD New geometries, or None."""
    if not geoms:
        return None
    from .crs import to_web_many

    minx, miny, maxx, maxy = shapely.total_bounds(to_web_many(geoms))
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def describe_geometry(geom: BaseGeometry, lang: str = "nl") -> str:
    """'vlak van 1,2 ha', 'lijn van 350 m', 'punt' — for a preview before saving."""
    kind = geom.geom_type
    nl = lang == "nl"
    if "Polygon" in kind:
        ha = geom.area / 10_000
        text = f"{ha:.2f} ha".replace(".", ",") if nl else f"{ha:.2f} ha"
        return ("vlak van " if nl else "area of ") + text
    if "LineString" in kind:
        return ("lijn van " if nl else "line of ") + f"{geom.length:.0f} m"
    return "punt" if nl else "point"


def neighbours_of(store, area: m.Area, metres: float = 300, level: str = "buurt") -> list[m.Area]:
    """The areas of ``level`` within ``metres`` of ``area``, asked of the store
    (``ST_DWithin`` on PostGIS): only the neighbours are read, not every buurt."""
    if area.geometry is None:
        return []
    return [b for b in store.within_distance(m.Area, area.geometry, metres, level=level)
            if b.code != area.code and b.geometry is not None]


def neighbours(area: m.Area, candidates: list[m.Area], metres: float = 300) -> list[m.Area]:
    """The areas among ``candidates`` within ``metres`` of ``area`` (drawn as context around it)."""
    if area.geometry is None:
        return []
    near = area.geometry.buffer(metres)
    return [b for b in candidates
            if b.code != area.code and b.geometry is not None and b.geometry.intersects(near)]
