"""AppTest of the meeting-places page (ontmoeten): coverage, what-if, verdict cards, needs, costs."""

from __future__ import annotations

import json

import pytest

from geo.meeting import CoverageSettings, Scenario
from tests.places_world import A, B, stored_world, world

COLUMN_OF = {
    "coverage": "Dekking met keuze %",
    "needs": "Vragen om ontmoetingsplek",
    "costs": "Aan",
    "cost_buurt": "Code",
    "cost_plan": "Plan",
}


def table(at, name):
    for df in at.dataframe:
        cols = list(df.value.columns)
        if COLUMN_OF[name] in cols and (name != "cost_buurt" or "Investering (van – tot)" in cols):
            return df.value
    raise AssertionError(f"no table {name}")


def map_args(at) -> dict:
    found = [el for el in at.get("component_instance") if el.proto.component_name.endswith("st_folium")]
    assert found
    return json.loads(found[0].proto.json_args)


@pytest.fixture
def page(apptest, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'world.db'}"
    stored_world(url).close()
    monkeypatch.setenv("WIJKATLAS_DATABASE_URL", url)

    def run():
        at = apptest("ontmoeten", role="planner")
        at.number_input(key="mp_distance").set_value(250).run()
        at.number_input(key="mp_detour").set_value(1.0).run()
        return at

    return run


def expected(on=()):
    sc = Scenario(world(), CoverageSettings(distance_m=250, detour_factor=1.0, grid_spacing_m=50))
    return {r.code: r for r in sc.compare(on)[0]}


def test_demo_page_for_a_planner(apptest):
    at = apptest("ontmoeten", role="planner")
    assert not at.exception
    assert at.title[0].value == "Ontmoetingsplaatsen en accommodatiebeleid"
    assert len(table(at, "coverage")) == 11
    assert len(at.toggle) >= 1


def test_what_if_toggle_changes_the_coverage_table_and_map(page):
    at = page()
    assert not at.exception
    cov = table(at, "coverage").set_index("Code")
    exp = expected()
    assert cov.loc[A, "Binnen bereik nu"] == exp[A].before and cov.loc[B, "Binnen bereik met keuze"] == 0
    assert [tg.label.split(" — ")[0] for tg in at.toggle] == [
        "Nieuw ontmoetingscentrum", "Ontmoeten in de Oude School", "Het Baken heropenen", "Cruijff Court Bravo"]
    before_script = map_args(at)
    at.toggle(key="mp_on_14").set_value(True).run()
    assert not at.exception
    cov = table(at, "coverage").set_index("Code")
    exp = expected([14])
    assert exp[B].after > 0
    assert cov.loc[B, "Binnen bereik met keuze"] == exp[B].after
    assert cov.loc[B, "Erbij"] == exp[B].after
    assert cov.loc[A, "Erbij"] == 0
    metrics = {mt.label: mt for mt in at.metric}
    assert metrics["Dekking met keuze"].value != metrics["Dekking nu"].value
    assert map_args(at) != before_script  # the coverage layer follows the toggle
    # switch it off again: back to the baseline
    at.toggle(key="mp_on_14").set_value(False).run()
    assert table(at, "coverage").set_index("Code").loc[B, "Erbij"] == 0


def test_verdict_cards_show_each_rule(page):
    at = page()
    texts = [str(md.value) for md in at.markdown]
    assert any("gebouw De Wissel, 380 m, 45 % bezet: eerst hergebruiken" in x for x in texts)
    assert any("gebouw Het Baken staat op afstoten: geen kandidaat" in x for x in texts)
    badges = [str(md.value) for md in at.markdown if "Strijdig met beleid" in str(md.value)]
    assert badges


def test_needs_and_costs(page):
    at = page()
    needs = table(at, "needs").set_index("Code")
    assert needs.loc[B, "Vragen om ontmoetingsplek"] == 2 and needs.loc[B, "Kandidaten"] == 3
    assert any("Zet kandidaten aan" in i.value for i in at.info)
    at.toggle(key="mp_on_14").set_value(True).run()
    at.toggle(key="mp_on_12").set_value(True).run()
    per_buurt = table(at, "cost_buurt").set_index("Code")
    # Cruijff Court 150–220 k + Oude School 400 m² × € 650–1100 = 260–440 k
    # money in the interface's one format, the cost range written as a range
    assert per_buurt.loc[B, "Investering (van – tot)"] == "€ 410.000 – € 660.000"
    per_plan = table(at, "cost_plan")
    assert list(per_plan["Plan"]) == ["Plan Bravo"] and per_plan["Investering (van – tot)"].iloc[0] == "€ 410.000 – € 660.000"


def test_english(apptest):
    at = apptest("ontmoeten", role="planner", lang="en")
    assert not at.exception
    assert at.title[0].value == "Meeting places and the accommodation policy"
    assert "Coverage with selection %" in at.dataframe[0].value.columns


def test_resident_is_refused(apptest):
    from geo.access import ANONYMOUS, page_allowed

    assert not page_allowed(ANONYMOUS, "ontmoeten")


def test_kinds_filter_limits_what_if_to_those_kinds(page):
    at = page()
    at.multiselect(key="mp_kinds").set_value(["cruijff_court"]).run()
    assert not at.exception
    assert [tg.key for tg in at.toggle] == ["mp_on_14"]
    cov = table(at, "coverage").set_index("Code")
    assert cov.loc[A, "Binnen bereik nu"] == 0  # Buurthuis Alfa is a building: it no longer counts
    at.toggle(key="mp_on_14").set_value(True).run()
    cov = table(at, "coverage").set_index("Code")
    assert cov.loc[B, "Erbij"] == expected([14])[B].after and cov.loc[A, "Binnen bereik met keuze"] == 0
    # the policy tab still judges every candidate
    assert any("gebouw Het Baken staat op afstoten" in str(md.value) for md in at.markdown)
