"""Layers out as an Excel workbook (.xlsx) for the people who keep lists.

One sheet per layer (named in the interface language, at most 31
characters as Excel wants), one row per record:

- headers readable in the interface language with the field name in
  brackets — ``Naam (name)`` — so the file comes back in through the
  importers unchanged (they read the bracketed name);
- typed cells: numbers as numbers, yes/no as booleans, dates as dates
  (``created_at``), lists joined with ``; ``;
- the location: points as RD New ``x``/``y`` and WGS84 ``lon``/``lat``;
  other geometries as WKT in RD New (``wkt``) with their centre in WGS84;
- text a spreadsheet would run as a formula is neutralised with
  :func:`geo.io.cells.neutralise_formula` (OWASP), and the sheet reader
  takes that quote off again on import.

Written with openpyxl's write-only mode (memory stays small for big layers).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import model as m
from ..crs import transformer
from .cells import neutralise_formula

DATE_FIELDS = ("created_at",)
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_title(layer: str, lang: str = "nl") -> str:
    from ..i18n import t

    title = _SHEET_BAD.sub(" ", t(f"data.sheet.{layer}", lang)).strip()
    return title[:31] or layer[:31]


def header(name: str, lang: str = "nl") -> str:
    """``Naam (name)``: the field as people call it, then the name the importers map."""
    from ..i18n import t
    from ..i18n.data import field_label

    special = {
        "x": ("X RD New", "X RD New"), "y": ("Y RD New", "Y RD New"),
        "lon": ("Lengtegraad WGS84", "Longitude WGS84"), "lat": ("Breedtegraad WGS84", "Latitude WGS84"),
        "wkt": ("Geometrie (WKT, RD New)", "Geometry (WKT, RD New)"),
        "centre_lon": ("Middelpunt lengtegraad WGS84", "Centre longitude WGS84"),
        "centre_lat": ("Middelpunt breedtegraad WGS84", "Centre latitude WGS84"),
        "id": ("Id in Wijkatlas", "Wijkatlas id"),
    }
    if name in special:
        return f"{special[name][lang == 'en']} ({name})"
    del t
    return field_label(name, lang)  # CBS figures (AANT_INW …) and others keep their own names


def _location_columns(frame: gpd.GeoDataFrame) -> dict[str, list[Any]]:
    geoms = np.asarray(frame.geometry.array, dtype=object)
    present = ~shapely.is_missing(geoms)
    if len(geoms) and present.any():
        kinds = set(shapely.get_type_id(geoms[present]).tolist())
    else:
        kinds = {0}
    n = len(geoms)
    if kinds == {0}:  # points
        x = np.full(n, np.nan)
        y = np.full(n, np.nan)
        x[present] = shapely.get_x(geoms[present])
        y[present] = shapely.get_y(geoms[present])
        lon, lat = _wgs84(x, y)
        return {"x": _round(x, 2), "y": _round(y, 2), "lon": _round(lon, 7), "lat": _round(lat, 7)}
    centres = np.full(n, None, dtype=object)
    centres[present] = shapely.point_on_surface(geoms[present])
    cx = np.array([c.x if c is not None else np.nan for c in centres], dtype=float)
    cy = np.array([c.y if c is not None else np.nan for c in centres], dtype=float)
    lon, lat = _wgs84(cx, cy)
    wkt = [g.wkt if g is not None else None for g in geoms]
    return {"wkt": wkt, "centre_lon": _round(lon, 7), "centre_lat": _round(lat, 7)}


def _wgs84(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lon = np.full(len(x), np.nan)
    lat = np.full(len(x), np.nan)
    ok = ~np.isnan(x)
    if ok.any():
        lon[ok], lat[ok] = transformer(m.STORE_CRS, m.WEB_CRS).transform(x[ok], y[ok])
    return lon, lat


def _round(values: np.ndarray, digits: int) -> list[float | None]:
    return [None if np.isnan(v) else round(float(v), digits) for v in values]


def _cell(value: Any, name: str) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if name in DATE_FIELDS and isinstance(value, str) and value:
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
        except ValueError:
            return neutralise_formula(value)
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str):
        return neutralise_formula(value)
    return value


def write_workbook(frames: dict[str, gpd.GeoDataFrame], path: str | Path, lang: str = "nl") -> None:
    """Each layer's frame (from :func:`geo.io.export.layer_frame`) as a sheet of ``path``."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for layer, frame in frames.items():
        ws = wb.create_sheet(sheet_title(layer, lang))
        attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        location = _location_columns(frame)
        names = list(attrs.columns) + list(location)
        widths = [max(10, min(50, len(header(n, lang)) + 2)) for n in names]
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = "A2"
        head = []
        for n in names:
            cell = WriteOnlyCell(ws, value=neutralise_formula(header(n, lang)))
            cell.font = bold
            head.append(cell)
        ws.append(head)
        columns = [attrs[c].tolist() for c in attrs.columns] + list(location.values())
        for values in zip(*columns) if columns else []:
            row = []
            for n, v in zip(names, values):
                value = _cell(v, n)
                if isinstance(value, dt.datetime):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = "yyyy-mm-dd hh:mm:ss" if value.time() != dt.time(0) else "yyyy-mm-dd"
                    row.append(cell)
                else:
                    row.append(value)
            ws.append(row)
        if names:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{len(frame) + 1}"
    wb.save(path)


__all__ = ["header", "sheet_title", "write_workbook"]
