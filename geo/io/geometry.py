"""Cleaning geometries on the way in: 2D, valid, of the expected dimension."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry


def is_missing(geom) -> bool:
    return geom is None or (isinstance(geom, float)) or not isinstance(geom, BaseGeometry) or geom.is_empty


def clean(geom: BaseGeometry, polygonal: bool = False) -> tuple[BaseGeometry | None, bool]:
    """(cleaned geometry or None when nothing usable is left, whether it was repaired).

    Z values are dropped; an invalid geometry goes through ``make_valid``
    and, when the result is a collection, keeps the parts of the original
    dimension (polygons for areas).
    """
    geom = shapely.force_2d(geom)
    if geom.is_valid:
        if polygonal and geom.geom_type not in ("Polygon", "MultiPolygon"):
            return None, False
        return geom, False
    dim = 2 if polygonal else shapely.get_dimensions(geom)
    fixed = shapely.make_valid(geom)
    if fixed.geom_type == "GeometryCollection" or shapely.get_dimensions(fixed) != dim:
        parts = [g for g in getattr(fixed, "geoms", [fixed]) if shapely.get_dimensions(g) == dim and not g.is_empty]
        if not parts:
            return None, True
        fixed = shapely.union_all(parts)
    if fixed.is_empty or not fixed.is_valid:
        return None, True
    if polygonal and fixed.geom_type not in ("Polygon", "MultiPolygon"):
        return None, True
    return fixed, True


def clean_all(geoms, polygonal: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """:func:`clean` over an array of present geometries: (cleaned or None per item, repaired per item).

    The common case (valid already) is decided in vectorised shapely calls;
    only invalid geometries go through :func:`clean` one at a time.
    """
    arr = np.asarray(geoms, dtype=object)
    out = np.full(len(arr), None, dtype=object)
    repaired = np.zeros(len(arr), dtype=bool)
    if not len(arr):
        return out, repaired
    flat = shapely.force_2d(arr)
    valid = shapely.is_valid(flat)
    ok = valid
    if polygonal:
        ok = valid & np.isin(shapely.get_type_id(flat), (3, 6))  # Polygon, MultiPolygon
    out[ok] = flat[ok]
    for i in np.flatnonzero(~valid):
        out[i], repaired[i] = clean(arr[i], polygonal=polygonal)
    return out, repaired
