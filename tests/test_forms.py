"""Forms that do not double: a saved form is cleared, a repeated identical submit is recognised."""

from __future__ import annotations

import pytest

from geo import model as m
from geo import moderation as M
from geo.access import Actor
from geo.errors import ValidationError
from geo.forms import SubmitGuard, fingerprint
from test_page_plan import open_page, read, texts, world_url  # noqa: F401 - fixture

MOD = Actor("mo", "moderator")


def test_guard_recognises_the_same_submit_within_its_window_only():
    g = SubmitGuard(window_s=60)
    assert not g.repeated("analysis", (1, "Weinig groen"), now=100)
    g.saved("analysis", (1, "Weinig groen"), now=100)
    assert g.repeated("analysis", (1, "Weinig  groen "), now=130)  # the same text, spaces aside
    assert not g.repeated("analysis", (1, "Weinig groen!"), now=130)  # something else
    assert not g.repeated("evaluation", (1, "Weinig groen"), now=130)  # another form
    assert not g.repeated("analysis", (1, "Weinig groen"), now=161)  # later: a deliberate second one
    assert fingerprint({"b": 1, "a": [" x "]}) == fingerprint({"a": ["x"], "b": 1})


def test_saved_analysis_item_clears_the_form_and_a_second_click_adds_nothing(world_url):
    at = open_page("plan", "planner", plan_pick="BU17710006", plan_section="analysis")
    at.text_area(key="plan_analysis_text").input("Weinig groen rond de flats")
    at.button(key="plan_analysis_save").click().run()
    assert not at.exception
    assert at.text_area(key="plan_analysis_text").value == ""  # cleared after the save
    assert len(read(world_url).list(m.AnalysisItem, text="Weinig groen rond de flats")) == 1
    # the same text sent again at once (a double click on the old form)
    at.text_area(key="plan_analysis_text").input("Weinig groen rond de flats")
    at.button(key="plan_analysis_save").click().run()
    assert not at.exception and not texts(at)
    assert any("niets dubbel" in i.value for i in at.info)
    assert len(read(world_url).list(m.AnalysisItem, text="Weinig groen rond de flats")) == 1


def test_saved_evaluation_factor_clears_the_form_and_is_not_doubled(world_url):
    at = open_page("plan", "planner", plan_pick="BU17710005", plan_section="evaluation")
    before = read(world_url).count(m.EvaluationFactor)
    at.text_input(key="plan_eval_factor").input("Vaste contactpersoon")
    at.text_area(key="plan_eval_evidence").input("Bewoners wisten wie ze moesten bellen")
    at.button(key="plan_eval_save").click().run()
    assert not at.exception and not texts(at)
    assert at.text_input(key="plan_eval_factor").value == "" and at.text_area(key="plan_eval_evidence").value == ""
    at.text_input(key="plan_eval_factor").input("Vaste contactpersoon")
    at.text_area(key="plan_eval_evidence").input("Bewoners wisten wie ze moesten bellen")
    at.button(key="plan_eval_save").click().run()
    assert read(world_url).count(m.EvaluationFactor) == before + 1


def test_new_activity_is_not_doubled_by_a_repeated_submit(world_url):
    at = open_page("plan", "planner", plan_pick="BU17710005", plan_section="agenda")
    before = read(world_url).count(m.Activity)
    for version in (0, 1):  # the second time: the same values into the fresh form
        at.text_input(key=f"plan_act_title_new_{version}").input("Moestuin bij De Smidse")
        at.text_input(key=f"plan_act_start_new_{version}").input("2027-Q3")
        at.text_input(key=f"plan_act_end_new_{version}").input("2027-Q4")
        at.button(key=f"plan_act_save_new_{version}").click().run()
        assert not at.exception and not texts(at)
    assert read(world_url).count(m.Activity) == before + 1
    assert any("niets dubbel" in i.value for i in at.info)


def test_a_suggestion_becomes_one_activity_not_two(demo_store):
    s = demo_store.list(m.Suggestion, status="published")[0]
    M.to_activity(demo_store, MOD, s.id, "Bankje", "social")
    before = demo_store.count(m.Activity)
    with pytest.raises(ValidationError, match="in_plan"):  # already an activity: refused, nothing written
        M.to_activity(demo_store, MOD, s.id, "Bankje", "social")
    assert demo_store.count(m.Activity) == before
