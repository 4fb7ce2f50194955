"""A small world at exact RD coordinates, shared by the places tests.

Two square buurten side by side, 400 × 400 m each, south-west corner at
(150000, 400000). With a 100 m grid each holds 16 inhabitant points at the
cell centres (x or y = …050, …150, …250, …350):

- A (BU09990001, x 150000–150400): 1600 inhabitants → 100 per point;
- B (BU09990002, x 150400–150800): 800 inhabitants → 50 per point.
"""

from __future__ import annotations

from shapely.geometry import Point, box

from geo import model as m
from geo.meeting import CoverageSettings, PlacesData

X0, Y0 = 150_000, 400_000
A, B = "BU09990001", "BU09990002"


def P(dx: float, dy: float) -> Point:
    return Point(X0 + dx, Y0 + dy)


def buurten(inw_a=1600, inw_b=800) -> list[m.Area]:
    return [
        m.Area(code=A, name="Alfa", geometry=box(X0, Y0, X0 + 400, Y0 + 400), figures={"AANT_INW": inw_a}),
        m.Area(code=B, name="Bravo", geometry=box(X0 + 400, Y0, X0 + 800, Y0 + 400), figures={"AANT_INW": inw_b}),
    ]


def buildings() -> list[m.RealEstate]:
    return [
        m.RealEstate(id=1, name="De Wissel", geometry=P(100, 100), occupancy_pct=45, condition=3, policy="keep",
                     floor_area_m2=500, function="buurthuis", buurt_code=A, address="Wisselstraat 1"),
        m.RealEstate(id=2, name="Oude School", geometry=P(700, 100), occupancy_pct=90, condition=5,
                     policy="redevelop", floor_area_m2=400, yearly_cost_eur=20_000, function="school", buurt_code=B),
        m.RealEstate(id=3, name="Het Baken", geometry=P(300, 300), occupancy_pct=20, condition=4, policy="dispose",
                     floor_area_m2=250, function="buurthuis", buurt_code=A),
    ]


def places() -> list[m.MeetingPlace]:
    return [
        m.MeetingPlace(id=10, name="Buurthuis Alfa", kind="building", status="existing", geometry=P(50, 50),
                       buurt_code=A),
        # a new building 380 m east of De Wissel
        m.MeetingPlace(id=11, name="Nieuw ontmoetingscentrum", kind="building", status="candidate",
                       geometry=P(480, 100), capacity=100, buurt_code=B),
        m.MeetingPlace(id=12, name="Ontmoeten in de Oude School", kind="building", status="candidate",
                       geometry=P(700, 100), real_estate_id=2, buurt_code=B),
        m.MeetingPlace(id=13, name="Het Baken heropenen", kind="building", status="proposed",
                       geometry=P(300, 300), real_estate_id=3, buurt_code=A),
        m.MeetingPlace(id=14, name="Cruijff Court Bravo", kind="cruijff_court", status="candidate",
                       geometry=P(750, 350), buurt_code=B),
        m.MeetingPlace(id=15, name="Afgewezen plein", kind="square", status="rejected", geometry=P(600, 200),
                       buurt_code=B),
    ]


def suggestions() -> list[m.Suggestion]:
    return [
        m.Suggestion(id=1, category="meeting", text="Een plek om koffie te drinken", geometry=P(600, 200),
                     buurt_code=B, supporters=7, status="published"),
        m.Suggestion(id=2, category="meeting", text="Jongerenhonk", geometry=P(650, 250), buurt_code=B,
                     supporters=2, status="published"),
        m.Suggestion(id=3, category="greenery", text="Meer bomen", geometry=P(100, 300), buurt_code=A,
                     status="published"),
    ]


SETTINGS = CoverageSettings(distance_m=250, detour_factor=1.0, grid_spacing_m=100, target_share=0.8)


def world() -> PlacesData:
    return PlacesData(buurten=buurten(), buildings=buildings(), places=places(), suggestions=suggestions(),
                      plans=[m.Plan(id=1, area_code=B, title="Plan Bravo")])


def stored_world(url: str):
    """The small world written to a database at ``url`` (ids kept)."""
    from geo.store import open_store

    s = open_store(url)
    data = world()
    with s.transaction():
        for rec in [*data.buurten, *data.buildings, *data.places, *data.suggestions, *data.plans]:
            s.add(rec)
    return s
