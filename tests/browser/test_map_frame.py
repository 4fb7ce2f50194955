"""A map in a frame the page has not shown yet (Streamlit gives the map's frame its height only
after handling the map's first message): the buurten come at once, a large point layer waits
until the frame is shown, so it never holds up the page that is about to show the map."""

from __future__ import annotations

import random

from shapely.geometry import Point

from geo import model as m
from geo.maps import MapOptions, build_map
from geo.maps.builder import load_map_data
from geo.maps.layers import CLUSTER_FROM
from geo.store import open_store

HOST = """<!doctype html><html><body style="margin:0">
<iframe id="later" src="/__wa_test/map.html" style="width:700px;height:0;border:0"></iframe>
<iframe id="never" src="/__wa_test/map.html" style="width:700px;height:0;border:0"></iframe>
</body></html>"""

PENDING = "document.querySelector('.leaflet-container').dataset.waPending"


def _map_html(db_url: str) -> tuple[str, int]:
    store = open_store(db_url)
    try:
        data = load_map_data(store)
    finally:
        store.close()
    rng = random.Random(5)
    minx, miny, maxx, maxy = data.buurten[0].geometry.bounds
    data.suggestions = [  # enough to be clustered (and so built after the first frame)
        m.Suggestion("play", f"Suggestie {i}", Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy)),
                     status="published", id=i + 1)
        for i in range(CLUSTER_FROM * 3)
    ]
    fmap = build_map(data, MapOptions(basemap="none", layers=("suggestions",)))
    return fmap.get_root().render(), len(data.buurten)


def test_a_large_point_layer_waits_until_the_frame_is_shown(browser, app_server):
    html, n_buurten = _map_html(app_server["db_url"])
    base = app_server["url"]  # the vendored Leaflet comes from the running app (/app/static/…)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        context.route(f"{base}/__wa_test/host.html", lambda r: r.fulfill(body=HOST, content_type="text/html"))
        context.route(f"{base}/__wa_test/map.html", lambda r: r.fulfill(body=html, content_type="text/html"))
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/__wa_test/host.html")
        later = page.frame_locator("#later")
        never = page.frame_locator("#never")
        for frame in (later, never):
            frame.locator("path.wa-area").nth(n_buurten - 1).wait_for(state="attached", timeout=30_000)
        page.wait_for_timeout(1_000)  # many frames of the page go by
        for frame_id in ("later", "never"):
            pending = page.evaluate(f"document.getElementById('{frame_id}').contentWindow.eval(\"{PENDING}\")")
            assert pending == "1", (frame_id, pending)  # the buurten are there, the points wait

        page.evaluate("document.getElementById('later').style.height = '500px'")
        page.wait_for_function(
            f"document.getElementById('later').contentWindow.eval(\"{PENDING}\") === '0'", timeout=10_000)
        # A frame that is never shown (a hidden tab, say) still gets its layer, a little later.
        page.wait_for_function(
            f"document.getElementById('never').contentWindow.eval(\"{PENDING}\") === '0'", timeout=15_000)
        drawn = "document.getElementById('later').contentDocument.querySelectorAll('{}').length"
        assert page.evaluate(drawn.format(".leaflet-marker-pane > *, canvas")) > 0  # clusters, or points on canvas
        assert not errors, errors  # e.g. the cluster plugin on a map without a zoom limit (no basemap)
    finally:
        context.close()
