"""Every page of the app runs on PostGIS (WIJKATLAS_DATABASE_URL=postgresql://…).

One AppTest per page, signed in with a role that may open it, against a
fresh PostGIS database holding the demo: no exception, no error box.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.access import Actor
from geo.navigation import PAGES
from tests.common import app_on

ROOT = Path(__file__).resolve().parent.parent


def _role_for(entry) -> str | None:
    for role in ("admin", "planner", "moderator", "real-estate"):
        if role in entry.roles:
            return role
    return None if "resident" in entry.roles else entry.roles[0]


@pytest.fixture
def pg_app_env(pg_demo_url, monkeypatch):
    yield from app_on(pg_demo_url, monkeypatch)


@pytest.mark.parametrize("entry", PAGES, ids=[e.url_path for e in PAGES])
def test_page_runs_on_postgis(pg_app_env, entry):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    role = _role_for(entry)
    if role:
        at.session_state["actor"] = Actor(name=f"test-{role}", role=role,
                                          partner="LEVgroep" if role == "partner" else None)
    at.run()
    if entry.url_path != "verkennen":
        at.switch_page(entry.file)
        at.run()
    assert not at.exception, f"{entry.url_path}: {at.exception}"
    assert [e.value for e in at.error] == [], entry.url_path
    assert at.title, entry.url_path
