"""The places pages in a real browser: their maps fill the column they sit
in, and the meeting-places what-if changes the coverage figure at once."""

from __future__ import annotations

import pytest

from .conftest import sign_in
from .conftest import map_frame, staff_account
from .conftest import wait_idle as _wait_idle

PLANNER, PASSWORD = "places-browser", "een veilig wachtwoord"

# The part of the map the buurten take up: the union of the drawn paths
# against the map container (both in the iframe's own coordinates).
FILL_JS = """() => {
  const box = document.querySelector('.leaflet-container').getBoundingClientRect();
  const paths = [...document.querySelectorAll('.leaflet-overlay-pane path')]
      .map(p => p.getBoundingClientRect()).filter(r => r.width > 0);
  const x0 = Math.max(box.left, Math.min(...paths.map(r => r.left)));
  const x1 = Math.min(box.right, Math.max(...paths.map(r => r.right)));
  const y0 = Math.max(box.top, Math.min(...paths.map(r => r.top)));
  const y1 = Math.min(box.bottom, Math.max(...paths.map(r => r.bottom)));
  return [(x1 - x0) / box.width, (y1 - y0) / box.height];
}"""


@pytest.fixture(scope="module")
def planner(app_server):
    staff_account(app_server["db_url"], PLANNER, "planner", PASSWORD)


def _open(page, app_server, link: str, heading: str) -> None:
    page.goto(app_server["url"])
    sign_in(page, PLANNER, PASSWORD)
    page.get_by_role("link", name=link, exact=True).click()
    # level 1: the page title, not a legend heading of the page we are leaving
    page.get_by_role("heading", name=heading, exact=True, level=1).wait_for(timeout=60_000)
    _wait_idle(page)


def _map_fill(page) -> list[float]:
    map_frame(page).locator(".leaflet-overlay-pane path").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # fitBounds runs once the tiles-free map has its size
    frame = next(f for f in page.frames if f.query_selector(".leaflet-container"))
    return frame.evaluate(FILL_JS)


def _metric(page, name: str) -> str:
    metric = page.locator("[data-testid='stMetric']").filter(has_text=name)
    return metric.locator("[data-testid='stMetricValue']").inner_text()


@pytest.mark.usefixtures("planner")
def test_real_estate_map_fills_its_column(page, app_server):
    _open(page, app_server, "Vastgoed", "Maatschappelijk vastgoed")
    width, height = _map_fill(page)
    assert max(width, height) > 0.8, (width, height)  # was about 0.6 with whole zoom steps
    assert [u for u in page.external_requests if not u.endswith(".png")] == []  # basemap tiles only


@pytest.mark.usefixtures("planner")
def test_whatif_toggle_changes_the_coverage_figure(page, app_server):
    _open(page, app_server, "Ontmoetingsplaatsen", "Ontmoetingsplaatsen en accommodatiebeleid")
    width, height = _map_fill(page)
    assert max(width, height) > 0.8, (width, height)
    before = _metric(page, "Dekking met keuze")
    assert before == _metric(page, "Dekking nu")
    page.get_by_text("Buurthuis in voormalige basisschool De Kiem", exact=False).first.click()
    _wait_idle(page)
    page.get_by_text("+516").wait_for(timeout=30_000)  # inhabitants newly within walking distance (real buurten)
    after = _metric(page, "Dekking met keuze")
    assert after != before and _metric(page, "Dekking nu") == before
    # the table says the same, per buurt: one row gained people
    table = page.locator("[data-testid='stDataFrame']").first
    assert table.is_visible()
    assert [u for u in page.external_requests if not u.endswith(".png")] == []  # basemap tiles only
