"""Locating things: which buurt a point or shape lies in.

Lookups run on an STRtree of the stored buurten, in RD New.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from . import model as m
from .crs import lonlat_to_rd


@dataclass
class AreaIndex:
    """A spatial index over areas of one level."""

    areas: list[m.Area]

    def __post_init__(self) -> None:
        self._areas = [a for a in self.areas if a.geometry is not None]
        self._tree = shapely.STRtree([a.geometry for a in self._areas])

    @classmethod
    def from_store(cls, store, level: str = "buurt") -> "AreaIndex":
        return cls(store.list(m.Area, level=level))

    def at(self, geom: BaseGeometry) -> m.Area | None:
        """The area containing ``geom`` (for a line or polygon: its
        representative point), or None when it lies outside all areas."""
        if geom is None or geom.is_empty:
            return None
        probe = geom if geom.geom_type == "Point" else geom.representative_point()
        for i in self._tree.query(probe, predicate="intersects"):
            return self._areas[int(i)]
        return None

    def at_lonlat(self, lon: float, lat: float) -> m.Area | None:
        return self.at(Point(*lonlat_to_rd(lon, lat)))

    def code_at(self, geom: BaseGeometry) -> str | None:
        area = self.at(geom)
        return area.code if area else None
