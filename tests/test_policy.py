"""The accommodation policy: each rule's outcome in a small world (tests/places_world.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.costs import load_unit_costs
from geo.errors import ConfigError
from geo.policy import POLICY_FILE, RULES, Finding, evaluate, load_policy, rule
from tests.places_world import SETTINGS, world


def _policy(tmp_path: Path, extra: str = ""):
    text = POLICY_FILE.read_text(encoding="utf-8") + "\n" + extra
    # the small world uses 250 m walking, no detour, a 100 m grid
    text = text.replace("distance_m = 800", "distance_m = 250").replace("detour_factor = 1.3", "detour_factor = 1.0")
    text = text.replace("grid_spacing_m = 50", "grid_spacing_m = 100")
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return load_policy(path)


@pytest.fixture
def verdicts(tmp_path):
    policy = _policy(tmp_path)
    assert policy.coverage == SETTINGS
    return {v.place.id: v for v in evaluate(world(), policy, load_unit_costs())}


def lines(v, lang="nl"):
    return {f.rule: (f.level, f.text(lang)) for f in v.findings}


def test_defaults_documented_in_the_file_match_the_registry():
    policy = load_policy()
    assert list(policy.rules) == list(RULES)
    for name, r in RULES.items():
        assert policy.rules[name] == r.defaults, name
    assert policy.coverage.distance_m == 800 and policy.coverage.detour_factor == 1.3


def test_only_candidates_and_proposals_get_a_verdict(verdicts):
    assert sorted(verdicts) == [11, 12, 13, 14]


def test_new_building_near_an_underused_building_is_in_conflict(verdicts):
    v = verdicts[11]
    got = lines(v)
    assert got["reuse_first"] == ("conflict", "gebouw De Wissel, 380 m, 45 % bezet: eerst hergebruiken")
    assert lines(v, "en")["reuse_first"][1] == "building De Wissel, 380 m away, 45 % occupied: reuse first"
    assert got["policy_category"][0] == "aligned"
    assert got["raise_coverage"] == (
        "aligned", "verhoogt de dekking in Bravo van 0 % naar 56 % (+450 inwoners; doel 80 %)")
    # 100 visitors × 2.5 m² = 250 m² new at € 2400–3200
    assert (v.estimate.investment.low, v.estimate.investment.high) == (600_000, 800_000)
    assert got["cost_cap"] == (
        "attention", "investering tot € 800.000 boven het plafond van € 250.000: raadsbesluit nodig")
    assert v.level == "conflict"


def test_reuse_first_ignores_full_and_disposed_buildings(tmp_path):
    # Only De Wissel (45 %) counts; at 379 m it falls outside the search distance.
    policy = _policy(tmp_path, "")
    policy.rules["reuse_first"]["distance_m"] = 379
    v = {v.place.id: v for v in evaluate(world(), policy)}[11]
    level, text = lines(v)["reuse_first"]
    assert level == "aligned" and text == "geen gemeentelijk gebouw onder 70 % bezet binnen 379 m"


def test_redevelop_and_poor_condition_need_attention(verdicts):
    v = verdicts[12]
    got = lines(v)
    assert got["reuse_first"] == ("aligned", "hergebruikt gemeentelijk gebouw Oude School")
    assert got["policy_category"][0] == "attention"
    # 400 m² at condition 5: € 650–1100 per m²
    assert got["condition"] == (
        "attention",
        "gebouw Oude School conditie 5 (slechter dan 4): renovatieraming nodig, indicatie € 260.000 – € 440.000")
    assert got["raise_coverage"][1].startswith("verhoogt de dekking in Bravo van 0 % naar 56 % (+450")
    assert v.estimate.yearly.low == v.estimate.yearly.high == 20_000  # the building's own operating cost
    assert v.level == "attention"


def test_disposed_building_is_no_candidate(verdicts):
    v = verdicts[13]
    got = lines(v)
    assert got["policy_category"] == ("conflict", "gebouw Het Baken staat op afstoten: geen kandidaat")
    assert got["condition"] == ("aligned", "gebouw Het Baken conditie 4: voldoende")
    # Alfa has 8 of 16 points covered (50 %); Het Baken at (300, 300) adds 6 → 87.5 %
    assert got["raise_coverage"][1] == "verhoogt de dekking in Alfa van 50 % naar 88 % (+600 inwoners; doel 80 %)"
    assert v.level == "conflict"


def test_cruijff_court_is_aligned(verdicts):
    v = verdicts[14]
    assert v.level == "aligned"
    assert lines(v)["cost_cap"] == ("aligned", "investering tot € 220.000, binnen het plafond van € 250.000")
    assert lines(v)["raise_coverage"][1].startswith("verhoogt de dekking in Bravo van 0 % naar 50 % (+400")


def test_candidate_that_raises_no_buurt_below_target_needs_attention(tmp_path):
    data = world()
    data.buurten[1].figures["AANT_INW"] = 0  # Bravo empty: nothing to raise there
    policy = _policy(tmp_path)
    v = {v.place.id: v for v in evaluate(data, policy)}[14]
    assert lines(v)["raise_coverage"] == ("attention", "verhoogt de dekking in geen buurt onder het doel (80 %)")
    assert v.level == "attention"


def test_rules_switch_off_and_thresholds_change(tmp_path):
    policy = _policy(tmp_path)
    policy.rules["reuse_first"]["enabled"] = False
    policy.rules["cost_cap"]["cap_eur"] = 1_000_000
    v = {v.place.id: v for v in evaluate(world(), policy)}[11]
    assert "reuse_first" not in lines(v)
    assert lines(v)["cost_cap"][0] == "aligned"
    assert v.level == "aligned"


def test_switching_off_in_the_file(tmp_path):
    old = 'enabled = true\nseverity = "attention"\nworst_acceptable = 4'
    text = POLICY_FILE.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, old.replace("true", "false"))
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    policy = load_policy(path)
    assert "condition" not in policy.enabled()


@pytest.mark.parametrize(
    "extra, message",
    [
        ("[rules.no_such_rule]\nenabled = true\n", "onbekende regel [rules.no_such_rule]"),
        ("[rules.cost_cap]\ncap = 5\n", "onbekende sleutel rules.cost_cap.cap"),
        ("[rules.cost_cap]\ncap_eur = \"veel\"\n", "rules.cost_cap.cap_eur heeft een ongeldige waarde"),
        ("[rules.cost_cap]\nseverity = \"fatal\"\n", "rules.cost_cap.severity = 'fatal'"),
        ("[coverage]\nkinds = [\"castle\"]\n", "coverage.kinds"),
        ("[coverage]\ndetour_factor = 0.5\n", "detour_factor ≥ 1"),
        ("[extra]\n", "onbekende tabel [extra]"),
        ("this is not toml", "geen geldige TOML"),
    ],
)
def test_bad_policy_files_are_refused_naming_the_key(tmp_path, extra, message):
    path = tmp_path / "policy.toml"
    path.write_text(extra, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_policy(path)
    assert message in str(err.value) and "policy.toml" in str(err.value)


def test_missing_policy_file(tmp_path):
    with pytest.raises(ConfigError, match="bestaat niet"):
        load_policy(tmp_path / "nope.toml")


def test_adding_a_rule_is_one_registry_entry(tmp_path, monkeypatch):
    monkeypatch.setattr("geo.policy.RULES", dict(RULES))
    from geo import policy as pol

    @rule("capacity_known", severity="attention")
    def capacity_known(place, ctx, cfg):
        if place.capacity is None:
            return Finding("capacity_known", cfg["severity"], "places.rule.cost_cap.below",
                           {"high_eur": 0, "cap_eur": 0})
        return Finding("capacity_known", "aligned", "places.rule.cost_cap.below", {"high_eur": 0, "cap_eur": 0})

    assert "capacity_known" in pol.RULES
    policy = _policy(tmp_path)
    assert policy.rules["capacity_known"] == {"enabled": True, "severity": "attention"}
    v = {v.place.id: v for v in evaluate(world(), policy)}
    assert [f.level for f in v[14].findings if f.rule == "capacity_known"] == ["attention"]
    assert [f.level for f in v[11].findings if f.rule == "capacity_known"] == ["aligned"]


def test_verdict_to_dict_for_json(verdicts):
    d = verdicts[11].to_dict("nl")
    assert d["verdict"] == "conflict" and d["id"] == 11
    assert {f["rule"] for f in d["findings"]} == set(RULES)
    assert d["cost"]["investment_eur"] == {"low": 600000, "high": 800000}
