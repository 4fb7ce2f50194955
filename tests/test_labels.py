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
