"""Numbers and labels people can read: money, ranges, derived inhabitants, wijk names, table headers."""

from __future__ import annotations

from geo import model as m
from geo.access import Actor
from geo.io.boundaries import DERIVED_INHABITANTS, derive_inhabitants
from geo.store import open_store


def test_inhabitants_derived_from_men_and_women_only_when_the_total_is_empty():
    figs = {"AANT_INW": None, "AANT_MAN": 410.0, "AANT_VROUW": 395.0}
    assert derive_inhabitants(figs) and figs["AANT_INW"] == 805.0
    kept = {"AANT_INW": 800.0, "AANT_MAN": 410.0, "AANT_VROUW": 395.0}
    assert not derive_inhabitants(kept) and kept["AANT_INW"] == 800.0
    half = {"AANT_INW": None, "AANT_MAN": 410.0, "AANT_VROUW": None}
    assert not derive_inhabitants(half) and half["AANT_INW"] is None


def test_real_ermelo_inhabitants_and_wijk_names(app_env, real_data, apptest):
    from geo.io import read_source
    from geo.io.boundaries import commit_boundaries, plan_boundaries, schema_score

    s = open_store(app_env)
    source = read_source(str(real_data / "cmp_ermelo_cbs_buurten_GM0233.gpkg"), prefer=schema_score)
    commit_boundaries(s, Actor("admin", "admin"), plan_boundaries(s, source))
    buurten = s.list(m.Area, level="buurt")
    ermelo = [a for a in buurten if a.code.startswith("BU0233")]
    derived = [a for a in ermelo if DERIVED_INHABITANTS in a.source]
    assert derived, "the Ermelo file leaves aantal_inwoners empty where men and women are filled"
    for a in derived:
        assert a.figures["AANT_INW"] == a.figures["AANT_MAN"] + a.figures["AANT_VROUW"]
    wijk = s.get(m.Area, "WK023300")
    assert wijk.name == "WK023300"
    s.close()
    at = apptest("verkennen", gemeente="GM0233", explore_pick=derived[0].code)
    assert not at.exception
    caption = next(c.value for c in at.caption if c.value.startswith(derived[0].code))
    assert "Wijk WK0233" in caption and "Wijk Wijk" not in caption
    assert any("afgeleid" in c.value for c in at.caption)


def test_one_money_format_and_ranges():
    from geo.policy import fmt_eur, fmt_eur_range

    assert fmt_eur(5_272_500, "nl") == "€ 5.272.500" and fmt_eur(5_272_500, "en") == "€5,272,500"
    assert fmt_eur(None) == "—" and fmt_eur(float("nan")) == "—"
    assert fmt_eur_range(120_000, 180_000, "nl") == "€ 120.000 – € 180.000"
    assert fmt_eur_range(5_000, 5_000, "en") == "€5,000"


def test_programme_tables_show_money_in_the_interface_format(apptest):
    at = apptest("programma", role="planner", programme_section="dashboard")
    assert not at.exception
    metrics = {mt.label: mt.value for mt in at.metric}
    assert metrics["Raming"].startswith("€ ") and "," not in metrics["Raming"]
    by_buurt = at.dataframe[0].value
    values = [v for v in by_buurt["Raming"] if v != "—"]
    assert values and all(v.startswith("€ ") and "," not in v for v in values)
    at = apptest("programma", role="planner", programme_section="dashboard", lang="en")
    values = [v for v in at.dataframe[0].value["Estimated"] if v != "—"]
    assert values and all(v.startswith("€") and "." not in v for v in values)


def test_environment_plan_table_is_readable(apptest):
    at = apptest("programma", role="planner", programme_section="environment")
    assert not at.exception
    frame = at.dataframe[0].value
    cols = list(frame.columns)
    assert "Beoogde effecten" in cols and "plan_title" not in cols and "intended_effects" not in cols
    assert not set(frame["Fase"]) & {"not_started", "in_execution", "evaluated"}
    assert "In uitvoering" in set(frame["Fase"]) or "Geëvalueerd" in set(frame["Fase"])
