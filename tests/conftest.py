"""Shared fixtures: a fast empty store, a loaded demo store, and the app env.

- ``store``: an empty in-memory store per test (unit tests).
- ``demo_db_url``: a SQLite file with the demo, built once per session and
  copied per use, so page tests never share writes.
- ``app_env``: points ``WIJKATLAS_DATABASE_URL`` at a fresh copy of the demo
  for AppTest; ``apptest(page)`` runs one page through the real frame.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo.access import Actor
from geo.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SHARED_REAL = ROOT.parent / "shared" / "data" / "real"


@pytest.fixture
def store():
    s = open_store("sqlite://:memory:")
    yield s
    s.close()


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory) -> Path:
    from geo.bootstrap import init_database

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    s, _ = init_database(f"sqlite:///{path}", demo=True)
    # Fold the WAL into the main file so a plain copy holds everything.
    s._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    return path


@pytest.fixture
def demo_db_url(demo_db_template, tmp_path) -> str:
    path = tmp_path / "wijkatlas.db"
    shutil.copy(demo_db_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def demo_store(demo_db_url):
    s = open_store(demo_db_url)
    yield s
    s.close()


@pytest.fixture
def app_env(demo_db_url, monkeypatch):
    """Environment for AppTest: a private copy of the demo database."""
    monkeypatch.setenv("WIJKATLAS_DATABASE_URL", demo_db_url)
    monkeypatch.chdir(ROOT)
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    return demo_db_url


@pytest.fixture
def apptest(app_env):
    """Run ``app.py`` with a given page and (optionally) a signed-in role.

    ``apptest("verkennen", role="planner")`` returns an AppTest that has run
    once with that page selected. The page is chosen by its url path, as the
    browser would (``st.navigation`` picks the page from the URL).
    """
    from streamlit.testing.v1 import AppTest

    def run(url_path: str | None = None, role: str | None = None, timeout: float = 60, **state):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
        if role:
            # a partner acts for an organisation of the demo (LEVgroep unless ``partner=`` says otherwise)
            organisation = state.pop("partner", "LEVgroep") if role == "partner" else None
            at.session_state["actor"] = Actor(name=f"test-{role}", role=role, partner=organisation)
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
        if url_path and url_path != "verkennen":
            at.switch_page(_page_file(url_path))
            at.run()
        return at

    return run


def _page_file(url_path: str) -> str:
    from geo.navigation import entry

    return entry(url_path).file


@pytest.fixture
def real_data() -> Path:
    """The shared folder of real CBS/PDOK/BGT files; skips when it is absent."""
    if not SHARED_REAL.is_dir():
        pytest.skip("../shared/data/real is not available")
    return SHARED_REAL
