"""Meeting places and candidates: the data, the needs and the what-if scenario.

:class:`PlacesData` holds what the meeting-place and real-estate views need,
read from the store once. :class:`Scenario` puts the existing places (of the
chosen kinds) and every candidate into one :class:`~geo.coverage.CoverageModel`,
so switching candidates on and off recomputes coverage per buurt at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import numpy as np

from . import model as m
from .columns import Columns
from .coverage import (
    DEFAULT_DETOUR_FACTOR,
    DEFAULT_DISTANCE_M,
    DEFAULT_GRID_SPACING_M,
    BuurtCoverage,
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


def load_places(store, suggestions: bool = True) -> PlacesData:
    """What the meeting-place views need; ``suggestions=False`` leaves out the residents' suggestions
    (a hundred thousand records in a national database) where nothing reads them (the analyses).
    The address points come as coordinates with their inhabitants and buurt code
    (:meth:`geo.store.Store.read_xy`): all the analyses read of them."""
    return PlacesData(
        buurten=store.list(m.Area, level="buurt"),
        buildings=store.list(m.RealEstate),
        places=store.list(m.MeetingPlace),
        suggestions=[s for s in store.list(m.Suggestion) if s.status not in HIDDEN_SUGGESTIONS] if suggestions else [],
        plans=store.list(m.Plan),
        addresses=store.read_xy(m.AddressPoint, ANALYSIS_COLUMNS),
    )


ADDRESS_COLUMNS = ("geometry", "inhabitants", "bag_id", "buurt_code")
# What the analyses (coverage, policy) read of each address point, besides its x and y.
ANALYSIS_COLUMNS = ("inhabitants", "buurt_code")


def read_addresses(store, gemeente: str | None = None, unplaced: bool = False, xy: bool = False) -> Columns:
    """The address points as columns (hundreds of thousands in a large gemeente);
    with ``gemeente`` (a GM code) only that gemeente's, read on the index of
    their buurt code (and with ``unplaced`` those outside every buurt), never
    the other gemeenten's (a national database holds a million); with ``xy``
    their coordinates as the columns ``x`` and ``y`` instead of a geometry
    object per point (what the coverage needs; a row's record still has its point)."""
    if gemeente is None:
        return store.read_xy(m.AddressPoint, ADDRESS_COLUMNS[1:]) if xy else \
            store.read_columns(m.AddressPoint, ADDRESS_COLUMNS)
    return store.read_gemeente_columns(m.AddressPoint, gemeente, ADDRESS_COLUMNS, unplaced=unplaced, xy=xy)


def from_map_data(data, addresses: "Columns | list[m.AddressPoint]" = ()) -> PlacesData:
    """Reuse the explorer's cached :class:`geo.maps.MapData` (read-only) and
    the address points read apart (:func:`read_addresses`)."""
    return PlacesData(buurten=data.buurten, buildings=data.real_estate, places=data.meeting_places,
                      suggestions=data.suggestions, plans=list(data.plans.values()),
                      addresses=addresses if len(addresses) else [])


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
        self._baseline_arrays = None
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
        """Every buurt before and after switching these candidates on (for a table of all buurten)."""
        after = self.result(candidate_ids)
        before = self._before()[0]
        rows = []
        for b in after.buurten:
            a0 = before[b.code]
            rows.append(BuurtComparison(b.code, b.name, b.inhabitants, a0.covered, b.covered, a0.share, b.share))
        return rows, after

    def gains(self, candidate_ids: Iterable[int], below: float, min_gain: float = 1) -> Gains:
        """The buurten under share ``below`` that gain ≥ ``min_gain`` covered inhabitants from these candidates.

        What filtering the rows of :meth:`compare` gives, computed on arrays:
        only the points the candidates newly reach are summed per buurt and
        only the best buurt (most gained, then the highest code) becomes a
        row, so judging each of a thousand candidates among 14,500 buurten
        does not build 14,500 rows per candidate.
        """
        extra = [self._cand_index[c] for c in candidate_ids if c in self._cand_index]
        _, inw, before, share_before, rank = self._before()
        newly = self.model.newly_covered(self.baseline, extra) if extra else np.empty(0, dtype=np.int64)
        covered_w = self.model.covered_weights_adding(self.baseline, newly)
        known = inw >= 0  # a buurt without a CBS figure has no covered count: its gain is 0
        after = np.where(known, np.minimum(inw, np.round(covered_w)), 0)
        gain = after - np.where(known, before, 0)
        ok = (share_before < below) & (gain >= min_gain)  # NaN (no share) is never below
        if not ok.any():
            return Gains(0, None)
        top = np.flatnonzero(ok & (gain == gain[ok].max()))
        i = int(top[np.argmax(rank[top])])
        return Gains(int(ok.sum()), self._row(i, float(covered_w[i])))

    def _row(self, i: int, covered_w: float) -> BuurtComparison:
        """Buurt ``i``'s comparison row, with ``covered_w`` people covered after (as :func:`summarise` counts)."""
        b = self.baseline.buurten[i]
        total = self.population.totals.get(b.code)
        if total is None:
            return BuurtComparison(b.code, b.name, None, None, None, None, None)
        after = min(b.inhabitants, int(round(covered_w)))
        return BuurtComparison(b.code, b.name, b.inhabitants, b.covered, after, b.share,
                               covered_w / total if total > 0 else None)

    def _before(self) -> tuple[dict[str, BuurtCoverage], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The baseline per buurt, once: by code, and as arrays of inhabitants (-1: unknown),
        covered, share (NaN: none) and the rank of the buurt's code."""
        if self._baseline_arrays is None:
            rows = self.baseline.buurten
            inw = np.array([-1 if b.inhabitants is None else b.inhabitants for b in rows], dtype=float)
            covered = np.array([b.covered or 0 for b in rows], dtype=float)
            share = np.array([np.nan if b.share is None else b.share for b in rows], dtype=float)
            rank = np.empty(len(rows), dtype=np.int64)
            rank[np.argsort(np.array([b.code for b in rows], dtype=str), kind="stable")] = np.arange(len(rows))
            self._baseline_arrays = (self.baseline.by_code(), inw, covered, share, rank)
        return self._baseline_arrays

    def reached_by(self, candidate_id: int) -> dict[str, float]:
        """Buurt code → inhabitants within reach of one candidate."""
        return self.model.reach(self._cand_index[candidate_id])


@dataclass(frozen=True)
class Gains:
    """What :meth:`Scenario.gains` finds: how many buurten qualify and the best of them."""

    count: int
    best: BuurtComparison | None


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
    sugg_of: dict[str | None, list[m.Suggestion]] = {}
    places_of: dict[str | None, list[m.MeetingPlace]] = {}
    for s in data.suggestions:  # grouped once, not one pass over all of them per buurt
        if s.category == "meeting":
            sugg_of.setdefault(s.buurt_code, []).append(s)
    for p in data.places:
        places_of.setdefault(p.buurt_code, []).append(p)
    for area in sorted(data.buurten, key=lambda a: a.code):
        sugg = sugg_of.get(area.code, [])
        places = places_of.get(area.code, [])
        rows.append(BuurtNeeds(
            area.code, area.name, len(sugg), sum(s.supporters or 0 for s in sugg),
            sum(1 for p in places if p.status == "existing"),
            sum(1 for p in places if p.status in CANDIDATE_STATUSES),
        ))
    return rows
