"""Meeting places and candidates: the data, the needs and the what-if scenario.

:class:`PlacesData` holds what the meeting-place and real-estate views need,
read from the store once. :class:`Scenario` puts the existing places (of the
chosen kinds) and every candidate into one :class:`~geo.coverage.CoverageModel`,
so switching candidates on and off recomputes coverage per buurt at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from . import model as m
from .columns import Columns
from .coverage import (
    DEFAULT_DETOUR_FACTOR,
    DEFAULT_DISTANCE_M,
    DEFAULT_GRID_SPACING_M,
    CoverageModel,
    CoverageResult,
    Population,
    address_population,
)

CANDIDATE_STATUSES = ("candidate", "proposed")
HIDDEN_SUGGESTIONS = ("hidden", "rejected", "merged")


@dataclass
class PlacesData:
    buurten: list[m.Area]
    buildings: list[m.RealEstate] = field(default_factory=list)
    places: list[m.MeetingPlace] = field(default_factory=list)
    suggestions: list[m.Suggestion] = field(default_factory=list)
    plans: list[m.Plan] = field(default_factory=list)
    addresses: "Columns | list[m.AddressPoint]" = field(default_factory=list)

    def building(self, building_id: int | None) -> m.RealEstate | None:
        if building_id is None:
            return None
        return next((b for b in self.buildings if b.id == building_id), None)

    def buurt_name(self, code: str | None) -> str:
        return next((a.name for a in self.buurten if a.code == code), code or "—")


def load_places(store) -> PlacesData:
    return PlacesData(
        buurten=store.list(m.Area, level="buurt"),
        buildings=store.list(m.RealEstate),
        places=store.list(m.MeetingPlace),
        suggestions=[s for s in store.list(m.Suggestion) if s.status not in HIDDEN_SUGGESTIONS],
        plans=store.list(m.Plan),
        addresses=read_addresses(store),
    )


ADDRESS_COLUMNS = ("geometry", "inhabitants", "bag_id", "buurt_code")


def read_addresses(store) -> Columns:
    """The address points as columns (hundreds of thousands in a large gemeente)."""
    return store.read_columns(m.AddressPoint, ADDRESS_COLUMNS)


def from_map_data(data) -> PlacesData:
    """Reuse the explorer's cached :class:`geo.maps.MapData` (read-only)."""
    return PlacesData(buurten=data.buurten, buildings=data.real_estate, places=data.meeting_places,
                      suggestions=data.suggestions, plans=list(data.plans.values()),
                      addresses=data.address_points)


def candidates(data: PlacesData) -> list[m.MeetingPlace]:
    return [p for p in data.places if p.status in CANDIDATE_STATUSES and p.geometry is not None]


@dataclass(frozen=True)
class CoverageSettings:
    distance_m: float = DEFAULT_DISTANCE_M
    detour_factor: float = DEFAULT_DETOUR_FACTOR
    kinds: tuple[str, ...] = m.MEETING_KINDS
    grid_spacing_m: float = DEFAULT_GRID_SPACING_M
    target_share: float = 0.8


@dataclass(frozen=True)
class BuurtComparison:
    code: str
    name: str
    inhabitants: int | None
    before: int | None
    after: int | None
    share_before: float | None
    share_after: float | None

    @property
    def gain(self) -> int:
        return (self.after or 0) - (self.before or 0)


class Scenario:
    """Existing places of the chosen kinds plus all candidates, ready for what-if."""

    def __init__(self, data: PlacesData, settings: CoverageSettings | None = None,
                 population: Population | None = None):
        self.data = data
        self.settings = settings or CoverageSettings()
        s = self.settings
        self.population = population or address_population(data.buurten, data.addresses, spacing=s.grid_spacing_m)
        self.existing = [p for p in data.places
                         if p.status == "existing" and p.kind in s.kinds and p.geometry is not None]
        self.candidates = candidates(data)
        self.model = CoverageModel(self.population, [p.geometry for p in self.existing + self.candidates],
                                   s.distance_m, s.detour_factor)
        self._cand_index = {p.id: len(self.existing) + i for i, p in enumerate(self.candidates)}
        self.baseline = self.result(())

    def active(self, candidate_ids: Iterable[int]) -> list[int]:
        idx = list(range(len(self.existing)))
        idx += [self._cand_index[c] for c in candidate_ids if c in self._cand_index]
        return idx

    def result(self, candidate_ids: Iterable[int]) -> CoverageResult:
        """Coverage with the existing places and the given candidates switched on."""
        if not hasattr(self, "baseline"):
            return self.model.result(self.active(candidate_ids))
        extra = [self._cand_index[c] for c in candidate_ids if c in self._cand_index]
        return self.model.result_adding(self.baseline, extra) if extra else self.baseline

    def compare(self, candidate_ids: Iterable[int]) -> tuple[list[BuurtComparison], CoverageResult]:
        after = self.result(candidate_ids)
        before = self.baseline.by_code()
        rows = []
        for b in after.buurten:
            a0 = before[b.code]
            rows.append(BuurtComparison(b.code, b.name, b.inhabitants, a0.covered, b.covered, a0.share, b.share))
        return rows, after

    def reached_by(self, candidate_id: int) -> dict[str, float]:
        """Buurt code → inhabitants within reach of one candidate."""
        return self.model.reach(self._cand_index[candidate_id])


@dataclass(frozen=True)
class BuurtNeeds:
    code: str
    name: str
    suggestions: int  # resident suggestions asking for a place to meet
    supporters: int
    existing: int
    candidates: int


def needs_per_buurt(data: PlacesData) -> list[BuurtNeeds]:
    """Per buurt: meeting suggestions (and their support) beside existing places and candidates."""
    rows = []
    for area in sorted(data.buurten, key=lambda a: a.code):
        sugg = [s for s in data.suggestions if s.category == "meeting" and s.buurt_code == area.code]
        places = [p for p in data.places if p.buurt_code == area.code]
        rows.append(BuurtNeeds(
            area.code, area.name, len(sugg), sum(s.supporters or 0 for s in sugg),
            sum(1 for p in places if p.status == "existing"),
            sum(1 for p in places if p.status in CANDIDATE_STATUSES),
        ))
    return rows
