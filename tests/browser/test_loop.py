"""Residents in the loop, in a real browser.

1. A resident (no account) proposes an initiative whose title carries script
   payloads; a planner signs in and approves it; the public buurt page then
   shows it under "jullie zeiden, wij deden" as a quick win, on the map and
   in the list — every payload shown literally, none run.
2. An evaluation round is answered from two separate browser contexts (two
   residents); a second answer from the same session is not possible; the
   planner sees both answers and the (payload) comment on the plan page.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.browser.conftest import select_option, sign_in, staff_account, wait_idle

pytestmark = pytest.mark.browser

PLANNER, PASSWORD = "planner-loop", "een veilig wachtwoord"
PAYLOADS = "<img src=x onerror=alert(1)> <script>window.__pwned=1</script> `${window.__pwned=1}`"
TITLE = f"Moestuin {PAYLOADS}"
COMMENT = f"Druk bezocht {PAYLOADS}"

# Open every popup and tooltip of the given kind of feature; what the browser shows.
OPEN_POPUPS = """
(prefix) => {
  const out = [];
  for (const k of Object.keys(window).filter(k => k.startsWith('map_'))) {
    const map = window[k];
    if (!map || !map.eachLayer) continue;
    map.eachLayer(layer => {
      const f = layer.feature;
      if (!f || !String(f.id || '').startsWith(prefix) || !layer.getPopup || !layer.getPopup()) return;
      layer.openPopup();
      const pop = layer.getPopup().getElement().querySelector('.leaflet-popup-content');
      out.push({id: String(f.id), text: pop.innerText, bad: pop.querySelectorAll('img,script').length});
      layer.closePopup();
      layer.openTooltip();
      const tip = layer.getTooltip().getElement();
      out.push({id: String(f.id) + ':tip', text: tip.innerText, bad: tip.querySelectorAll('img,script').length});
      layer.closeTooltip();
    });
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def store(app_server):
    from geo.store import open_store

    staff_account(app_server["db_url"], PLANNER, "planner", PASSWORD)
    s = open_store(app_server["db_url"])
    yield s
    s.close()


def _watch(page) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return dialogs


def _no_script_ran(page, dialogs) -> None:
    assert dialogs == []
    for frame in page.frames:
        if not frame.is_detached():
            assert frame.evaluate("typeof window.__pwned") == "undefined", frame.url
    assert page.locator("img[src='x']").count() == 0


def _goto(page, url: str, heading: str) -> None:
    """Open a page by its URL (as a shared link does)."""
    page.goto(url)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
    wait_idle(page)
    assert page.get_by_text("Page not found").count() == 0


def _text(page, text: str):
    return page.locator("[data-testid='stText']:visible").filter(has_text=text)


def test_initiative_from_resident_to_public_quick_win(page, app_server, store):
    from geo import model as m

    dialogs = _watch(page)
    _goto(page, f"{app_server['url']}/initiatief", "Zelf iets doen in uw buurt")
    select_option(page, "Of kies een buurt", "Braakhuizen-Zuid")
    page.get_by_text("Uw speld staat in Braakhuizen-Zuid").wait_for()
    for role, name, value in (("textbox", "Titel van uw initiatief", TITLE),
                              ("textbox", "Wat wilt u doen?", "Een moestuin met de buren naast de oude school"),
                              ("textbox", "Wie doen er mee?", "Familie Jansen en vijf buren"),
                              ("spinbutton", "Gevraagde bijdrage (€)", "1250")):
        box = page.get_by_role(role, name=name)
        for _ in range(3):  # a rerun of the map's first report may still be on its way
            box.fill(value)
            box.press("Tab")  # commit the value (a rerun) before the next field
            wait_idle(page)
            if box.input_value() == value:
                break
    assert page.get_by_role("textbox", name="Titel van uw initiatief").input_value() == TITLE
    page.get_by_role("button", name="Initiatief versturen").click()
    success = page.get_by_text(re.compile(r"kenmerk WI-\d{4}-\d{4}"))
    success.wait_for(timeout=30_000)
    reference = re.search(r"WI-\d{4}-\d{4}", success.inner_text()).group(0)
    (initiative,) = store.list(m.Initiative, reference=reference)
    assert initiative.title == TITLE and initiative.cost_eur == 1250.0 and initiative.status == "received"
    _no_script_ran(page, dialogs)

    # A planner signs in and approves it.
    sign_in(page, PLANNER, PASSWORD)
    # The staff session is kept by its cookie: the page opens signed in by its URL.
    _goto(page, f"{app_server['url']}/initiatieven", "Initiatieven van bewoners beoordelen")
    select_option(page, "Open initiatief", f"{reference}: {TITLE[:60]}")
    _text(page, TITLE).first.wait_for(timeout=30_000)
    assert _text(page, TITLE).first.inner_text() == TITLE
    page.get_by_role("textbox", name="Reden of toelichting (de bewoner ziet die)").fill("Past goed bij het plan")
    page.get_by_role("textbox", name="Reden of toelichting (de bewoner ziet die)").press("Tab")
    wait_idle(page)
    page.get_by_role("button", name="Goedkeuren: quick win").click()
    page.get_by_text(f"{reference} is goedgekeurd").wait_for(timeout=30_000)
    approved = store.list(m.Initiative, reference=reference)[0]
    activity = store.get(m.Activity, approved.activity_id)
    assert approved.status == "approved" and activity.quick_win and activity.cost_estimate_eur == 1250.0
    _no_script_ran(page, dialogs)

    # The public buurt page: a quick win under "jullie zeiden, wij deden", on the map, literally.
    _goto(page, f"{app_server['url']}/mijn-buurt?buurt=BU17710005", "Jullie zeiden, wij deden")
    did = _text(page, f"Wat we doen: {TITLE} (Quick win, Gepland)")
    did.first.wait_for(timeout=30_000)
    assert did.first.inner_text() == f"Wat we doen: {TITLE} (Quick win, Gepland)"
    said = _text(page, f"Bewoners zeiden: {TITLE}: Een moestuin")
    assert said.count() == 1
    assert page.get_by_text("Jansen").count() == 0  # who takes part is not published
    page.locator("iframe[title*='streamlit_folium']").first.wait_for(timeout=60_000)
    shown = []
    for _ in range(60):
        frames = [f for f in page.frames if "streamlit_folium" in (f.url or "") and not f.is_detached()]
        shown = [x for f in frames for x in f.evaluate(OPEN_POPUPS, f"activity-{activity.id}")]
        if shown:
            break
        page.wait_for_timeout(500)
    assert shown, "the quick win is not on the public map"
    assert all(x["bad"] == 0 and TITLE in x["text"] for x in shown), shown
    _no_script_ran(page, dialogs)


def _answer(page, url: str, round_id: int, score: str, comment: str = "") -> None:
    _goto(page, f"{url}/evaluatie?ronde={round_id}", "Hoe gaat het met het plan voor uw buurt?")
    box = page.locator("[data-testid='stVerticalBlock']").filter(
        has_text="De ontmoetingsplek wordt goed gebruikt").last
    box.get_by_text(score, exact=True).click()
    if comment:
        box.get_by_role("textbox").fill(comment)
    page.get_by_role("button", name="Antwoorden versturen").click()
    page.get_by_text("Dank u wel! Uw antwoorden zijn opgeslagen.").wait_for(timeout=30_000)


def test_evaluation_answered_from_two_browsers_shows_on_the_plan_page(page, browser, app_server, store):
    from geo import evaluation_rounds as E
    from geo import model as m
    from geo.access import Actor

    plan = store.list(m.Plan, area_code="BU17710005")[0]
    r = E.open_round(store, Actor("setup", "planner"), plan.id, "Evaluatie browsertest",
                     date.today() - timedelta(days=1), date.today() + timedelta(days=10),
                     [("social", "De ontmoetingsplek wordt goed gebruikt"), ("safety", "Ik voel me veilig")])
    dialogs = _watch(page)
    _answer(page, app_server["url"], r.id, "4 eens", COMMENT)
    # The same browser session cannot answer a second time: the form is gone.
    assert page.get_by_role("button", name="Antwoorden versturen").count() == 0
    other = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    try:
        second = other.new_page()
        second.set_default_timeout(30_000)
        _answer(second, app_server["url"], r.id, "2 oneens")
    finally:
        other.close()
    responses = store.list(m.EvaluationResponse, round_id=r.id)
    assert len(responses) == 2 and {x.respondent_group for x in responses} == {"resident"}
    assert len({x.respondent for x in responses}) == 2

    # The planner sees both answers, the spread and the comment (literally) on the plan page.
    page.goto(app_server["url"])
    sign_in(page, PLANNER, PASSWORD)
    page.get_by_role("link", name="Wijkplan").click()
    page.get_by_role("heading", name="Wijkontwikkelingsplan", exact=True).wait_for(timeout=60_000)
    select_option(page, "Buurt of wijk", "Braakhuizen-Zuid (BU17710005) — Geëvalueerd")
    page.get_by_text("Evaluatie", exact=True).first.click()
    wait_idle(page)
    select_option(page, "Evaluatieronde", f"Evaluatie browsertest ({r.opens_on} – {r.closes_on}, open)")
    page.get_by_text("Antwoorden: 2 van bewoners").wait_for(timeout=30_000)
    table = page.locator("[data-testid='stTable']").first
    table.wait_for(timeout=30_000)
    rows = [row.inner_text() for row in table.locator("tbody tr").all()]
    first = [x for x in rows if "De ontmoetingsplek wordt goed gebruikt" in x and "bewoners" in x]
    assert first and "3,0" in first[0] and "1,0" in first[0], rows  # mean 3.0, spread 1.0
    page.get_by_text(re.compile(r"^Toelichtingen \(1\)$")).click()
    comment = _text(page, COMMENT)
    comment.first.wait_for(timeout=30_000)
    assert comment.first.inner_text() == COMMENT
    _no_script_ran(page, dialogs)
