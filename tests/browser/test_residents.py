"""A resident's suggestion from click to public pin, in a real browser.

A resident (no account) clicks the map inside Braakhuizen-Zuid, fills in the
form with an e-mail address, previews and sends it, and gets a reference.
A moderator then signs in through the sidebar form, opens that reference in
the queue and publishes it; back on the public page it is in the list and on
the map. Along the way: the e-mail address appears on no page, in no server
log line and in no audit entry; after signing out the staff pages are gone
from the same browser session.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import sign_in, sign_out
from tests.browser.conftest import FIND_POINT_INSIDE, map_frame, staff_account
from tests.browser.conftest import select_option as _select
from tests.browser.conftest import wait_idle as _idle

pytestmark = pytest.mark.browser

BUURT, BUURT_NAME = "BU17710005", "Braakhuizen-Zuid"
MODERATOR, PASSWORD = "mod-residents", "een-lang-wachtwoord"
TEXT = "Een bankje bij de speeltuin zodat ouders kunnen zitten (browsertest)"
EMAIL = "privacy.browsertest@example.nl"


# The ids of the features drawn on the Leaflet maps of a frame.
FEATURE_IDS = """
() => {
  const ids = [];
  for (const k of Object.keys(window).filter(k => k.startsWith('map_'))) {
    const map = window[k];
    if (!map || !map.eachLayer) continue;
    map.eachLayer(layer => { if (layer.feature && layer.feature.id) ids.push(String(layer.feature.id)); });
  }
  return ids;
}
"""


@pytest.fixture(scope="module")
def moderator(app_server):
    from geo.store import open_store

    staff_account(app_server["db_url"], MODERATOR, "moderator", PASSWORD)
    store = open_store(app_server["db_url"])
    yield store
    store.close()


def _live_frames(page):
    return [f for f in page.frames if "streamlit_folium" in (f.url or "") and not f.is_detached()]


def _click_in_buurt(page, code: str) -> None:
    """Click inside the buurt's polygon on the pin map, once the map has
    settled (a busy server may still be laying it out or remounting it)."""
    import time

    map_frame(page)
    deadline = time.monotonic() + 60
    while True:
        _idle(page)
        for frame in _live_frames(page):
            try:
                point = frame.evaluate(FIND_POINT_INSIDE, f"wa-{code}")
            except Exception:  # noqa: BLE001 - frame replaced meanwhile
                point = None
            if point:
                box = page.locator("iframe[title*='streamlit_folium']:visible").first.bounding_box()
                page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
                return
        assert time.monotonic() < deadline, f"no clickable spot inside {code}"
        page.wait_for_timeout(500)


def _page_texts(page) -> str:
    """Everything the page and its map frames hold, markup included."""
    _idle(page)
    parts = [page.content()]
    for frame in page.frames:
        try:
            parts.append(frame.content())
        except Exception:  # noqa: BLE001 - a map remounted meanwhile: its new frame is listed too
            continue
    return "\n".join(parts)


def test_resident_pins_submits_moderator_publishes_it_shows_on_the_public_map(page, app_server, moderator):
    from geo import model as m

    store = moderator
    page.goto(app_server["url"])
    page.get_by_role("link", name="Meedenken").click()
    page.get_by_role("heading", name="Denk mee over uw buurt").wait_for(timeout=60_000)
    assert page.get_by_role("link", name="Moderatie").count() == 0  # not offered to residents

    # --- the resident drops a pin by clicking the map ------------------------------------
    _click_in_buurt(page, BUURT)
    page.get_by_text(f"Uw speld staat in {BUURT_NAME}.").wait_for(timeout=30_000)
    _select(page, "Categorie", "Spelen")
    page.get_by_role("textbox", name="Uw suggestie (kort)").fill(TEXT)
    email = page.get_by_role("textbox", name="E-mailadres voor berichten (niet verplicht)")
    email.fill(EMAIL)
    email.press("Tab")
    _idle(page)
    assert page.get_by_role("textbox", name="Uw suggestie (kort)").input_value() == TEXT
    page.get_by_role("button", name="Bekijk voorbeeld").click()
    page.locator("[data-testid='stText']:visible").filter(has_text=TEXT).first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Verstuur suggestie").click()
    success = page.get_by_text(re.compile(r"kenmerk WA-\d{4}-\d{4}"))
    success.wait_for(timeout=30_000)
    reference = re.search(r"WA-\d{4}-\d{4}", success.inner_text()).group(0)

    (stored,) = store.list(m.Suggestion, reference=reference)
    assert (stored.text, stored.category, stored.status, stored.buurt_code) == (TEXT, "play", "received", BUURT)
    assert [c.email for c in store.list(m.Contact, suggestion_id=stored.id)] == [EMAIL]
    # The form is cleared by the run after the save; until then the address is only in the sender's own field.
    page.wait_for_function("(e) => !document.body.innerHTML.includes(e)", arg=EMAIL, timeout=30_000)
    assert EMAIL not in _page_texts(page)

    # --- a moderator signs in through the sidebar and publishes it ----------------------------
    sign_in(page, MODERATOR, PASSWORD)
    page.get_by_role("link", name="Moderatie").click()
    page.get_by_role("heading", name="Moderatie van suggesties").wait_for(timeout=60_000)
    _select(page, "Open suggestie", reference)
    page.get_by_text(f"Suggestie {reference}", exact=True).wait_for(timeout=30_000)
    page.locator("[data-testid='stText']:visible").filter(has_text=TEXT).first.wait_for(timeout=30_000)
    assert EMAIL not in _page_texts(page)  # the queue says only that there is an address
    page.get_by_role("button", name="Publiceer", exact=True).click()
    page.get_by_text("Publiceer: 1 suggestie(s) bijgewerkt.").wait_for(timeout=30_000)
    assert store.get(m.Suggestion, stored.id).status == "published"
    log = store.list(m.AuditEntry, target=reference)
    assert [(e.user, e.action) for e in log] == [(MODERATOR, "suggestion.publish")]

    # --- it is on the public list and map ----------------------------------------------------------
    page.get_by_role("link", name="Meedenken").click()
    page.get_by_role("heading", name="Denk mee over uw buurt").wait_for(timeout=60_000)
    page.get_by_text("Suggesties bekijken", exact=True).click()
    page.locator("[data-testid='stText']:visible").filter(has_text=f"{reference}: {TEXT}").first.wait_for(
        timeout=30_000)
    map_frame(page)
    feature = f"suggestion-{stored.id}"
    found = False
    for frame in _live_frames(page):
        try:
            frame.wait_for_function(f"({FEATURE_IDS})().includes({feature!r})", timeout=30_000)
            found = True
            break
        except Exception:  # noqa: BLE001 - not this frame
            continue
    assert found, f"{feature} not on the public map"
    assert EMAIL not in _page_texts(page)

    # --- signing out takes the staff pages away in this same session --------------------------------
    sign_out(page)
    assert page.get_by_role("link", name="Moderatie").count() == 0
    assert page.get_by_role("button", name="Afmelden").count() == 0

    # --- the address is in no log --------------------------------------------------------------------
    assert EMAIL not in app_server["log"].read_text(encoding="utf-8", errors="replace")
    assert not any(EMAIL in f"{e.target} {e.detail}" for e in store.list(m.AuditEntry))


def test_a_bookmarked_staff_page_asks_to_sign_in_then_opens(page, app_server, moderator):
    """Opening …/moderatie without a session (a bookmark, a fresh tab) does not
    show the page: a Dutch refusal with the sign-in form open, and after
    signing in the page itself."""
    page.goto(f"{app_server['url']}/moderatie")
    page.get_by_text("Deze pagina is alleen voor medewerkers met de juiste rol").wait_for(timeout=60_000)
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=30_000)
    assert page.get_by_role("heading", name="Moderatie van suggesties").count() == 0
    assert page.locator("[data-testid='stDataFrame']").count() == 0
    assert page.get_by_text("Page not found").count() == 0  # Streamlit's English notice never shows
    page.get_by_role("textbox", name="Naam", exact=True).fill(MODERATOR)  # the form is open
    page.get_by_role("textbox", name="Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    page.get_by_role("heading", name="Moderatie van suggesties").wait_for(timeout=60_000)
    assert page.url.endswith("/moderatie")

