"""Coverage: the share of inhabitants within walking distance of a meeting place.

Walking distance is approximated as straight-line distance times a detour
factor: an inhabitant is *covered* when some place lies within
``distance_m / detour_factor`` metres in a straight line.

Where people live comes in as a :class:`Population`: points with a weight
(people) and the buurt they belong to. Two ways to build one:

- :func:`grid_population` spreads each buurt's ``AANT_INW`` evenly over a
  regular grid of points inside the residential part of the buurt (the whole
  buurt polygon unless a residential mask is given) — used while no address
  points are loaded;
- :func:`points_population` takes address points with weights (e.g. BAG
  verblijfsobjecten with their number of residents) — the seam for an
  address-point layer; each point is assigned to its buurt with an STRtree.

:class:`CoverageModel` precomputes, once per population, places and
distance, which points each place covers (one vectorised STRtree query);
any selection of places (the *what-if* toggles) is then a union of index
sets, fast enough to recompute on every click. Nothing here loops over
points in Python.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from . import model as m
from .columns import Columns
from .errors import ValidationError
from .point_grid import PointGrid

DEFAULT_DISTANCE_M = 800.0
DEFAULT_DETOUR_FACTOR = 1.3
DEFAULT_GRID_SPACING_M = 50.0


def inhabitants_of(area: m.Area) -> float | None:
    """``AANT_INW`` of an area; CBS's negative 'secret/missing' codes are None."""
    value = area.figures.get("AANT_INW") if area.figures else None
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(value) or value < 0:
        return None
    return value


@dataclass
class Population:
    """Where inhabitants live: points (RD New), their weights and buurt."""

    x: np.ndarray
    y: np.ndarray
    weight: np.ndarray
    buurt: np.ndarray  # index into ``codes`` per point
    codes: list[str]  # buurt codes, in order
    names: dict[str, str] = field(default_factory=dict)
    totals: dict[str, float | None] = field(default_factory=dict)  # code → inhabitants (None: unknown)
    source: str = "grid"  # "grid" or "points"

    def __post_init__(self) -> None:
        self._points: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.x)

    @property
    def points(self) -> np.ndarray:
        """The points as a shapely geometry array (built once)."""
        if self._points is None:
            self._points = shapely.points(self.x, self.y)
        return self._points


def _grid_in(geom: BaseGeometry, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    """Cell centres of a grid aligned on multiples of ``spacing`` that lie in ``geom``."""
    minx, miny, maxx, maxy = geom.bounds
    x0 = math.floor(minx / spacing) * spacing + spacing / 2
    y0 = math.floor(miny / spacing) * spacing + spacing / 2
    xs = np.arange(x0, maxx, spacing)
    ys = np.arange(y0, maxy, spacing)
    gx, gy = np.meshgrid(xs, ys)
    gx, gy = gx.ravel(), gy.ravel()
    shapely.prepare(geom)
    inside = shapely.contains_xy(geom, gx, gy)
    return gx[inside], gy[inside]


def grid_population(
    buurten: Sequence[m.Area],
    spacing: float = DEFAULT_GRID_SPACING_M,
    residential: dict[str, BaseGeometry] | None = None,
) -> Population:
    """Each buurt's inhabitants spread evenly over a grid inside it.

    ``residential`` maps a buurt code to the residential part of that buurt
    (e.g. from land use); without it the whole buurt polygon is used. A buurt
    too small for a grid point gets one point at its representative point.
    A buurt without a known ``AANT_INW`` gets points of weight 0 and total
    ``None``.
    """
    if spacing <= 0:
        raise ValidationError(f"rasterafstand moet groter dan 0 zijn (kreeg {spacing})", where="spacing")
    xs, ys, ws, bs = [], [], [], []
    codes, names, totals = [], {}, {}
    for area in buurten:
        if area.geometry is None or area.geometry.is_empty:
            continue
        geom = area.geometry
        if residential and area.code in residential and residential[area.code] is not None:
            part = shapely.intersection(geom, residential[area.code])
            if not part.is_empty:
                geom = part
        gx, gy = _grid_in(geom, spacing)
        if len(gx) == 0:
            p = geom.representative_point()
            gx, gy = np.array([p.x]), np.array([p.y])
        inw = inhabitants_of(area)
        idx = len(codes)
        codes.append(area.code)
        names[area.code] = area.name
        totals[area.code] = inw
        xs.append(gx)
        ys.append(gy)
        ws.append(np.full(len(gx), (inw or 0.0) / len(gx)))
        bs.append(np.full(len(gx), idx, dtype=np.int64))
    return _population(xs, ys, ws, bs, codes, names, totals, "grid")


def points_population(
    points: Iterable[BaseGeometry] | np.ndarray,
    weights: Iterable[float] | np.ndarray,
    buurten: Sequence[m.Area],
) -> Population:
    """Address points with weights (people per point), assigned to buurten.

    The seam for an address-point layer: give it the points (RD New) and the
    number of people at each. Points outside every buurt are left out.
    """
    pts = np.asarray(list(points) if not isinstance(points, np.ndarray) else points, dtype=object)
    w = np.asarray(list(weights) if not isinstance(weights, np.ndarray) else weights, dtype=float)
    if len(pts) != len(w):
        raise ValidationError(f"{len(pts)} punten maar {len(w)} gewichten", where="weights")
    if np.any(w < 0) or np.any(np.isnan(w)):
        raise ValidationError("gewichten (inwoners per adres) moeten 0 of meer zijn", where="weights")
    areas = [a for a in buurten if a.geometry is not None and not a.geometry.is_empty]
    codes = [a.code for a in areas]
    names = {a.code: a.name for a in areas}
    buurt = _assign(pts, areas)
    keep = buurt >= 0
    xy = shapely.get_coordinates(pts[keep]) if keep.any() else np.empty((0, 2))
    wk, bk = w[keep], buurt[keep]
    totals = {c: float(wk[bk == i].sum()) for i, c in enumerate(codes)}
    return _population([xy[:, 0]], [xy[:, 1]], [wk], [bk], codes, names, totals, "points")


def _assign(pts: np.ndarray, areas: Sequence[m.Area]) -> np.ndarray:
    """Index into ``areas`` of the area holding each point (-1: none).

    The points go into the tree and each buurt polygon queries it, so the
    predicate runs on a prepared polygon (hundreds of thousands of points
    against a few hundred buurten in well under a second).
    """
    buurt = np.full(len(pts), -1, dtype=np.int64)
    if len(pts) and areas:
        polys = np.asarray([a.geometry for a in areas], dtype=object)
        shapely.prepare(polys)
        ai, pi = shapely.STRtree(pts).query(polys, predicate="intersects")
        # a point on a shared border goes to the first buurt (lowest index) found
        order = np.lexsort((ai, pi))
        pi, ai = pi[order], ai[order]
        first = np.unique(pi, return_index=True)[1]
        buurt[pi[first]] = ai[first]
    return buurt


def _assign_with_hint(x: np.ndarray, y: np.ndarray, areas: Sequence[m.Area],
                      hint: np.ndarray | None) -> np.ndarray:
    """Like :func:`_assign` for the points ``x``/``y``, using each point's stored buurt code as a hint.

    The import already placed every address point in its buurt. The hint is
    checked (one vectorised point-in-polygon test per buurt on its own
    points); points without a hint, or whose buurt no longer holds them
    (boundaries re-imported since), are placed by :func:`_assign`. Points
    without coordinates (NaN) lie in no buurt.
    """
    n = len(x)
    where = np.full(n, -1, dtype=np.int64)
    if not n or not areas:
        return where
    if hint is None:
        guess = np.full(n, -1, dtype=np.int64)
    else:
        index = {a.code: i for i, a in enumerate(areas)}
        guess = np.fromiter(map(index.get, hint, itertools.repeat(-1, n)), dtype=np.int64, count=n)
    order = np.argsort(guess, kind="stable")
    bounds = np.searchsorted(guess[order], np.arange(len(areas) + 1))
    for i, area in enumerate(areas):
        rows = order[bounds[i]:bounds[i + 1]]
        if len(rows):
            shapely.prepare(area.geometry)
            ok = shapely.contains_xy(area.geometry, x[rows], y[rows])
            where[rows[ok]] = i
    rest = np.flatnonzero((where < 0) & ~(np.isnan(x) | np.isnan(y)))
    if len(rest):
        where[rest] = _assign(shapely.points(x[rest], y[rest]), areas)
    return where


def _xy_of(pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates of point geometries (NaN for a missing or empty one)."""
    x = np.full(len(pts), np.nan)
    y = np.full(len(pts), np.nan)
    ok = ~(shapely.is_missing(pts) | shapely.is_empty(pts)) if len(pts) else np.zeros(0, dtype=bool)
    if ok.any():
        xy = shapely.get_coordinates(pts[ok])
        if len(xy) != int(ok.sum()):
            raise ValidationError("adrespunten moeten punten zijn", where="addresses")
        x[ok], y[ok] = xy[:, 0], xy[:, 1]
    return x, y


def address_population(
    buurten: Sequence[m.Area],
    addresses: "Sequence[m.AddressPoint] | Columns",
    spacing: float = DEFAULT_GRID_SPACING_M,
) -> Population:
    """Inhabitants at their addresses where address points are loaded.

    A buurt with address points spreads its CBS ``AANT_INW`` evenly over them
    (or, when every one of its points carries its own ``inhabitants``, uses
    those counts); a buurt without any keeps the grid of
    :func:`grid_population`. With no address points at all this *is*
    :func:`grid_population`.

    ``addresses`` are records, or columns from the store: with the
    coordinates as ``x``/``y`` (:meth:`geo.store.Store.read_xy`, the fast
    path: no geometry object per point) or a ``geometry`` column.
    """
    areas = [a for a in buurten if a.geometry is not None and not a.geometry.is_empty]
    if not addresses:
        return grid_population(areas, spacing=spacing)
    hint = None
    if isinstance(addresses, Columns):  # the bulk path: arrays straight from the store
        if "x" in addresses:
            x, y = np.asarray(addresses["x"], dtype=float), np.asarray(addresses["y"], dtype=float)
        else:
            x, y = _xy_of(np.asarray(addresses["geometry"], dtype=object))
        own = np.asarray(addresses["inhabitants"], dtype=float)
        if "buurt_code" in addresses:
            hint = addresses["buurt_code"]
    else:
        x, y = _xy_of(np.asarray([a.geometry for a in addresses], dtype=object))
        own = np.asarray([np.nan if a.inhabitants is None else float(a.inhabitants) for a in addresses], dtype=float)
        hint = np.asarray([a.buurt_code for a in addresses], dtype=object)
    where = _assign_with_hint(x, y, areas, hint)
    # group the points by buurt once (not one mask over all points per buurt)
    order = np.argsort(where, kind="stable")
    bounds = np.searchsorted(where[order], np.arange(len(areas) + 1))
    grid = grid_population([a for i, a in enumerate(areas) if bounds[i] == bounds[i + 1]], spacing=spacing)
    grid_index = {c: i for i, c in enumerate(grid.codes)}
    grid_order = np.argsort(grid.buurt, kind="stable")
    grid_bounds = np.searchsorted(grid.buurt[grid_order], np.arange(len(grid.codes) + 1))
    xs, ys, ws, bs, totals = [], [], [], [], {}
    for i, area in enumerate(areas):
        rows = order[bounds[i]:bounds[i + 1]]
        if len(rows):
            counts = own[rows]
            if not np.isnan(counts).any():
                weights, total = counts, float(counts.sum())
            else:
                total = inhabitants_of(area)
                weights = np.full(len(rows), (total or 0.0) / len(rows))
            xs.append(x[rows])
            ys.append(y[rows])
        else:
            k = grid_index[area.code]
            g = grid_order[grid_bounds[k]:grid_bounds[k + 1]]
            xs.append(grid.x[g])
            ys.append(grid.y[g])
            weights, total = grid.weight[g], grid.totals[area.code]
        ws.append(weights)
        bs.append(np.full(len(weights), i, dtype=np.int64))
        totals[area.code] = total
    return _population(xs, ys, ws, bs, [a.code for a in areas], {a.code: a.name for a in areas}, totals, "points")


def _population(xs, ys, ws, bs, codes, names, totals, source) -> Population:
    def cat(parts, dtype):
        return np.concatenate(parts).astype(dtype) if parts else np.empty(0, dtype=dtype)

    return Population(cat(xs, float), cat(ys, float), cat(ws, float), cat(bs, np.int64), codes, names, totals, source)


# --- coverage ---------------------------------------------------------------------


@dataclass(frozen=True)
class BuurtCoverage:
    code: str
    name: str
    inhabitants: int | None  # None: CBS gives no figure
    covered: int | None
    share: float | None  # 0..1

    def to_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "inhabitants": self.inhabitants,
                "covered": self.covered, "share": None if self.share is None else round(self.share, 4)}


@dataclass(frozen=True)
class CoverageResult:
    distance_m: float
    detour_factor: float
    buurten: list[BuurtCoverage]
    inhabitants: int
    covered: int
    share: float | None
    covered_mask: np.ndarray = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    covered_weights: np.ndarray = field(repr=False, compare=False, default=None)  # type: ignore[assignment]

    @property
    def radius_m(self) -> float:
        return self.distance_m / self.detour_factor

    def by_code(self) -> dict[str, BuurtCoverage]:
        return {b.code: b for b in self.buurten}

    def to_dict(self) -> dict:
        return {
            "distance_m": self.distance_m,
            "detour_factor": self.detour_factor,
            "straight_line_radius_m": round(self.radius_m, 1),
            "municipality": {"inhabitants": self.inhabitants, "covered": self.covered,
                             "share": None if self.share is None else round(self.share, 4)},
            "buurten": [b.to_dict() for b in self.buurten],
        }


def straight_radius(distance_m: float, detour_factor: float) -> float:
    if not distance_m or distance_m <= 0:
        raise ValidationError(f"loopafstand moet groter dan 0 m zijn (kreeg {distance_m})", where="distance")
    if not detour_factor or detour_factor < 1:
        raise ValidationError(f"omrijfactor moet 1 of meer zijn (kreeg {detour_factor})", where="detour_factor")
    return distance_m / detour_factor


class CoverageModel:
    """Which population points each place covers, for fast what-if sums.

    ``places`` are geometries (points, or polygons for parks and squares:
    the distance is to the nearest edge). ``model.result(active)`` gives the
    coverage with the places whose index is in ``active`` switched on.
    """

    def __init__(self, population: Population, places: Sequence[BaseGeometry],
                 distance_m: float = DEFAULT_DISTANCE_M, detour_factor: float = DEFAULT_DETOUR_FACTOR):
        self.population = population
        self.places = list(places)
        self.distance_m = float(distance_m)
        self.detour_factor = float(detour_factor)
        self.radius = straight_radius(distance_m, detour_factor)
        place_idx, point_idx = pairs_within(np.asarray(self.places, dtype=object),
                                            population.x, population.y, self.radius)
        self._place_idx = place_idx
        self._point_idx = point_idx
        # the covered points grouped by place: place i covers _by_place[_bounds[i]:_bounds[i + 1]]
        order = np.argsort(place_idx, kind="stable")
        self._by_place = point_idx[order]
        self._bounds = np.searchsorted(place_idx[order], np.arange(len(self.places) + 1))

    def points_of(self, places: Iterable[int]) -> np.ndarray:
        """Indexes of the population points within reach of these places (may repeat)."""
        idx = sorted({i for i in places if 0 <= i < len(self.places)})
        parts = [self._by_place[self._bounds[i]:self._bounds[i + 1]] for i in idx]
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    def covered_mask(self, active: Iterable[int] | None = None) -> np.ndarray:
        """Boolean per population point: within reach of an active place."""
        mask = np.zeros(len(self.population), dtype=bool)
        mask[self._point_idx if active is None else self.points_of(active)] = True
        return mask

    def result(self, active: Iterable[int] | None = None) -> CoverageResult:
        mask = self.covered_mask(active)
        return summarise(self.population, mask, self.distance_m, self.detour_factor)

    def result_adding(self, base: CoverageResult, places: Iterable[int]) -> CoverageResult:
        """``base`` (a result of this model) with more places switched on.

        Only the points these places reach are looked at, so testing one
        candidate against the existing places costs a fraction of
        :meth:`result` on a large population.
        """
        pts = self.newly_covered(base, places)
        if not len(pts):
            return base
        mask = base.covered_mask.copy()
        mask[pts] = True
        return summarise(self.population, mask, self.distance_m, self.detour_factor,
                         covered_w=self.covered_weights_adding(base, pts))

    def newly_covered(self, base: CoverageResult, places: Iterable[int]) -> np.ndarray:
        """Sorted indexes of the points these places reach that ``base`` leaves uncovered."""
        pts = self.points_of(places)
        return np.unique(pts[~base.covered_mask[pts]])

    def covered_weights_adding(self, base: CoverageResult, newly: np.ndarray) -> np.ndarray:
        """Covered people per buurt (in ``population.codes`` order) once the points ``newly`` are covered too.

        The same sum :meth:`result_adding` reports, without building a result:
        enough to judge a candidate among thousands of buurten.
        """
        pop = self.population
        if not len(newly):
            return base.covered_weights
        extra = np.bincount(pop.buurt[newly], weights=pop.weight[newly], minlength=len(pop.codes))
        return base.covered_weights + extra

    def reach(self, place: int) -> dict[str, float]:
        """Buurt code → inhabitants within reach of one place."""
        pts = self._point_idx[self._place_idx == place]
        pop = self.population
        sums = np.bincount(pop.buurt[pts], weights=pop.weight[pts], minlength=len(pop.codes))
        return {c: float(s) for c, s in zip(pop.codes, sums) if s > 0}


# Pairs whose computed distance is this close to the radius are decided by GEOS itself.
_UNSURE_M = 1e-6


def pairs_within(places: np.ndarray, x: np.ndarray, y: np.ndarray,
                 radius: float) -> tuple[np.ndarray, np.ndarray]:
    """Every (place, point) pair with the point within ``radius`` of the place.

    The same pairs as ``shapely.STRtree(points).query(places, "dwithin", radius)``
    without a geometry object per point: the points are bucketed in a grid of
    cells about ``radius`` wide (:class:`geo.point_grid.PointGrid`), each
    place looks only at the points in its envelope grown by the radius (as
    the STRtree does), a point place measures distances with numpy, and
    GEOS decides the pairs within a micrometre of the radius and every pair
    of a line or polygon place (on points built for those candidates only).
    Returned grouped by place, points ascending within a place.
    """
    empty = np.empty(0, dtype=np.int64)
    if not len(places):
        return empty, empty
    grid = PointGrid(x, y, radius)
    bounds = shapely.bounds(places)
    kinds = shapely.get_type_id(places)
    out_place, out_point = [], []
    for k, geom in enumerate(places):
        if geom is None or kinds[k] < 0 or shapely.is_empty(geom):
            continue
        minx, miny, maxx, maxy = bounds[k]
        cand = grid.in_box(minx - radius, miny - radius, maxx + radius, maxy + radius)
        if not len(cand):
            continue
        cx, cy = x[cand], y[cand]
        if kinds[k] == 0:  # a point: the distance as GEOS computes it, GEOS itself where it is a close call
            dx, dy = cx - minx, cy - miny
            d = np.sqrt(dx * dx + dy * dy)
            hit = d <= radius
            unsure = np.flatnonzero(np.abs(d - radius) <= _UNSURE_M)
            if len(unsure):
                hit[unsure] = shapely.dwithin(geom, shapely.points(cx[unsure], cy[unsure]), radius)
        else:
            shapely.prepare(geom)
            hit = shapely.dwithin(geom, shapely.points(cx, cy), radius)
        sel = np.sort(cand[hit])
        out_point.append(sel)
        out_place.append(np.full(len(sel), k, dtype=np.int64))
    if not out_point:
        return empty, empty
    return np.concatenate(out_place), np.concatenate(out_point)


def summarise(pop: Population, mask: np.ndarray, distance_m: float, detour_factor: float,
              covered_w: np.ndarray | None = None) -> CoverageResult:
    """Per-buurt and municipal totals of covered inhabitants (whole people).

    ``covered_w`` (covered people per buurt) is computed from ``mask`` unless given.
    """
    k = len(pop.codes)
    if covered_w is None:
        covered_w = np.bincount(pop.buurt[mask], weights=pop.weight[mask], minlength=k) if k else np.zeros(0)
    rows = []
    tot_inw = tot_cov = 0
    for i, code in enumerate(pop.codes):
        total = pop.totals.get(code)
        if total is None:
            rows.append(BuurtCoverage(code, pop.names.get(code, code), None, None, None))
            continue
        inw = int(round(total))
        cov = min(inw, int(round(float(covered_w[i]))))
        share = (float(covered_w[i]) / total) if total > 0 else None
        rows.append(BuurtCoverage(code, pop.names.get(code, code), inw, cov, share))
        tot_inw += inw
        tot_cov += cov
    share = tot_cov / tot_inw if tot_inw else None
    return CoverageResult(float(distance_m), float(detour_factor), rows, tot_inw, tot_cov, share, mask, covered_w)


def coverage(population: Population, places: Sequence[BaseGeometry], distance_m: float = DEFAULT_DISTANCE_M,
             detour_factor: float = DEFAULT_DETOUR_FACTOR) -> CoverageResult:
    """Coverage with all ``places`` switched on."""
    return CoverageModel(population, places, distance_m, detour_factor).result()


def naive_covered_mask(population: Population, places: Sequence[BaseGeometry], radius: float) -> np.ndarray:
    """Reference implementation: a Python loop over every point.

    For each point it measures the distance to every place and keeps the
    nearest — what a straightforward script does. Only for tests and the
    benchmark (``bench/bench_coverage.py``).
    """
    from shapely.geometry import Point

    mask = np.zeros(len(population), dtype=bool)
    if not places:
        return mask
    arr = np.asarray(list(places), dtype=object)
    for i in range(len(population)):
        p = Point(population.x[i], population.y[i])
        mask[i] = bool(shapely.distance(p, arr).min() <= radius)
    return mask


def gap_areas(buurten: Sequence[m.Area], places: Sequence[BaseGeometry], radius: float,
              residential: dict[str, BaseGeometry] | None = None) -> dict[str, BaseGeometry]:
    """Buurt code → the part of the (residential) buurt beyond reach of every place."""
    reach = shapely.union_all(shapely.buffer(np.asarray(list(places), dtype=object), radius, quad_segs=16)) \
        if places else None
    out = {}
    for area in buurten:
        if area.geometry is None or area.geometry.is_empty:
            continue
        geom = area.geometry
        if residential and residential.get(area.code) is not None:
            geom = shapely.intersection(geom, residential[area.code])
        gap = geom if reach is None else shapely.difference(geom, reach)
        if not gap.is_empty:
            out[area.code] = gap
    return out
