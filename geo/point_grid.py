"""Many points bucketed in a grid of square cells: which lie in a box, without a geometry per point.

Hundreds of thousands of address points are asked "which of you lie near this
place / in this buurt's box" a few hundred or thousand times. An STRtree
needs a shapely object per point (building, querying and freeing half a
million of them costs about a second); a grid needs one sort of the points
by cell, after which the points of a box are a few contiguous runs of that
order (one run per column of cells), found by binary search. The exact test
(distance, point in polygon) then runs on the coordinates of those
candidates only (``shapely.intersects_xy``, numpy).
"""

from __future__ import annotations

import numpy as np

MAX_CELLS_A_SIDE = 4096  # bounds the cell keys whatever the cell size asked


class PointGrid:
    """Points ``x``/``y`` (NaN: no point, never found) in cells about ``cell`` wide."""

    def __init__(self, x: np.ndarray, y: np.ndarray, cell: float):
        self.x = np.asarray(x, dtype=float)
        self.y = np.asarray(y, dtype=float)
        ok = np.isfinite(self.x) & np.isfinite(self.y)
        self.empty = not ok.any()
        if self.empty:
            return
        self.x0, self.y0 = float(self.x[ok].min()), float(self.y[ok].min())
        span = max(float(self.x[ok].max()) - self.x0, float(self.y[ok].max()) - self.y0)
        self.cell = max(float(cell), span / MAX_CELLS_A_SIDE, 1e-9)
        ix = np.where(ok, np.floor((self.x - self.x0) / self.cell), 0).astype(np.int64)
        iy = np.where(ok, np.floor((self.y - self.y0) / self.cell), 0).astype(np.int64)
        self.nx, self.ny = int(ix.max()) + 1, int(iy.max()) + 1
        key = np.where(ok, ix * self.ny + iy, -1)
        self.order = np.argsort(key, kind="stable")
        self.keys = key[self.order]

    def in_box(self, minx: float, miny: float, maxx: float, maxy: float) -> np.ndarray:
        """Indexes of the points with ``minx <= x <= maxx`` and ``miny <= y <= maxy`` (in no set order)."""
        none = np.empty(0, dtype=np.int64)
        if self.empty or not (minx <= maxx and miny <= maxy):  # also False for NaN
            return none
        # floor is monotone: a point inside the box lies in a cell between the box corners' cells
        cx0, cx1 = (int(np.clip(np.floor((v - self.x0) / self.cell), -1, self.nx)) for v in (minx, maxx))
        cy0, cy1 = (int(np.clip(np.floor((v - self.y0) / self.cell), -1, self.ny)) for v in (miny, maxy))
        cx0, cx1, cy0, cy1 = max(cx0, 0), min(cx1, self.nx - 1), max(cy0, 0), min(cy1, self.ny - 1)
        if cx0 > cx1 or cy0 > cy1:
            return none
        columns = np.arange(cx0, cx1 + 1, dtype=np.int64) * self.ny
        lo = np.searchsorted(self.keys, columns + cy0, "left")
        hi = np.searchsorted(self.keys, columns + cy1, "right")
        runs = [self.order[a:b] for a, b in zip(lo.tolist(), hi.tolist()) if b > a]
        if not runs:
            return none
        found = np.concatenate(runs)
        x, y = self.x[found], self.y[found]
        return found[(x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)]
