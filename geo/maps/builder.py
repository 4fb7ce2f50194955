"""Build the explorer's folium map from records: deterministic, offline.

The same records and options always give the same script, so
streamlit-folium does not remount the map between reruns; the map's view is
fitted to the data, and the highlighted buurt travels separately
(:func:`highlight_group`) so a click does not redraw everything.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any

import folium

from .. import model as m
from ..i18n import label, t
from . import style as S
from .assets import InstantClick, OfflineMap
from .layers import ClearClickMark, FeatureLayer, Legend, Line, Table, esc, feature, table

BASEMAPS: dict[str, dict[str, Any] | None] = {
    "brt": {
        "tiles": "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
        "attr": 'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a> (PDOK BRT-Achtergrondkaart)',
        "attr_en": 'Map data &copy; <a href="https://www.kadaster.nl">Kadaster</a> (PDOK BRT background map)',
        "max_zoom": 19,
    },
    "osm": {
        "tiles": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attr": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-bijdragers',
        "attr_en": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        "max_zoom": 19,
    },
    "none": None,
}

POINT_LAYERS = ("activities", "meeting_places", "real_estate", "suggestions")


@dataclass
class MapData:
    """Everything the explorer map shows, already read from the store."""

    buurten: list[m.Area]
    wijken: list[m.Area] = field(default_factory=list)
    gemeenten: list[m.Area] = field(default_factory=list)
    plans: dict[str, m.Plan] = field(default_factory=dict)  # area code → plan
    activities: list[m.Activity] = field(default_factory=list)
    meeting_places: list[m.MeetingPlace] = field(default_factory=list)
    real_estate: list[m.RealEstate] = field(default_factory=list)
    suggestions: list[m.Suggestion] = field(default_factory=list)


@dataclass
class MapOptions:
    basemap: str = "brt"
    choropleth: str | None = None  # a CBS figure name, or None: colour by plan stage
    layers: tuple[str, ...] = POINT_LAYERS
    domains: tuple[str, ...] = m.DOMAINS
    statuses: tuple[str, ...] = m.ACTIVITY_STATUSES
    lang: str = "nl"
    legend_on_map: bool = True


# A buurt drawn a little outside its gemeente's outline (another generalisation)
# still intersects the outline's box grown by this margin (metres, RD New).
SCOPE_MARGIN_M = 500.0


def load_map_data(store, public_only: bool = False, coarsen_m: float = 0.0, gemeente: str | None = None,
                  unplaced: bool = False) -> MapData:
    """Read the explorer's layers from a store: what the map draws (the
    address points, hundreds of thousands, are read apart by the views that
    need them: :func:`geo.meeting.read_addresses`).

    ``public_only``: only reviewed suggestions, and (with ``coarsen_m``) their
    pins snapped to a grid, so a public pin never points at a front door.

    ``gemeente`` (a GM code): only that gemeente's part, the same as
    :func:`geo.scope.for_municipality` of the whole (``unplaced``: with the
    points outside every buurt), without reading the whole: its wijken and
    buurten are asked of the store by the outline's box (``store.in_window``,
    ST_Intersects on PostGIS), and its points by the same box. So an app
    server of a national database holds one gemeente's features per view.
    """
    from ..scope import for_municipality, gemeente_of

    if gemeente is None:
        areas = {level: store.list(m.Area, level=level) for level in ("buurt", "wijk", "gemeente")}
        suggestions = store.list(m.Suggestion)
        points = {cls: store.list(cls) for cls in (m.MeetingPlace, m.RealEstate)}
    else:
        outline = [a for a in store.list(m.Area, level="gemeente", code=gemeente) if a.geometry is not None]
        if not outline:  # a file of buurten alone: no outline to ask by; read all and keep the gemeente's part
            return for_municipality(load_map_data(store, public_only, coarsen_m), gemeente, unplaced)
        minx, miny, maxx, maxy = outline[0].geometry.bounds
        box = (minx - SCOPE_MARGIN_M, miny - SCOPE_MARGIN_M, maxx + SCOPE_MARGIN_M, maxy + SCOPE_MARGIN_M)
        areas = {"gemeente": outline}
        for level in ("buurt", "wijk"):
            areas[level] = [a for a in store.in_window(m.Area, box, level=level) if gemeente_of(a.code) == gemeente]

        def in_box(cls):  # the points in the box, and (``unplaced``) those outside every buurt
            found = {r.id: r for r in store.in_window(cls, box)}
            if unplaced:
                found.update((r.id, r) for r in store.list(cls, buurt_code=None))
            return [found[key] for key in sorted(found)]  # in key order, as store.list gives them

        suggestions = in_box(m.Suggestion)
        points = {cls: in_box(cls) for cls in (m.MeetingPlace, m.RealEstate)}
    if public_only:
        # The one rule for public fields (geo.participation.public_copy): an
        # internal reason or an unreviewed text never reaches a public popup.
        from ..participation import public_copy

        suggestions = [c for c in (public_copy(s, coarsen_m) for s in suggestions) if c is not None]
    data = MapData(
        buurten=areas["buurt"],
        wijken=areas["wijk"],
        gemeenten=areas["gemeente"],
        plans={p.area_code: p for p in store.list(m.Plan)},
        activities=store.list(m.Activity),
        meeting_places=points[m.MeetingPlace],
        real_estate=points[m.RealEstate],
        suggestions=[s for s in suggestions if s.status not in ("hidden", "rejected", "merged")],
    )
    # The box also holds neighbours' points and areas; plans and activities are
    # few (a handful per buurt) and read whole: one rule keeps the gemeente's part.
    return data if gemeente is None else for_municipality(data, gemeente, unplaced)


# --- choropleth -------------------------------------------------------------------
def class_breaks(values: list[float], k: int = 5) -> list[float]:
    """Quantile class boundaries (k+1 ascending numbers) for the known values."""
    vals = sorted(v for v in values if v is not None and not math.isnan(v))
    if not vals:
        return []
    if vals[0] == vals[-1]:
        return [vals[0], vals[-1]]
    breaks = [vals[0]]
    for i in range(1, k):
        pos = i * (len(vals) - 1) / k
        lo = math.floor(pos)
        frac = pos - lo
        q = vals[lo] + (vals[min(lo + 1, len(vals) - 1)] - vals[lo]) * frac
        if q > breaks[-1]:
            breaks.append(q)
    if vals[-1] > breaks[-1]:
        breaks.append(vals[-1])
    return breaks


def class_colour(value: float | None, breaks: list[float]) -> str:
    if value is None or not breaks or (isinstance(value, float) and math.isnan(value)):
        return S.NO_DATA
    n = max(len(breaks) - 1, 1)
    palette = S.CHOROPLETH if n >= len(S.CHOROPLETH) else S.CHOROPLETH[-n:]
    for i in range(n):
        if value <= breaks[i + 1]:
            return palette[i]
    return palette[-1]


def format_number(value: float | None, lang: str = "nl") -> str:
    if value is None:
        return "—"
    text = f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"
    if lang == "nl":
        text = text.replace(",", "\u2009").replace(".", ",")
    return text


# --- layers -------------------------------------------------------------------------
def _area_legend(data: MapData, opts: MapOptions) -> list[tuple[str, dict]]:
    """Legend entries of the buurt colouring: choropleth classes or plan stages."""
    lang, fig = opts.lang, opts.choropleth
    legend: list[tuple[str, dict]] = []
    if fig:
        breaks = class_breaks([a.figures.get(fig) for a in data.buurten])
        n = max(len(breaks) - 1, 1)
        palette = S.CHOROPLETH if n >= len(S.CHOROPLETH) else S.CHOROPLETH[-n:]
        for i in range(len(breaks) - 1):
            text = f"{format_number(breaks[i], lang)} – {format_number(breaks[i + 1], lang)}"
            legend.append((text, {"fillColor": palette[i]}))
        if any(class_colour(a.figures.get(fig), breaks) == S.NO_DATA for a in data.buurten if a.geometry is not None):
            legend.append((t("explore.no_value", lang), {"fillColor": S.NO_DATA}))
    else:
        for stage in m.PLAN_STAGES:
            legend.append((label(stage, lang), {"fillColor": S.STAGE_COLOURS[stage]}))
    return legend


def _area_features(data: MapData, opts: MapOptions) -> list[dict]:
    lang, fig = opts.lang, opts.choropleth
    feats: list[dict] = []
    breaks = class_breaks([a.figures.get(fig) for a in data.buurten]) if fig else []
    for area in data.buurten:
        if area.geometry is None:
            continue
        plan = data.plans.get(area.code)
        stage = plan.stage if plan else "not_started"
        if fig:
            value = area.figures.get(fig)
            fill = class_colour(value, breaks)
        else:
            fill = S.STAGE_COLOURS[stage]
        rows = [(t("col.name", lang), area.name), ("CBS", area.code)]
        if fig:
            rows.append((figure_label(fig, lang), format_number(area.figures.get(fig), lang)))
        rows.append((t("profile.plan_stage", lang), label(stage, lang)))
        rows.append((t("fig.AANT_INW", lang), format_number(area.figures.get("AANT_INW"), lang)))
        feats.append(
            feature(
                area.geometry,
                fid=area.code,
                style={"color": S.BOUNDARY, "weight": 1, "fillColor": fill, "fillOpacity": 0.55,
                       "className": f"wa-area wa-{area.code}"},
                tooltip=table(rows),
                props={"code": area.code, "name": area.name, "_label": area.name,
                       "_info": headline(area, stage, lang)},
            )
        )
    return feats


# Display geometry: boundaries simplified by this many metres (RD New) before
# they are sent; well under a pixel at gemeente zoom, a few pixels at street zoom.
DISPLAY_SIMPLIFY_M = {"buurt": 2.0, "wijk": 3.0, "gemeente": 25.0}

HEADLINE_FIGURES = ("AANT_INW", "P_65_EO_JR", "AANTAL_HH")


def headline(area: m.Area, stage: str, lang: str = "nl") -> Table:
    """What the map shows at once for a clicked buurt: name, code, plan stage
    and the headline figures of its profile (escaped: it travels as data)."""
    rows = [(t("profile.plan_stage", lang), label(stage, lang))]
    rows += [(figure_label(f, lang), format_number(area.figures.get(f), lang)) for f in HEADLINE_FIGURES]
    return Table(rows, title=area.name, info=area.code)


def headline_html(area: m.Area, stage: str, lang: str = "nl") -> str:
    """:func:`headline` as HTML."""
    return headline(area, stage, lang).html()


def figure_label(fig: str, lang: str = "nl") -> str:
    """A CBS key figure's readable name; unknown figures keep their CBS name."""
    return t(f"fig.{fig}", lang) if fig in m.KEY_FIGURES else fig


def _activity_features(data: MapData, opts: MapOptions) -> list[dict]:
    lang, feats = opts.lang, []
    for act in data.activities:
        if act.geometry is None or act.domain not in opts.domains or act.status not in opts.statuses:
            continue
        colour = S.DOMAIN_COLOURS[act.domain]
        st = S.STATUS_STYLE[act.status]
        style = {"color": colour, "fillColor": colour, "radius": 7, "shape": "circle", **st}
        if act.quick_win:
            style["radius"] = 5
        rows = [
            (t("col.domain", lang), label(act.domain, lang)),
            (t("col.status", lang), label(act.status, lang)),
            (t("col.period", lang), f"{act.start} – {act.end}" if act.start else ""),
            (t("col.lead_partner", lang), act.lead_partner),
        ]
        feats.append(
            feature(
                act.geometry,
                fid=f"activity-{act.id}",
                style=style,
                tooltip=f"<b>{esc(act.title)}</b>",
                popup=table(rows + [("", act.description)], title=act.title),
                props={"_label": act.title},
            )
        )
    return feats


def _meeting_features(data: MapData, opts: MapOptions) -> list[dict]:
    lang, feats = opts.lang, []
    for mp in data.meeting_places:
        if mp.geometry is None:
            continue
        colour = S.MEETING_COLOURS.get(mp.kind, "#555")
        existing = mp.status == "existing"
        style = {
            "color": colour if existing else "#222",
            "fillColor": colour,
            "fillOpacity": 0.85 if existing else 0.35,
            "weight": 2,
            "radius": 8,
            "dashArray": None if existing else "3 3",
            "shape": "circle",
        }
        rows = [
            (t("col.kind", lang), label(mp.kind, lang)),
            (t("col.status", lang), label(mp.status, lang)),
        ]
        if mp.capacity:
            rows.append((t("col.capacity", lang), mp.capacity))
        feats.append(
            feature(
                mp.geometry,
                fid=f"meeting-{mp.id}",
                style=style,
                tooltip=f"<b>{esc(mp.name)}</b> ({esc(label(mp.kind, lang))}, {esc(label(mp.status, lang))})",
                popup=table(rows + [("", mp.description)], title=mp.name),
                props={"_label": mp.name},
            )
        )
    return feats


def _real_estate_features(data: MapData, opts: MapOptions) -> list[dict]:
    lang, feats = opts.lang, []
    for re_ in data.real_estate:
        if re_.geometry is None:
            continue
        style = {"color": "#222", "fillColor": S.POLICY_COLOURS.get(re_.policy, "#888"), "shape": "square",
                 "fillOpacity": 0.9, "weight": 2}
        occ = f"{re_.occupancy_pct:.0f} %" if re_.occupancy_pct is not None else "—"
        rows = [
            (t("col.address", lang), re_.address),
            (t("col.function", lang), re_.function),
            (t("col.occupancy", lang), occ),
            (t("col.condition", lang), re_.condition),
            (t("col.policy", lang), label(re_.policy, lang)),
        ]
        feats.append(
            feature(
                re_.geometry.representative_point() if re_.geometry.geom_type != "Point" else re_.geometry,
                fid=f"building-{re_.id}",
                style=style,
                tooltip=table(rows[2:], title=re_.name),
                popup=table(rows + [("BAG", re_.bag_id)], title=re_.name),
                props={"_label": re_.name},
            )
        )
    return feats


def _suggestion_features(data: MapData, opts: MapOptions) -> list[dict]:
    lang, feats = opts.lang, []
    for sug in data.suggestions:
        if sug.geometry is None:
            continue
        style = {"color": "#fff", "fillColor": S.SUGGESTION_COLOURS.get(sug.category, "#555"), "shape": "pin"}
        rows = [
            (t("col.category", lang), label(sug.category, lang)),
            (t("col.status", lang), label(sug.status, lang)),
            (t("col.supporters", lang), sug.supporters),
        ]
        feats.append(
            feature(
                sug.geometry,
                fid=f"suggestion-{sug.id}",
                style=style,
                tooltip=Line(label(sug.category, lang), sug.text[:80]),
                popup=table(rows + [("", sug.text), ("", sug.answer)], title=sug.reference or None),
                props={"_label": label(sug.category, lang)},
            )
        )
    return feats


def legend_sections(data: MapData, opts: MapOptions) -> list[tuple[str, list[tuple[str, dict]]]]:
    """The legend entries for what the map shows (also used in the sidebar)."""
    lang = opts.lang
    title = figure_label(opts.choropleth, lang) if opts.choropleth else t("profile.plan_stage", lang)
    sections = [(f"{t('layer.areas', lang)}: {title}", _area_legend(data, opts))]
    if "activities" in opts.layers:
        entries = [(label(d, lang), {"fillColor": S.DOMAIN_COLOURS[d], "shape": "circle"}) for d in opts.domains]
        entries += [
            (label(s, lang), {"color": "#333", "shape": "line", "dashArray": S.STATUS_STYLE[s]["dashArray"]})
            for s in opts.statuses
        ]
        sections.append((t("layer.activities", lang), entries))
    if "meeting_places" in opts.layers:
        entries = [(label(k, lang), {"fillColor": c, "shape": "circle"}) for k, c in S.MEETING_COLOURS.items()]
        entries.append((label("candidate", lang), {"fillColor": "#fff", "shape": "circle", "dashArray": "3 3"}))
        sections.append((t("layer.meeting_places", lang), entries))
    if "real_estate" in opts.layers:
        entries = [(label(p, lang), {"fillColor": c}) for p, c in S.POLICY_COLOURS.items()]
        sections.append((t("layer.real_estate", lang), entries))
    if "suggestions" in opts.layers:
        entries = [(label(c, lang), {"fillColor": col}) for c, col in S.SUGGESTION_COLOURS.items()]
        sections.append((t("layer.suggestions", lang), entries))
    return sections


@dataclass
class MapLayers:
    """The costly part of an explorer map: every feature converted, simplified
    and serialised once. Build it once per data and options
    (:func:`geo.web.cached_map_layers`); :func:`build_map` wraps it in a map
    in milliseconds on every script run."""

    areas: FeatureLayer
    outlines: FeatureLayer | None
    points: dict[str, FeatureLayer]


def build_layers(data: MapData, opts: MapOptions | None = None) -> MapLayers:
    opts = opts or MapOptions()
    areas = FeatureLayer(_area_features(data, opts), name="buurten", info=True, info_colour=S.SELECTED,
                         simplify_m=DISPLAY_SIMPLIFY_M["buurt"], compact=True)
    outlines = [
        feature(a.geometry, fid=a.code, style={"color": S.BOUNDARY, "weight": 3, "fill": False})
        for a in data.wijken + data.gemeenten
        if a.geometry is not None
    ]
    outline_layer = FeatureLayer(outlines, name="wijken", interactive=False,
                                 simplify_m=DISPLAY_SIMPLIFY_M["wijk"], compact=True) if outlines else None
    builders = {
        "activities": _activity_features,
        "meeting_places": _meeting_features,
        "real_estate": _real_estate_features,
        "suggestions": _suggestion_features,
    }
    points = {name: FeatureLayer(builders[name](data, opts), name=name, cluster_colour=S.CLUSTER_COLOURS[name])
              for name in POINT_LAYERS if name in opts.layers}
    for layer in (areas, outline_layer, *points.values()):
        if layer is not None:
            layer.data_json  # serialise now, once  # noqa: B018
    return MapLayers(areas, outline_layer, points)


def build_map(data: MapData, opts: MapOptions | None = None, height: int = 600,
              layers: MapLayers | None = None) -> folium.Map:
    """The explorer map: boundaries, the chosen layers and a legend.

    ``layers``: the features already built for these data and options (cached
    by the page); built here when not given."""
    opts = opts or MapOptions()
    lang = opts.lang
    base = BASEMAPS.get(opts.basemap)
    fmap = OfflineMap(
        lang=lang,
        location=(51.43, 5.59),
        zoom_start=13,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        zoom_snap=0.25,
        zoom_delta=0.5,
        height=height,
    )
    if base:
        folium.TileLayer(
            tiles=base["tiles"],
            attr=base["attr_en"] if lang == "en" else base["attr"],
            name=t(f"explore.basemap.{opts.basemap}", lang),
            max_zoom=base["max_zoom"],
            control=False,
        ).add_to(fmap)

    InstantClick().add_to(fmap)  # the page asks only for clicks: send them without the 250 ms wait
    layers = layers or build_layers(data, opts)
    buurten = folium.FeatureGroup(name=t("layer.areas", lang), control=True)
    area_layer = copy.copy(layers.areas)  # a cached layer is shared: this map gets its own handle
    area_layer.add_to(buurten)
    buurten.add_to(fmap)
    if layers.outlines is not None:
        wijken = folium.FeatureGroup(name=t("layer.wijken", lang), control=True)
        copy.copy(layers.outlines).add_to(wijken)
        wijken.add_to(fmap)
    for name, layer in layers.points.items():
        group = folium.FeatureGroup(name=t(f"layer.{name}", lang), control=True)
        copy.copy(layer).add_to(group)
        group.add_to(fmap)

    folium.LayerControl(collapsed=True).add_to(fmap)
    if opts.legend_on_map:
        # Only the buurt colouring on the map itself; the page shows the full legend beside it.
        Legend(legend_sections(data, opts)[:1]).add_to(fmap)
    bounds = area_layer.bounds()
    if bounds:
        fmap.fit_view(bounds)
    return stable_names(fmap)


def stable_names(fmap, prefix: str = "wa"):
    """Give every element of the map a name by its place in the map, not a random one.

    The same data and options then give the very same script on every run,
    so Streamlit sends the browser a short reference to the map it already
    has instead of the whole map again (megabytes on a large gemeente), and
    streamlit-folium never remounts it.
    """
    count = 0

    def walk(element) -> None:
        nonlocal count
        element._id = f"{prefix}{count:05d}"
        count += 1
        for child in list(getattr(element, "_children", {}).values()):
            walk(child)

    walk(fmap)
    return fmap


def highlight_group(area: m.Area | None) -> folium.FeatureGroup:
    """The selected buurt's outline, sent to streamlit-folium separately
    (``feature_group_to_add``) so selecting does not remount the map."""
    group = folium.FeatureGroup(name="selection", control=False)
    if area is not None and area.geometry is not None:
        FeatureLayer(
            [feature(area.geometry, fid=f"sel-{area.code}", style={"color": S.SELECTED, "weight": 4, "fill": False})],
            name="selection",
            interactive=False,
        ).add_to(group)
        ClearClickMark().add_to(group)  # this outline replaces the one a map click drew in the browser
    return stable_names(group, "sel")  # the same selection is the same script: no resend
