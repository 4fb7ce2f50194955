"""Shared fixtures: a fast empty store, a loaded demo store, and the app env.

- ``store``: an empty store per test, once on SQLite (in memory) and once on
  PostGIS (a fresh database); ``demo_store`` likewise with the demo loaded.
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
from tests.common import app_on

ROOT = Path(__file__).resolve().parent.parent
SHARED_REAL = ROOT.parent / "shared" / "data" / "real"


# --- both stores: every test that takes ``store`` or ``demo_store`` runs twice ---
BACKENDS = ("sqlite", "postgis")


@pytest.fixture(scope="session")
def postgis_server(tmp_path_factory):
    """A PostgreSQL server with PostGIS for the tests (see :mod:`tests.postgis`).

    ``WIJKATLAS_TEST_DATABASE_URL`` names one (a user that may create
    databases); otherwise a private throwaway cluster is started when
    PostgreSQL and PostGIS are installed. Without either the PostGIS half of
    the suite skips, unless ``WIJKATLAS_REQUIRE_POSTGIS=1`` (CI) makes that a
    failure.
    """
    from tests.postgis import server_for_tests

    with server_for_tests(tmp_path_factory) as server:
        yield server


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def store_url(backend, request) -> str:
    """The URL of a fresh, empty store of the test's backend."""
    if backend == "sqlite":
        return "sqlite://:memory:"
    return request.getfixturevalue("postgis_server").new_database("empty")


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    yield s
    s.close()


@pytest.fixture
def pg_demo_url(postgis_server) -> str:
    """A fresh PostGIS database holding the demo (for CLI, page and process tests)."""
    return postgis_server.new_database("demo")


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
def demo_store(backend, request):
    url = request.getfixturevalue("demo_db_url" if backend == "sqlite" else "pg_demo_url")
    s = open_store(url)
    yield s
    s.close()


@pytest.fixture
def app_env(demo_db_url, monkeypatch):
    """Environment for AppTest: a private copy of the demo database."""
    yield from app_on(demo_db_url, monkeypatch)


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

