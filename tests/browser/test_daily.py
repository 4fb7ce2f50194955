"""Daily use in a real browser: pickers that show the saved state, forms that
clear after a save and do not double."""

from __future__ import annotations

import pytest

from .conftest import select_option, sign_in, staff_account, wait_idle

PLANNER, PASSWORD = "planner-daily", "een veilig wachtwoord"


@pytest.fixture(scope="module")
def planner(app_server):
    from geo.store import open_store

    staff_account(app_server["db_url"], PLANNER, "planner", PASSWORD)
    store = open_store(app_server["db_url"])
    yield store
    store.close()


def _picker_text(page) -> str:
    box = page.locator("[data-testid=stSelectbox]").filter(has_text="Buurt of wijk").first
    return box.locator("input").input_value() or box.inner_text()


def _open_plan(page, app_server, buurt: str) -> None:
    page.goto(app_server["url"])
    sign_in(page, PLANNER, PASSWORD)
    page.get_by_role("link", name="Wijkplan").click()
    page.get_by_role("heading", name="Wijkontwikkelingsplan", exact=True).wait_for(timeout=60_000)
    box = page.get_by_label("Buurt of wijk", exact=True).first
    box.click()
    page.keyboard.type(buurt)
    page.get_by_role("option", name=buurt, exact=False).first.click()
    wait_idle(page)


def test_plan_picker_shows_a_new_stage_at_once_and_keeps_the_buurt(page, app_server, planner):
    from geo import model as m
    from geo import plans
    from geo.i18n import label

    plan = plans.plan_for(planner, "BU17710006")
    _open_plan(page, app_server, "Coevering (BU17710006)")
    before = _picker_text(page)
    assert "Coevering" in before and label(plan.stage, "nl") in before
    target = next(s for s in plans.next_stages(planner, plan) if s != plan.stage)
    select_option(page, "Naar fase", label(target, "nl"))
    page.get_by_role("button", name="Fase wijzigen").click()
    page.get_by_text(f"{label(target, 'nl')}", exact=False).first.wait_for()
    wait_idle(page)
    assert planner.get(m.Plan, plan.id).stage == target
    after = _picker_text(page)
    assert "Coevering" in after and after.endswith(label(target, "nl")), after
    # leave the page and come back: the same buurt
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Kaartverkenner").click()
    page.get_by_role("heading", name="Kaartverkenner").first.wait_for()
    page.get_by_role("link", name="Wijkplan").click()
    page.get_by_role("heading", name="Wijkontwikkelingsplan", exact=True).wait_for(timeout=60_000)
    wait_idle(page)
    assert "Coevering" in _picker_text(page)
    restored = planner.get(m.Plan, plan.id)  # the shared demo database as it was, for the other tests
    restored.stage = plan.stage
    planner.update(restored)


def test_saved_analysis_point_clears_the_form_and_a_double_click_adds_one(page, app_server, planner):
    from geo import model as m

    _open_plan(page, app_server, "Coevering (BU17710006)")
    page.get_by_text("Analyse", exact=True).first.click()
    wait_idle(page)
    text = "Te weinig zitplekken langs de Coeveringse Dreef"
    area = page.get_by_label("Tekst", exact=True)
    area.fill(text)
    page.get_by_role("button", name="Opslaan").dblclick()
    page.get_by_text("Opgeslagen.").first.wait_for()
    wait_idle(page)
    assert page.get_by_label("Tekst", exact=True).input_value() == ""
    items = planner.list(m.AnalysisItem, text=text)
    assert len(items) == 1
    planner.delete(m.AnalysisItem, items[0].id)
