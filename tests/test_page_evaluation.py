"""AppTest: the public evaluation page ``evaluatie`` and the rounds on the plan page."""

from __future__ import annotations

from datetime import date, timedelta

from streamlit.testing.v1 import AppTest

from geo import evaluation_rounds as E
from geo import model as m
from geo.access import Actor
from geo.clients import Client
from geo.store import open_store
from tests.conftest import ROOT

PLANNER = Actor("piet", "planner")


def _round(url):
    s = open_store(url)
    plan = s.list(m.Plan, area_code="BU17710005")[0]
    today = date.today()
    r = E.open_round(s, PLANNER, plan.id, "Evaluatie pilot", today - timedelta(days=1), today + timedelta(days=30),
                     [("social", "De ontmoetingsplek wordt goed gebruikt"), ("safety", "Ik voel me veilig")])
    return s, r


def _open(page: str, query: dict | None = None, role: str | None = None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if role:
        at.session_state["actor"] = Actor(f"test-{role}", role)
    at.run()
    at.switch_page(page)
    at.run()
    return at


def test_no_open_round_says_so(app_env):
    at = _open("pages/evaluation.py")
    assert not at.exception
    assert any("geen evaluatie" in x.value for x in at.info)


def test_resident_answers_once_per_session(app_env):
    s, r = _round(app_env)
    a, b = [x.id for x in E.statements(s, r.id)]
    at = _open("pages/evaluation.py", {"ronde": str(r.id)})
    assert not at.exception
    assert at.selectbox(key="eval_round").value == r.id
    assert at.radio(key=f"eval_{r.id}_{a}_score").label == "De ontmoetingsplek wordt goed gebruikt"
    at.radio(key=f"eval_{r.id}_{a}_score").set_value(4)
    at.text_area(key=f"eval_{r.id}_{a}_comment").input("<script>alert(1)</script> druk")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    assert any("Dank u wel" in x.value for x in at.success)
    (answer,) = s.list(m.EvaluationAnswer)
    assert (answer.statement_id, answer.score, answer.comment) == (a, 4, "<script>alert(1)</script> druk")
    assert s.list(m.EvaluationResponse)[0].respondent_group == "resident"
    # The same session cannot answer again (the form is gone).
    assert not at.radio
    at.run()
    assert s.count(m.EvaluationResponse) == 1


def test_empty_answers_are_refused_with_a_message(app_env):
    s, r = _round(app_env)
    at = _open("pages/evaluation.py")
    at.button[0].click().run()
    assert any("ten minste één stelling" in x.value for x in at.error)
    assert s.count(m.EvaluationResponse) == 0


def test_plan_page_opens_a_round_and_shows_results(app_env):
    s = open_store(app_env)
    at = _open("pages/plan.py", role="planner")
    at.selectbox(key="plan_pick").select("BU17710005").run()
    at.radio(key="plan_section").set_value("evaluation").run()
    assert not at.exception
    plan = s.list(m.Plan, area_code="BU17710005")[0]
    at.button(key=f"plan_round_open_{plan.id}").click().run()
    assert not at.exception
    (r,) = s.list(m.EvaluationRound)
    assert len(E.statements(s, r.id)) == len(E.DEFAULT_STATEMENTS)
    first = E.statements(s, r.id)[0]
    E.respond(s, Actor("anon"), r.id, Client("192.0.2.1", "b1"), {first.id: (5, "Fijne plek")})
    E.respond(s, Actor("anon"), r.id, Client("192.0.2.2", "b2"), {first.id: (3, "")})
    at.run()
    rows = at.table[0].value
    assert list(rows["Groep"]) == ["bewoners", "allen"] and list(rows["Gemiddeld"]) == ["4,0", "4,0"]
    assert "Fijne plek" in [x.value for x in at.text]
    assert any(f"evaluatie?ronde={r.id}" in c.value for c in at.caption)
    # Turn the result into a success factor.
    at.button(key=f"plan_round_to_factor_{r.id}").click().run()
    assert at.text_area(key="plan_eval_evidence").value.startswith("Stelling 'De ontmoetingsplek")
    at.button(key="plan_eval_save").click().run()
    assert not at.exception
    factor = s.list(m.EvaluationFactor, plan_id=plan.id)[-1]
    assert factor.factor == first.text and "bewoners gemiddeld 4,0 (n=2" in factor.evidence
    # Close it.
    at.button(key=f"plan_round_close_{r.id}").click().run()
    assert s.get(m.EvaluationRound, r.id).closed
