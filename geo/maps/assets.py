"""Offline map assets: Leaflet and its plugins from the app, never a CDN.

Streamlit serves the project's ``static/`` folder at ``/app/static/`` (see
``.streamlit/config.toml``: ``server.enableStaticServing``). Folium's own
classes point at CDNs; the subclasses here point at the vendored copies, and
:func:`asset_links` lists what a map will ask the browser to load, so a test
can prove that nothing leaves the machine.
"""

from __future__ import annotations

import folium
import folium.plugins

STATIC_URL = "/app/static"
VENDOR = f"{STATIC_URL}/vendor"

LEAFLET_JS = [("leaflet", f"{VENDOR}/leaflet/leaflet.js")]
LEAFLET_CSS = [
    ("leaflet_css", f"{VENDOR}/leaflet/leaflet.css"),
    ("wijkatlas_css", f"{STATIC_URL}/wijkatlas.css"),
]


class OfflineMap(folium.Map):
    """A folium Map that loads only Leaflet, from the app itself.

    Folium's default also loads jQuery, Bootstrap and Font Awesome for its
    marker icons; Wijkatlas draws its symbols with plain Leaflet and CSS.
    """

    default_js = LEAFLET_JS
    default_css = LEAFLET_CSS


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
