"""Coordinate reference systems: RD New for storage, WGS84 for the browser.

Transformers are built once (they are thread-safe for reading in pyproj 3
when created with ``always_xy``) and reused.
"""

from __future__ import annotations

import math
from functools import lru_cache

import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from .model import STORE_CRS, WEB_CRS

# Where RD New is defined: a generous box around the Netherlands, in metres.
RD_BOUNDS = (-7_000.0, 289_000.0, 300_000.0, 629_000.0)


# A point inside the Netherlands per CRS: where the operation between the two is chosen.
_PROBE = {STORE_CRS: (155_000.0, 463_000.0), WEB_CRS: (5.387639, 52.156161)}


@lru_cache(maxsize=32)
def transformer(src: str, dst: str) -> Transformer:
    """The transformer from ``src`` to ``dst`` (x/lon first), built once.

    pyproj gives every thread its own copy of a transformer's PROJ object, and
    Streamlit runs every script run in a new thread. For a transformer made
    with ``from_crs`` that copy means searching PROJ's database again: 30–180 ms
    on each run that locates a click or draws one shape. Between the app's own
    two CRSs the transformer is therefore made from the pipeline of the
    operation PROJ itself chooses in the Netherlands, which a thread copies in
    well under a millisecond. Its results are the same, coordinate for
    coordinate (``tests/test_crs.py`` compares them across Europe).
    """
    chosen = Transformer.from_crs(CRS.from_user_input(src), CRS.from_user_input(dst), always_xy=True)
    if src in _PROBE and dst in _PROBE and src != dst:
        chosen.transform(*_PROBE[src])
        operation = chosen.get_last_used_operation()
        return Transformer.from_pipeline(operation.definition)
    return chosen


def transform(geom: BaseGeometry, src: str, dst: str) -> BaseGeometry:
    if src == dst or geom is None:
        return geom
    t = transformer(src, dst)
    return shapely.transform(geom, lambda xy: _stack(t.transform(xy[:, 0], xy[:, 1])))


def _stack(xy):
    import numpy as np

    return np.column_stack(xy)


def to_web(geom: BaseGeometry) -> BaseGeometry:
    """RD New → WGS84 (lon/lat order, as GeoJSON wants)."""
    return transform(geom, STORE_CRS, WEB_CRS)


def to_web_many(geoms):
    """An array of RD New geometries → WGS84, all coordinates in one call."""
    import numpy as np

    t = transformer(STORE_CRS, WEB_CRS)
    arr = np.asarray(geoms, dtype=object)
    if arr.size == 0:
        return arr
    return shapely.transform(arr, lambda xy: _stack(t.transform(xy[:, 0], xy[:, 1])))


def to_store(geom: BaseGeometry, src: str = WEB_CRS) -> BaseGeometry:
    """Any CRS (WGS84 by default) → RD New."""
    return transform(geom, src, STORE_CRS)


def lonlat_to_rd(lon: float, lat: float) -> tuple[float, float]:
    """One point WGS84 → RD New; (nan, nan) for a coordinate that is not a finite number."""
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return math.nan, math.nan
    return transformer(WEB_CRS, STORE_CRS).transform(lon, lat)


def rd_to_lonlat(x: float, y: float) -> tuple[float, float]:
    """One point RD New → WGS84; (nan, nan) for a coordinate that is not a finite number
    (PROJ turns some infinities into finite nonsense)."""
    if not (math.isfinite(x) and math.isfinite(y)):
        return math.nan, math.nan
    return transformer(STORE_CRS, WEB_CRS).transform(x, y)


def looks_like_rd(bounds: tuple[float, float, float, float]) -> bool:
    """True when a bounding box can only be RD New metres (not degrees)."""
    minx, miny, maxx, maxy = bounds
    x0, y0, x1, y1 = RD_BOUNDS
    return x0 <= minx <= maxx <= x1 and y0 <= miny <= maxy <= y1 and maxy > 1000
