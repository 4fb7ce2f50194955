"""Maps of the real-estate and meeting-place views (offline, deterministic).

The base map (boundaries, fixed layers, legend) depends only on the data, so
streamlit-folium keeps it mounted; what changes with a click or a toggle
(the coverage colours, gap areas, candidates, the checked spot) travels as
``feature_group_to_add`` groups built by the ``*_group`` functions.
"""

from __future__ import annotations

from typing import Sequence

import folium
from shapely.geometry.base import BaseGeometry

from . import model as m
from .coverage import CoverageResult
from .i18n import label, t
from .maps import BASEMAPS, DisplayShapes, FeatureLayer, Legend, OfflineMap, feature, table
from .maps.builder import DISPLAY_SIMPLIFY_M
from .maps import style as S
from .meeting import PlacesData
from .policy import Verdict

VERDICT_COLOURS = {"aligned": "#1a9641", "attention": "#fdae61", "conflict": "#d7191c"}
SHARE_BREAKS = (0.2, 0.4, 0.6, 0.8)  # classes: <20, 20–40, 40–60, 60–80, ≥80 %
GAP_STYLE = {"color": "#b2182b", "weight": 1, "dashArray": "4 3", "fillColor": "#d6604d", "fillOpacity": 0.45}


def share_colour(share: float | None) -> str:
    if share is None:
        return S.NO_DATA
    for i, edge in enumerate(SHARE_BREAKS):
        if share < edge:
            return S.CHOROPLETH[i]
    return S.CHOROPLETH[-1]


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f} %"


def buurt_shapes(buurten: Sequence[m.Area]) -> DisplayShapes:
    """The buurten's display geometry, prepared once per data version by the
    pages (``web.cached_build``) and passed to the map functions as ``shapes``."""
    return DisplayShapes(((a.code, a.geometry) for a in buurten), simplify_m=DISPLAY_SIMPLIFY_M["buurt"])


def _shaped(feat: dict, shapes: DisplayShapes | None, code: str) -> dict:
    return shapes.put(feat, code) if shapes is not None else feat


def _base(buurten: Sequence[m.Area], basemap: str, lang: str, height: int = 560,
          shapes: DisplayShapes | None = None) -> tuple[folium.Map, FeatureLayer]:
    fmap = OfflineMap(
        lang=lang, location=(51.43, 5.59), zoom_start=13, tiles=None, control_scale=True, height=height,
                      zoom_snap=0.25, zoom_delta=0.5)  # a fractional zoom lets fit_bounds fill the map
    base = BASEMAPS.get(basemap)
    if base:
        folium.TileLayer(tiles=base["tiles"], attr=base["attr_en"] if lang == "en" else base["attr"], max_zoom=base["max_zoom"], control=False).add_to(fmap)
    outlines = FeatureLayer(
        [_shaped(feature(a.geometry, fid=a.code, style={"color": S.BOUNDARY, "weight": 1, "fill": False},
                         tooltip=table([("CBS", a.code)], title=a.name), props={"_label": a.name}), shapes, a.code)
         for a in buurten if a.geometry is not None],
        name="buurten",
        bounds=shapes.bounds if shapes is not None else None,
    )
    outlines.add_to(fmap)
    return fmap, outlines


def _building_feature(b: m.RealEstate, lang: str, distance: float | None = None) -> dict:
    occ = "—" if b.occupancy_pct is None else f"{b.occupancy_pct:.0f} %"
    rows = [
        (t("places.col.address", lang), b.address),
        (t("places.col.function", lang), b.function),
        (t("col.occupancy", lang), occ),
        (t("col.condition", lang), b.condition),
        (t("col.policy", lang), label(b.policy, lang)),
    ]
    if distance is not None:
        rows.insert(0, (t("places.col.distance", lang), f"{distance:.0f}"))
    geom = b.geometry if b.geometry.geom_type == "Point" else b.geometry.representative_point()
    return feature(geom, fid=f"building-{b.id}",
                   style={"color": "#222", "fillColor": S.POLICY_COLOURS.get(b.policy, "#888"), "shape": "square",
                          "fillOpacity": 0.9, "weight": 2},
                   tooltip=table(rows[1:] if distance is None else rows, title=b.name),
                   popup=table(rows + [(t("places.col.bag", lang), b.bag_id)], title=b.name),
                   props={"_label": b.name})


def portfolio_map(buurten: Sequence[m.Area], buildings: Sequence[m.RealEstate], lang: str = "nl",
                  basemap: str = "brt", shapes: DisplayShapes | None = None) -> folium.Map:
    """The portfolio: buurt outlines and the (filtered) buildings coloured by policy category."""
    fmap, outlines = _base(buurten, basemap, lang, shapes=shapes)
    FeatureLayer([_building_feature(b, lang) for b in buildings if b.geometry is not None],
                 name="real_estate").add_to(fmap)
    Legend([(t("layer.real_estate", lang),
             [(label(p, lang), {"fillColor": c}) for p, c in S.POLICY_COLOURS.items()])]).add_to(fmap)
    bounds = outlines.bounds()
    if bounds:
        fmap.fit_view(bounds)
    return fmap


def check_group(spot: BaseGeometry | None, search_m: float, walking_radius_m: float) -> folium.FeatureGroup:
    """The checked spot, its building search circle and its walking reach."""
    group = folium.FeatureGroup(name="check", control=False)
    if spot is not None:
        feats = [
            feature(spot.buffer(walking_radius_m, quad_segs=16), fid="reach",
                    style={"color": "#2c7fb8", "weight": 1, "fillColor": "#41b6c4", "fillOpacity": 0.12}),
            feature(spot.buffer(search_m, quad_segs=16), fid="search",
                    style={"color": S.SELECTED, "weight": 2, "dashArray": "6 4", "fill": False}),
            feature(spot, fid="spot", style={"color": "#fff", "fillColor": S.SELECTED, "shape": "pin"}),
        ]
        FeatureLayer(feats, name="check", interactive=False).add_to(group)
    return group


def coverage_map(data: PlacesData, existing: Sequence[m.MeetingPlace], lang: str = "nl",
                 basemap: str = "brt", shapes: DisplayShapes | None = None) -> folium.Map:
    """The fixed part of the coverage map: outlines, existing places, legend."""
    fmap, outlines = _base(data.buurten, basemap, lang, shapes=shapes)
    feats = []
    for p in existing:
        colour = S.MEETING_COLOURS.get(p.kind, "#555")
        feats.append(feature(p.geometry, fid=f"meeting-{p.id}",
                             style={"color": "#222", "fillColor": colour, "fillOpacity": 0.9, "weight": 2,
                                    "radius": 7, "shape": "circle"},
                             tooltip=table([(t("col.kind", lang), label(p.kind, lang))], title=p.name),
                             props={"_label": p.name}))
    FeatureLayer(feats, name="existing").add_to(fmap)
    shares = [(f"< {int(SHARE_BREAKS[0] * 100)} %", {"fillColor": S.CHOROPLETH[0]})]
    shares += [(f"{int(a * 100)}–{int(b * 100)} %", {"fillColor": S.CHOROPLETH[i + 1]})
               for i, (a, b) in enumerate(zip(SHARE_BREAKS, SHARE_BREAKS[1:]))]
    shares.append((f"≥ {int(SHARE_BREAKS[-1] * 100)} %", {"fillColor": S.CHOROPLETH[-1]}))
    Legend([
        (t("mp.share_legend", lang), shares + [(t("mp.gap_legend", lang), GAP_STYLE)]),
        (t("layer.meeting_places", lang),
         [(t("mp.legend.existing", lang), {"fillColor": "#6a3d9a", "shape": "circle"})]
         + [(label(level, lang), {"fillColor": c, "shape": "circle"}) for level, c in VERDICT_COLOURS.items()]
         + [(t("mp.legend.off", lang), {"fillColor": "#fff", "shape": "circle", "dashArray": "3 3"})]),
    ]).add_to(fmap)
    bounds = outlines.bounds()
    if bounds:
        fmap.fit_view(bounds)
    return fmap


def coverage_group(data: PlacesData, result: CoverageResult, gaps: dict[str, BaseGeometry],
                   verdicts: Sequence[Verdict], on: set[int], lang: str = "nl",
                   shapes: DisplayShapes | None = None) -> folium.FeatureGroup:
    """What the what-if toggles change: coverage colours, gaps, candidates by verdict."""
    group = folium.FeatureGroup(name="coverage", control=False)
    rows = result.by_code()
    fills = []
    for a in data.buurten:
        if a.geometry is None:
            continue
        r = rows.get(a.code)
        share = r.share if r else None
        tip = table([
            (t("places.col.inhabitants", lang), r.inhabitants if r else None),
            (t("places.col.covered_after", lang), r.covered if r else None),
            (t("places.col.share_after", lang), _pct(share)),
        ], title=a.name)
        fills.append(_shaped(feature(a.geometry, fid=f"cov-{a.code}",
                                     style={"color": S.BOUNDARY, "weight": 1, "fillColor": share_colour(share),
                                            "fillOpacity": 0.5},
                                     tooltip=tip, props={"_label": a.name}), shapes, a.code))
    FeatureLayer(fills, name="coverage").add_to(group)
    gap_feats = [feature(g, fid=f"gap-{code}", style=GAP_STYLE) for code, g in sorted(gaps.items())]
    FeatureLayer(gap_feats, name="gaps", interactive=False).add_to(group)
    cands = []
    for v in verdicts:
        p = v.place
        active = p.id in on
        colour = VERDICT_COLOURS[v.level]
        style = {"color": "#222" if active else colour, "fillColor": colour if active else "#fff",
                 "fillOpacity": 0.95 if active else 0.6, "weight": 3, "radius": 9, "shape": "circle",
                 "dashArray": None if active else "3 3"}
        rows_ = [(t("col.kind", lang), label(p.kind, lang)), (t("places.col.verdict", lang), label(v.level, lang))]
        cands.append(feature(p.geometry, fid=f"candidate-{p.id}", style=style,
                             tooltip=table(rows_, title=p.name),
                             popup=table(rows_ + [("", f.text(lang)) for f in v.findings], title=p.name),
                             props={"_label": p.name}))
    FeatureLayer(cands, name="candidates").add_to(group)
    return group
