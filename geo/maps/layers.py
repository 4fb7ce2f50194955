"""Leaflet layers built from records, with text that can never become HTML.

folium's ``Tooltip`` and ``Popup`` paste their text into JavaScript template
literals, so a resident's text containing a backtick or ``${…}`` would run as
script. Wijkatlas therefore draws every layer with :class:`FeatureLayer`: a
plain ``L.geoJSON`` whose tooltips and popups come from feature properties
that were HTML-escaped in Python and travel as JSON data, never as code.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any, Iterable

from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from ..crs import to_web_many

COORD_DECIMALS = 6  # ~0.1 m in WGS84: plenty for the screen, small to send


def esc(value: Any) -> str:
    """Text as HTML-safe text (``None`` → empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def html_table(rows: Iterable[tuple[str, Any]], title: str | None = None) -> str:
    """A small escaped key/value table for a tooltip or popup."""
    body = "".join(f"<tr><td><b>{esc(k)}</b></td><td>{esc(v)}</td></tr>" for k, v in rows if v not in (None, ""))
    head = f"<b>{esc(title)}</b><br>" if title else ""
    return f'<div class="wa-popup">{head}<table>{body}</table></div>'


def feature(
    geom: BaseGeometry,
    *,
    fid: str,
    style: dict[str, Any],
    tooltip: str = "",
    popup: str = "",
    props: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A GeoJSON feature with its style and (escaped) texts.

    The geometry stays in RD New until the :class:`FeatureLayer` it joins
    converts all of its features to WGS84 in one vectorised call.
    """
    properties = {"_id": fid, "_s": style, "_tip": tooltip, "_pop": popup}
    if props:
        properties.update(props)
    return {"type": "Feature", "id": fid, "properties": properties, "geometry": None, RD_KEY: geom}


RD_KEY = "_rd_geometry"


def to_wgs84(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fill in the WGS84 GeoJSON geometry of features made by :func:`feature`."""
    import numpy as np
    import shapely

    pending = [f for f in features if f.get(RD_KEY) is not None]
    if pending:
        rd = np.asarray([f.pop(RD_KEY) for f in pending], dtype=object)
        web = shapely.set_precision(to_web_many(rd), 10 ** -COORD_DECIMALS)
        for f, g in zip(pending, web):
            f["geometry"] = mapping(g)
    for f in features:
        f.pop(RD_KEY, None)
    return features


class FeatureLayer(MacroElement):
    """An ``L.geoJSON`` layer styled per feature.

    Point features are drawn by ``_s.shape``: ``circle`` (circle marker),
    ``square`` (a building) or ``pin`` (a resident's suggestion).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON({{ this.data_json }}, {
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
                return L.circleMarker(latlng, s);
            },
            style: function (f) { return f.properties._s || {}; },
            onEachFeature: function (f, layer) {
                if (f.properties._tip) { layer.bindTooltip(f.properties._tip, {sticky: true}); }
                if (f.properties._pop) { layer.bindPopup(f.properties._pop, {maxWidth: 300}); }
            }
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, features: list[dict[str, Any]], name: str = "features", interactive: bool = True):
        super().__init__()
        self._name = "FeatureLayer"
        self.layer_name = name
        self.features = to_wgs84(features)
        self.interactive = interactive

    @property
    def data_json(self) -> str:
        data = {"type": "FeatureCollection", "features": self.features}
        # "</" is escaped so no text can close the surrounding <script>.
        return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")

    @property
    def interactive_js(self) -> str:
        return "true" if self.interactive else "false"

    def bounds(self) -> list[list[float]] | None:
        import shapely
        from shapely.geometry import shape

        geoms = [shape(f["geometry"]) for f in self.features if f.get("geometry")]
        if not geoms:
            return None
        minx, miny, maxx, maxy = shapely.GeometryCollection(geoms).bounds
        return [[miny, minx], [maxy, maxx]]


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
        return json.dumps(self.html).replace("</", "<\\/")


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
