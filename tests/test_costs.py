"""Cost estimates from data/unit_costs.toml."""

from __future__ import annotations

import pytest

from geo import model as m
from geo.costs import UNIT_COSTS_FILE, Range, estimate, load_unit_costs, plan_of, renovation_estimate, sum_by
from geo.errors import ConfigError
from tests.places_world import A, B, P, buildings


@pytest.fixture(scope="module")
def costs():
    return load_unit_costs()


def place(**kw):
    base = dict(name="x", kind="building", geometry=P(0, 0), status="candidate")
    base.update(kw)
    return m.MeetingPlace(**base)


def test_existing_building_by_floor_area_and_condition(costs):
    oude_school = buildings()[1]  # 400 m², condition 5, € 20 000 a year
    est = estimate(place(real_estate_id=2), oude_school, costs)
    assert est.investment == Range(400 * 650, 400 * 1100)
    assert est.yearly == Range(20_000, 20_000)
    texts = est.texts("nl")
    assert "vloeroppervlak 400 m² (Oude School)" in texts
    assert "renovatie bij conditie 5: € 650–1100 per m²" in texts


def test_unknown_area_and_yearly_fall_back_with_assumptions_said(costs):
    b = m.RealEstate(name="Kaal", geometry=P(0, 0), condition=2)
    est = estimate(place(real_estate_id=9), b, costs)
    assert est.investment == Range(300 * 50, 300 * 150)  # default 300 m², condition 2
    assert est.yearly == Range(300 * 60, 300 * 110)
    assert "vloeroppervlak onbekend: 300 m² aangenomen" in est.texts("nl")
    assert "floor area unknown: 300 m² assumed" in est.texts("en")


def test_new_building_sized_by_capacity_with_a_minimum(costs):
    assert estimate(place(capacity=100), None, costs).investment == Range(250 * 2400, 250 * 3200)
    assert estimate(place(capacity=20), None, costs).investment == Range(150 * 2400, 150 * 3200)  # minimum 150 m²


@pytest.mark.parametrize("kind, inv", [("cruijff_court", (150_000, 220_000)), ("playground", (40_000, 120_000)),
                                       ("square", (100_000, 300_000))])
def test_standard_ranges_for_public_places(costs, kind, inv):
    est = estimate(place(kind=kind), None, costs)
    assert (est.investment.low, est.investment.high) == inv
    assert est.texts("nl")[0].startswith("standaardbereik voor")


def test_renovation_estimate_needs_area_and_condition(costs):
    assert renovation_estimate(buildings()[0], costs) == Range(500 * 150, 500 * 350)
    assert renovation_estimate(m.RealEstate(name="x", geometry=P(0, 0)), costs) is None


def test_sums_per_buurt_and_plan(costs):
    court = estimate(place(kind="cruijff_court"), None, costs)
    play = estimate(place(kind="playground"), None, costs)
    totals = sum_by([(B, court), (B, play), (A, play), (None, court)])
    assert totals[B][0] == Range(190_000, 340_000)
    assert totals[A][1] == Range(2_000, 5_000)
    assert set(totals) == {A, B}
    plans = [m.Plan(id=1, area_code="WK099900", title="Wijkplan"), m.Plan(id=2, area_code=B, title="Bravo")]
    assert plan_of(B, plans).id == 2
    assert plan_of(A, plans).id == 1  # A lies in wijk WK099900
    assert plan_of(None, plans) is None


@pytest.mark.parametrize(
    "text, message",
    [
        ("[building]\n", "renovation_per_m2 ontbreekt"),
        ("[building]\nrenovation_per_m2 = { 1 = [0, 1] }\n", "mist conditie 2, 3, 4, 5, 6"),
        ("[building]\nrenovation_per_m2 = { 7 = [0, 1] }\n", "sleutel '7'"),
        ("[building]\nrenovation_per_m2 = { 1 = [5, 1] }\n", "renovation_per_m2.1 moet 0 ≤ laag ≤ hoog"),
        ("x = 1\n", "[building] ontbreekt"),
    ],
)
def test_bad_unit_cost_files(tmp_path, text, message):
    path = tmp_path / "unit_costs.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_unit_costs(path)
    assert message in str(err.value)


def test_unknown_kind_refused(tmp_path):
    text = UNIT_COSTS_FILE.read_text(encoding="utf-8") + "\n[kinds.castle]\ninvestment = [1, 2]\nyearly = [1, 2]\n"
    path = tmp_path / "unit_costs.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[kinds.castle\]"):
        load_unit_costs(path)
