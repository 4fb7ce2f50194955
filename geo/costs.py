"""Cost estimates for meeting places, from unit costs in ``data/unit_costs.toml``.

An estimate is a range (low–high) for the investment and for the yearly
operating cost, with the assumptions it rests on (each an i18n key plus its
values, so it reads in Dutch or English). Estimates add up per buurt and per
plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from . import model as m
from .config import read_toml
from .errors import ConfigError

UNIT_COSTS_FILE = Path(__file__).resolve().parent.parent / "data" / "unit_costs.toml"


@dataclass(frozen=True)
class Range:
    low: float
    high: float

    def __add__(self, other: "Range") -> "Range":
        return Range(self.low + other.low, self.high + other.high)

    def to_dict(self) -> dict[str, float]:
        return {"low": round(self.low), "high": round(self.high)}


ZERO = Range(0.0, 0.0)


@dataclass
class UnitCosts:
    renovation_per_m2: dict[int, Range]
    new_per_m2: Range
    yearly_per_m2: Range
    m2_per_visitor: float
    min_floor_area_m2: float
    default_floor_area_m2: float
    kinds: dict[str, tuple[Range, Range]]  # kind → (investment, yearly)
    source: str = ""


@dataclass
class Estimate:
    investment: Range
    yearly: Range
    assumptions: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (i18n key, values)

    def texts(self, lang: str = "nl") -> list[str]:
        from .i18n import t

        return [t(key, lang, **values) for key, values in self.assumptions]

    def to_dict(self, lang: str = "nl") -> dict[str, Any]:
        return {"investment_eur": self.investment.to_dict(), "yearly_eur": self.yearly.to_dict(),
                "assumptions": self.texts(lang)}


def _range(value: Any, where: str, path: Path) -> Range:
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
        raise ConfigError(f"{path.name}: {where} moet een bereik [laag, hoog] in euro's zijn (kreeg {value!r})")
    lo, hi = float(value[0]), float(value[1])
    if lo < 0 or hi < lo:
        raise ConfigError(f"{path.name}: {where} moet 0 ≤ laag ≤ hoog zijn (kreeg {value!r})")
    return Range(lo, hi)


def _number(table: dict, key: str, path: Path, where: str) -> float:
    value = table.get(key)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
        raise ConfigError(f"{path.name}: {where}.{key} moet een getal ≥ 0 zijn (kreeg {value!r})")
    return float(value)


def load_unit_costs(path: Path | str | None = None) -> UnitCosts:
    """Read and check the unit-cost file; :class:`ConfigError` names the key at fault."""
    path = Path(path) if path else UNIT_COSTS_FILE
    data = read_toml(path, "kostenbestand")
    b = data.get("building")
    if not isinstance(b, dict):
        raise ConfigError(f"{path.name}: de tabel [building] ontbreekt")
    reno_raw = b.get("renovation_per_m2")
    if not isinstance(reno_raw, dict):
        raise ConfigError(f"{path.name}: building.renovation_per_m2 ontbreekt")
    reno: dict[int, Range] = {}
    for key, value in reno_raw.items():
        if not str(key).isdigit() or not 1 <= int(key) <= 6:
            raise ConfigError(f"{path.name}: building.renovation_per_m2 heeft sleutel {key!r}; gebruik conditie 1–6")
        reno[int(key)] = _range(value, f"building.renovation_per_m2.{key}", path)
    missing = [c for c in range(1, 7) if c not in reno]
    if missing:
        raise ConfigError(f"{path.name}: building.renovation_per_m2 mist conditie {', '.join(map(str, missing))}")
    kinds: dict[str, tuple[Range, Range]] = {}
    for kind, table in (data.get("kinds") or {}).items():
        if kind not in m.MEETING_KINDS:
            raise ConfigError(f"{path.name}: onbekende soort [kinds.{kind}]; kies uit {', '.join(m.MEETING_KINDS)}")
        kinds[kind] = (_range(table.get("investment"), f"kinds.{kind}.investment", path),
                       _range(table.get("yearly"), f"kinds.{kind}.yearly", path))
    return UnitCosts(
        renovation_per_m2=reno,
        new_per_m2=_range(b.get("new_per_m2"), "building.new_per_m2", path),
        yearly_per_m2=_range(b.get("yearly_per_m2"), "building.yearly_per_m2", path),
        m2_per_visitor=_number(b, "m2_per_visitor", path, "building"),
        min_floor_area_m2=_number(b, "min_floor_area_m2", path, "building"),
        default_floor_area_m2=_number(b, "default_floor_area_m2", path, "building"),
        kinds=kinds,
        source=path.name,
    )


def estimate(place: m.MeetingPlace, building: m.RealEstate | None, costs: UnitCosts) -> Estimate:
    """The cost range of one meeting place (existing places cost nothing extra)."""
    if place.kind == "building":
        return _building_estimate(place, building, costs)
    if place.kind in costs.kinds:
        inv, yearly = costs.kinds[place.kind]
        return Estimate(inv, yearly, [("places.cost.a.standard", {"kind": place.kind, "file": costs.source})])
    if building is not None:  # e.g. a school with a linked building but no standard range
        return _building_estimate(place, building, costs)
    return Estimate(ZERO, ZERO, [("places.cost.a.unknown_kind", {"kind": place.kind, "file": costs.source})])


def _building_estimate(place: m.MeetingPlace, building: m.RealEstate | None, costs: UnitCosts) -> Estimate:
    notes: list[tuple[str, dict[str, Any]]] = []
    if building is not None:
        area = building.floor_area_m2
        if area is None:
            area = costs.default_floor_area_m2
            notes.append(("places.cost.a.area_default", {"m2": round(area)}))
        else:
            notes.append(("places.cost.a.area", {"m2": round(area), "name": building.name}))
        cond = building.condition
        if cond is None:
            cond = 3
            notes.append(("places.cost.a.condition_default", {"condition": cond}))
        per = costs.renovation_per_m2[int(cond)]
        inv = Range(per.low * area, per.high * area)
        notes.append(("places.cost.a.renovation", {"condition": cond, "low": round(per.low), "high": round(per.high)}))
        if building.yearly_cost_eur is not None:
            yearly = Range(building.yearly_cost_eur, building.yearly_cost_eur)
            notes.append(("places.cost.a.yearly_known", {"eur": round(building.yearly_cost_eur)}))
        else:
            yearly = Range(costs.yearly_per_m2.low * area, costs.yearly_per_m2.high * area)
            notes.append(("places.cost.a.yearly_per_m2", {"low": round(costs.yearly_per_m2.low),
                                                           "high": round(costs.yearly_per_m2.high)}))
        return Estimate(inv, yearly, notes)
    if place.capacity:
        area = max(costs.min_floor_area_m2, place.capacity * costs.m2_per_visitor)
        notes.append(("places.cost.a.area_capacity", {"m2": round(area), "capacity": place.capacity,
                                                       "per": costs.m2_per_visitor}))
    else:
        area = costs.default_floor_area_m2
        notes.append(("places.cost.a.area_default", {"m2": round(area)}))
    inv = Range(costs.new_per_m2.low * area, costs.new_per_m2.high * area)
    notes.append(("places.cost.a.new", {"low": round(costs.new_per_m2.low), "high": round(costs.new_per_m2.high)}))
    yearly = Range(costs.yearly_per_m2.low * area, costs.yearly_per_m2.high * area)
    notes.append(("places.cost.a.yearly_per_m2", {"low": round(costs.yearly_per_m2.low),
                                                   "high": round(costs.yearly_per_m2.high)}))
    return Estimate(inv, yearly, notes)


def renovation_estimate(building: m.RealEstate, costs: UnitCosts) -> Range | None:
    """Renovation investment of a building by its condition (None: area or condition unknown)."""
    if building.floor_area_m2 is None or building.condition is None:
        return None
    per = costs.renovation_per_m2[int(building.condition)]
    return Range(per.low * building.floor_area_m2, per.high * building.floor_area_m2)


def sum_by(estimates: Iterable[tuple[str | None, Estimate]]) -> dict[str, tuple[Range, Range]]:
    """Group key (buurt code, plan id…) → summed (investment, yearly)."""
    out: dict[str, tuple[Range, Range]] = {}
    for key, est in estimates:
        if key is None:
            continue
        inv, yearly = out.get(key, (ZERO, ZERO))
        out[key] = (inv + est.investment, yearly + est.yearly)
    return out


def plan_of(buurt_code: str | None, plans: Iterable[m.Plan]) -> m.Plan | None:
    """The plan whose area holds this buurt (its own plan, else its wijk's or gemeente's)."""
    if not buurt_code:
        return None
    by_area = {p.area_code: p for p in plans}
    for code in (buurt_code, "WK" + buurt_code[2:8], "GM" + buurt_code[2:6]):
        if code in by_area:
            return by_area[code]
    return None
