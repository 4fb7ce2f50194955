"""The real-estate portfolio: filters and check-a-location."""

from __future__ import annotations

from dataclasses import replace

import pytest

from geo import model as m
from geo.coverage import grid_population
from geo.portfolio import PortfolioFilter, buildings_near, check_location, filter_buildings, functions_of
from tests.places_world import A, B, P, buildings, buurten


def names(bs):
    return [b.name for b in bs]


def test_filters_by_buurt_function_policy_occupancy_and_condition():
    bs = buildings() + [m.RealEstate(name="Onbekend", geometry=P(10, 10), buurt_code=A, function="buurthuis")]
    assert functions_of(bs) == ["buurthuis", "school"]
    f = PortfolioFilter()
    assert len(filter_buildings(bs, f)) == 4
    assert names(filter_buildings(bs, replace(f, buurten=(B,)))) == ["Oude School"]
    assert names(filter_buildings(bs, replace(f, functions=("school",)))) == ["Oude School"]
    assert names(filter_buildings(bs, replace(f, policies=("dispose", "redevelop")))) == ["Oude School", "Het Baken"]
    assert names(filter_buildings(bs, replace(f, occupancy=(0, 50)))) == ["De Wissel", "Het Baken", "Onbekend"]
    assert names(filter_buildings(bs, replace(f, occupancy=(0, 50), include_unknown=False))) == ["De Wissel", "Het Baken"]
    assert names(filter_buildings(bs, replace(f, condition=(4, 6), include_unknown=False))) == ["Oude School", "Het Baken"]


def test_buildings_near_sorted_by_distance_to_the_metre():
    near = buildings_near(P(480, 100), buildings(), 400)
    assert [(h.building.name, round(h.distance_m)) for h in near] == [
        ("Oude School", 220), ("Het Baken", 269), ("De Wissel", 380)]
    assert buildings_near(P(480, 100), buildings(), 379.9)[-1].building.name == "Het Baken"
    assert [h.building.name for h in buildings_near(P(480, 100), buildings(), 380)][-1] == "De Wissel"
    assert buildings_near(P(480, 100), [], 1000) == []


def test_check_location_lists_buildings_and_the_buurten_it_serves():
    pop = grid_population(buurten(), spacing=100)
    # At (400, 200) on the border, 150 m straight: x = 350 and 450, y = 150, 250 at 71 m; y = 50, 350 at 158 m (out)
    check = check_location(P(400, 200), buildings(), pop, search_m=300, walking_m=150, detour_factor=1.0,
                           buurten=buurten())
    assert [(h.building.name, round(h.distance_m)) for h in check.buildings] == [("Het Baken", 141)]
    served = {s.code: s for s in check.served}
    assert served[A].inhabitants == 200 and served[B].inhabitants == 100
    assert served[A].share == pytest.approx(200 / 1600)
    assert [s.code for s in check.served] == [A, B]  # most served first
    assert check.buurt_code == A  # on the shared border: the first buurt that covers it


def test_check_location_outside_everything():
    pop = grid_population(buurten(), spacing=100)
    check = check_location(P(5000, 5000), buildings(), pop, 300, 800, 1.3, buurten())
    assert check.buildings == [] and check.served == [] and check.buurt_code is None
