"""Script and HTML in residents' text stay text: popup, tooltip, list, moderation queue.

A resident submits a suggestion carrying every payload through the real page;
three more are stored published. The test then looks at each place the text
appears in a real Chromium and checks that it is shown literally, that no
element was injected, and that no script ran (no dialog, ``window.__pwned``
undefined in every frame).
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import sign_in
from tests.browser.conftest import select_option as _select
from tests.browser.conftest import wait_idle as _wait_idle

pytestmark = pytest.mark.browser

PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "<script>window.__pwned=1</script>",
    "`${alert(1)}` en ${window.__pwned=1}",
)
COMBINED = "Let op " + " ".join(PAYLOADS)
MODERATOR, PASSWORD = "mod-xss", "een veilig wachtwoord"

# Open, one at a time, the popup and tooltip of every suggestion pin whose text
# carries a payload; collect what the browser shows and any injected element.
OPEN_POPUPS = """
() => {
  const out = [];
  const maps = Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k])
    .filter(m => m && m.eachLayer);
  for (const map of maps) {
    map.eachLayer(layer => {
      const f = layer.feature;
      if (!f || !String(f.id || '').startsWith('suggestion-') || !layer.getPopup) return;
      layer.openPopup();
      const el = layer.getPopup().getElement();
      const pop = el && el.querySelector('.leaflet-popup-content');
      if (pop) out.push({id: f.id, text: pop.innerText, imgs: pop.querySelectorAll('img,script').length});
      layer.closePopup();
      if (layer.getTooltip && layer.getTooltip()) {
        layer.openTooltip();
        const tip = layer.getTooltip().getElement();
        if (tip) out.push({id: f.id + ':tip', text: tip.innerText, imgs: tip.querySelectorAll('img,script').length});
        layer.closeTooltip();
      }
    });
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def seeded(app_server):
    """Payload suggestions published, a moderator account, and an empty queue
    (the demo's waiting suggestions hidden, so the payload is the one opened)."""
    from geo import auth
    from geo import model as m
    from geo import moderation as M
    from geo import participation as P
    from geo.access import ANONYMOUS, Actor
    from geo.store import open_store

    store = open_store(app_server["db_url"])
    admin = Actor("test-admin", "admin")
    if not store.list(m.User, name=MODERATOR):
        auth.add_user(store, admin, MODERATOR, "moderator", PASSWORD)
    waiting = [s.id for s in store.list(m.Suggestion, status="received")]
    if waiting:
        M.hide(store, admin, waiting)
    pin = P.pin_in_buurt(store.get(m.Area, "BU17710005"))
    publish_now = P.ParticipationConfig(hold_for_review=False, per_client=100, per_address=100, per_minute=100)
    published = [P.submit(store, ANONYMOUS, P.Draft("other", f"Publiek {p}", pin), publish_now) for p in PAYLOADS]
    yield {"store": store, "published": published}
    store.close()


def _watch(page) -> list[str]:
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def _no_script_ran(page, dialogs) -> None:
    assert dialogs == []
    for frame in page.frames:
        if frame.is_detached():
            continue
        assert frame.evaluate("typeof window.__pwned") == "undefined", frame.url
    assert page.locator("img[src='x']").count() == 0


def _text_element(page, text: str):
    """The ``st.text`` elements that show exactly ``text`` (a visible copy)."""
    return page.locator("[data-testid='stText']:visible").filter(has_text=text)


def test_resident_text_is_shown_literally_everywhere(page, app_server, seeded):
    dialogs = _watch(page)
    page.goto(app_server["url"])
    page.get_by_role("link", name="Meedenken").click()
    page.get_by_role("heading", name="Denk mee over uw buurt").wait_for(timeout=60_000)

    # --- submit through the page --------------------------------------------------
    _select(page, "Of kies een buurt", "Braakhuizen-Zuid")
    page.get_by_text("Uw speld staat in Braakhuizen-Zuid").wait_for()
    _select(page, "Categorie", "Overig")
    page.get_by_role("textbox", name="Uw suggestie (kort)").fill(COMBINED)
    page.get_by_role("textbox", name="Uw suggestie (kort)").press("Tab")
    _wait_idle(page)
    page.get_by_role("button", name="Bekijk voorbeeld").click()
    preview = _text_element(page, COMBINED)
    preview.first.wait_for(timeout=30_000)
    assert preview.first.inner_text() == COMBINED
    page.get_by_role("button", name="Verstuur suggestie").click()
    success = page.get_by_text(re.compile(r"kenmerk WA-\d{4}-\d{4}"))
    success.wait_for(timeout=30_000)
    reference = re.search(r"WA-\d{4}-\d{4}", success.inner_text()).group(0)
    store = seeded["store"]
    from geo import model as m

    stored = store.list(m.Suggestion, reference=reference)[0]
    assert stored.text == COMBINED and stored.status == "received"
    _no_script_ran(page, dialogs)

    # --- the public list ------------------------------------------------------------
    page.get_by_text("Suggesties bekijken", exact=True).click()
    for s in seeded["published"]:
        item = _text_element(page, f"{s.reference}: {s.text}")
        item.first.wait_for(timeout=30_000)
        assert item.first.inner_text() == f"{s.reference}: {s.text}"
    assert _text_element(page, COMBINED).count() == 0  # waiting for review: not public
    _no_script_ran(page, dialogs)

    # --- popups and tooltips on the public map ----------------------------------------------
    page.locator("iframe[title*='streamlit_folium']:visible").first.wait_for(timeout=60_000)
    frames = [f for f in page.frames if "streamlit_folium" in (f.url or "") and not f.is_detached()]
    shown = []
    for frame in frames:
        try:
            frame.wait_for_function("document.querySelectorAll('.wa-pin').length > 0", timeout=20_000)
        except Exception:  # noqa: BLE001 - the pin map has no pins
            continue
        shown += frame.evaluate(OPEN_POPUPS)
    by_id = {row["id"]: row for row in shown}
    for s in seeded["published"]:
        popup = by_id[f"suggestion-{s.id}"]
        assert s.text in popup["text"], popup
        assert popup["imgs"] == 0
        tip = by_id[f"suggestion-{s.id}:tip"]
        assert s.text[:80] in tip["text"] and tip["imgs"] == 0
    _no_script_ran(page, dialogs)

    # --- the moderation queue, signed in ------------------------------------------------------------
    sign_in(page, MODERATOR, PASSWORD)
    page.get_by_role("link", name="Moderatie").click()
    page.get_by_role("heading", name="Moderatie van suggesties").wait_for(timeout=60_000)
    detail = _text_element(page, COMBINED)
    detail.first.wait_for(timeout=30_000)
    assert detail.first.inner_text() == COMBINED
    _no_script_ran(page, dialogs)
