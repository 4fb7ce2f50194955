"""Giving the data back to GIS staff: GeoPackage, GeoJSON, CSV and Excel.

- GeoPackage: one layer per kind (``areas``, ``meeting_places``,
  ``real_estate``, ``activities``, ``suggestions``) in EPSG:28992, with
  integer, real, boolean and text fields typed as such, so QGIS opens it
  with the right CRS and field types.
- GeoJSON: one layer, in EPSG:4326 as RFC 7946 wants.
- CSV: one layer, the geometry as WKT in EPSG:28992 (column ``wkt``). Text
  cells a spreadsheet would run as a formula (starting with ``=``, ``+``,
  ``-``, ``@``, tab or carriage return) get a leading ``'``
  (:func:`geo.io.cells.neutralise_formula`, OWASP's CSV-injection rule).
- Excel (.xlsx): a sheet per layer, typed cells, readable headers in the
  interface language, coordinates in RD New and WGS84
  (:mod:`geo.io.workbook`).

Field names are the canonical ones of DESIGN.md, so an export comes back in
through the importers unchanged (tested). Residents' contact details never
leave through an export unless an admin asks for them
(``include_contacts``, action ``data.export_contacts``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from .. import access
from .. import model as m
from ..access import Actor
from ..errors import ValidationError
from ..store import spec_for
from .cells import neutralise_frame

EXPORT_LAYERS: tuple[str, ...] = ("areas", "meeting_places", "real_estate", "activities", "suggestions")
FORMATS = {".gpkg": "gpkg", ".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".xlsx": "xlsx"}
MIME = {"gpkg": "application/geopackage+sqlite3", "geojson": "application/geo+json", "csv": "text/csv",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
MULTI_LAYER = ("gpkg", "xlsx")  # formats that hold every layer (a sheet per layer in a workbook)
_EMPTY_TYPES = {"areas": "MultiPolygon", "meeting_places": "Point", "real_estate": "Point", "suggestions": "Point"}
# Never exported: a suggestion's follow code is its author's key to follow it.
PRIVATE_FIELDS = ("follow_code",)
_DTYPES = {"int": "Int64", "float": "float64", "bool": "bool", "text": "object", "json": "object"}


def layer_records(store, layer: str, scope=None) -> list:
    """The records of one export layer (in ``scope`` when given)."""
    records = store.list(m.LAYER_CLASSES[layer])
    if scope is None:
        return records
    if layer == "areas":
        return scope.areas(records)
    if layer == "activities":
        return scope.activities(records, store.list(m.Plan))
    return scope.records(records)


def layer_count(store, layer: str, scope=None) -> int:
    """How many records :func:`layer_records` gives, without reading them: a
    count, or one gemeente's key column (a national database holds 100,000
    suggestions and 18,500 areas with their boundaries)."""
    from ..scope import codes_in_gemeente

    cls = m.LAYER_CLASSES[layer]
    if scope is None or scope.is_all:
        return store.count(cls)
    if layer == "activities":  # few, and placed by their plan's area when they have no buurt
        return len(layer_records(store, layer, scope))
    if layer == "areas":
        return int(codes_in_gemeente(store.read_columns(m.Area, ["code"])["code"], scope.code).sum())
    return len(store.read_gemeente_columns(cls, scope.code, [spec_for(cls).pk], unplaced=scope.unplaced))


def layer_frame(store, layer: str, include_contacts: bool = False, scope=None) -> gpd.GeoDataFrame:
    """One layer of the store as a typed GeoDataFrame in EPSG:28992 (only the
    records in ``scope``, a :class:`geo.scope.Scope`, when given)."""
    if layer not in EXPORT_LAYERS:
        raise ValidationError(f"onbekende laag '{layer}'; kies uit {', '.join(EXPORT_LAYERS)}", where="--layer")
    cls = m.LAYER_CLASSES[layer]
    kinds = spec_for(cls).kinds
    records = layer_records(store, layer, scope)
    pk = spec_for(cls).pk
    columns = [pk] + [n for n, k in kinds.items() if k != "geometry" and n not in ("figures", pk, *PRIVATE_FIELDS)]
    rows: list[dict[str, Any]] = []
    figure_names: list[str] = []
    if layer == "areas":
        seen = {f for r in records for f in r.figures}
        figure_names = [f for f in m.KEY_FIGURES if f in seen] + sorted(seen - set(m.KEY_FIGURES))
    for r in records:
        row = {}
        for n in columns:
            value = getattr(r, n)
            row[n] = "; ".join(value) if kinds[n] == "json" and isinstance(value, list) else value
        for f in figure_names:
            row[f] = r.figures.get(f)
        rows.append(row)
    df = pd.DataFrame(rows, columns=columns + figure_names)
    for n in columns:
        df[n] = df[n].astype(_DTYPES[kinds[n]]) if kinds[n] != "bool" else df[n].fillna(False).astype(bool)
    for f in figure_names:
        df[f] = df[f].astype("float64")
    if layer == "suggestions" and include_contacts:
        emails: dict[int, list[str]] = {}
        for c in store.list(m.Contact):
            emails.setdefault(c.suggestion_id, []).append(c.email)
        df["contact_email"] = [("; ".join(emails.get(r.id, [])) or None) for r in records]
    geoms = gpd.GeoSeries([r.geometry for r in records], crs=m.STORE_CRS)
    return gpd.GeoDataFrame(df, geometry=geoms, crs=m.STORE_CRS)


def export_layers(
    store,
    actor: Actor,
    path: str | Path,
    layers: list[str] | None = None,
    include_contacts: bool = False,
    scope=None,
    lang: str = "nl",
) -> dict[str, Any]:
    """Write ``layers`` (default: all) to ``path``; the format follows its extension
    (``lang``: the language of a workbook's sheet names and headers)."""
    access.check(actor, "data.export")
    if include_contacts:
        access.check(actor, "data.export_contacts")
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValidationError(f"{path.name}: kies een bestandsnaam op .gpkg, .xlsx, .geojson of .csv", where="FILE")
    chosen = list(dict.fromkeys(layers or EXPORT_LAYERS))
    for layer in chosen:
        if layer not in EXPORT_LAYERS:
            raise ValidationError(f"onbekende laag '{layer}'; kies uit {', '.join(EXPORT_LAYERS)}", where="--layer")
    if fmt not in MULTI_LAYER and len(chosen) != 1:
        raise ValidationError(
            f"{path.name}: {fmt.upper()} bevat één laag; kies er een met --layer ({', '.join(EXPORT_LAYERS)}) "
            "of exporteer alles als .gpkg of .xlsx",
            where="--layer",
        )
    if not path.parent.is_dir():
        raise ValidationError(f"map {path.parent} bestaat niet", where="FILE")
    counts: dict[str, int] = {}
    if fmt == "gpkg" and path.exists():
        path.unlink()  # a fresh file: no stale layers from an earlier export
    frames = {}
    for layer in chosen:
        frame = layer_frame(store, layer, include_contacts, scope)
        counts[layer] = len(frame)
        if fmt == "xlsx":
            frames[layer] = frame
        else:
            _write(frame, path, fmt, layer)
    if fmt == "xlsx":
        from .workbook import write_workbook

        write_workbook(frames, path, lang)
    return {"file": str(path), "format": fmt,
            "crs": {"geojson": "EPSG:4326", "xlsx": "EPSG:28992 + EPSG:4326"}.get(fmt, m.STORE_CRS),
            "layers": counts, "contacts_included": bool(include_contacts)}


def _write(frame: gpd.GeoDataFrame, path: Path, fmt: str, layer: str) -> None:
    import pyogrio

    if fmt == "csv":
        out = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        out = neutralise_frame(out)
        out["wkt"] = [g.wkt if g is not None else "" for g in frame.geometry]
        out.to_csv(path, index=False, encoding="utf-8")
        return
    geom_type = _geometry_type(frame) if len(frame) else _EMPTY_TYPES.get(layer, "Unknown")
    if fmt == "geojson":
        frame = frame.to_crs(m.WEB_CRS)
        pyogrio.write_dataframe(frame, path, driver="GeoJSON", geometry_type=geom_type, layer=layer,
                                layer_options={"RFC7946": "YES", "WRITE_NAME": "NO"})
        return
    pyogrio.write_dataframe(frame, path, driver="GPKG", layer=layer, geometry_type=geom_type,
                            promote_to_multi=geom_type.startswith("Multi"), append=path.exists())


def _geometry_type(frame: gpd.GeoDataFrame) -> str:
    types = {g.geom_type for g in frame.geometry if g is not None and not g.is_empty}
    if len(types) == 1:
        return types.pop()
    if types and all(t.endswith("Polygon") for t in types):
        return "MultiPolygon" if "MultiPolygon" in types else "Polygon"
    return "Unknown"


def export_bytes(store, actor: Actor, fmt: str, layers: list[str] | None = None,
                 include_contacts: bool = False, scope=None, lang: str = "nl") -> bytes:
    """The export as bytes (for a download button)."""
    with tempfile.TemporaryDirectory(prefix="wijkatlas-export-") as tmp:
        path = Path(tmp) / f"wijkatlas.{fmt}"
        export_layers(store, actor, path, layers, include_contacts, scope, lang=lang)
        return path.read_bytes()
