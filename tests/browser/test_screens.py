"""Every page at 1400×1000, in Dutch and in English, signed in as an admin:
it renders without an error or traceback, shows no raw 'None'/'nan', no
field names or codes instead of words, and every map draws. With
WIJKATLAS_SCREENSHOTS=DIR the screenshots are kept to be looked at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from geo.navigation import PAGES

from .conftest import sign_in, staff_account, wait_idle

ADMIN, PASSWORD = "beheer-screens", "een veilig wachtwoord"
RAW = ("None", "nan", "NaN", "Traceback", "plan_title", "intended_effects", "not_started", "in_execution")
WORDS = {"nl": "Taal / Language", "en": "Language / Taal"}


@pytest.fixture(scope="module")
def admin(app_server):
    staff_account(app_server["db_url"], ADMIN, "admin", PASSWORD)


def _language(page, lang: str) -> None:
    if lang == "en":
        page.get_by_label("Taal / Language", exact=True).first.click()
        page.get_by_role("option", name="English").click()
        wait_idle(page)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_in_both_languages(page, app_server, admin, lang):
    page.goto(app_server["url"] + "/")
    sign_in(page, ADMIN, PASSWORD)
    wait_idle(page)
    shots = os.environ.get("WIJKATLAS_SCREENSHOTS")
    for entry in PAGES:
        page.goto(f"{app_server['url']}/{'' if entry.default else entry.url_path}")  # a bookmark: stays signed in
        page.get_by_text(f"Aangemeld als {ADMIN}").wait_for(timeout=60_000)
        _language(page, lang)
        wait_idle(page)
        main = page.locator("[data-testid=stMain]")
        assert page.locator("[data-testid=stException]").count() == 0, entry.url_path
        text = main.inner_text()
        assert not [w for w in RAW if f" {w} " in f" {text} " or f"\n{w}\n" in f"\n{text}\n"], (entry.url_path, lang)
        if page.locator("iframe[title*='streamlit_folium']").count():
            frame = page.frame_locator("iframe[title*='streamlit_folium']").first
            frame.locator(".leaflet-container").wait_for(timeout=60_000)
            frame.locator("path.leaflet-interactive, .leaflet-overlay-pane path").first.wait_for(
                state="attached", timeout=60_000)  # the map draws its buurten
            credits = frame.locator(".leaflet-control-attribution").inner_text()
            assert ("Bron: CBS/Kadaster" if lang == "nl" else "Source: CBS/Kadaster") in credits
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(Path(shots) / f"{lang}-{entry.url_path}.png"))
