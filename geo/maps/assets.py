"""Offline map assets: Leaflet and its plugins from the app, never a CDN.

Streamlit serves the project's ``static/`` folder at ``/app/static/`` (see
``.streamlit/config.toml``: ``server.enableStaticServing``). Folium's own
classes point at CDNs; the subclasses here point at the vendored copies, and
:func:`asset_links` lists what a map will ask the browser to load, so a test
can prove that nothing leaves the machine.
"""

from __future__ import annotations

import json

import folium
import folium.plugins
from branca.element import MacroElement
from jinja2 import Template

STATIC_URL = "/app/static"
VENDOR = f"{STATIC_URL}/vendor"

LEAFLET_JS = [("leaflet", f"{VENDOR}/leaflet/leaflet.js")]
LEAFLET_CSS = [
    ("leaflet_css", f"{VENDOR}/leaflet/leaflet.css"),
    ("wijkatlas_css", f"{STATIC_URL}/wijkatlas.css"),
]


# The boundaries' credit, on every map in the interface language: the CBS
# buurt boundaries (CC BY 4.0) of the demo, generalised by cartomap.
BOUNDARY_CREDIT = {
    "nl": "Bron: CBS/Kadaster, bewerking cartomap",
    "en": "Source: CBS/Kadaster, generalised by cartomap",
}


LEGEND_ROW_PX = 21  # height of one line in a map legend (title or entry)


class _Credit(MacroElement):
    """Adds a line to the map's attribution control (bottom right)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if ({{ this._parent.get_name() }}.attributionControl) {
            {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text_js }});
        }
        {% endmacro %}
        """
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "Credit"
        self.text_js = json.dumps(text)


MAX_ZOOM = 19  # street level; the basemaps (PDOK BRT, OpenStreetMap) go as far


class OfflineMap(folium.Map):
    """A folium Map that loads only Leaflet, from the app itself, and credits
    the boundaries in the interface language (``lang``).

    Folium's default also loads jQuery, Bootstrap and Font Awesome for its
    marker icons; Wijkatlas draws its symbols with plain Leaflet and CSS.
    """

    default_js = LEAFLET_JS
    default_css = LEAFLET_CSS

    def __init__(self, *args, lang: str = "nl", **kwargs):
        scale = kwargs.pop("control_scale", False)
        super().__init__(*args, control_scale=False, **kwargs)
        # The map's own zoom limit (folium gives it only to a basemap): without a basemap the
        # cluster plugin refuses a map that has none, and a large point layer stays empty.
        self.options["max_zoom"] = kwargs.get("max_zoom") or MAX_ZOOM
        _Credit(BOUNDARY_CREDIT["en" if lang == "en" else "nl"]).add_to(self)
        if scale:
            _MetricScale().add_to(self)

    def fit_view(self, bounds, **kwargs) -> None:
        """Fit ``bounds``, keeping the shapes clear of a legend drawn on the map
        (bottom right), so the legend never covers what it explains."""
        legends = [c for c in self._children.values() if type(c).__name__ == "Legend"]
        rows = sum(len(entries) + 1 for legend in legends for _, entries in legend.sections)
        # Keep the shapes above the legend (bottom right): a municipality is mostly wider than tall, so
        # room below costs less of the map's width than room beside it would.
        try:
            height = float(str(self.height[0] if isinstance(self.height, tuple) else self.height).rstrip("px%"))
        except (TypeError, ValueError):
            height = 500.0
        height = height if height > 100 else 500.0
        # at most 30 % of the map: a tall legend may overlap the corner, the map still fills its column
        clearance = (0, min(LEGEND_ROW_PX * rows + 16, 0.3 * height)) if rows else None
        self.fit_bounds(bounds, padding_bottom_right=clearance, **kwargs)
        # Fit first, then draw: run right after the map is made, before any layer
        # is added, so the layers are projected and drawn once, at the final view,
        # not at the initial one and then all over again (~0.15 s on a large gemeente).
        fit = next(reversed(self._children))
        self._children.move_to_end(fit, last=False)


class _MetricScale(MacroElement):
    """A scale bar in metres only (Leaflet's default adds miles and feet), top
    left under the zoom buttons: the credits bottom right may need two lines."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, metric: true, position: "topleft"}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "MetricScale"


class InstantClick(MacroElement):
    """A click on the map goes to the server at once.

    streamlit-folium reports map events through a 250 ms debounce (meant for
    pans and zooms). For a map whose page asks only for ``last_clicked``,
    this sends the click itself, straight away, in the very form the
    component would send it 250 ms later; the component then finds its value
    unchanged and sends nothing more, so one click is still one script run.
    Outside streamlit-folium (a saved HTML map) it does nothing."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.on("click", function (e) {
            var g = window.__GLOBAL_DATA__, st = window.Streamlit;
            if (!g || !st || !st.setComponentValue || g.wrap_longitude || !g.returned_objects
                || g.returned_objects.length !== 1 || g.returned_objects[0] !== "last_clicked") { return; }
            var value = {last_clicked: e.latlng};
            g.lat_lng_clicked = e.latlng;
            if (JSON.stringify(g.previous_data) === JSON.stringify(value)) { return; }
            g.previous_data = value;
            st.setComponentValue(value);
        });
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "InstantClick"


class OfflineDraw(folium.plugins.Draw):
    """folium's Draw plugin with leaflet-draw served by the app."""

    default_js = [("leaflet_draw_js", f"{VENDOR}/leaflet-draw/leaflet.draw.js")]
    default_css = [("leaflet_draw_css", f"{VENDOR}/leaflet-draw/leaflet.draw.css")]


def asset_links(fmap: folium.Map) -> list[str]:
    """Every JS and CSS URL the map will load, as streamlit-folium collects them."""
    links: list[str] = []

    def walk(elem):
        links.extend(src for _, src in getattr(elem, "default_js", []))
        links.extend(href for _, href in getattr(elem, "default_css", []))
        for child in getattr(elem, "_children", {}).values():
            walk(child)

    walk(fmap)
    return list(dict.fromkeys(links))
