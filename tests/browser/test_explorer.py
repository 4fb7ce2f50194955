"""The explorer in a real browser: the map draws offline, a click shows a profile."""

from tests.browser.conftest import FIND_POINT_INSIDE, map_frame

BUURT = "BU17710005"  # Braakhuizen-Zuid



def leaflet_frame(page):
    map_frame(page)
    for frame in page.frames:
        if "streamlit_folium" in (frame.url or "") and not frame.is_detached():
            return frame
    raise AssertionError("map iframe not found")


def wait_in_map(page, condition: str, timeout_s: float = 60) -> None:
    """Wait for a JS condition inside the map iframe, following remounts."""
    import time

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            leaflet_frame(page).wait_for_function(condition, timeout=5_000)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise


def test_map_draws_all_buurten_offline_and_click_shows_profile(page, app_server):
    page.goto(app_server["url"])
    frame = leaflet_frame(page)
    frame.wait_for_function("document.querySelectorAll('path.wa-area').length === 11", timeout=60_000)
    assert frame.locator(".wa-legend").count() == 1  # legend on the map
    point = frame.evaluate(FIND_POINT_INSIDE, f"wa-{BUURT}")
    assert point, "no clickable spot inside Braakhuizen-Zuid"
    box = page.locator("iframe[title*='streamlit_folium']").first.bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.get_by_role("heading", name="Braakhuizen-Zuid").wait_for(timeout=30_000)
    page.get_by_text(BUURT).first.wait_for()
    assert page.get_by_text("Wijkontwikkelingsplan").count() >= 1
    # Everything the map needed came from this machine (tiles are optional).
    non_tile = [u for u in page.external_requests if "pdok.nl" not in u and "openstreetmap" not in u]
    assert non_tile == [], non_tile


def test_map_draws_without_any_basemap(page, app_server):
    page.goto(app_server["url"])
    page.get_by_text("Geen (werkt zonder internet)").click()
    wait_in_map(
        page,
        "document.querySelectorAll('path.wa-area').length === 11"
        " && document.querySelectorAll('.leaflet-tile').length === 0",
    )
    # From here on nothing may leave the machine: no tiles, no CDN.
    page.external_requests.clear()
    page.get_by_text("Sociaal").first.wait_for()
    page.wait_for_timeout(1500)
    wait_in_map(page, "document.querySelectorAll('path.wa-area').length === 11")
    assert page.external_requests == []


def test_switching_to_english_keeps_the_filters_and_translates_the_legend(page, app_server):
    """The browser reports a choice by its shown text; switching language must not empty the filters."""
    page.goto(app_server["url"])
    leaflet_frame(page).wait_for_function("document.querySelectorAll('path.wa-area').length === 11", timeout=60_000)
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.locator("[data-testid=stSelectbox]").nth(1).click()
    page.get_by_role("option", name="Huishoudens", exact=True).click()
    wait_in_map(page, "document.querySelector('.wa-legend') && document.querySelector('.wa-legend').innerText.includes('Huishoudens')")
    sidebar.locator("[data-testid=stSelectbox]").first.click()
    page.get_by_role("option", name="English").click()
    page.get_by_role("heading", name="Map explorer").wait_for()
    wait_in_map(page, "document.querySelector('.wa-legend').innerText.includes('Households')")
    groups = sidebar.locator("[data-testid=stButtonGroup]")  # layers, domains, statuses: the chosen ones active
    domains = " ".join(groups.nth(1).locator("button[aria-pressed=true]").all_inner_texts())
    statuses = " ".join(groups.nth(2).locator("button[aria-pressed=true]").all_inner_texts())
    layers = " ".join(groups.nth(0).locator("button[aria-pressed=true]").all_inner_texts())
    assert "Resident suggestions" in layers, layers
    assert all(word in domains for word in ("Social", "Spatial", "Safety")), domains
    assert all(word in statuses for word in ("Planned", "Running", "Done", "Stopped")), statuses
    assert "Households" in sidebar.locator("[data-testid=stSelectbox]").nth(1).locator("input").input_value()
    # The sidebar legend draws real swatches (sized inline), in English.
    legend = sidebar.locator("[data-testid=stExpander]").last
    assert "Agenda activities" in legend.inner_text()
    box = legend.locator("span.sw").first.bounding_box()
    assert box and box["width"] >= 10 and box["height"] >= 10
    assert "klik op de kaart" not in page.locator("[data-testid=stMain]").inner_text()


# A marker drawn over a buurt, with the buurt that lies beneath it (found by
# hiding the marker for a moment and asking what is then at that spot).
MARKER_OVER_BUURT = """
() => {
  for (const el of document.querySelectorAll('.leaflet-marker-icon')) {
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (r.width === 0 || y < 90 || x < 60) continue;  // away from the zoom buttons
    const top = document.elementFromPoint(x, y);
    if (!top || !(top === el || el.contains(top))) continue;
    el.style.visibility = 'hidden';
    const under = document.elementFromPoint(x, y);
    el.style.visibility = '';
    const m = under && (under.getAttribute('class') || '').match(/wa-(BU\\d{8})/);
    if (m) return {x, y, code: m[1]};
  }
  return null;
}
"""


def test_a_click_on_a_marker_selects_the_buurt_beneath_and_the_map_shows_it_at_once(page, app_server):
    page.goto(app_server["url"])
    frame = leaflet_frame(page)
    frame.wait_for_function("document.querySelectorAll('path.wa-area').length === 11", timeout=60_000)
    spot = frame.evaluate(MARKER_OVER_BUURT)
    assert spot, "no marker lies over a buurt"
    box = page.locator("iframe[title*='streamlit_folium']").first.bounding_box()
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    # The click is on its way to the server at once, not after streamlit-folium's 250 ms debounce:
    # the component's last sent value is already this click.
    sent = frame.evaluate("JSON.stringify((window.__GLOBAL_DATA__.previous_data || {}).last_clicked || null)")
    assert sent != "null", "the click waited for the debounce"
    # In the map at once (no server round trip): the buurt's name and headline figures.
    frame.wait_for_function("document.querySelector('.wa-info') && document.querySelector('.wa-info').style.display === 'block'",
                            timeout=5_000)
    assert frame.evaluate("document.querySelector('.wa-info-body').dataset.code") == spot["code"]
    assert "Inwoners" in frame.evaluate("document.querySelector('.wa-info').innerText")
    name = frame.evaluate("document.querySelector('.wa-info h4').innerText")
    # And the side panel follows with the profile of that same buurt.
    page.get_by_role("heading", name=name, exact=True).wait_for(timeout=30_000)
    page.get_by_text(spot["code"]).first.wait_for()
