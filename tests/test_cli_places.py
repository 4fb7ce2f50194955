"""``wijkatlas coverage`` and ``wijkatlas check-policy``: output, --json, errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from geo.cli import main
from tests.places_world import A, B, stored_world


@pytest.fixture
def world_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'world.db'}"
    stored_world(url).close()
    return url


def run_json(capsys, *argv):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_coverage_json_in_the_small_world(world_url, capsys, tmp_path):
    # A 100 m grid (as in tests/places_world.py): Buurthuis Alfa at (50, 50) covers 8 of A's 16 points at 250 m.
    from geo.policy import POLICY_FILE

    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY_FILE.read_text(encoding="utf-8").replace("grid_spacing_m = 50", "grid_spacing_m = 100"),
                      encoding="utf-8")
    doc = run_json(capsys, "--db", world_url, "coverage", "--distance", "250", "--detour", "1",
                   "--policy", str(policy), "--json")
    assert doc["distance_m"] == 250 and doc["straight_line_radius_m"] == 250 and doc["grid_spacing_m"] == 100
    rows = {b["code"]: b for b in doc["buurten"]}
    assert (rows[A]["inhabitants"], rows[A]["covered"], rows[A]["share"]) == (1600, 800, 0.5)
    assert (rows[B]["inhabitants"], rows[B]["covered"]) == (800, 0)
    assert doc["municipality"] == {"inhabitants": 2400, "covered": 800, "share": 0.3333}
    assert doc["places"] == [10] and doc["population"] == "grid"
    whatif = run_json(capsys, "--db", world_url, "coverage", "--distance", "250", "--detour", "1",
                      "--policy", str(policy), "--candidate", "14", "--json")
    assert {b["code"]: b["covered"] for b in whatif["buurten"]} == {A: 800, B: 400}


def test_coverage_what_if_candidate_and_kinds(world_url, capsys):
    base = run_json(capsys, "--db", world_url, "coverage", "--distance", "250", "--detour", "1", "--json")
    doc = run_json(capsys, "--db", world_url, "coverage", "--distance", "250", "--detour", "1",
                   "--candidate", "14", "--json")
    assert doc["candidates"] == [14]
    assert doc["municipality"]["covered"] > base["municipality"]["covered"]
    none = run_json(capsys, "--db", world_url, "coverage", "--kinds", "cruijff_court", "--json")
    assert none["municipality"]["covered"] == 0 and none["kinds"] == ["cruijff_court"]


def test_coverage_text_output(world_url, capsys):
    assert main(["--db", world_url, "coverage"]) == 0
    out = capsys.readouterr().out
    assert "dekking binnen 800 m lopen" in out and "Alfa" in out and "gemeente" in out


def test_check_policy_json(world_url, capsys):
    doc = run_json(capsys, "--db", world_url, "check-policy", "--json")
    by = {c["id"]: c for c in doc["candidates"]}
    assert sorted(by) == [11, 12, 13, 14]
    assert by[11]["verdict"] == "conflict"
    reuse = next(f for f in by[11]["findings"] if f["rule"] == "reuse_first")
    assert reuse["text"] == "gebouw De Wissel, 380 m, 45 % bezet: eerst hergebruiken"
    assert by[13]["verdict"] == "conflict" and by[12]["verdict"] == "attention"
    # all candidates summed: B holds 11 (600–800 k), 12 (260–440 k) and 14 (150–220 k); A holds 13 (87.5–162.5 k)
    assert doc["cost_per_buurt"][B]["investment_eur"] == {"low": 1_010_000, "high": 1_460_000}
    assert doc["cost_per_buurt"][A]["investment_eur"] == {"low": 87_500, "high": 162_500}
    assert doc["cost_per_plan"] == {"1": doc["cost_per_buurt"][B]}  # the plan is Bravo's
    assert doc["summary"]["conflict"] == 2 and doc["policy_file"] == "policy.toml"


def test_check_policy_text_english(world_url, capsys):
    assert main(["--db", world_url, "check-policy", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "#11 Nieuw ontmoetingscentrum" in out and "reuse first" in out


def test_check_policy_with_a_bad_policy_file_is_one_line(world_url, tmp_path):
    bad = tmp_path / "policy.toml"
    bad.write_text("[rules.cost_cap]\ncap = 1\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "geo", "--db", world_url, "check-policy", "--policy", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and proc.stderr.strip().count("\n") == 0
    assert "rules.cost_cap.cap" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("argv, message", [
    (["coverage", "--distance", "0"], "loopafstand"),
    (["coverage", "--detour", "0.5"], "omrijfactor"),
    (["coverage", "--candidate", "99"], "--candidate 99"),
    (["coverage", "--distance", "abc"], "'abc' is geen getal"),
    (["coverage", "--distance", "nan"], "'nan' is geen eindig getal"),
])
def test_coverage_bad_input(world_url, capsys, argv, message):
    try:
        code = main(["--db", world_url, *argv])
    except SystemExit as exc:  # argparse refuses a bad value itself
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err


def test_coverage_distance_with_a_dutch_decimal_comma(world_url, capsys):
    doc = run_json(capsys, "--db", world_url, "coverage", "--distance", "250,5", "--detour", "1", "--json")
    assert doc["distance_m"] == 250.5


def test_empty_database_says_what_to_do(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    assert main(["--db", url, "coverage"]) == 2
    assert "init --demo" in capsys.readouterr().err


def test_demo_runs(demo_db_url, capsys):
    doc = run_json(capsys, "--db", demo_db_url, "coverage", "--json")
    assert doc["municipality"]["inhabitants"] == sum(b["inhabitants"] for b in doc["buurten"])
    assert len(doc["buurten"]) == 11
    pol = run_json(capsys, "--db", demo_db_url, "check-policy", "--json")
    assert {c["verdict"] for c in pol["candidates"]} <= {"aligned", "attention", "conflict"}
