"""Locating things: which buurt a point or shape lies in.

Two ways to ask, with the same answers (a shape is located by its
representative point; the area that *covers* it counts, so a point on the
shared edge of two buurten lies in both and the lowest code answers):

- :class:`StoreAreas` asks the store, one query per question (PostGIS:
  ``ST_Covers`` on the GiST index; SQLite: its bbox columns, then the exact
  test). Nothing is loaded into the app server: for the single questions of
  the running app (a click, a resident's pin, saving one record).
- :class:`AreaIndex` loads every area of a level once and builds an STRtree
  in the process: for bulk work that asks thousands of questions in one go
  (an import of many rows), where one read of all buurten is cheaper than a
  query per row (see BENCHMARKS.md, "point → buurt").

Functions that place records take either (``locator``); :func:`locator`
gives the store's when none is passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from . import model as m
from .crs import lonlat_to_rd
from .point_grid import PointGrid


def probe(geom: BaseGeometry | None) -> Point | None:
    """The point a geometry is located by: itself, or (line, polygon) its representative point."""
    if geom is None or geom.is_empty:
        return None
    return geom if geom.geom_type == "Point" else geom.representative_point()


@dataclass
class AreaIndex:
    """A spatial index over areas of one level, held in this process."""

    areas: list[m.Area]

    def __post_init__(self) -> None:
        self._areas = [a for a in self.areas if a.geometry is not None]
        self._tree = shapely.STRtree([a.geometry for a in self._areas])
        self._codes = np.array([a.code for a in self._areas], dtype=object)
        self._rank = np.argsort(np.argsort(self._codes.astype(str), kind="stable"))  # code order

    @classmethod
    def from_store(cls, store, level: str = "buurt") -> "AreaIndex":
        return cls(store.list(m.Area, level=level))

    def at(self, geom: BaseGeometry) -> m.Area | None:
        """The area covering ``geom`` (for a line or polygon: its
        representative point), or None when it lies outside all areas.
        On a shared edge the lowest code answers, as :meth:`Store.area_at`."""
        point = probe(geom)
        if point is None:
            return None
        hits = [self._areas[int(i)] for i in self._tree.query(point, predicate="intersects")]
        return min(hits, key=lambda a: a.code) if hits else None

    def at_lonlat(self, lon: float, lat: float) -> m.Area | None:
        return self.at(Point(*lonlat_to_rd(lon, lat)))

    def code_at(self, geom: BaseGeometry) -> str | None:
        area = self.at(geom)
        return area.code if area else None

    def codes_at(self, points) -> np.ndarray:
        """:meth:`code_at` for an array of points in one go (an import):
        an object array of codes, None outside every area.

        The points are bucketed in a grid (:class:`geo.point_grid.PointGrid`)
        and each area, lowest code first, takes the still unplaced points of
        its box that it covers (``intersects_xy`` on the prepared area, edge
        included): the answers of an STRtree query per point, without a tree
        over hundreds of thousands of points. Geometries that are no point
        are asked of the tree of areas.
        """
        points = np.asarray(points, dtype=object)
        out = np.full(len(points), None, dtype=object)
        if not self._areas or not len(points):
            return out
        kinds = shapely.get_type_id(points)
        usable = (kinds == 0) & ~shapely.is_empty(points)
        x = np.full(len(points), np.nan)
        y = np.full(len(points), np.nan)
        if usable.any():
            x[usable], y[usable] = shapely.get_x(points[usable]), shapely.get_y(points[usable])
        polygons = np.asarray([a.geometry for a in self._areas], dtype=object)
        bounds = shapely.bounds(polygons)
        widths = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
        grid = PointGrid(x, y, float(np.nanmedian(widths)) if len(widths) else 1.0)
        placed = np.zeros(len(points), dtype=bool)
        for i in np.argsort(self._rank, kind="stable"):  # lowest code first: it keeps a shared edge
            cand = grid.in_box(*bounds[i])
            cand = cand[~placed[cand]]
            if len(cand):
                shapely.prepare(polygons[i])
                hit = cand[shapely.intersects_xy(polygons[i], x[cand], y[cand])]
                out[hit] = self._codes[i]
                placed[hit] = True
        other = np.flatnonzero((kinds > 0) & ~shapely.is_empty(points))
        if len(other):
            hit_pt, hit_area = self._tree.query(points[other], predicate="intersects")
            order = np.lexsort((self._rank[hit_area], hit_pt))  # per geometry, its lowest code first
            hit_pt, hit_area = hit_pt[order], hit_area[order]
            _, first = np.unique(hit_pt, return_index=True)
            out[other[hit_pt[first]]] = self._codes[hit_area[first]]
        return out

    def has(self, code: str | None) -> bool:
        return any(a.code == code for a in self.areas)


class StoreAreas:
    """Point → area asked of the store, one query per question (see the module doc)."""

    def __init__(self, store, level: str = "buurt") -> None:
        self.store = store
        self.level = level

    def at(self, geom: BaseGeometry) -> m.Area | None:
        point = probe(geom)
        return None if point is None else self.store.area_at(point, self.level)

    def at_lonlat(self, lon: float, lat: float) -> m.Area | None:
        return self.at(Point(*lonlat_to_rd(lon, lat)))

    def code_at(self, geom: BaseGeometry) -> str | None:
        area = self.at(geom)
        return area.code if area else None

    def has(self, code: str | None) -> bool:
        """Whether an area of this level with ``code`` is stored."""
        return bool(code) and self.store.count(m.Area, code=code, level=self.level) > 0


Locator = Union[AreaIndex, StoreAreas]


def locator(store, index: Locator | None = None, level: str = "buurt") -> Locator:
    """``index`` when given (bulk work passes its :class:`AreaIndex`), else the store's own."""
    return index if index is not None else StoreAreas(store, level)


def buurten_of(store, gemeente: str | None) -> list[m.Area]:
    """The buurten of one gemeente (``GM…``; None: every buurt), in code order.

    When the gemeente's boundary is stored, only the buurten intersecting its
    box are read (:meth:`Store.in_window`: ``ST_Intersects`` on PostGIS), so a
    page of one gemeente does not read the whole country's buurten."""
    return areas_of(store, gemeente, "buurt")


def areas_of(store, gemeente: str | None, level: str) -> list[m.Area]:
    """The areas of ``level`` of one gemeente (None: all of them), in code
    order; read by the gemeente's box where its boundary is stored."""
    from .scope import gemeente_of

    if gemeente is None:
        return store.list(m.Area, level=level)
    found = None
    if store.exists(m.Area, gemeente):
        boundary = store.get(m.Area, gemeente).geometry
        if boundary is not None and not boundary.is_empty:
            found = store.in_window(m.Area, boundary.bounds, level=level)
    if found is None:
        found = store.list(m.Area, level=level)
    return [a for a in found if gemeente_of(a.code) == gemeente]
