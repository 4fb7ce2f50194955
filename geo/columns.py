"""Bulk layers held as columns: one numpy array per field, not one object per row.

A large gemeente has hundreds of thousands of address points; building a
Python record for each costs seconds. :meth:`geo.store.Store.read_columns`
returns a :class:`Columns` instead: geometries as one shapely array (decoded
from WKB in one call), numbers as float arrays (``NaN`` where empty), text as
object arrays. Code that needs a record for one row asks :meth:`Columns.record`;
iterating gives records too (the slow path, for small layers and old callers).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Iterator

import numpy as np


class Columns:
    """Records of one type, column-wise. ``cols["geometry"]`` is a shapely array."""

    def __init__(self, cls: type, data: dict[str, np.ndarray]):
        lengths = {len(v) for v in data.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of {cls.__name__} differ in length: {sorted(lengths)}")
        self.cls = cls
        self.data = data
        self._n = lengths.pop() if lengths else 0

    @classmethod
    def from_records(cls, record_cls: type, records: list, names: list[str] | None = None) -> "Columns":
        names = names or [f.name for f in fields(record_cls)]
        data = {}
        for name in names:
            values = [getattr(r, name) for r in records]
            data[name] = _array(values)
        return cls(record_cls, data)

    def __len__(self) -> int:
        return self._n

    def __bool__(self) -> bool:
        return self._n > 0

    def __getitem__(self, name: str) -> np.ndarray:
        return self.data[name]

    def __contains__(self, name: str) -> bool:
        return name in self.data

    def record(self, i: int) -> Any:
        """Row ``i`` as a record (fields not read are left at their default).

        Columns read as coordinates (``x`` and ``y``, :meth:`geo.store.Store.read_xy`)
        give the record a point geometry (None where they are NaN).
        """
        values = {}
        if "x" in self.data and "geometry" not in self.data:
            x, y = float(self.data["x"][i]), float(self.data["y"][i])
            values["geometry"] = None if x != x or y != y else _point(x, y)
        for name, col in self.data.items():
            if name in ("x", "y") and "geometry" in values:
                continue
            v = col[i]
            if isinstance(v, np.generic):
                v = v.item()
            if isinstance(v, float) and v != v:
                v = None
            values[name] = v
        return self.cls(**values)

    def __iter__(self) -> Iterator[Any]:
        return (self.record(i) for i in range(self._n))

    def take(self, index: np.ndarray) -> "Columns":
        """The rows picked by ``index`` (a boolean mask or row positions), as new columns."""
        return Columns(self.cls, {name: col[index] for name, col in self.data.items()})

    def find(self, name: str, value: Any) -> Any | None:
        """The first row whose ``name`` equals ``value``, as a record (or None)."""
        hits = np.flatnonzero(self.data[name] == value)
        return self.record(int(hits[0])) if len(hits) else None


def _point(x: float, y: float) -> Any:
    from shapely.geometry import Point

    return Point(x, y)


def _array(values: list) -> np.ndarray:
    """Numbers (with None) → float array with NaN; anything else → object array."""
    if values and all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in values):
        if any(isinstance(v, float) or v is None for v in values):
            return np.array([np.nan if v is None else v for v in values], dtype=float)
        return np.array(values, dtype=np.int64)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out
