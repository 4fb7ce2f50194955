"""The plan page in a real browser: a refused agenda edit stays in the table,
and a shape drawn with the (app-served) leaflet-draw tools lands on the activity."""

from __future__ import annotations

import pytest

from .conftest import sign_in
from .conftest import map_frame, staff_account
from .conftest import wait_idle as _wait_idle

PLANNER, PASSWORD = "planner-browser", "een veilig wachtwoord"


@pytest.fixture(scope="module")
def planner(app_server):
    from geo.store import open_store

    staff_account(app_server["db_url"], PLANNER, "planner", PASSWORD)
    store = open_store(app_server["db_url"])
    yield store
    store.close()


def _open_plan(page, app_server, section: str) -> None:
    page.goto(app_server["url"])
    sign_in(page, PLANNER, PASSWORD)
    page.get_by_role("link", name="Wijkplan").click()
    page.get_by_role("heading", name="Wijkontwikkelingsplan", exact=True).wait_for(timeout=60_000)
    box = page.get_by_label("Buurt of wijk", exact=True).first
    box.click()
    page.keyboard.type("Braakhuizen-Zuid")
    page.get_by_role("option", name="Braakhuizen-Zuid (BU17710005)", exact=False).first.click()
    page.get_by_role("heading", name="Wijkontwikkelingsplan Braakhuizen-Zuid").wait_for(timeout=30_000)
    page.get_by_text(section, exact=True).click()
    _wait_idle(page)


def test_refused_agenda_edit_stays_in_the_table(page, app_server, planner):
    from geo import agenda, plans
    from geo import model as m

    plan = plans.plan_for(planner, "BU17710005")
    before = [a.to_dict() for a in agenda.plan_activities(planner, plan)]
    _open_plan(page, app_server, "Uitvoeringsagenda")
    grid = page.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 150, box["y"] + 52)  # first row, title column
    page.locator("#glide-cell-2-0[aria-selected='true']").wait_for(state="attached", timeout=10_000)
    for col in range(3, 7):  # title → domain → lead → partners → start
        page.keyboard.press("ArrowRight")
        page.locator(f"#glide-cell-{col}-0[aria-selected='true']").wait_for(state="attached", timeout=10_000)
    page.keyboard.press("Enter")  # open the cell editor
    editor = page.locator("textarea.gdg-input")
    editor.wait_for(timeout=10_000)
    editor.fill("2027-Q9")
    editor.press("Enter")
    page.wait_for_function("document.querySelector('#glide-cell-6-0').textContent === '2027-Q9'", timeout=10_000)
    page.wait_for_timeout(1000)  # the editor reports its edits to the app after a short delay
    page.get_by_role("button", name="Agenda opslaan").click()
    _wait_idle(page)
    page.get_by_text("Niets opgeslagen: 1 rij(en) geweigerd").wait_for(timeout=30_000)
    errors = page.locator("[data-testid='stAlertContentError']").all_inner_texts()
    assert any("rij 1, begin: '2027-Q9' is geen kwartaal" in e for e in errors), errors
    assert page.locator("#glide-cell-6-0").inner_text() == "2027-Q9"  # nothing lost
    assert [a.to_dict() for a in agenda.plan_activities(planner, plan)] == before  # nothing saved
    assert m.quarter_index(before[0]["start"])  # the stored value is still a valid quarter


def test_drawn_point_is_saved_with_the_activity(page, app_server, planner):
    from geo import agenda, plans
    from geo import model as m

    plan = plans.plan_for(planner, "BU17710005")
    first = agenda.plan_activities(planner, plan)[0]
    _open_plan(page, app_server, "Op de kaart")
    frame = map_frame(page)
    frame.locator(".leaflet-draw-draw-marker").click()
    frame.locator(".leaflet-container").click(position={"x": 300, "y": 250})
    _wait_idle(page)
    page.get_by_text("Getekend: punt in").wait_for(timeout=30_000)
    page.get_by_role("button", name="Plek opslaan bij activiteit").click()
    _wait_idle(page)
    page.get_by_text(f"Plek opgeslagen bij '{first.title}'").wait_for(timeout=30_000)
    saved = planner.get(m.Activity, first.id)
    assert saved.geometry is not None and saved.geometry.geom_type == "Point"
    assert saved.buurt_code and saved.buurt_code.startswith("BU1771")
    # leaflet-draw and every script came from the app itself (only basemap tiles may be asked for)
    assert [u for u in page.external_requests if not u.endswith(".png")] == []


def test_agenda_saved_by_someone_else_meanwhile_keeps_what_was_typed(page, app_server, planner):
    from geo import agenda, plans
    from geo import model as m

    plan = plans.plan_for(planner, "BU17710005")
    first = agenda.plan_activities(planner, plan)[0]
    _open_plan(page, app_server, "Uitvoeringsagenda")
    grid = page.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 150, box["y"] + 52)  # first row, title column
    page.locator("#glide-cell-2-0[aria-selected='true']").wait_for(state="attached", timeout=10_000)
    page.keyboard.press("Enter")
    editor = page.locator("textarea.gdg-input")
    editor.wait_for(timeout=10_000)
    editor.fill("Titel getypt in de tabel")
    editor.press("Enter")
    page.wait_for_function("document.querySelector('#glide-cell-2-0').textContent === 'Titel getypt in de tabel'",
                           timeout=10_000)
    page.wait_for_timeout(1000)  # the editor reports its edits to the app after a short delay
    _wait_idle(page)
    # Meanwhile a colleague (another app server) saves the same activity.
    theirs = planner.get(m.Activity, first.id)
    theirs.title = "Titel van een collega"
    planner.update(theirs)
    page.get_by_role("button", name="Agenda opslaan").click()
    _wait_idle(page)
    page.get_by_text("Iemand anders heeft de agenda van dit plan opgeslagen nadat u het opende",
                     exact=False).wait_for(timeout=30_000)
    assert page.locator("#glide-cell-2-0").first.inner_text() == "Titel getypt in de tabel"  # nothing lost
    assert planner.get(m.Activity, first.id).title == "Titel van een collega"  # not overwritten
    page.get_by_role("button", name="Agenda opslaan").click()  # having seen it: keep the table's version
    _wait_idle(page)
    page.get_by_text("Agenda opgeslagen", exact=False).wait_for(timeout=30_000)
    assert planner.get(m.Activity, first.id).title == "Titel getypt in de tabel"
