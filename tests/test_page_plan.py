"""AppTest of the plan page: roles, stage, analysis, an activity save refused and kept, drawing, evaluation."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import box

from geo import model as m
from geo.access import Actor
from geo.crs import rd_to_lonlat
from geo.navigation import entry
from geo.store import open_store

from test_plans import build_world

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def world_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'world.db'}"
    s = open_store(url)
    build_world(s)
    s.close()
    monkeypatch.setenv("WIJKATLAS_DATABASE_URL", url)
    monkeypatch.chdir(ROOT)
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    return url


def open_page(url_path: str, role: str | None, **state):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if role:
        at.session_state["actor"] = Actor(name=f"test-{role}", role=role)
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    at.switch_page(entry(url_path).file)
    at.run()
    return at


def texts(at, kind="error") -> list[str]:
    return [e.value for e in getattr(at, kind)]


def read(url):
    return open_store(url)


@pytest.mark.parametrize("role", [None, "moderator", "real-estate"])
def test_residents_and_other_staff_cannot_reach_the_plan_page(world_url, role):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if role:
        at.session_state["actor"] = Actor(name="x", role=role)
    at.run()
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(entry("plan").file)


def frames_text(at) -> str:
    return "\n".join(d.value.to_string() for d in at.dataframe)


def show(at, section: str):
    at.radio(key="plan_section").set_value(section)
    at.run()
    assert not at.exception
    return at


def test_planner_sees_the_plan(world_url):
    at = open_page("plan", "planner", plan_pick="BU17710005")
    assert not at.exception
    assert at.subheader[0].value == "Wijkontwikkelingsplan Braakhuizen-Zuid"
    sections = at.radio(key="plan_section")
    assert list(sections.options)[:3] == ["Plan en fase", "Analyse", "Uitvoeringsagenda"]
    assert at.text_input(key=f"plan_title_{1}").value == "Wijkontwikkelingsplan Braakhuizen-Zuid"
    assert "Onveilige oversteek bij de school" in frames_text(show(at, "analysis"))
    assert "Bankjes bij de vijver" in frames_text(show(at, "quick_wins"))
    assert "Wijs per buurt één vast aanspreekpunt aan" in frames_text(show(at, "evaluation"))
    show(at, "map")
    maps = [c for c in at.get("component_instance") if "leaflet.draw" in str(c.proto)]
    assert maps, "the drawing map is there"
    assert "/app/static/vendor/leaflet-draw/leaflet.draw.js" in str(maps[0].proto)
    assert "unpkg" not in str(maps[0].proto) and "cdnjs" not in str(maps[0].proto)
    show(at, "document")
    assert len(at.get("download_button")) == 2


def test_refused_activity_save_keeps_what_was_typed(world_url):
    at = open_page("plan", "planner", plan_pick="BU17710005", plan_section="agenda")
    before = read(world_url).count(m.Activity)
    at.text_input(key="plan_act_title_new_0").input("Moestuin bij De Smidse")
    at.text_input(key="plan_act_lead_new_0").input("Welzijn Geldrop")
    at.text_input(key="plan_act_start_new_0").input("2027-Q3")
    at.text_input(key="plan_act_end_new_0").input("2027-Q1")
    at.button(key="plan_act_save_new_0").click()
    at.run()
    assert not at.exception
    errors = texts(at)
    assert any("einde" in e and "vóór beginkwartaal 2027-Q3" in e for e in errors), errors
    # nothing saved, nothing lost
    assert read(world_url).count(m.Activity) == before
    assert at.text_input(key="plan_act_title_new_0").value == "Moestuin bij De Smidse"
    assert at.text_input(key="plan_act_lead_new_0").value == "Welzijn Geldrop"
    assert at.text_input(key="plan_act_start_new_0").value == "2027-Q3"
    assert at.text_input(key="plan_act_end_new_0").value == "2027-Q1"
    # corrected, it saves
    at.text_input(key="plan_act_end_new_0").input("2027-Q4")
    at.button(key="plan_act_save_new_0").click()
    at.run()
    assert not at.exception and not texts(at)
    assert any("Moestuin bij De Smidse" in s for s in texts(at, "success"))
    saved = [a for a in read(world_url).list(m.Activity) if a.title == "Moestuin bij De Smidse"]
    assert len(saved) == 1 and saved[0].buurt_code == "BU17710005" and saved[0].end == "2027-Q4"
    assert at.text_input(key="plan_act_title_new_1").value == ""  # a fresh form for the next one


def test_stage_change_is_refused_with_the_reason(world_url):
    at = open_page("plan", "planner", plan_pick="BU17710006")
    assert not at.exception
    assert any("analyse minstens één" in c.value for c in at.caption)
    plan_id = read(world_url).list(m.Plan, area_code="BU17710006")[0].id
    assert at.selectbox(key=f"plan_stage_target_{plan_id}").options == ["Niet gestart", "Analyse"]


def test_add_analysis_point_and_evaluation_factor(world_url):
    at = open_page("plan", "planner", plan_pick="BU17710006", plan_section="analysis")
    at.text_area(key="plan_analysis_text").input("Weinig groen rond de flats")
    at.radio(key="plan_analysis_kind").set_value("bottleneck")
    at.button(key="plan_analysis_save").click()
    at.run()
    assert not at.exception
    items = read(world_url).list(m.AnalysisItem, text="Weinig groen rond de flats")
    assert len(items) == 1 and items[0].kind == "bottleneck"
    # sharing a lesson without writing one is refused, input kept
    show(at, "evaluation")
    at.text_input(key="plan_eval_factor").input("Goede opkomst")
    at.checkbox(key="plan_eval_share").check()
    at.button(key="plan_eval_save").click()
    at.run()
    assert any("les op" in e for e in texts(at))
    assert at.text_input(key="plan_eval_factor").value == "Goede opkomst"


def test_drawn_shape_is_saved_with_the_activity(world_url):
    at = open_page("plan", "planner", plan_pick="BU17710005", plan_section="map")
    s = read(world_url)
    bench = next(a for a in s.list(m.Activity) if a.title == "Bankjes bij de vijver")
    ring = [list(rd_to_lonlat(x, y)) for x, y in box(167200, 380200, 167400, 380400).exterior.coords]
    at.selectbox(key="plan_map_target").set_value(("activity", bench.id))
    comp = next(c for c in at.get("component_instance") if "leaflet.draw" in str(c.proto))
    at.session_state[comp.key] = {
        "last_active_drawing": {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}},
        "all_drawings": [],
    }
    at.run()
    assert not at.exception
    assert any("vlak van 4,00 ha" in i.value and "Coevering" in i.value for i in at.info)
    at.button(key="plan_map_save").click()
    at.run()
    assert not at.exception
    saved = read(world_url).get(m.Activity, bench.id)
    assert saved.geometry.geom_type == "Polygon" and saved.buurt_code == "BU17710006"


def test_create_a_plan_for_a_buurt_without_one(world_url):
    s = read(world_url)
    s.delete(m.Plan, s.list(m.Plan, area_code="BU17710006")[0].id)
    at = open_page("plan", "admin", plan_pick="BU17710006")
    assert any("nog geen plan" in i.value for i in at.info)
    at.button(key="plan_create").click()
    at.run()
    assert not at.exception
    assert read(world_url).list(m.Plan, area_code="BU17710006")[0].stage == "not_started"
    assert at.radio(key="plan_section")


@pytest.mark.parametrize("section", ["plan", "analysis", "agenda", "map", "quick_wins", "evaluation", "document"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_section_runs_on_the_demo(apptest, section, lang):
    at = apptest("plan", role="planner", plan_section=section, plan_pick="BU17710005", lang=lang)
    assert not at.exception
    assert not at.error
    if lang == "en":
        assert at.title[0].value == "Neighbourhood development plan"


def test_a_plan_saved_by_someone_else_meanwhile_is_a_conflict_that_keeps_what_was_typed(world_url):
    at = open_page("plan", "planner", plan_pick="BU17710005")
    at.text_area(key="plan_summary_1").input("Mijn samenvatting, met zorg getypt")
    # Meanwhile a colleague on another app server saves the same plan.
    other = read(world_url)
    plan = other.get(m.Plan, 1)
    plan.summary = "De samenvatting van een collega"
    other.update(plan)
    at.button(key="plan_save_1").click()
    at.run()
    assert not at.exception
    warnings = texts(at, "warning")
    assert any("Iemand anders heeft dit plan opgeslagen nadat u het opende" in w for w in warnings), warnings
    assert read(world_url).get(m.Plan, 1).summary == "De samenvatting van een collega"  # not overwritten
    assert at.text_area(key="plan_summary_1").value == "Mijn samenvatting, met zorg getypt"  # nothing lost
    assert any("De samenvatting van een collega" in x.value for x in at.text)  # what is stored now
    # Having seen it, saving again keeps this version.
    at.button(key="plan_save_1").click()
    at.run()
    assert not at.exception and not texts(at, "warning")
    assert read(world_url).get(m.Plan, 1).summary == "Mijn samenvatting, met zorg getypt"


def test_an_activity_saved_by_someone_else_meanwhile_is_a_conflict(world_url):
    store = read(world_url)
    act = store.list(m.Activity, plan_id=1, order_by="id")[0]
    at = open_page("plan", "planner", plan_pick="BU17710005", plan_section="agenda", plan_act_pick=act.id,
                   _kept_plan_act_pick=act.id)
    key = f"{act.id}_0"
    at.text_input(key=f"plan_act_title_{key}").input("Mijn nieuwe titel")
    theirs = store.get(m.Activity, act.id)
    theirs.title = "Titel van een collega"
    store.update(theirs)
    at.button(key=f"plan_act_save_{key}").click()
    at.run()
    assert not at.exception
    assert any("Iemand anders heeft deze activiteit opgeslagen" in w for w in texts(at, "warning"))
    assert store.get(m.Activity, act.id).title == "Titel van een collega"
    assert at.text_input(key=f"plan_act_title_{key}").value == "Mijn nieuwe titel"


def test_an_agenda_table_saved_by_someone_else_meanwhile_is_a_conflict_that_keeps_the_edits(world_url):
    from geo import agenda

    store = read(world_url)
    plan = store.get(m.Plan, 1)
    first = agenda.plan_activities(store, plan)[0]
    at = open_page("plan", "planner", plan_pick="BU17710005", plan_section="agenda")
    edits = {"edited_rows": {0: {"title": "Mijn titel in de tabel"}}, "added_rows": [], "deleted_rows": []}
    at.session_state["plan_agenda_1_0"] = edits
    at.run()
    # Meanwhile a colleague on another app server saves the same activity.
    theirs = store.get(m.Activity, first.id)
    theirs.title = "Titel van een collega"
    store.update(theirs)
    at.run()  # any rerun: the table keeps what was typed (its base is not swapped under the edits)
    assert at.session_state["plan_agenda_1_0"]["edited_rows"] == {0: {"title": "Mijn titel in de tabel"}}
    at.button(key="plan_agenda_save").click()
    at.run()
    assert not at.exception
    warnings = texts(at, "warning")
    assert any("Iemand anders heeft de agenda van dit plan opgeslagen nadat u het opende" in w for w in warnings)
    assert read(world_url).get(m.Activity, first.id).title == "Titel van een collega"  # not overwritten
    shown_now = at.dataframe[-1].value  # what is stored now, below the warning
    assert "Titel van een collega" in list(shown_now.iloc[:, 1])
    assert at.session_state["plan_agenda_1_0"]["edited_rows"] == {0: {"title": "Mijn titel in de tabel"}}
    # Having seen it, saving again keeps the table's version.
    at.button(key="plan_agenda_save").click()
    at.run()
    assert not at.exception and not texts(at, "warning")
    assert read(world_url).get(m.Activity, first.id).title == "Mijn titel in de tabel"
    assert any("Agenda opgeslagen" in s for s in texts(at, "success"))
