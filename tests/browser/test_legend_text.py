"""A figure's name comes from the imported file's header when CBS does not know it: in the
explorer's colouring list and in the sidebar legend (drawn by st.html) it stays text."""

from __future__ import annotations

import shutil

import pytest

from geo import model as m
from geo.store import open_store
from tests.browser.conftest import map_frame, run_app, select_option, wait_idle

pytestmark = pytest.mark.browser

FIGURE = "<img src=x onerror=window.__pwned=1>=HYPERLINK(\"http://x\")"


@pytest.fixture(scope="module")
def hostile_figure_app(demo_db_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("legend")
    db = folder / "wijkatlas.db"
    shutil.copy(demo_db_template, db)
    store = open_store(f"sqlite:///{db}")
    try:
        for i, area in enumerate(store.list(m.Area, level="buurt")):
            area.figures[FIGURE] = float(i)
            store.update(area)
    finally:
        store.close()
    yield from run_app(db, folder)


def test_a_figure_named_like_html_is_shown_as_text_in_the_legend(browser, hostile_figure_app):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    try:
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(hostile_figure_app["url"])
        map_frame(page)
        wait_idle(page)
        select_option(page, "Kleur buurten naar", FIGURE)
        legend = page.locator("[data-testid=stSidebar] [data-testid=stExpander]").last
        page.wait_for_function("(t) => [...document.querySelectorAll('[data-testid=stSidebar] "
                               "[data-testid=stExpander]')].some(e => e.innerText.includes(t))", arg=FIGURE,
                               timeout=30_000)
        assert legend.locator("img").count() == 0
        assert page.evaluate("window.__pwned") is None
        assert not dialogs
    finally:
        context.close()
