"""The municipal social real-estate portfolio: filters and "check a location".

:func:`filter_buildings` applies the real-estate manager's filters;
:func:`check_location` answers "what is near this spot": the municipal
buildings within a chosen distance (nearest first) and the buurten whose
inhabitants live within walking distance of the spot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from . import model as m
from .columns import Columns
from .coverage import CoverageModel, Population
from .errors import NotFound, ValidationError


@dataclass(frozen=True)
class PortfolioFilter:
    buurten: tuple[str, ...] = ()  # empty: all
    functions: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()
    occupancy: tuple[float, float] = (0.0, 100.0)
    condition: tuple[int, int] = (1, 6)
    include_unknown: bool = True  # keep buildings whose occupancy/condition is not known


def functions_of(buildings: Sequence[m.RealEstate]) -> list[str]:
    return sorted({b.function for b in buildings if b.function})


def filter_buildings(buildings: Sequence[m.RealEstate], f: PortfolioFilter) -> list[m.RealEstate]:
    out = []
    for b in buildings:
        if f.buurten and b.buurt_code not in f.buurten:
            continue
        if f.functions and b.function not in f.functions:
            continue
        if f.policies and b.policy not in f.policies:
            continue
        if b.occupancy_pct is None:
            if not f.include_unknown:
                continue
        elif not f.occupancy[0] <= b.occupancy_pct <= f.occupancy[1]:
            continue
        if b.condition is None:
            if not f.include_unknown:
                continue
        elif not f.condition[0] <= b.condition <= f.condition[1]:
            continue
        out.append(b)
    return out


@dataclass(frozen=True)
class NearBuilding:
    building: m.RealEstate
    distance_m: float


def buildings_near(spot: BaseGeometry, buildings: Sequence[m.RealEstate], distance_m: float) -> list[NearBuilding]:
    """Buildings within ``distance_m`` of ``spot`` (RD New), nearest first (ties by name)."""
    located = [b for b in buildings if b.geometry is not None]
    if not located:
        return []
    d = shapely.distance(spot, np.asarray([b.geometry for b in located], dtype=object))
    hits = [NearBuilding(b, float(x)) for b, x in zip(located, d) if x <= distance_m]
    return sorted(hits, key=lambda h: (round(h.distance_m, 2), h.building.name))  # ties (to the cm) by name


@dataclass(frozen=True)
class ServedBuurt:
    code: str
    name: str
    inhabitants: int  # within reach of the spot
    share: float | None  # of the buurt's inhabitants


@dataclass
class LocationCheck:
    spot: BaseGeometry
    buurt_code: str | None
    buildings: list[NearBuilding]
    served: list[ServedBuurt] = field(default_factory=list)


def check_location(spot: BaseGeometry, buildings: Sequence[m.RealEstate], population: Population,
                   search_m: float, walking_m: float, detour_factor: float,
                   buurten: Sequence[m.Area] = ()) -> LocationCheck:
    """Buildings within ``search_m`` and the buurten served within walking distance."""
    if isinstance(spot, tuple):
        spot = Point(*spot)
    near = buildings_near(spot, buildings, search_m)
    model = CoverageModel(population, [spot], walking_m, detour_factor)
    served = []
    for code, people in sorted(model.reach(0).items(), key=lambda kv: (-kv[1], kv[0])):
        total = population.totals.get(code)
        served.append(ServedBuurt(code, population.names.get(code, code), int(round(people)),
                                  people / total if total else None))
    inside = next((a.code for a in buurten if a.geometry is not None and a.geometry.covers(spot)), None)
    return LocationCheck(spot, inside, near, served)


def spot_choices(places: Sequence[m.MeetingPlace]) -> dict[str, m.MeetingPlace]:
    """Pickable spots for "check a location": candidates first, then other meeting places."""
    order = {"candidate": 0, "proposed": 1, "existing": 2, "rejected": 3}
    located = sorted((p for p in places if p.geometry is not None), key=lambda p: (order.get(p.status, 9), p.name))
    return {f"mp-{p.id}": p for p in located}


def resolve_spot(pick: str | None, click_rd: tuple[float, float] | None,
                 places: Sequence[m.MeetingPlace]) -> BaseGeometry | None:
    """The spot to check: a picked meeting place (its point) or else the clicked RD position."""
    if pick:
        place = spot_choices(places).get(pick)
        if place is not None:
            g = place.geometry
            return g if g.geom_type == "Point" else g.representative_point()
    if click_rd is not None:
        return Point(*click_rd)
    return None


def find_address(addresses: "Sequence[m.AddressPoint] | Columns", bag_id: str) -> m.AddressPoint:
    """The loaded address point with this BAG id (spaces ignored)."""
    wanted = "".join((bag_id or "").split())
    if not wanted:
        raise ValidationError("vul een BAG-id in (16 cijfers)", where="bag_id")
    if isinstance(addresses, Columns):
        found = addresses.find("bag_id", wanted)
        if found is not None:
            return found
    else:
        for a in addresses:
            if a.bag_id == wanted:
                return a
    raise NotFound(f"geen geladen adrespunt met BAG-id {wanted}", where="bag_id")
