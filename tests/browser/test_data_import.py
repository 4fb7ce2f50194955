"""The data page in a real browser: an admin uploads an Excel workbook of
buildings that has addresses but no coordinates, and sees the rows placed
on the preview map at their BAG address points before importing them."""

from __future__ import annotations

import datetime as dt

import pytest
from shapely.geometry import Point

from tests.workbooks import vastgoed_xlsx

from .conftest import map_frame, run_app, sign_in, staff_account, wait_idle

ADMIN, PASSWORD = "data-browser", "een veilig wachtwoord"


@pytest.fixture(scope="module")
def app_with_addresses(demo_db_template, tmp_path_factory):
    """An app of its own: BAG address points added here must not change other tests' coverage."""
    import shutil

    from geo import model as m
    from geo.store import open_store

    folder = tmp_path_factory.mktemp("data-app")
    db = folder / "wijkatlas.db"
    shutil.copy(demo_db_template, db)
    s = open_store(f"sqlite:///{db}")
    s.bulk_add(m.AddressPoint, {
        "geometry": [Point(166300, 380150), Point(166420, 380300), Point(166440, 380310), Point(166460, 380320)],
        "postcode": ["5664HV", "5662JG", "5662JG", "5662JG"], "house_number": [12, 3, 5, 5],
        "house_letter": ["", "A", "", ""], "house_number_addition": ["", "", "1", "2"],
        "street": ["Hofdael", "Kasteellaan", "Kasteellaan", "Kasteellaan"], "place": ["Geldrop"] * 4,
        "bag_id": [f"177101000000000{i}" for i in range(1, 5)], "buurt_code": ["BU17710005"] * 4,
    })
    s.close()
    yield from run_app(db, folder)


@pytest.fixture
def admin_page(browser, app_with_addresses):
    staff_account(app_with_addresses["db_url"], ADMIN, "admin", PASSWORD)
    context = browser.new_context(viewport={"width": 1400, "height": 1400}, locale="nl-NL")
    external: list[str] = []

    def guard(route):
        if "127.0.0.1" in route.request.url or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.external_requests = external  # type: ignore[attr-defined]
    yield pg
    context.close()


def test_an_excel_list_of_addresses_is_placed_on_the_preview_map(admin_page, app_with_addresses, tmp_path):
    page = admin_page
    rows = [["De Smelt", "5664 HV", 12, "Geldrop", 0.85, 1234567.5, dt.date(2026, 3, 1), "behouden"],
            ["Het Huis", "5662jg", "3a", "Geldrop", 0.5, "1.234,50", dt.date(2025, 1, 2), "flexibel"],
            ["Sporthal", "5662 JG", 5, "Geldrop", 0.6, 1000, dt.date(2025, 6, 30), "behouden"]]
    path = vastgoed_xlsx(tmp_path / "vastgoed.xlsx", rows)
    page.goto(app_with_addresses["url"])
    sign_in(page, ADMIN, PASSWORD)
    more = page.locator("[data-testid='stSidebarNav'] button", has_text="more")  # a long menu is folded
    if more.count():
        more.first.click()
    page.get_by_role("link", name="Gegevens importeren en exporteren", exact=True).click()
    page.get_by_role("heading", name="Gegevens importeren en exporteren", exact=True, level=1).wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_test_id("stRadioGroup").get_by_text("Maatschappelijk vastgoed", exact=True).click()
    wait_idle(page)
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text("Blad in de werkmap").wait_for(timeout=60_000)
    wait_idle(page)
    # the sheet with the data is chosen, not the notes sheet in front
    assert page.get_by_text("vastgoed.xlsx (xlsx, blad Vastgoed, 3 rijen)", exact=False).count() == 1
    page.get_by_text("Geplaatst via postcode en huisnummer: 2").wait_for(timeout=60_000)
    frame = map_frame(page)
    placed = frame.locator(".leaflet-overlay-pane path.leaflet-interactive")
    placed.first.wait_for(timeout=30_000)
    assert placed.count() == 2  # De Smelt and Het Huis (3A); 'Sporthal' 5 is ambiguous (5-1, 5-2)
    placed.first.hover()
    frame.locator(".leaflet-tooltip").first.wait_for(timeout=10_000)
    tips = frame.locator(".leaflet-tooltip").all_inner_texts()
    assert any("De Smelt" in tip or "Het Huis" in tip for tip in tips)
    assert page.get_by_text("1 rij(en) konden niet op adres geplaatst worden.").count() == 1
    page.screenshot(path=str(tmp_path / "data_import.png"), full_page=True)
    assert page.external_requests == [] or all(u.endswith(".png") for u in page.external_requests)
