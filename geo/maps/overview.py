"""The overview of a region or the whole country: gemeenten first, then one gemeente's wijken and buurten.

A database with many gemeenten (a regional cooperation, or the whole CBS
wijk- en buurtkaart: 342 gemeenten, 14,500 buurten) cannot send every buurt
to the browser at once. The overview draws the gemeente outlines as a
choropleth of a key figure, and adds the wijken and buurten of the gemeente
the user clicks. Each level is simplified once, by its own tolerance
(:data:`OVERVIEW_SIMPLIFY_M`), when its layer is built; the page caches the
built layers per database version (:func:`geo.web.cached_build`).
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
import shapely

from .. import model as m
from ..i18n import t
from . import style as S
from .assets import OfflineMap
from .builder import BASEMAPS, class_breaks, class_colour, figure_label, format_number, stable_names
from .layers import FeatureLayer, Legend, feature, table

# Metres (RD New) each level is simplified by before it is sent: a gemeente
# seen whole needs far less detail than a buurt seen up close.
OVERVIEW_SIMPLIFY_M = {"gemeente": 40.0, "wijk": 8.0, "buurt": 3.0}


def gemeente_areas(gemeenten: list[m.Area], buurten_by_gemeente: dict[str, list[m.Area]] | None = None) -> list[m.Area]:
    """The gemeenten to draw: the stored gemeente areas, and for a gemeente
    known only by its buurten, the union of those (with summed inhabitants)."""
    out = [a for a in gemeenten if a.geometry is not None]
    known = {a.code for a in out}
    for code, buurten in sorted((buurten_by_gemeente or {}).items()):
        if code in known or not buurten:
            continue
        inw = [b.figures.get("AANT_INW") for b in buurten]
        figures = {"AANT_INW": float(sum(v for v in inw if v is not None))} if any(v is not None for v in inw) else {}
        out.append(m.Area(code, code, level="gemeente", geometry=shapely.union_all([b.geometry for b in buurten]),
                          figures=figures))
    return out


def overview_figures(areas: list[m.Area]) -> list[str]:
    """Key figures at least one of these areas has a value for (known ones first)."""
    present = {k for a in areas for k, v in (a.figures or {}).items() if v is not None}
    return [f for f in m.KEY_FIGURES if f in present] + sorted(present - set(m.KEY_FIGURES))


def level_layer(areas: list[m.Area], level: str, figure: str | None, lang: str = "nl") -> FeatureLayer:
    """One level's areas as a choropleth of ``figure`` (outlines only when None)."""
    breaks = class_breaks([a.figures.get(figure) for a in areas]) if figure else []
    feats = []
    for area in areas:
        if area.geometry is None:
            continue
        value = area.figures.get(figure) if figure else None
        style = {"color": S.BOUNDARY, "weight": 2 if level == "gemeente" else 1,
                 "fillColor": class_colour(value, breaks) if figure else "#ffffff",
                 "fillOpacity": 0.6 if figure else 0.05, "className": f"wa-{level} wa-{area.code}"}
        rows = [(t("col.name", lang), area.name), ("CBS", area.code)]
        if figure:
            rows.append((figure_label(figure, lang), format_number(value, lang)))
        feats.append(feature(area.geometry, fid=area.code, style=style, tooltip=table(rows),
                             props={"code": area.code, "_label": area.name}))
    return FeatureLayer(feats, name=level, simplify_m=OVERVIEW_SIMPLIFY_M[level], compact=True)


@dataclass
class OverviewLayers:
    """Built once per database version, figure and language (and per chosen gemeente)."""

    gemeenten: FeatureLayer
    legend: list
    detail: list[FeatureLayer] | None = None  # wijken and buurten of the chosen gemeente


def gemeenten_layer(gemeenten: list[m.Area], figure: str | None, lang: str = "nl") -> OverviewLayers:
    layer = level_layer(gemeenten, "gemeente", figure, lang)
    layer.data_json  # serialise once  # noqa: B018
    legend = []
    if figure:
        breaks = class_breaks([a.figures.get(figure) for a in gemeenten])
        n = max(len(breaks) - 1, 1)
        palette = S.CHOROPLETH if n >= len(S.CHOROPLETH) else S.CHOROPLETH[-n:]
        entries = [(f"{format_number(breaks[i], lang)} – {format_number(breaks[i + 1], lang)}",
                    {"fillColor": palette[i]}) for i in range(len(breaks) - 1)]
        legend = [(f"{t('overview.gemeenten', lang)}: {figure_label(figure, lang)}", entries)]
    return OverviewLayers(layer, legend)


def detail_layers(wijken: list[m.Area], buurten: list[m.Area], figure: str | None, lang: str = "nl") -> list[FeatureLayer]:
    """The chosen gemeente's buurten (choropleth) and wijk outlines."""
    out = [level_layer(buurten, "buurt", figure, lang)]
    if wijken:
        outline = [feature(a.geometry, fid=a.code, style={"color": S.BOUNDARY, "weight": 3, "fill": False})
                   for a in wijken if a.geometry is not None]
        out.append(FeatureLayer(outline, name="wijken", interactive=False, simplify_m=OVERVIEW_SIMPLIFY_M["wijk"],
                                compact=True))
    for layer in out:
        layer.data_json  # noqa: B018
    return out


def build_overview(layers: OverviewLayers, basemap: str = "none", lang: str = "nl", height: int = 640) -> folium.Map:
    """The overview map: gemeenten, and the chosen gemeente's wijken and buurten on top."""
    import copy

    fmap = OfflineMap(lang=lang, location=(52.1, 5.3), zoom_start=8, tiles=None, control_scale=True, zoom_snap=0.25,
                      height=height)
    base = BASEMAPS.get(basemap)
    if base:
        folium.TileLayer(tiles=base["tiles"], attr=base["attr_en"] if lang == "en" else base["attr"],
                         max_zoom=base["max_zoom"], control=False).add_to(fmap)
    copy.copy(layers.gemeenten).add_to(fmap)
    bounds = layers.gemeenten.bounds()
    for layer in layers.detail or []:
        copy.copy(layer).add_to(fmap)
    if layers.detail:
        bounds = layers.detail[0].bounds() or bounds
    if layers.legend:
        Legend(layers.legend).add_to(fmap)
    if bounds:
        fmap.fit_view(bounds)
    return stable_names(fmap, "ov")

