"""One number per activity: agenda table and form, plan map and its picker, quick wins, plan document."""

from __future__ import annotations

import datetime as dt
import re

from shapely.geometry import Point

from geo import agenda, drawing
from geo import model as m
from geo.access import Actor
from geo.plans import plan_for
from geo.report import gather
from geo.report.content import agenda_table
from geo.report.pdf import render_pdf
from test_report import pdf_text

PLANNER = Actor("anna", "planner")
TODAY = dt.date(2026, 11, 26)


def _plan(store, code="BU17710005"):
    plan = plan_for(store, code)
    return plan, agenda.plan_activities(store, plan)


def test_numbers_follow_the_order_activities_were_added_not_the_table_sort():
    acts = [m.Activity("late", "social", start="2027-Q1", id=40), m.Activity("early", "social", start="2025-Q1", id=41),
            m.Activity("first", "social", start="2026-Q1", id=12)]
    assert agenda.activity_numbers(acts) == {12: 1, 40: 2, 41: 3}
    assert agenda.numbered(acts[1], agenda.activity_numbers(acts)) == "3. early"


def test_the_same_number_in_table_map_picker_form_and_document(demo_store, tmp_path):
    plan, acts = _plan(demo_store)
    assert len(acts) >= 3
    assert [a.id for a in acts] != sorted(a.id for a in acts) or acts[0].id != 1  # ids alone would not do
    numbers = {r["id"]: r["number"] for r in agenda.agenda_rows(acts)}
    assert sorted(numbers.values()) == list(range(1, len(acts) + 1))
    # the map picker and the map's labels
    targets = agenda.map_targets(acts, [], "nl")
    for a in acts:
        assert targets[("activity", a.id)] == f"{numbers[a.id]}. {a.title}"
    area = demo_store.get(m.Area, plan.area_code)
    script = drawing.plan_map(area, [], acts, [], "nl").get_root().render()
    for a in acts:
        if a.geometry is not None:
            assert f"<b>{numbers[a.id]}. " in script and a.title.split()[0] in script
    # the plan document: its table, and the PDF text
    data = gather(demo_store, plan.area_code, TODAY)
    _, rows = agenda_table(data)
    by_title = {r[1].split("\n")[0].removesuffix(" (quick win)"): int(r[0]) for r in rows}
    assert by_title == {a.title: numbers[a.id] for a in acts}
    _, text = pdf_text(render_pdf(data), tmp_path)
    for a in acts:
        assert re.search(rf"\b{numbers[a.id]} {re.escape(a.title[:20])}", text), a.title


def test_a_new_activity_does_not_renumber_the_others(demo_store):
    plan, acts = _plan(demo_store)
    before = {a.id: n for a, n in ((a, agenda.agenda_rows(acts)[i]["number"]) for i, a in enumerate(acts))}
    inside = demo_store.get(m.Area, plan.area_code).geometry.representative_point()
    new = agenda.save_activity(demo_store, PLANNER, m.Activity("Eerst van alles", "social", start="2020-Q1",
                                                               end="2020-Q2", plan_id=plan.id,
                                                               geometry=Point(inside.x, inside.y)))
    _, after_acts = _plan(demo_store)
    assert after_acts[0].id == new.id  # sorted first in the table …
    after = {r["id"]: r["number"] for r in agenda.agenda_rows(after_acts)}
    assert {k: after[k] for k in before} == before  # … but the others keep their numbers
    assert after[new.id] == len(acts) + 1


def test_plan_page_table_and_form_picker_agree(apptest):
    at = apptest("plan", role="planner", plan_pick="BU17710005", plan_section="agenda")
    assert not at.exception
    frame = at.dataframe[0].value  # the agenda's data editor
    numbers = dict(zip(frame["title"], frame["number"]))
    options = at.selectbox(key="plan_act_pick").options[1:]
    assert {o.split(". ", 1)[1]: int(o.split(". ", 1)[0]) for o in options} == numbers
