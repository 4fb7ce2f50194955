"""The first visitor after a server start, in a real browser.

Streamlit treats a folder ``pages/`` beside the entry script as an old-style
multipage app until the process first runs ``st.navigation``. Before the fix
the first visit to a shared link (``/meedenken``) after a start showed
Streamlit's English "Page not found" box, and a link named after a page file
(``/moderation``, ``/plan``) ran that file without the frame around it (with
Streamlit's own English page list in the sidebar). Every test here starts a
server of its own, so each visit is the first one of its process.
"""

from __future__ import annotations

import re
import shutil

import pytest

from tests.browser.conftest import STREAMLIT_RUN, _require_browser, run_app
from tests.browser.conftest import wait_idle as _idle

pytestmark = pytest.mark.browser

# Streamlit's own page list for the pages/ folder names pages after their files.
FILE_NAMED_PAGES = ("app", "admin", "moderation", "real estate", "initiative review")


def _fresh_server(demo_db_template, tmp_path_factory, name: str, **kwargs):
    _require_browser()
    folder = tmp_path_factory.mktemp(name)
    db = folder / "wijkatlas.db"
    shutil.copy(demo_db_template, db)
    return run_app(db, folder, **kwargs)


def _first_visit(browser, url: str, heading: str):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    ctx.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    page = ctx.new_page()
    page.goto(url)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
    _idle(page)
    page.wait_for_timeout(1000)  # a late notice would have arrived by now
    return ctx, page


def _sidebar_links(page) -> list[str]:
    """The page names in the sidebar menu (each link's last line; an icon's name comes first)."""
    return [t.strip().splitlines()[-1].strip().lower()
            for t in page.locator("[data-testid='stSidebarNav'] a").all_inner_texts() if t.strip()]


def test_the_first_visit_to_a_shared_link_opens_the_page_without_a_notice(browser, demo_db_template,
                                                                           tmp_path_factory):
    server = _fresh_server(demo_db_template, tmp_path_factory, "cold-serve")
    app = next(server)
    try:
        ctx, page = _first_visit(browser, f"{app['url']}/meedenken", "Denk mee over uw buurt")
        assert page.get_by_text("Page not found").count() == 0
        assert page.get_by_role("dialog").count() == 0
        assert "meedenken" in _sidebar_links(page)
        assert not set(FILE_NAMED_PAGES) & set(_sidebar_links(page))
        ctx.close()
    finally:
        next(server, None)


@pytest.mark.parametrize("path, heading", [("plan", "Wijkplan"), ("moderation", "Kaartverkenner")])
def test_a_plain_streamlit_run_never_runs_a_page_outside_the_frame(browser, demo_db_template, tmp_path_factory,
                                                                     path, heading):
    """``streamlit run app.py`` (still supported): a link named after a page
    file is answered by the frame: its menu, its sign-in and its access check
    (``/plan`` needs a planner: the frame's Dutch refusal), or the start page
    for a name that is not one of ours."""
    server = _fresh_server(demo_db_template, tmp_path_factory, f"cold-run-{path}", command=STREAMLIT_RUN)
    app = next(server)
    try:
        ctx, page = _first_visit(browser, f"{app['url']}/{path}", heading)
        links = _sidebar_links(page)
        assert "kaartverkenner" in links and "meedenken" in links
        assert not set(FILE_NAMED_PAGES) & set(links), links
        assert page.get_by_text("Aanmelden voor medewerkers").count() >= 1  # the frame's sign-in is there
        if path == "plan":
            assert page.get_by_text("alleen voor medewerkers met de juiste rol").count() == 1
        ctx.close()
    finally:
        next(server, None)
