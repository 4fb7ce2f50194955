"""Pickers that show the truth: after a stage change the plan picker shows the
new stage at once and keeps the buurt; leaving the page and coming back too."""

from __future__ import annotations

from geo import model as m
from geo import plans
from geo.i18n import label
from test_page_plan import open_page, read, texts, world_url  # noqa: F401 - fixture


def test_plan_picker_after_a_stage_change_and_after_leaving_the_page(world_url):
    at = open_page("plan", "planner", plan_pick="BU17710006")
    plan = read(world_url).list(m.Plan, area_code="BU17710006")[0]
    assert at.selectbox(key="plan_pick").value == "BU17710006"
    old = next(o for o in at.selectbox(key="plan_pick").options if "BU17710006" in o)
    assert old.endswith("Analyse")
    reachable = plans.next_stages(read(world_url), plan)
    target = next(s for s in reachable if s != plan.stage)  # back to "not started" here
    assert target != plan.stage
    at.selectbox(key=f"plan_stage_target_{plan.id}").set_value(target).run()
    at.button(key=f"plan_stage_apply_{plan.id}").click().run()
    assert not at.exception and not texts(at)
    assert read(world_url).get(m.Plan, plan.id).stage == target
    picker = at.selectbox(key="plan_pick")
    assert picker.value == "BU17710006"  # the choice stays …
    shown = next(o for o in picker.options if "BU17710006" in o)
    assert shown.endswith(label(target, "nl")) and shown != old  # … and its label shows the saved stage at once
    assert picker.options[picker.index] == shown
    at.switch_page("pages/explore.py").run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    assert at.selectbox(key="plan_pick").value == "BU17710006"  # coming back: the same buurt


def test_activity_picker_keeps_an_activity_whose_title_was_edited(world_url):
    at = open_page("plan", "planner", plan_pick="BU17710005", plan_section="agenda")
    options = at.selectbox(key="plan_act_pick").options
    act_id = next(a.id for a in read(world_url).list(m.Activity) if a.plan_id and options[1].endswith(a.title))
    at.selectbox(key="plan_act_pick").set_value(act_id).run()
    key = f"plan_act_title_{act_id}_0"
    at.text_input(key=key).input("Nieuwe titel voor de activiteit")
    at.button(key=f"plan_act_save_{act_id}_0").click().run()
    assert not at.exception and not texts(at)
    picker = at.selectbox(key="plan_act_pick")
    assert picker.value == act_id and picker.options[picker.index].endswith("Nieuwe titel voor de activiteit")
