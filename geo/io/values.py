"""The one check every value from a file passes before GEOS or the database.

:func:`check_frame` is called by :func:`geo.io.readers._to_store`, which
every reader (GeoJSON, TopoJSON, GeoPackage, Shapefile, CSV, workbooks)
passes through before its geometries are transformed, repaired or stored.
It refuses the file, naming the row and field, for:

- coordinates that are NaN or infinite, or absurdly large (beyond
  :data:`MAX_COORDINATE`, in any CRS);
- rings with fewer than three distinct points, lines with fewer than two,
  and empty parts of multi-geometries;
- numbers in attribute columns that are infinite or absurdly large (beyond
  :data:`MAX_NUMBER`); NaN there is an empty cell;
- more rows, vertices per feature or vertices in total than the layer's
  :class:`~geo.io.limits.ImportLimits` allow.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd
import shapely

from ..errors import ImportFormatError
from .limits import ImportLimits

MAX_COORDINATE = 1e9  # metres or degrees: RD stays below 1e6, Web Mercator below 2.1e7
MAX_NUMBER = 1e15  # larger than any amount, area or count a municipality keeps


def _refuse(where: str, row: int, field: str, problem: str) -> ImportFormatError:
    return ImportFormatError(f"{where}: rij {row}, veld {field}: {problem}")


def check_frame(frame, where: str, row: Callable[[int], int], geometry_field: str = "geometrie",
                limits: ImportLimits | None = None) -> None:
    """Refuse ``frame`` (a GeoDataFrame straight from a file) at its first
    bad value; ``row(position)`` gives the row number in the file."""
    if limits is not None and len(frame) > limits.max_rows:
        # a CSV stops reading one row past the limit: say "more than", not a count
        raise limits.refuse(where, "te veel rijen", None, "max_rows")
    _check_numbers(frame, where, row)
    if frame.geometry.name in frame.columns:
        _check_geometries(np.asarray(frame.geometry.values, dtype=object), where, row, geometry_field, limits)


def _check_numbers(frame, where: str, row) -> None:
    for col in frame.columns:
        if col == frame.geometry.name:
            continue
        series = frame[col]
        if not pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
            kind = pd.api.types.infer_dtype(series, skipna=True) if series.dtype == object else "string"
            if kind not in ("string", "empty", "bytes", "boolean", "date", "datetime", "time"):
                # mixed cells (workbooks, JSON): the numbers among them
                values = series.to_numpy(dtype=object)
                for pos, v in enumerate(values):
                    if isinstance(v, (float, np.floating)) and (np.isinf(v) or abs(v) > MAX_NUMBER):
                        raise _refuse(where, row(pos), str(col), f"'{v}' is geen bruikbaar getal")
                    if isinstance(v, (int, np.integer)) and not isinstance(v, bool) and abs(v) > MAX_NUMBER:
                        raise _refuse(where, row(pos), str(col), f"'{v}' is geen bruikbaar getal")
            continue
        values = series.to_numpy(dtype=float, na_value=np.nan)
        bad = np.isinf(values) | (np.abs(np.nan_to_num(values)) > MAX_NUMBER)
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise _refuse(where, row(pos), str(col), f"'{values[pos]}' is geen bruikbaar getal")


def _check_geometries(geoms: np.ndarray, where: str, row, field: str, limits: ImportLimits | None) -> None:
    present = np.asarray(shapely.is_geometry(geoms), dtype=bool)
    if not present.any():
        return
    positions = np.flatnonzero(present)
    arr = np.asarray(geoms[present], dtype=object)
    counts = shapely.get_num_coordinates(arr)
    if limits is not None:
        if counts.max(initial=0) > limits.max_vertices_per_feature:
            pos = int(np.argmax(counts))
            raise limits.refuse(f"{where}: rij {row(int(positions[pos]))}", "te veel punten in één object",
                                int(counts[pos]), "max_vertices_per_feature")
        total = int(counts.sum())
        if total > limits.max_total_vertices:
            raise limits.refuse(where, "te veel punten in het bestand", total, "max_total_vertices")
    # coordinates: finite and of a sane size (z too, where there is one)
    xy, idx = shapely.get_coordinates(arr, return_index=True)
    bad = ~np.isfinite(xy).all(axis=1) | (np.abs(np.nan_to_num(xy)) > MAX_COORDINATE).any(axis=1)
    has_z = shapely.has_z(arr)
    if has_z.any():
        xyz, zidx = shapely.get_coordinates(arr[has_z], include_z=True, return_index=True)
        zbad = ~np.isfinite(xyz[:, 2]) | (np.abs(np.nan_to_num(xyz[:, 2])) > MAX_COORDINATE)
        if zbad.any():
            first = int(np.flatnonzero(zbad)[0])
            pos = int(positions[np.flatnonzero(has_z)[zidx[first]]])
            raise _refuse(where, row(pos), field, f"hoogte {xyz[first, 2]} is geen eindig getal van redelijke grootte")
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        x, y = xy[first]
        raise _refuse(where, row(int(positions[idx[first]])), field,
                      f"coördinaat ({x:.6g}, {y:.6g}) is geen eindig getal van redelijke grootte")
    # empty parts of multi-geometries and collections (a single geometry is its own one part)
    multi = shapely.get_type_id(arr) >= 4
    if multi.any():
        parts, pidx = shapely.get_parts(arr, return_index=True)
    else:  # e.g. a file of points: no part to take apart
        parts, pidx = arr, np.arange(len(arr))
    empty = shapely.is_empty(parts) & multi[pidx]
    if empty.any():
        pos = int(positions[pidx[int(np.flatnonzero(empty)[0])]])
        raise _refuse(where, row(pos), field, "bevat een leeg deel")
    # rings need three distinct points, lines two
    type_ids = shapely.get_type_id(parts)
    polys = type_ids == 3
    if polys.any():
        rings, ridx = shapely.get_rings(parts[polys], return_index=True)
        owner = pidx[np.flatnonzero(polys)[ridx]]
        few = _fewer_distinct(rings, 3)
        if few.any():
            pos = int(positions[owner[int(np.flatnonzero(few)[0])]])
            raise _refuse(where, row(pos), field, "een ring heeft minder dan drie verschillende punten")
    lines = (type_ids == 1) | (type_ids == 2)
    if lines.any():
        few = _fewer_distinct(parts[lines], 2)
        if few.any():
            pos = int(positions[pidx[np.flatnonzero(lines)[int(np.flatnonzero(few)[0])]]])
            raise _refuse(where, row(pos), field, "een lijn heeft minder dan twee verschillende punten")


def _fewer_distinct(geoms: np.ndarray, k: int) -> np.ndarray:
    """Whether each geometry has fewer than ``k`` (2 or 3) distinct coordinates.

    Most geometries prove they have enough without sorting any coordinate:
    relative to a geometry's first point, one coordinate that is not zero
    shows two distinct points, and two consecutive coordinates whose cross
    product is not zero show three (neither is zero and they differ; this
    holds whatever the rounding). Only the rest are counted exactly.
    """
    few = np.zeros(len(geoms), dtype=bool)
    if len(geoms) == 0:
        return few
    xy, idx = shapely.get_coordinates(geoms, return_index=True)
    n = len(geoms)
    if len(xy) == 0:
        return np.full(n, k > 0)
    first = np.searchsorted(idx, np.arange(n))  # get_coordinates keeps each geometry's coordinates together
    rel = xy - xy[np.minimum(first, len(xy) - 1)][idx]
    if k <= 2:
        shown = (rel != 0).any(axis=1).astype(float)
        sure = np.bincount(idx, weights=shown, minlength=n) > 0
    else:
        same = idx[1:] == idx[:-1]
        cross = rel[:-1, 0] * rel[1:, 1] - rel[1:, 0] * rel[:-1, 1]
        sure = np.bincount(idx[:-1][same], weights=(cross[same] != 0).astype(float), minlength=n) > 0
    rest = np.flatnonzero(~sure)
    if len(rest):
        few[rest] = _distinct_points(geoms[rest]) < k
    return few


def _distinct_points(geoms: np.ndarray) -> np.ndarray:
    """The number of distinct coordinates of each geometry (vectorised)."""
    if len(geoms) == 0:
        return np.zeros(0, dtype=int)
    xy, idx = shapely.get_coordinates(geoms, return_index=True)
    if len(xy) == 0:
        return np.zeros(len(geoms), dtype=int)
    # Sort by (geometry, x, y) and count the rows that differ from the one before
    # within the same geometry: one lexsort, no row-wise np.unique (that took
    # half a minute on the 3.8 million vertices of the CBS buurtkaart).
    order = np.lexsort((xy[:, 1], xy[:, 0], idx))
    sidx, sxy = idx[order], xy[order]
    new = np.ones(len(sidx), dtype=bool)
    new[1:] = (sidx[1:] != sidx[:-1]) | (sxy[1:] != sxy[:-1]).any(axis=1)
    return np.bincount(sidx[new], minlength=len(geoms))


__all__ = ["MAX_COORDINATE", "MAX_NUMBER", "check_frame"]
