"""The explorer's logic without Streamlit: clicks, figures, demo label."""

from geo import model as m
from geo.crs import rd_to_lonlat
from geo.explore import buurt_at_click, choropleth_figures, clicked_lonlat, is_demo
from geo.profile import buurt_profile
from geo.spatial import AreaIndex
from tests.common import INSIDE_A, INSIDE_B, OUTSIDE, small_world


def event_at(point) -> dict:
    lon, lat = rd_to_lonlat(point.x, point.y)
    return {"last_clicked": {"lat": lat, "lng": lon}}


def test_click_selects_the_buurt_under_it():
    index = AreaIndex([a for a in small_world() if a.level == "buurt"])
    assert buurt_at_click(event_at(INSIDE_A), index)[1] == "BU99990000"
    assert buurt_at_click(event_at(INSIDE_B), index)[1] == "BU99990001"
    pos, code = buurt_at_click(event_at(OUTSIDE), index)
    assert pos is not None and code is None


def test_no_or_malformed_click_selects_nothing():
    index = AreaIndex([a for a in small_world() if a.level == "buurt"])
    for event in (None, {}, {"last_clicked": None}, {"last_clicked": {"lat": "x", "lng": 5}}):
        assert clicked_lonlat(event) is None or buurt_at_click(event, index)[1] is None


def test_choropleth_offers_known_figures_first_then_others():
    areas = small_world()
    areas[2].figures["WOZ"] = 300
    figs = choropleth_figures([a for a in areas if a.level == "buurt"])
    assert figs[:2] == ["AANT_INW", "P_65_EO_JR"] and figs[-1] == "WOZ"


def test_demo_areas_are_labelled():
    areas = small_world()
    assert not is_demo(areas)
    areas[0].source = "demo (schematisch)"
    assert is_demo(areas)


def test_profile_counts_what_lies_in_the_buurt(store):
    for a in small_world():
        store.add(a)
    store.add(m.Activity(title="Feest", domain="social", buurt_code="BU99990000", start="2026-Q1"))
    store.add(m.MeetingPlace("Court", "cruijff_court", INSIDE_A, buurt_code="BU99990000"))
    store.add(m.Suggestion("play", "Schommel", INSIDE_A, status="published", buurt_code="BU99990000"))
    store.add(m.Suggestion("play", "Weg ermee", INSIDE_A, status="hidden", buurt_code="BU99990000"))
    store.add(m.Suggestion("play", "Elders", INSIDE_B, status="published", buurt_code="BU99990001"))
    p = buurt_profile(store, "BU99990000")
    assert p.counts == {"activities": 1, "meeting_places": 1, "real_estate": 0, "suggestions": 1}
    assert p.wijk.code == "WK999900" and p.plan is None
    assert p.key_figures()[0] == ("AANT_INW", 1000)
