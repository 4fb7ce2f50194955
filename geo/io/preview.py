"""What the import page shows before anything is written.

- :func:`save_upload`: an uploaded file to a private temporary folder
  (size checked, name reduced to a safe base name);
- :func:`preview_rows`: the first rows as plain text (never HTML);
- :func:`preview_map`: an offline map of the features (the stored
  municipality's buurten in grey for orientation), deterministic for the
  same file, tooltips escaped by :mod:`geo.maps`.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import folium
import pandas as pd

from .. import model as m
from ..errors import ImportFormatError
from ..maps import FeatureLayer, OfflineMap, esc, feature
from .readers import MAX_FILE_BYTES, SourceLayer

PREVIEW_ROWS = 10
PREVIEW_FEATURES = 1000  # drawn at most; the summary counts them all


def save_upload(name: str, data: bytes, previous: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> Path:
    """Write an upload to a fresh temporary folder; remove the previous upload's folder."""
    if len(data) > max_bytes:
        raise ImportFormatError(
            f"{name}: bestand is te groot ({len(data) / 2**20:.1f} MB, maximaal {max_bytes / 2**20:.0f} MB)"
        )
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name.replace("\\", "/")).name).lstrip(".") or "upload"
    if previous:
        discard_upload(previous)
    folder = Path(tempfile.mkdtemp(prefix="wijkatlas-upload-"))
    path = folder / safe
    path.write_bytes(data)
    return path


def discard_upload(path: str | Path) -> None:
    folder = Path(path).parent
    if folder.name.startswith("wijkatlas-upload-"):
        shutil.rmtree(folder, ignore_errors=True)


def preview_rows(source: SourceLayer, n: int = PREVIEW_ROWS, geometry_label: str = "geometrie") -> pd.DataFrame:
    """The first ``n`` rows' attributes as text, plus the geometry type
    (in a column ``geometry_label``, the interface's word for it)."""
    head = source.frame.head(n)
    out = pd.DataFrame({c: [_shown(v) for v in head[c]] for c in source.columns})
    label = geometry_label
    while label in out.columns:  # a file may have a column of that name already
        label += " "
    out[label] = [("—" if g is None or g.is_empty else g.geom_type) for g in head.geometry]
    return out


def _shown(value) -> str:
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _blank(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def locate(store, source: SourceLayer) -> SourceLayer:
    """For the preview: ``source`` with rows that lack coordinates placed on their
    address (:mod:`geo.io.addresses`), so the map shows where the import would put them."""
    import dataclasses

    from .geometry import is_missing
    from .places import _place_by_address

    frame = source.frame
    attrs = frame.drop(columns=[frame.geometry.name]).to_dict("records")
    placements = _place_by_address(store, source, attrs, list(frame.geometry))
    if not placements:
        return source
    geoms = list(frame.geometry)
    for pos, (_, placement) in placements.items():
        if is_missing(geoms[pos]) and placement.point is not None:
            geoms[pos] = placement.point
    placed = frame.copy()
    placed[frame.geometry.name] = geoms
    placed = placed.set_geometry(frame.geometry.name, crs=frame.crs)
    return dataclasses.replace(source, frame=placed)


def preview_map(source: SourceLayer, buurten: list[m.Area] | None = None, label_column: str | None = None,
                limit: int = PREVIEW_FEATURES) -> folium.Map:
    """An offline map of (at most ``limit``) features of the file over the stored buurten."""
    fmap = OfflineMap(location=(52.1, 5.3), zoom_start=8, tiles=None, control_scale=True)
    context = [feature(a.geometry, fid=f"ctx-{a.code}", style={"color": "#888", "weight": 1, "fillOpacity": 0.05},
                       tooltip=esc(a.name))
               for a in (buurten or []) if a.geometry is not None]
    if context:
        FeatureLayer(context, name="context", interactive=False).add_to(fmap)
    feats = []
    for i, (geom, label) in enumerate(zip(source.frame.geometry, _labels(source, label_column))):
        if len(feats) >= limit:
            break
        if geom is None or geom.is_empty:
            continue
        feats.append(feature(geom, fid=f"src-{i}", tooltip=esc(label),
                             style={"color": "#d95f02", "fillColor": "#fdae61", "weight": 2, "radius": 6,
                                    "fillOpacity": 0.5, "shape": "circle"}))
    layer = FeatureLayer(feats, name="bestand")
    layer.add_to(fmap)
    bounds = layer.bounds()
    if bounds:
        fmap.fit_bounds(bounds, max_zoom=16)  # a few nearby points: still show the streets around them
    return fmap


def _labels(source: SourceLayer, column: str | None) -> list[str]:
    frame = source.frame
    if column is None:
        lower = {c.lower(): c for c in source.columns}
        column = next((lower[c] for c in ("name", "naam", "statnaam", "buurtnaam", "bu_naam", "wk_naam", "title",
                                          "titel", "bgtplustype") if c in lower), None)
    if column is None:
        return [f"#{i + 1}" for i in range(len(frame))]
    return [f"#{i + 1} {'' if _blank(v) else v}" for i, v in enumerate(frame[column])]
