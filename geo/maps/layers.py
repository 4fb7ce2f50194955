"""Leaflet layers built from records, with text that can never become HTML.

folium's ``Tooltip`` and ``Popup`` paste their text into JavaScript template
literals, so a resident's text containing a backtick or ``${…}`` would run as
script. Wijkatlas therefore draws every layer with :class:`FeatureLayer`: a
plain ``L.geoJSON`` whose tooltips and popups come from feature properties
that were HTML-escaped in Python and travel as JSON data, never as code.
"""

from __future__ import annotations

import functools
import html
import json
import re
from typing import Any, Iterable

from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from ..crs import to_web_many

COORD_DECIMALS = 6  # ~0.1 m in WGS84: plenty for the screen, small to send
COMPACT_PRECISION = 1e5  # compact lines and rings: ~1 m, below the display simplification


def encode_line(coords) -> str:
    """A line or ring as a Google-polyline string (lat/lng at 1e-5°): ~4 bytes a vertex instead of ~22."""
    import numpy as np

    arr = np.asarray(coords, dtype=float)
    if arr.size == 0:
        return ""
    ints = np.round(arr[:, ::-1] * COMPACT_PRECISION).astype(np.int64)  # (lat, lng)
    deltas = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel()
    zigzag = np.where(deltas < 0, ~(deltas << 1), deltas << 1)
    out = []
    for v in zigzag.tolist():
        while v >= 0x20:
            out.append(chr((0x20 | (v & 0x1F)) + 63))
            v >>= 5
        out.append(chr(v + 63))
    return "".join(out)


def decode_line(text: str) -> list[list[float]]:
    """The inverse of :func:`encode_line`: [[lng, lat], …] (as the browser decodes it)."""
    values, shift, result = [], 0, 0
    for ch in text:
        b = ord(ch) - 63
        result |= (b & 0x1F) << shift
        shift += 5
        if b < 0x20:
            values.append(~(result >> 1) if result & 1 else result >> 1)
            shift = result = 0
    lat = lng = 0
    out = []
    for i in range(0, len(values), 2):
        lat += values[i]
        lng += values[i + 1]
        out.append([lng / COMPACT_PRECISION, lat / COMPACT_PRECISION])
    return out


def compact_geometry(geo: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON geometry with its lines and rings as polyline strings (``enc``); points stay as they are."""
    if "enc" in geo:  # already compact (geometry prepared once, see DisplayShapes)
        return geo
    kind, coords = geo.get("type"), geo.get("coordinates")
    if kind == "LineString":
        return {"type": kind, "enc": encode_line(coords)}
    if kind in ("Polygon", "MultiLineString"):
        return {"type": kind, "enc": [encode_line(r) for r in coords]}
    if kind == "MultiPolygon":
        return {"type": kind, "enc": [[encode_line(r) for r in poly] for poly in coords]}
    return geo


def expand_geometry(geo: dict[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`compact_geometry` (tests read maps with it)."""
    if "enc" not in geo:
        return geo
    kind, enc = geo["type"], geo["enc"]
    if kind == "LineString":
        coords: Any = decode_line(enc)
    elif kind in ("Polygon", "MultiLineString"):
        coords = [decode_line(r) for r in enc]
    else:
        coords = [[decode_line(r) for r in poly] for poly in enc]
    return {"type": kind, "coordinates": coords}


def unpack_features(data: dict[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`pack_features`, as the layer's script does it in
    the browser: styles resolved, texts as their HTML, points and rings as
    coordinates (tests read maps with it)."""
    styles, keys, vals = data.get("styles") or [], data.get("keys") or [], data.get("vals") or []

    def val(x: Any) -> Any:
        return vals[x] if isinstance(x, int) else x

    def html(value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        if "l" in value:
            return ": ".join(val(p) for p in value["l"])
        rows = [(keys[k], val(v)) for k, v in value["r"]]
        if "i" in value:
            body = "".join(f"<tr><td>{k}</td><td><b>{v}</b></td></tr>" for k, v in rows)
            return (f'<div class="wa-info-body" data-code="{value["i"]}"><h4>{val(value.get("t", ""))}</h4>'
                    f'<div>{value["i"]}</div><table>{body}</table></div>')
        body = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows)
        head = f"<b>{val(value['t'])}</b><br>" if "t" in value else ""
        return f'<div class="wa-popup">{head}<table>{body}</table></div>'

    for f in data["features"]:
        f["type"] = "Feature"
        props = f.get("properties") or {}
        if isinstance(props.get("_s"), int):
            props["_s"] = styles[props["_s"]]
        if isinstance(props.get("_label"), int):
            props["_label"] = vals[props["_label"]]
        for name in ("_tip", "_pop"):
            props[name] = html(props.get(name, ""))
        if "_info" in props:
            props["_info"] = html(props["_info"])
        g = f.get("geometry")
        if g and "c" in g:
            f["geometry"] = {"type": "Point", "coordinates": g["c"]}
        elif g:
            f["geometry"] = expand_geometry(g)
    return data


def esc(value: Any) -> str:
    """Text as HTML-safe text (``None`` → empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def html_table(rows: Iterable[tuple[str, Any]], title: str | None = None) -> str:
    """A small escaped key/value table for a tooltip or popup."""
    body = "".join(f"<tr><td><b>{esc(k)}</b></td><td>{esc(v)}</td></tr>" for k, v in rows if v not in (None, ""))
    head = f"<b>{esc(title)}</b><br>" if title else ""
    return f'<div class="wa-popup">{head}<table>{body}</table></div>'


class Table:
    """A key/value table for a tooltip or popup, escaped here and sent as data.

    The same HTML as :func:`html_table`, but a :class:`FeatureLayer` sends
    each row label (and each text that recurs in the layer) once per layer
    and every feature only references and its own (escaped) values; the
    browser puts the table together when the popup or tooltip is opened.
    ``info``: the explorer's in-map box of a buurt (:func:`geo.maps.builder.headline`),
    with this area code.
    """

    __slots__ = ("title", "rows", "info")

    def __init__(self, rows: Iterable[tuple[str, Any]], title: str | None = None, info: str | None = None):
        self.title = esc(title) if title else ""
        self.rows = [(esc(k), esc(v)) for k, v in rows if v not in (None, "")]
        self.info = esc(info) if info else None

    def html(self) -> str:
        if self.info is not None:
            body = "".join(f"<tr><td>{k}</td><td><b>{v}</b></td></tr>" for k, v in self.rows)
            return (f'<div class="wa-info-body" data-code="{self.info}"><h4>{self.title}</h4>'
                    f"<div>{self.info}</div><table>{body}</table></div>")
        body = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in self.rows)
        head = f"<b>{self.title}</b><br>" if self.title else ""
        return f'<div class="wa-popup">{head}<table>{body}</table></div>'

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Table) and (self.title, self.rows, self.info) == (other.title, other.rows, other.info)

    def __repr__(self) -> str:
        return f"Table({self.rows!r}, {self.title!r})"


class Line:
    """A one-line tooltip of escaped parts joined by ``": "`` (sent as data, like :class:`Table`)."""

    __slots__ = ("parts",)
    SEP = ": "

    def __init__(self, *parts: Any):
        self.parts = [esc(p) for p in parts if p not in (None, "")]

    def html(self) -> str:
        return self.SEP.join(self.parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Line) and self.parts == other.parts


def table(rows: Iterable[tuple[str, Any]], title: str | None = None) -> Table:
    """:func:`html_table` as data (see :class:`Table`)."""
    return Table(rows, title)


def feature(
    geom: BaseGeometry,
    *,
    fid: str,
    style: dict[str, Any],
    tooltip: "str | Table" = "",
    popup: "str | Table" = "",
    props: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A GeoJSON feature with its style and (escaped) texts: HTML made by
    :func:`html_table` or :func:`esc`, or a :class:`Table`.

    The geometry stays in RD New until the :class:`FeatureLayer` it joins
    converts all of its features to WGS84 in one vectorised call.
    """
    properties = {"_s": style, "_tip": tooltip, "_pop": popup}
    if props:
        properties.update(props)
    return {"type": "Feature", "id": fid, "properties": properties, "geometry": None, RD_KEY: geom}


TEXT_PROPS = ("_tip", "_pop", "_info")  # a feature's texts: HTML strings, Tables or Lines


def pack_features(features: list[dict[str, Any]], compact: bool = False) -> dict[str, Any]:
    """The FeatureCollection a :class:`FeatureLayer` sends, packed: each
    distinct style, table row label and recurring text once per layer
    (``styles``, ``keys``, ``vals``), features referring to them by number;
    points as ``{"c": [lng, lat]}``; with ``compact`` lines and rings as
    polyline strings. The layer's script undoes this in the browser
    (:func:`unpack_features` is the same in Python)."""
    from collections import Counter

    styles: dict[str, int] = {}
    keys: dict[str, int] = {}
    style_list: list[Any] = []
    key_list: list[str] = []
    counts: Counter = Counter()
    for f in features:  # which texts recur: sent once, referred to by number
        props = f.get("properties") or {}
        for name in TEXT_PROPS:
            value = props.get(name)
            if isinstance(value, Table):
                counts.update(v for _, v in value.rows)
                counts[value.title] += 1
            elif isinstance(value, Line):
                counts.update(value.parts)
        if isinstance(props.get("_label"), str):
            counts[props["_label"]] += 1
    shared = sorted(v for v, n in counts.items() if n > 1 and len(v) > 2)
    vals = {v: i for i, v in enumerate(shared)}

    def ref(value: str) -> Any:
        return vals.get(value, value)

    def style_ref(style: Any) -> int:
        text = json.dumps(style, sort_keys=True)
        if text not in styles:
            styles[text] = len(style_list)
            style_list.append(style)
        return styles[text]

    def text(value: Any) -> Any:
        if isinstance(value, Line):
            return {"l": [ref(p) for p in value.parts]}
        if not isinstance(value, Table):
            return value
        rows = []
        for k, v in value.rows:
            if k not in keys:
                keys[k] = len(key_list)
                key_list.append(k)
            rows.append([keys[k], ref(v)])
        out: dict[str, Any] = {"r": rows}
        if value.title:
            out["t"] = ref(value.title)
        if value.info is not None:
            out["i"] = value.info
        return out

    out = []
    for f in features:
        props = dict(f.get("properties") or {})
        if "_s" in props:
            props["_s"] = style_ref(props["_s"])
        for name in TEXT_PROPS:
            if name not in props:
                continue
            if not props[name]:
                props.pop(name)
            else:
                props[name] = text(props[name])
        if isinstance(props.get("_label"), str):
            props["_label"] = ref(props["_label"])
        geometry = f.get("geometry")
        if geometry and geometry.get("type") == "Point":
            geometry = {"c": geometry["coordinates"]}
        elif compact and geometry:
            geometry = compact_geometry(geometry)
        out.append({"id": f.get("id"), "properties": props, "geometry": geometry})
    return {"type": "FeatureCollection", "features": out, "styles": style_list, "keys": key_list, "vals": shared}


RD_KEY = "_rd_geometry"

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def script_json(value: Any) -> str:
    """JSON to paste into a map's script, safe whatever the text holds.

    ``</`` is escaped so no text can close the surrounding ``<script>``, and
    every brace inside a string is written as ``\\u007b``/``\\u007d``: folium
    compiles rendered scripts as Jinja templates again, so a resident's
    ``{{ … }}`` (or a compact ring's characters) would otherwise run as a
    template on the server. The browser reads the same text.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    return _JSON_STRING.sub(lambda m: m.group(0).replace("{", "\\u007b").replace("}", "\\u007d"), text)


def to_wgs84(features: list[dict[str, Any]], simplify_m: float = 0.0) -> list[dict[str, Any]]:
    """Fill in the WGS84 GeoJSON geometry of features made by :func:`feature`.

    ``simplify_m``: first simplify lines and polygons by this many metres (in
    RD New, topology kept per shape), all in one vectorised call: a buurt
    boundary of hundreds of surveyed vertices needs far fewer on screen.
    """
    return _to_wgs84(features, simplify_m)[0]


def _to_wgs84(features: list[dict[str, Any]], simplify_m: float = 0.0):
    import numpy as np
    import shapely

    pending = [f for f in features if f.get(RD_KEY) is not None]
    bounds = None
    if pending:
        rd = np.asarray([f.pop(RD_KEY) for f in pending], dtype=object)
        if simplify_m > 0:
            rd = shapely.simplify(rd, simplify_m, preserve_topology=True)
        # pointwise: rounding only (the default also re-nodes every shape: 20x slower, same result here)
        web = shapely.set_precision(to_web_many(rd), 10 ** -COORD_DECIMALS, mode="pointwise")
        minx, miny, maxx, maxy = shapely.total_bounds(web)
        if np.isfinite([minx, miny, maxx, maxy]).all():
            bounds = [[float(miny), float(minx)], [float(maxy), float(maxx)]]
        for f, g in zip(pending, web):
            f["geometry"] = mapping(g)
    for f in features:
        f.pop(RD_KEY, None)
    return features, bounds


class DisplayShapes:
    """Areas' display geometry prepared once: simplified, in WGS84, as compact
    polyline GeoJSON, with the bounds of all of them.

    For maps drawn anew on every script run (the coverage and real-estate
    maps): converting and encoding a large gemeente's ~125,000 boundary
    vertices takes seconds, so a page builds this once per data version
    (``web.cached_build``) and :meth:`put` hands each feature its geometry.
    """

    def __init__(self, items: Iterable[tuple[str, BaseGeometry]], simplify_m: float = 0.0):
        feats = [{"id": key, RD_KEY: geom} for key, geom in items if geom is not None and not geom.is_empty]
        feats, self.bounds = _to_wgs84(feats, simplify_m)
        self.geometry = {f["id"]: compact_geometry(f["geometry"]) for f in feats}

    def put(self, feature: dict[str, Any], key: str) -> dict[str, Any]:
        """``feature`` (made by :func:`feature`) with the prepared geometry of ``key`` (if there is one)."""
        if key in self.geometry:
            feature.pop(RD_KEY, None)
            feature["geometry"] = self.geometry[key]
        return feature


CLUSTER_FROM = 60  # a point layer with at least this many points is clustered (and drawn on canvas)
CLUSTER_JS = [("markercluster_js", "/app/static/vendor/leaflet.markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [("markercluster_css", "/app/static/vendor/leaflet.markercluster/MarkerCluster.css")]


class FeatureLayer(JSCSSMixin, MacroElement):
    """An ``L.geoJSON`` layer styled per feature.

    Point features are drawn by ``_s.shape``: ``circle`` (circle marker),
    ``square`` (a building) or ``pin`` (a resident's suggestion).

    Readable at any size: a layer of :data:`CLUSTER_FROM` points or more is
    put in a marker-cluster group (a count per cluster in the layer's
    colour; single pins with their popups appear as the user zooms in) and
    its circles are drawn on one canvas, not one DOM element each.

    Areas stay clickable whatever lies on top: a click on a marker or a
    cluster is passed on to the map as a click at the pointer's position,
    so a page that listens for map clicks (the explorer's buurt profile)
    gets the buurt under the pointer. With ``info`` (the explorer's buurten)
    the map itself shows the clicked buurt's name and headline figures at
    once, from the feature's escaped ``_info`` HTML, and outlines it, before
    the server answers.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var many = {{ this.cluster_js }};
            var canvas = many ? L.canvas({padding: 0.3}) : null;
            function theMap() { return {{ this.map_js }}; }
            function passClick(e) {
                // markers do not let a click through to what lies beneath: pass it on as a map click there
                var oe = e.originalEvent, map = theMap();
                if (!oe || !map) { return; }
                map.fire("click", {latlng: map.mouseEventToLatLng(oe), originalEvent: oe,
                                   containerPoint: map.mouseEventToContainerPoint(oe)});
            }
            var data, styles = [], keys = [], vals = [];
            function decode(str) {  // a polyline string → [[lng, lat], …]
                var out = [], i = 0, lat = 0, lng = 0;
                while (i < str.length) {
                    var v = [0, 0];
                    for (var k = 0; k < 2; k++) {
                        var b, shift = 0, result = 0;
                        do { b = str.charCodeAt(i++) - 63; result |= (b & 0x1f) << shift; shift += 5; } while (b >= 0x20);
                        v[k] = (result & 1) ? ~(result >> 1) : (result >> 1);
                    }
                    lat += v[0]; lng += v[1];
                    out.push([lng / {{ this.precision }}, lat / {{ this.precision }}]);
                }
                return out;
            }
            function val(x) { return typeof x === "number" ? vals[x] : x; }  // a recurring text, by number
            function html(v) {  // escaped in Python: HTML, a line {l: [parts]} or a table {t, r: [[label, value], …], i}
                if (!v || typeof v === "string") { return v || ""; }
                if (v.l) { return v.l.map(val).join(": "); }
                var out;
                if (v.i !== undefined) {  // a buurt's in-map box
                    out = '<div class="wa-info-body" data-code="' + v.i + '"><h4>' + val(v.t) + "</h4><div>" + v.i
                        + "</div><table>";
                    v.r.forEach(function (r) { out += "<tr><td>" + keys[r[0]] + "</td><td><b>" + val(r[1]) + "</b></td></tr>"; });
                    return out + "</table></div>";
                }
                out = '<div class="wa-popup">' + (v.t !== undefined ? "<b>" + val(v.t) + "</b><br>" : "") + "<table>";
                v.r.forEach(function (r) { out += "<tr><td><b>" + keys[r[0]] + "</b></td><td>" + val(r[1]) + "</td></tr>"; });
                return out + "</table></div>";
            }
            function build() {
            data = {{ this.data_json }};
            styles = data.styles || []; keys = data.keys || []; vals = data.vals || [];
            data.features.forEach(function (f) {
                f.type = "Feature";
                var p = f.properties || {};
                if (typeof p._s === "number") { p._s = styles[p._s]; }
                if (typeof p._label === "number") { p._label = vals[p._label]; }
                var g = f.geometry;
                if (g && g.c !== undefined) { f.geometry = {type: "Point", coordinates: g.c}; return; }
                if (!g || g.enc === undefined) { return; }
                if (g.type === "LineString") { g.coordinates = decode(g.enc); }
                else if (g.type === "Polygon" || g.type === "MultiLineString") { g.coordinates = g.enc.map(decode); }
                else { g.coordinates = g.enc.map(function (p) { return p.map(decode); }); }
                delete g.enc;
            });
            var layer = L.geoJSON(data, {
                interactive: {{ this.interactive_js }},
                pointToLayer: function (f, latlng) {
                    var s = f.properties._s || {};
                    if (s.shape === "square" || s.shape === "pin") {
                        var cls = s.shape === "square" ? "wa-sq" : "wa-pin";
                        var div = document.createElement("div");
                        div.className = cls;
                        div.style.background = s.fillColor || "#888";
                        if (s.dashArray) { div.style.borderStyle = "dashed"; }
                        return L.marker(latlng, {
                            icon: L.divIcon({className: "", html: div.outerHTML, iconSize: [14, 14]}),
                            keyboard: true, title: f.properties._label || ""
                        });
                    }
                    return L.circleMarker(latlng, canvas ? Object.assign({renderer: canvas}, s) : s);
                },
                style: function (f) { return f.properties._s || {}; },
                onEachFeature: function (f, layer) {
                    // first: before the popup opens and pans the map away from the pointer
                    if (f.geometry && f.geometry.type === "Point") { layer.on("click", passClick); }
                    // built when first shown, not for every feature up front
                    var tip = f.properties._tip, pop = f.properties._pop;
                    if (tip) { layer.bindTooltip(function () { return html(tip); }, {sticky: true}); }
                    if (pop) { layer.bindPopup(function () { return html(pop); }, {maxWidth: 300}); }
                }
            });
            if (many && L.markerClusterGroup) {
                var colour = {{ this.cluster_colour_json }};
                var group = L.markerClusterGroup({
                    chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 45,
                    spiderfyOnMaxZoom: true, disableClusteringAtZoom: 18,
                    iconCreateFunction: function (c) {
                        var n = c.getChildCount();
                        var size = n < 10 ? 26 : n < 100 ? 32 : n < 1000 ? 38 : 44;
                        var div = document.createElement("div");
                        div.className = "wa-cluster";
                        div.style.background = colour;
                        div.style.width = div.style.height = size + "px";
                        div.style.lineHeight = (size - 4) + "px";
                        div.textContent = n;
                        return L.divIcon({className: "", html: div.outerHTML, iconSize: [size, size]});
                    }
                });
                group.on("clusterclick", passClick);
                group.addLayer(layer);
                group.addTo({{ this._parent.get_name() }});
            } else {
                layer.addTo({{ this._parent.get_name() }});
            }
            return layer;
            }
            {% if this.deferred %}
            // Many points: the map and its buurten are drawn (and clickable) first; this layer
            // follows once the page shows the map (in Streamlit the frame has no height until the
            // page has handled the map's first message: building before that would hold it up).
            // The map's container counts layers still to come.
            var host = theMap(), box = host && host.getContainer ? host.getContainer() : null;
            if (!box || !window.requestAnimationFrame) { return build(); }
            box.dataset.waPending = (+box.dataset.waPending || 0) + 1;
            var since = Date.now();
            var shown = function () {
                var frame = null;
                try { frame = window.frameElement; } catch (e) { frame = null; }
                return !frame || frame.getBoundingClientRect().height > 0 || Date.now() - since > 3000;
            };
            var later = function () {
                if (!shown()) { requestAnimationFrame(later); return; }
                setTimeout(function () {
                    try { build(); } finally { box.dataset.waPending = +box.dataset.waPending - 1; }
                }, 0);
            };
            requestAnimationFrame(later);
            return null;
            {% else %}
            var layer = build();
            {% endif %}
            {% if this.info %}
            // The clicked buurt at once, in the map: name, headline figures, outline.
            var map = theMap();
            var box = L.control({position: "topright"});
            box.onAdd = function () {
                var div = L.DomUtil.create("div", "wa-info");
                div.style.display = "none";
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            box.addTo(map);
            var mark = null;
            function inRing(pt, ring) {
                var inside = false;
                for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
                    var a = ring[i], b = ring[j];
                    if (((a.lat > pt.lat) !== (b.lat > pt.lat)) &&
                        (pt.lng < (b.lng - a.lng) * (pt.lat - a.lat) / (b.lat - a.lat) + a.lng)) { inside = !inside; }
                }
                return inside;
            }
            function inPolygons(pt, rings) {  // [[outer, hole…]] or [outer, hole…]
                if (rings.length && rings[0].lat !== undefined) { return inRing(pt, rings); }
                if (rings.length && rings[0].length && rings[0][0].lat !== undefined) {
                    if (!inRing(pt, rings[0])) { return false; }
                    for (var h = 1; h < rings.length; h++) { if (inRing(pt, rings[h])) { return false; } }
                    return true;
                }
                for (var p = 0; p < rings.length; p++) { if (inPolygons(pt, rings[p])) { return true; } }
                return false;
            }
            window.waClearMark = function () {
                if (mark) { map.removeLayer(mark); mark = null; }
                box.getContainer().style.display = "none";
            };
            map.on("click", function (e) {
                var hit = null;
                layer.eachLayer(function (l) {
                    if (!hit && l.getBounds && l.getBounds().contains(e.latlng) && inPolygons(e.latlng, l.getLatLngs())) {
                        hit = l;
                    }
                });
                var div = box.getContainer();
                if (mark) { map.removeLayer(mark); mark = null; }
                if (!hit || !hit.feature.properties._info) { div.style.display = "none"; return; }
                div.innerHTML = html(hit.feature.properties._info);
                div.style.display = "block";
                mark = L.polyline(hit.getLatLngs(), {color: {{ this.info_colour_json }}, weight: 4,
                                                     interactive: false}).addTo(map);
            });
            {% endif %}
            return layer;
        })();
        {% endmacro %}
        """
    )

    default_js: list = []
    default_css: list = []

    def __init__(self, features: list[dict[str, Any]], name: str = "features", interactive: bool = True,
                 cluster: bool | None = None, cluster_colour: str = "#444", info: bool = False,
                 info_colour: str = "#111", simplify_m: float = 0.0, compact: bool = False,
                 bounds: list[list[float]] | None = None):
        super().__init__()
        self._name = "FeatureLayer"
        self.layer_name = name
        self.features, found = _to_wgs84(features, simplify_m)
        self._bounds = found or bounds  # ``bounds``: of features whose geometry came prepared
        self.compact = compact
        self.precision = int(COMPACT_PRECISION)
        self.interactive = interactive
        points = sum(1 for f in self.features if (f.get("geometry") or {}).get("type") == "Point")
        self.cluster = points >= CLUSTER_FROM if cluster is None else cluster
        self.cluster_colour = _css(cluster_colour, "#444")
        self.info = info
        self.info_colour = _css(info_colour, "#111")
        # A clustered point layer is built after the map's first frame (never the areas
        # a user clicks, nor a layer the page's own script reads at once).
        self.deferred = self.cluster and not info
        if self.cluster:
            self.default_js = CLUSTER_JS
            self.default_css = CLUSTER_CSS

    def render(self, **kwargs):
        from branca.element import CssLink, Figure, JavascriptLink

        figure = self.get_root()
        if not isinstance(figure, Figure):  # a group rendered on its own (streamlit-folium's feature_group_to_add)
            MacroElement.render(self, **kwargs)
            return
        for name, url in self.default_js:  # the cluster plugin's links
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        # As MacroElement.render, but the script (megabytes on a large gemeente) is added as it
        # is: folium would compile it as a Jinja template again, on every render of every run.
        script = self._template.module.__dict__["script"]
        figure.script.add_child(RawScript(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)

    @property
    def map_js(self) -> str:
        """The Leaflet map in JS: by name when this layer sits in a map, else its parent's map at run time."""
        import folium

        el = self._parent
        while el is not None and not isinstance(el, folium.Map):
            el = getattr(el, "_parent", None)
        if el is not None:
            return el.get_name()
        return f"({self._parent.get_name()}._map || null)" if self._parent is not None else "null"

    @functools.cached_property
    def data_json(self) -> str:
        """The features as JSON, made once (a cached map renders again on every script run)."""
        # Styles and table labels once per layer; with ``compact`` lines and rings as polyline
        # strings, decoded in the browser. "</" is escaped so no text can close the <script>.
        return script_json(pack_features(self.features, self.compact))

    @property
    def interactive_js(self) -> str:
        return "true" if self.interactive else "false"

    @property
    def cluster_js(self) -> str:
        return "true" if self.cluster else "false"

    @property
    def cluster_colour_json(self) -> str:
        return json.dumps(self.cluster_colour)

    @property
    def info_colour_json(self) -> str:
        return json.dumps(self.info_colour)

    def bounds(self) -> list[list[float]] | None:
        return self._bounds


class RawScript(Element):
    """Script text put into a figure as it is (never compiled as a template)."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "RawScript"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class ClearClickMark(MacroElement):
    """Removes the outline and info box a map click drew in the browser (see
    :class:`FeatureLayer` ``info``), when the server draws the selection itself."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (window.waClearMark) { window.waClearMark(); }
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "ClearClickMark"


class Legend(MacroElement):
    """A legend box on the map; its HTML is built (escaped) in Python."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "wa-legend");
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, sections: list[tuple[str, list[tuple[str, dict[str, Any]]]]]):
        super().__init__()
        self._name = "Legend"
        self.sections = sections

    @property
    def html(self) -> str:
        return legend_html(self.sections)

    @property
    def html_json(self) -> str:
        return script_json(self.html)


def legend_html(sections: list[tuple[str, list[tuple[str, dict[str, Any]]]]]) -> str:
    """Legend sections as HTML: each entry is (label, swatch style)."""
    parts = []
    for title, entries in sections:
        parts.append(f"<h4>{esc(title)}</h4>")
        for text, sw in entries:
            parts.append(f'<div class="row">{_swatch(sw)}{esc(text)}</div>')
    return "".join(parts)


_SAFE_CSS_VALUE = re.compile(r"^[#a-zA-Z0-9(),.%\s-]{1,40}$")


def _css(value: Any, default: str) -> str:
    text = str(value) if value is not None else default
    return text if _SAFE_CSS_VALUE.match(text) else default


def _swatch(sw: dict[str, Any]) -> str:
    """One legend swatch, styled inline so it also draws outside the map
    (the explorer's sidebar has no Wijkatlas stylesheet)."""
    shape = sw.get("shape", "box")
    colour = _css(sw.get("color"), "#555")
    dashed = "dashed" if sw.get("dashArray") else "solid"
    base = "display:inline-block;flex:none;margin-right:6px;vertical-align:middle;"
    if shape == "line":
        css = f"{base}width:18px;height:0;border:0;border-top:2px {dashed} {colour};"
        cls = "sw line"
    else:
        fill = _css(sw.get("fillColor"), "transparent")
        css = f"{base}width:14px;height:14px;box-sizing:border-box;background:{fill};border:1px {dashed} {colour};"
        if shape == "circle":
            css += "border-radius:50%;"
        cls = "sw circle" if shape == "circle" else "sw"
    return f'<span class="{cls}" style="{css}"></span>'
