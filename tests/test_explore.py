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


def _two_gemeenten():
    from geo.maps import MapData

    ours = small_world()
    other = [m.Area("BU88880000", "Elders", geometry=ours[2].geometry)]
    buurten = [a for a in ours if a.level == "buurt"] + other
    pin = m.MeetingPlace("Hier", "building", INSIDE_A, buurt_code="BU99990000")
    away = m.MeetingPlace("Daar", "building", INSIDE_A, buurt_code="BU88880000")
    loose = m.MeetingPlace("Nergens", "building", OUTSIDE, buurt_code=None)
    return MapData(buurten=buurten, wijken=[ours[1]], gemeenten=[ours[0]], meeting_places=[pin, away, loose])


def test_municipalities_named_from_gemeente_or_code():
    from geo.explore import municipalities

    assert municipalities(_two_gemeenten()) == {"GM8888": "GM8888", "GM9999": "Proefgemeente"}


def test_for_municipality_keeps_only_that_gemeente_and_leaves_the_cache_alone():
    from geo.explore import for_municipality

    data = _two_gemeenten()
    part = for_municipality(data, "GM9999")
    assert [a.code for a in part.buurten] == ["BU99990000", "BU99990001"]
    assert [a.code for a in part.gemeenten] == ["GM9999"] and [a.code for a in part.wijken] == ["WK999900"]
    assert [p.name for p in part.meeting_places] == ["Hier"]
    other = for_municipality(data, "GM8888")
    assert [a.code for a in other.buurten] == ["BU88880000"] and other.gemeenten == []
    assert len(data.buurten) == 3 and len(data.meeting_places) == 3


def test_the_gemeente_with_plans_opens_first():
    from geo.explore import main_municipality

    data = _two_gemeenten()
    data.meeting_places.append(m.MeetingPlace("Daar2", "building", INSIDE_A, buurt_code="BU88880001"))
    assert main_municipality(data) == "GM8888"  # more on the map
    data.plans["BU99990000"] = m.Plan("BU99990000", "Plan")
    assert main_municipality(data) == "GM9999"  # but a plan weighs more
