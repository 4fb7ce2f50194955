"""Interactive evaluation: rounds, one response per respondent, results with spread."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from geo import evaluation_rounds as E
from geo import model as m
from geo.access import ANONYMOUS, Actor
from geo.errors import PermissionDenied, ValidationError
from geo.clients import Client
from geo.participation import LimitReached, ParticipationConfig


def C(browser: str, address: str = "198.51.100.7") -> Client:
    """A resident's browser (each test name is its own browser, all at one address)."""
    return Client(address=address, browser=browser)

PLANNER = Actor("piet", "planner")
NOW = datetime.now(timezone.utc).replace(microsecond=0)
TODAY = NOW.date()


@pytest.fixture
def plan(demo_store):
    return demo_store.list(m.Plan, area_code="BU17710005")[0]


@pytest.fixture
def rnd(demo_store, plan):
    return E.open_round(demo_store, PLANNER, plan.id, "Evaluatie pilot", TODAY, date(TODAY.year + 1, 1, 1),
                        [("social", "De ontmoetingsplek wordt goed gebruikt"),
                         ("safety", "Ik voel me veilig in de buurt"), ("spatial", "  ")])


def _ids(store, r):
    return [s.id for s in E.statements(store, r.id)]


def test_open_round_keeps_statements_in_order(demo_store, rnd):
    items = E.statements(demo_store, rnd.id)
    assert [(s.position, s.domain) for s in items] == [(1, "social"), (2, "safety")]  # empty line dropped
    assert E.state(rnd) == "open" and [r.id for r in E.open_rounds(demo_store)] == [rnd.id]
    assert demo_store.list(m.AuditEntry, action="evaluation.open_round")[0].user == "piet"


@pytest.mark.parametrize("opens, closes, statements, field", [
    ("2026-05-01", "2026-04-01", [("social", "x")], "closes_on"),
    ("1 mei", "2026-06-01", [("social", "x")], "opens_on"),
    ("2026-05-01", "2026-06-01", [], "stellingen"),
    ("2026-05-01", "2026-06-01", [("social", "x" * 301)], "stellingen"),
    ("2026-05-01", "2026-06-01", [("economy", "x")], "stellingen"),
])
def test_bad_rounds_are_refused_and_nothing_is_written(demo_store, plan, opens, closes, statements, field):
    before = demo_store.data_version()
    with pytest.raises(ValidationError) as err:
        E.open_round(demo_store, PLANNER, plan.id, "R", opens, closes, statements)
    assert err.value.where == field
    assert demo_store.count(m.EvaluationRound) == 0 and demo_store.data_version() == before


def test_only_planners_open_and_close(demo_store, plan, rnd):
    for role in ("resident", "moderator", "real-estate"):
        with pytest.raises(PermissionDenied):
            E.open_round(demo_store, Actor("x", role), plan.id, "R", TODAY, TODAY, [("social", "x")])
        with pytest.raises(PermissionDenied):
            E.close_round(demo_store, Actor("x", role), rnd.id)


def test_one_response_per_respondent(demo_store, rnd):
    a, b = _ids(demo_store, rnd)
    E.respond(demo_store, ANONYMOUS, rnd.id, C("browser-1"), {a: (4, "Druk bezocht"), b: (None, "")})
    assert E.has_responded(demo_store, rnd.id, ANONYMOUS, C("browser-1"))
    assert not E.has_responded(demo_store, rnd.id, ANONYMOUS, C("browser-2"))
    with pytest.raises(ValidationError, match="al ingevuld"):
        E.respond(demo_store, ANONYMOUS, rnd.id, C("browser-1"), {a: (1, "")})
    E.respond(demo_store, ANONYMOUS, rnd.id, C("browser-2"), {a: (2, "")})
    assert demo_store.count(m.EvaluationResponse) == 2
    assert demo_store.count(m.EvaluationAnswer) == 2  # the unanswered statement is not stored


def test_signed_in_accounts_answer_once_per_account_as_their_group(demo_store, rnd):
    a, _ = _ids(demo_store, rnd)
    E.respond(demo_store, PLANNER, rnd.id, C("tab-1"), {a: (3, "")})
    with pytest.raises(ValidationError, match="al ingevuld"):
        E.respond(demo_store, PLANNER, rnd.id, C("tab-2"), {a: (3, "")})
    partner = Actor("anna-woonbedrijf", "partner", partner="Woonbedrijf")
    E.respond(demo_store, partner, rnd.id, C("tab-3"), {a: (5, "")})
    with pytest.raises(ValidationError, match="al ingevuld"):
        E.respond(demo_store, partner, rnd.id, C("tab-4"), {a: (1, "")})
    groups = {x.respondent_group for x in demo_store.list(m.EvaluationResponse)}
    assert groups == {"municipality", "partner"}
    assert E.results(demo_store, rnd.id)[0].group("partner").mean == 5.0
    assert E.group_of(Actor("woonbedrijf", "partner")) == "partner"
    assert E.group_of(ANONYMOUS) == "resident"


@pytest.mark.parametrize("answers, field", [
    ({}, "antwoorden"),
    ({"a": (None, "   ")}, "antwoorden"),
    ({"a": (6, "")}, "score"),
    ({"a": (3, "x" * 1001)}, "toelichting"),
    ({999999: (3, "")}, "stelling"),
])
def test_bad_answers_are_refused(demo_store, rnd, answers, field):
    a, _ = _ids(demo_store, rnd)
    answers = {a if k == "a" else k: v for k, v in answers.items()}
    with pytest.raises(ValidationError) as err:
        E.respond(demo_store, ANONYMOUS, rnd.id, C("browser-x"), answers)
    assert err.value.where == field
    assert demo_store.count(m.EvaluationResponse) == 0


def test_closed_or_upcoming_rounds_take_no_answers(demo_store, plan, rnd):
    a, _ = _ids(demo_store, rnd)
    E.close_round(demo_store, PLANNER, rnd.id)
    with pytest.raises(ValidationError, match="niet \\(meer\\) open"):
        E.respond(demo_store, ANONYMOUS, rnd.id, C("b"), {a: (3, "")})
    later = E.open_round(demo_store, PLANNER, plan.id, "Later", date(TODAY.year + 1, 1, 1),
                         date(TODAY.year + 1, 2, 1), [("social", "x")])
    assert E.state(later) == "upcoming" and E.open_rounds(demo_store) == []


def test_rate_limits_per_address_and_for_everyone_together(demo_store, rnd):
    a, _ = _ids(demo_store, rnd)
    config = ParticipationConfig(evaluation_per_address=2, evaluation_per_minute=3)
    E.respond(demo_store, ANONYMOUS, rnd.id, C("b1"), {a: (3, "")}, now=NOW, config=config)
    E.respond(demo_store, ANONYMOUS, rnd.id, C("b2"), {a: (3, "")}, now=NOW, config=config)
    with pytest.raises(LimitReached) as err:  # a flood of fresh cookies from one address
        E.respond(demo_store, ANONYMOUS, rnd.id, C("b3"), {a: (3, "")}, now=NOW, config=config)
    assert err.value.kind == "address"
    E.respond(demo_store, ANONYMOUS, rnd.id, C("b4", "203.0.113.5"), {a: (3, "")}, now=NOW, config=config)
    with pytest.raises(LimitReached) as err:
        E.respond(demo_store, ANONYMOUS, rnd.id, C("b5", "192.0.2.9"), {a: (3, "")}, now=NOW, config=config)
    assert err.value.kind == "busy"


def test_aggregate_mean_spread_and_distribution():
    g = E.aggregate([1, 5, 5, None, 3], "resident")
    assert (g.n, g.mean, g.counts, g.no_opinion) == (4, 3.5, (1, 0, 1, 0, 2), 1)
    assert g.spread == pytest.approx(1.66, abs=0.01)  # sqrt(((2.5²)+(1.5²)*2+(0.5²))/4)
    empty = E.aggregate([None], "partner")
    assert (empty.n, empty.mean, empty.spread) == (0, None, None)


def test_results_per_statement_and_group(demo_store, rnd):
    a, b = _ids(demo_store, rnd)
    E.respond(demo_store, ANONYMOUS, rnd.id, C("r1"), {a: (4, "<b>vol</b>"), b: (2, "")})
    E.respond(demo_store, ANONYMOUS, rnd.id, C("r2"), {a: (2, "")})
    E.respond(demo_store, PLANNER, rnd.id, C("p"), {a: (5, "")})
    first = E.results(demo_store, rnd.id)[0]
    assert first.group("resident").mean == 3.0 and first.group("resident").spread == 1.0
    assert first.group("municipality").n == 1 and first.group("all").n == 3
    assert first.comments == [("resident", "<b>vol</b>")]
    rows = E.result_rows([first], "nl")
    assert [r["Groep"] for r in rows] == ["bewoners", "gemeente", "allen"]
    assert rows[0]["Gemiddeld"] == "3,0" and rows[0]["Verdeling (1–5)"] == "1: 0 · 2: 1 · 3: 0 · 4: 1 · 5: 0"
    evidence = E.evidence_text(first, "nl")
    assert evidence.startswith("Stelling 'De ontmoetingsplek wordt goed gebruikt': bewoners gemiddeld 3,0 (n=2")
    assert E.response_count(demo_store, rnd.id) == {"resident": 2, "partner": 0, "municipality": 1}
