"""One gemeente at a time in a real browser: a second gemeente in the
database stays off every page until it is chosen in the sidebar, and the
choice is kept while moving between pages."""

from __future__ import annotations

import shutil

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, run_app, select_option, sign_in, staff_account, wait_idle
from tests.test_scope import add_second_gemeente


@pytest.fixture(scope="module")
def two_server(demo_db_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("two")
    db = folder / "wijkatlas.db"
    shutil.copy(demo_db_template, db)
    add_second_gemeente(f"sqlite:///{db}")
    yield from run_app(db, folder)


@pytest.fixture
def tab(browser, two_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def test_a_second_gemeente_stays_off_every_page_until_chosen(tab, two_server):
    staff_account(two_server["db_url"], "pien", "planner", "een lang wachtwoord")
    tab.goto(two_server["url"] + "/")
    sign_in(tab, "pien", "een lang wachtwoord")
    tab.get_by_role("link", name="Vastgoed").first.click()
    tab.get_by_role("heading", name="Maatschappelijk vastgoed").first.wait_for()
    wait_idle(tab)
    body = tab.locator("[data-testid=stMain]").text_content()
    assert "Proefschool" not in body
    select_option(tab, "Gemeente", "Proefgemeente (GM9999)")
    tab.get_by_text("Proefschool").first.wait_for(state="attached")
    assert "Braakhuizen" not in tab.locator("[data-testid=stMain]").text_content()
    # another page keeps the choice
    tab.get_by_role("link", name="Wijkplan").first.click()
    wait_idle(tab)
    tab.get_by_text("Proefplan").first.wait_for(state="attached")
    picker = tab.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").filter(has_text="Gemeente")
    assert picker.locator("input").input_value() == "Proefgemeente (GM9999)"
    assert "Braakhuizen" not in tab.locator("[data-testid=stMain]").text_content()
