"""AppTest of the public page ``mijn-buurt`` ("Wat gebeurt er in mijn buurt?")."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from geo import model as m
from geo.store import open_store
from tests.conftest import ROOT


def _open(query: dict | None = None, page: str = "pages/buurt.py", role: str | None = None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if role:
        from geo.access import Actor

        at.session_state["actor"] = Actor(f"test-{role}", role)
    at.run()
    at.switch_page(page)
    at.run()
    return at


def _map_script(at) -> str:
    found = [el for el in at.get("component_instance") if el.proto.component_name.endswith("st_folium")]
    assert len(found) == 1
    return found[0].proto.json_args


def test_asks_for_a_buurt_without_one(app_env):
    at = _open()
    assert not at.exception
    assert at.title[0].value == "Wat gebeurt er in mijn buurt?"
    assert at.selectbox(key="pub_buurt").value == ""


def test_shareable_link_opens_the_buurt_with_its_plan(app_env):
    at = _open({"buurt": "BU17710005"})
    assert not at.exception
    assert at.selectbox(key="pub_buurt").value == "BU17710005"
    assert at.header[0].value == "Braakhuizen-Zuid"
    assert at.subheader[0].value == "Wijkontwikkelingsplan Braakhuizen-Zuid"
    table = at.dataframe[0].value
    assert "Buurtmoestuin naast de oude school" in list(table["Titel"])
    assert "Raming" not in table.columns  # costs are not public in the demo
    texts = [x.value for x in at.text]
    assert any("Wat we doen: Buurtmoestuin naast de oude school" in x for x in texts)
    assert "activity-" in _map_script(at)
    assert at.query_params["buurt"] in ("BU17710005", ["BU17710005"])


def test_costs_show_when_the_plan_makes_them_public(app_env):
    s = open_store(app_env)
    plan = s.list(m.Plan, area_code="BU17710005")[0]
    plan.costs_public = True
    s.update(plan)
    at = _open({"buurt": "BU17710005"})
    assert "Raming" in at.dataframe[0].value.columns


def test_unknown_or_hostile_parameter_is_refused_calmly(app_env):
    at = _open({"buurt": "<script>alert(1)</script>"})
    assert not at.exception
    assert at.selectbox(key="pub_buurt").value == ""
    assert any("kennen we niet" in w.value for w in at.warning)


def test_explorer_opens_the_buurt_from_the_same_parameter(app_env):
    at = _open({"buurt": "BU17710005"}, page="pages/explore.py")
    assert not at.exception
    assert at.session_state["explore_pick"] == "BU17710005"
    assert any(h.value == "Braakhuizen-Zuid" for h in at.subheader)


def test_share_line_without_a_browser_shows_the_path(app_env):
    at = _open({"buurt": "BU17710005"})
    assert any("mijn-buurt?buurt=BU17710005" in c.value for c in at.caption)
