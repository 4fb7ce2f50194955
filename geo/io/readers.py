"""Reading vector files safely: format, layer, coordinates, limits.

:func:`read_source` turns a GeoJSON, TopoJSON, GeoPackage, zipped Shapefile
or CSV (lat/lon, RD x/y or a WKT column) into a :class:`SourceLayer`: a
GeoDataFrame in EPSG:28992 plus what was found out on the way (format,
layer, the CRS the file used and how that was decided). Everything a person
can get wrong raises a :class:`~geo.errors.WijkatlasError` whose message
names the file (and row and field where there is one):

- files over :data:`MAX_FILE_BYTES`; archives with paths outside their
  folder, links, too many members, or that expand beyond
  :data:`MAX_UNZIPPED_BYTES` (zip bombs);
- a file whose name says one format and whose bytes say another;
- a CRS that is missing and cannot be recognised: a GeoJSON without a
  ``crs`` member whose coordinates can only be RD New metres is read as
  EPSG:28992 and the summary says so; anything else ambiguous is refused
  with a hint to pass ``--crs``.

Files are read with pyogrio (GDAL's drivers, TopoJSON included); CSV with pandas, because
GDAL's CSV driver knows neither the decimal comma nor our column names.
"""

from __future__ import annotations

import contextvars
import io
import json
import re
import tempfile
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError as ProjCRSError

from ..crs import looks_like_rd
from ..errors import CRSError, ImportFormatError
from ..model import STORE_CRS, WEB_CRS
from .limits import ImportLimits, load_limits
from .values import MAX_NUMBER, check_frame

# The limits of the read in progress (set by read_source for every reader).
_LIMITS: contextvars.ContextVar[ImportLimits | None] = contextvars.ContextVar("wijkatlas_import_limits", default=None)

# A file larger than this is refused (the national CBS wijk- en buurtkaart GeoPackage is several
# hundred MB; uploads in the app are capped lower by server.maxUploadSize in .streamlit/config.toml).
MAX_FILE_BYTES = 1024 * 2**20
MAX_UNZIPPED_BYTES = 2048 * 2**20  # an archive may expand to at most this
MAX_ZIP_MEMBERS = 500
MAX_ZIP_RATIO = 200  # compression ratio above which a member counts as a bomb

FORMAT_LABELS = {
    "geojson": "GeoJSON",
    "topojson": "TopoJSON",
    "gpkg": "GeoPackage",
    "shapefile": "Shapefile (zip)",
    "csv": "CSV",
    "zip": "zip-archief",
    "xlsx": "Excel (.xlsx)",
    "xls": "Excel 97-2003 (.xls)",
    "ods": "OpenDocument (.ods)",
}
SHEET_FORMATS = ("xlsx", "xls", "ods")
_EXTENSIONS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".topojson": "geojson",  # read by GDAL's TopoJSON driver once the content says "Topology"
    ".gpkg": "gpkg",
    ".zip": "zip",
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
}
# Where a box in RD New metres may lie: generous, so a national file fits.
_RD_SANE = (-100_000.0, 200_000.0, 400_000.0, 750_000.0)

LAT_NAMES = ("lat", "latitude", "breedtegraad", "lat_wgs84", "wgs84_lat", "y_wgs84")
LON_NAMES = ("lon", "lng", "long", "longitude", "lengtegraad", "lon_wgs84", "wgs84_lon", "x_wgs84")
X_NAMES = ("x", "x_rd", "rd_x", "xcoord", "x_coord", "x_coordinaat", "x-coordinaat", "x-coördinaat", "rdx")
Y_NAMES = ("y", "y_rd", "rd_y", "ycoord", "y_coord", "y_coordinaat", "y-coordinaat", "y-coördinaat", "rdy")
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "geometrie", "wkt_geom", "geometry_wkt")


@dataclass
class SourceLayer:
    """One layer of one file, read and converted to EPSG:28992."""

    name: str  # the file name as the user knows it (for messages)
    format: str
    layer: str
    frame: gpd.GeoDataFrame  # attribute columns + geometry (RD New; None where missing)
    crs_found: str
    crs_note: str = ""
    decimal_comma: bool = False
    layers: list[str] = field(default_factory=list)  # every layer the file offers
    # When only some rows were read (a ``where`` filter): each frame row's 1-based
    # number in the whole file, and how many rows the file has.
    row_numbers: list[int] | None = None
    total_rows: int | None = None
    # Rows without coordinates that carry an address (placed from the BAG address points).
    by_address: bool = False

    @property
    def where(self) -> str:
        """How messages name the file: with the sheet for a workbook."""
        return f"{self.name}, blad '{self.layer}'" if self.format in SHEET_FORMATS else self.name

    def row_number(self, position: int) -> int:
        """The 1-based row in the file of the frame's row at ``position``."""
        return self.row_numbers[position] if self.row_numbers is not None else position + 1

    @property
    def columns(self) -> list[str]:
        return [c for c in self.frame.columns if c != self.frame.geometry.name]

    def __len__(self) -> int:
        return len(self.frame)


# --- entry point -----------------------------------------------------------------
def read_source(
    path: str | Path,
    *,
    crs: str | None = None,
    layer: str | None = None,
    prefer: Callable[[list[str]], int] | None = None,
    name: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    where: Callable[[list[str]], str | None] | None = None,
    limits: ImportLimits | None = None,
) -> SourceLayer:
    """Read ``path`` (any supported format) into a :class:`SourceLayer`.

    ``crs`` overrides what the file says (``--crs``); ``layer`` picks a
    GeoPackage layer or a Shapefile in an archive; otherwise ``prefer``
    scores each layer's column names and the best one is taken. ``name`` is
    how messages call the file (an upload's original name). ``where`` may
    turn a layer's field names into an attribute filter that GeoPackage and
    Shapefile readers apply while reading (a national file read for one
    gemeente); it must keep every row the caller would keep, and when it
    matches nothing the whole layer is read, so messages stay the same.

    ``limits`` (:func:`geo.io.limits.load_limits`, default: the
    ``[default]`` section) caps file size, rows and vertices; every
    coordinate and number is checked (:func:`geo.io.values.check_frame`)
    before any geometry work.
    """
    limits = limits or load_limits()
    token = _LIMITS.set(limits)
    try:
        return _read_source(Path(path), crs, layer, prefer, name, max_bytes, where, limits)
    finally:
        _LIMITS.reset(token)


def _read_source(path: Path, crs, layer, prefer, name, max_bytes, where, limits: ImportLimits) -> SourceLayer:
    name = name or path.name
    if not path.is_file():
        raise ImportFormatError(f"{name}: bestand niet gevonden")
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise limits.refuse(name, "bestand is te groot", round(size / 2**20, 1), "max_file_mb", " MB")
    if size > max_bytes:
        raise ImportFormatError(
            f"{name}: bestand is te groot ({size / 2**20:.1f} MB, maximaal {max_bytes / 2**20:.0f} MB)"
        )
    if size == 0:
        raise ImportFormatError(f"{name}: bestand is leeg")
    user_crs = _parse_crs(crs) if crs else None
    fmt = sniff_format(path, name)
    if fmt == "zip":
        with tempfile.TemporaryDirectory(prefix="wijkatlas-zip-") as tmp:
            inner, inner_fmt = _unpack(path, name, Path(tmp), layer)
            label = f"{name}/{inner.relative_to(tmp)}"
            src = _READERS[inner_fmt](inner, label, user_crs, layer if inner_fmt == "gpkg" else None, prefer,
                                      where=where)
            src.name = name
            return src
    return _READERS[fmt](path, name, user_crs, layer, prefer, where=where)


def sniff_format(path: Path, name: str) -> str:
    """The format by the file's first bytes, checked against its extension."""
    from .sheets import sniff_sheet

    sheet = sniff_sheet(path, name)
    if sheet is not None:
        return sheet
    with open(path, "rb") as fh:
        head = fh.read(512)
    ext = Path(name).suffix.lower()
    if ext == ".shp":
        raise ImportFormatError(
            f"{name}: een losse .shp is niet genoeg; lever de shapefile aan als zip met .shp, .shx, .dbf en .prj"
        )
    if head.startswith(b"SQLite format 3\x00"):
        found = "gpkg"
    elif head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        found = "zip"
    elif head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        found = "geojson"
    else:
        found = "csv"
    claimed = _EXTENSIONS.get(ext)
    if ext and claimed is None:
        raise ImportFormatError(
            f"{name}: onbekend bestandstype '{ext}'; gebruik GeoJSON, GeoPackage, een zip met een shapefile, CSV, "
            "Excel (.xlsx) of OpenDocument (.ods)"
        )
    if claimed in SHEET_FORMATS:  # sniff_sheet has answered for these
        claimed = None
    if claimed and claimed != found:
        raise ImportFormatError(
            f"{name}: heet {ext} maar is geen {FORMAT_LABELS[claimed]} (de inhoud lijkt op {FORMAT_LABELS[found]})"
        )
    return found


# --- CRS ----------------------------------------------------------------------------
def _parse_crs(value: str) -> CRS:
    try:
        return CRS.from_user_input(value)
    except ProjCRSError:
        raise CRSError(f"onbekend coördinatenstelsel '{value}'; gebruik bijvoorbeeld --crs EPSG:28992") from None


def crs_label(crs: CRS) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.name


def _guess_crs(bounds, name: str, geojson: bool) -> tuple[CRS, str]:
    if looks_like_rd(tuple(bounds)):
        return CRS.from_epsg(28992), "geen CRS in het bestand; coördinaten herkend als RD New (EPSG:28992)"
    minx, miny, maxx, maxy = bounds
    if geojson and -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
        return CRS.from_epsg(4326), "geen crs-lid: volgens de GeoJSON-standaard WGS84 (EPSG:4326)"
    raise CRSError(
        f"{name}: het coördinatenstelsel staat niet in het bestand en is niet eenduidig te herkennen "
        f"(bereik {minx:.6g}, {miny:.6g} – {maxx:.6g}, {maxy:.6g}); geef het op met --crs, "
        "bijvoorbeeld --crs EPSG:28992 (RD New) of --crs EPSG:4326 (lengte/breedte)"
    )


def _to_store(frame: gpd.GeoDataFrame, name: str, found: CRS | None, user_crs: CRS | None, geojson: bool = False,
              rows: list[int] | None = None, geometry_field: str = "geometrie",
              ) -> tuple[gpd.GeoDataFrame, str, str]:
    """Check every value (the one choke point: :func:`geo.io.values.check_frame`),
    then set the CRS (given, declared or recognised) and convert to RD New.

    ``rows``: each frame row's number in the file (default: position + 1)."""
    check_frame(frame, name, (lambda i: rows[i]) if rows is not None else (lambda i: i + 1), geometry_field,
                _LIMITS.get())
    present = frame.geometry[~(frame.geometry.isna() | frame.geometry.is_empty)]
    note = ""
    if user_crs is not None:
        crs, note = user_crs, "opgegeven met --crs"
    elif found is not None:
        crs = found
    elif present.empty:
        crs, note = CRS.from_epsg(28992), "geen geometrieën om een CRS aan te herkennen"
    else:
        crs, note = _guess_crs(present.total_bounds, name, geojson)
    frame = frame.set_crs(crs, allow_override=True)
    try:
        out = frame.to_crs(STORE_CRS) if crs.to_epsg() != 28992 else frame
    except Exception as exc:  # noqa: BLE001 - pyproj raises several kinds
        raise CRSError(f"{name}: omrekenen van {crs_label(crs)} naar RD New mislukt: {exc}") from None
    moved = out.geometry[~(out.geometry.isna() | out.geometry.is_empty)]
    if not moved.empty:
        bx = moved.total_bounds
        x0, y0, x1, y1 = _RD_SANE
        if not (np.all(np.isfinite(bx)) and x0 <= bx[0] and bx[2] <= x1 and y0 <= bx[1] and bx[3] <= y1):
            raise CRSError(
                f"{name}: de coördinaten passen niet bij {crs_label(crs)} (ze vallen buiten Nederland); "
                "klopt het coördinatenstelsel? Geef het juiste op met --crs, bijvoorbeeld --crs EPSG:28992"
            )
    return out, crs_label(crs), note


# --- GeoJSON, GeoPackage, Shapefile (pyogrio) -----------------------------------------
def _filtered_read(path: Path, fmt: str, layer: str | None, where) -> tuple[gpd.GeoDataFrame, list[int], int] | None:
    """Read only the rows ``where`` selects, with their row numbers in the
    whole layer; None when there is no filter, it fails or it matches nothing
    (the caller then reads everything, as without a filter)."""
    import pyogrio

    if where is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fields = [str(f) for f in pyogrio.read_info(path, layer=layer)["fields"]]
            clause = where(fields)
            if not clause:
                return None
            frame = pyogrio.read_dataframe(path, layer=layer, where=clause, fid_as_index=True)
            if len(frame) == 0 or not isinstance(frame, gpd.GeoDataFrame):
                return None
            all_fids = pyogrio.read_dataframe(path, layer=layer, columns=[], read_geometry=False,
                                              fid_as_index=True).index.to_numpy()
    except Exception:  # noqa: BLE001 - e.g. a filter GDAL cannot evaluate: read it all instead
        return None
    order = np.sort(all_fids)
    rows = (np.searchsorted(order, frame.index.to_numpy()) + 1).tolist()
    return frame.reset_index(drop=True), rows, len(order)


def _check_feature_count(path: Path, name: str, layer: str | None) -> None:
    """Refuse a layer with more features than the limit, before reading it."""
    import pyogrio

    limits = _LIMITS.get()
    if limits is None:
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            count = int(pyogrio.read_info(path, layer=layer)["features"])
    except Exception:  # noqa: BLE001 - unreadable: the read below gives the message
        return
    if count > limits.max_rows:
        raise limits.refuse(name, "te veel objecten", count, "max_rows")


def _pyogrio_read(path: Path, name: str, fmt: str, layer: str | None = None) -> gpd.GeoDataFrame:
    import pyogrio

    _check_feature_count(path, name, layer)
    try:
        with warnings.catch_warnings():  # GDAL's warnings would break the one-line error contract
            warnings.simplefilter("ignore")
            # Arrow reads a large layer (a BAG extract) about twice as fast
            big = path.stat().st_size > _ARROW_CSV_BYTES and _has_arrow()
            frame = pyogrio.read_dataframe(path, layer=layer, use_arrow=big)
    except Exception as exc:  # noqa: BLE001 - GDAL reports every problem as some exception
        raise ImportFormatError(f"{name}: kan niet gelezen worden als {FORMAT_LABELS[fmt]}: {_short(exc)}") from None
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        raise ImportFormatError(
            f"{name}: heeft geen geometrie (alleen attributen); lever een bestand met grenzen of locaties aan"
        )
    return frame


def _has_arrow() -> bool:
    try:
        import pyarrow  # noqa: F401 - installed with streamlit
    except ImportError:
        return False
    return True


def _read_geojson(path: Path, name: str, user_crs, layer, prefer, where=None) -> SourceLayer:
    raw = path.read_bytes()
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportFormatError(f"{name}: is geen UTF-8-tekst; sla het op als UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"{name}: geen geldige JSON (regel {exc.lineno}, kolom {exc.colno}: {exc.msg})"
        ) from None
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind == "Topology":
        if not isinstance(doc.get("objects"), dict) or not isinstance(doc.get("arcs"), list):
            raise ImportFormatError(f"{name}: TopoJSON zonder 'objects' of 'arcs'")
        del doc, raw
        return _read_topojson(path, name, user_crs, layer, prefer)
    if kind not in ("FeatureCollection", "Feature"):
        raise ImportFormatError(f"{name}: is JSON maar geen GeoJSON (verwacht type FeatureCollection, kreeg {kind!r})")
    if kind == "FeatureCollection" and not isinstance(doc.get("features"), list):
        raise ImportFormatError(f"{name}: FeatureCollection zonder lijst 'features'")
    declared = isinstance(doc, dict) and "crs" in doc
    del doc, raw
    frame = _pyogrio_read(path, name, "geojson")
    found = CRS.from_user_input(frame.crs) if (declared and frame.crs is not None) else None
    frame, crs, note = _to_store(frame, name, found, user_crs, geojson=True)
    return SourceLayer(name, "geojson", Path(name).stem, frame, crs, note)


def _read_gpkg(path: Path, name: str, user_crs, layer, prefer, where=None) -> SourceLayer:
    import pyogrio

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layers = [(str(n), g) for n, g in pyogrio.list_layers(path)]
    except Exception as exc:  # noqa: BLE001
        raise ImportFormatError(f"{name}: kan niet gelezen worden als GeoPackage: {_short(exc)}") from None
    names = [n for n, _ in layers]
    chosen = _choose_layer(path, name, layers, layer, prefer)
    filtered = _filtered_read(path, "gpkg", chosen, where)
    frame = filtered[0] if filtered else _pyogrio_read(path, name, "gpkg", chosen)
    found = CRS.from_user_input(frame.crs) if frame.crs is not None else None
    frame, crs, note = _to_store(frame, f"{name} (laag {chosen})", found, user_crs,
                                 rows=filtered[1] if filtered else None)
    return SourceLayer(name, "gpkg", chosen, frame, crs, note, layers=names,
                       row_numbers=filtered[1] if filtered else None, total_rows=filtered[2] if filtered else None)


def _choose_layer(path: Path, name: str, layers: list[tuple[str, object]], layer: str | None, prefer) -> str:
    """The layer asked for, the only one with geometry, or the one ``prefer`` scores best."""
    import pyogrio

    names = [n for n, _ in layers]
    spatial = [n for n, g in layers if g]
    if layer is not None:
        if layer not in names:
            raise ImportFormatError(f"{name}: laag '{layer}' bestaat niet; lagen: {', '.join(names) or 'geen'}")
        return layer
    if not spatial:
        raise ImportFormatError(
            f"{name}: heeft geen laag met geometrie (alleen attributen); lagen: {', '.join(names) or 'geen'}"
        )
    if len(spatial) == 1:
        return spatial[0]
    scores = {}
    for n in spatial:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fields = [str(f) for f in pyogrio.read_info(path, layer=n)["fields"]]
        scores[n] = prefer(fields) if prefer else 0
    best = max(scores.values())
    winners = [n for n, sc in scores.items() if sc == best]
    if len(winners) > 1:
        raise ImportFormatError(f"{name}: heeft meerdere lagen ({', '.join(spatial)}); kies er een met --layer")
    return winners[0]


def _read_topojson(path: Path, name: str, user_crs, layer, prefer, where=None) -> SourceLayer:
    """TopoJSON through GDAL's TopoJSON driver; like GeoJSON it names no CRS."""
    import pyogrio

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layers = [(str(n), g) for n, g in pyogrio.list_layers(path)]
    except Exception as exc:  # noqa: BLE001
        raise ImportFormatError(f"{name}: kan niet gelezen worden als TopoJSON: {_short(exc)}") from None
    chosen = _choose_layer(path, name, layers, layer, prefer)
    frame = _pyogrio_read(path, name, "topojson", chosen)
    frame = frame.drop(columns=[c for c in ("id",) if c in frame.columns and frame[c].isna().all()])
    frame, crs, note = _to_store(frame, name, None, user_crs, geojson=True)
    return SourceLayer(name, "topojson", chosen, frame, crs, note, layers=[n for n, _ in layers])


def _read_shapefile(path: Path, name: str, user_crs, layer, prefer, where=None) -> SourceLayer:
    filtered = _filtered_read(path, "shapefile", None, where)
    frame = filtered[0] if filtered else _pyogrio_read(path, name, "shapefile")
    found = CRS.from_user_input(frame.crs) if frame.crs is not None else None
    note = "" if found else "geen .prj in het archief"
    frame, crs, note2 = _to_store(frame, name, found, user_crs, rows=filtered[1] if filtered else None)
    return SourceLayer(name, "shapefile", path.stem, frame, crs, "; ".join(x for x in (note, note2) if x),
                       row_numbers=filtered[1] if filtered else None, total_rows=filtered[2] if filtered else None)


# --- zip archives ------------------------------------------------------------------------
def _unpack(path: Path, name: str, dest: Path, layer: str | None) -> tuple[Path, str]:
    """Check and extract an archive; return the data file inside and its format."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError, ValueError) as exc:
        # NotImplementedError: a damaged header claiming an unknown zip version
        raise ImportFormatError(f"{name}: is geen leesbaar zip-archief ({exc})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise ImportFormatError(f"{name}: archief bevat te veel bestanden ({len(infos)}, maximaal {MAX_ZIP_MEMBERS})")
        total = 0
        for info in infos:
            member = info.filename
            parts = PurePosixPath(member.replace("\\", "/"))
            if parts.is_absolute() or ".." in parts.parts or re.match(r"^[A-Za-z]:", member):
                raise ImportFormatError(f"{name}: archief bevat een pad buiten de eigen map ('{member}'); geweigerd")
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                raise ImportFormatError(f"{name}: archief bevat een snelkoppeling ('{member}'); geweigerd")
            if info.flag_bits & 0x1:
                raise ImportFormatError(f"{name}: archief is met een wachtwoord beveiligd ('{member}')")
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > MAX_UNZIPPED_BYTES or (info.file_size > 2**20 and ratio > MAX_ZIP_RATIO):
                raise ImportFormatError(
                    f"{name}: archief pakt uit tot meer dan {MAX_UNZIPPED_BYTES / 2**20:.0f} MB "
                    "of is verdacht sterk gecomprimeerd (zip-bom); geweigerd"
                )
        written = 0
        for info in infos:
            if info.is_dir() or info.filename.startswith("__MACOSX/"):
                continue
            target = dest / PurePosixPath(info.filename.replace("\\", "/"))
            if not target.resolve().is_relative_to(dest.resolve()):
                raise ImportFormatError(f"{name}: archief bevat een pad buiten de eigen map ('{info.filename}')")
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, open(target, "wb") as out:
                    while chunk := src.read(1 << 16):
                        written += len(chunk)
                        if written > MAX_UNZIPPED_BYTES:  # sizes in the header may lie
                            raise ImportFormatError(
                                f"{name}: archief pakt uit tot meer dan {MAX_UNZIPPED_BYTES / 2**20:.0f} MB (zip-bom)"
                            )
                        out.write(chunk)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError,
                    zlib.error) as exc:
                raise ImportFormatError(f"{name}: '{info.filename}' in het archief is beschadigd ({exc})") from None
    files = sorted(p for p in dest.rglob("*") if p.is_file())
    shps = [p for p in files if p.suffix.lower() == ".shp"]
    others = [p for p in files if _EXTENSIONS.get(p.suffix.lower()) in ("gpkg", "geojson", "csv")]
    if shps:
        if layer is not None:
            shps = [p for p in shps if p.stem == layer] or _fail(
                f"{name}: archief bevat geen shapefile '{layer}'; wel: {', '.join(p.stem for p in shps)}")
        if len(shps) > 1:
            raise ImportFormatError(
                f"{name}: archief bevat meerdere shapefiles ({', '.join(p.stem for p in shps)}); kies er een met --layer"
            )
        shp = shps[0]
        missing = [ext for ext in (".shx", ".dbf") if not any(
            p.parent == shp.parent and p.stem == shp.stem and p.suffix.lower() == ext for p in files)]
        if missing:
            raise ImportFormatError(f"{name}: shapefile {shp.name} mist {' en '.join(missing)} in het archief")
        return shp, "shapefile"
    if len(others) == 1:
        return others[0], _EXTENSIONS[others[0].suffix.lower()]
    if not others:
        raise ImportFormatError(f"{name}: archief bevat geen shapefile, GeoPackage, GeoJSON of CSV")
    raise ImportFormatError(
        f"{name}: archief bevat meerdere gegevensbestanden ({', '.join(p.name for p in others)}); lever er één aan"
    )


def _fail(message: str):
    raise ImportFormatError(message)


# --- CSV ---------------------------------------------------------------------------------------
_ARROW_CSV_BYTES = 8 * 2**20  # CSV files above this are parsed by Arrow (same result, faster)
_DEC_COMMA = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d+$|^-?\d+,\d+$")


def _read_csv(path: Path, name: str, user_crs, layer, prefer, where=None) -> SourceLayer:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise ImportFormatError(f"{name}: is geen tekstbestand (CSV verwacht)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFormatError(
            f"{name}: regel {line} is geen UTF-8-tekst; sla het bestand op als 'CSV UTF-8'"
        ) from None
    lines = []
    for ln in io.StringIO(text):  # the header and whether more follows; no list of every line
        if ln.strip():
            lines.append(ln.rstrip("\r\n"))
            if len(lines) == 2:
                break
    if not lines:
        raise ImportFormatError(f"{name}: bestand is leeg")
    header = lines[0]
    sep = max((";", ",", "\t", "|"), key=lambda s: header.count(s))
    if header.count(sep) == 0 and len(lines) > 1:
        raise ImportFormatError(f"{name}: geen scheidingsteken gevonden in de kopregel (verwacht ; , of tab)")
    df = None
    limits = _LIMITS.get()
    nrows = limits.max_rows + 1 if limits is not None else None
    if nrows is not None and raw.count(b"\n") <= nrows:
        nrows = None  # surely within the limit: no need to stop early
    if len(raw) > _ARROW_CSV_BYTES and nrows is None:  # a BAG extract: Arrow's reader is several times faster
        try:
            df = pd.read_csv(io.BytesIO(raw.removeprefix(b"\xef\xbb\xbf")), sep=sep, dtype=str,
                             keep_default_na=False, engine="pyarrow")
            df = df.apply(lambda c: c.str.strip())  # as skipinitialspace (and the importers) would
        except Exception:  # noqa: BLE001 - anything odd: the C parser below gives the precise message
            df = None
    try:
        if df is None:
            df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True,
                             nrows=nrows)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise ImportFormatError(f"{name}: geen geldige CSV: {_short(exc)}") from None
    df.columns = [str(c).strip() for c in df.columns]
    if len(set(df.columns)) != len(df.columns):
        raise ImportFormatError(f"{name}: kopregel bevat dubbele kolomnamen")
    decimal_comma = sep != "," and any(
        df[c][df[c].str.contains(",", regex=False)].str.strip().str.match(_DEC_COMMA).any() for c in df.columns
    )
    return _table_layer(df, name, "csv", Path(name).stem, user_crs, decimal_comma)


def _table_layer(df: pd.DataFrame, name: str, fmt: str, layer: str, user_crs, decimal_comma: bool,
                 row_numbers: list[int] | None = None, layers: list[str] | None = None,
                 note: str = "") -> SourceLayer:
    """A table (CSV or a sheet) with coordinates (lat/lon, RD x/y or WKT) or
    addresses as a :class:`SourceLayer`."""
    from .addresses import has_address

    where = f"{name}, blad '{layer}'" if fmt in SHEET_FORMATS else name
    lower = {str(c).lower().strip(): c for c in df.columns}
    for c in df.columns:  # 'Breedtegraad WGS84 (lat)': a Wijkatlas workbook names the field in brackets
        code = bracketed(c)
        if code:
            lower.setdefault(code, c)

    def col(names):
        return next((lower[n] for n in names if n in lower), None)

    def row(i: int) -> int:
        return row_numbers[i] if row_numbers is not None else i + 1

    lat, lon, x, y, wkt = col(LAT_NAMES), col(LON_NAMES), col(X_NAMES), col(Y_NAMES), col(WKT_NAMES)
    by_address = False
    if lat and lon and x and y:  # both: the RD metres are the exact ones
        drop_too = [lat, lon]
        lat = lon = None
    else:
        drop_too = []
    if lat and lon:
        geoms = _points(df, lon, lat, where, decimal_comma, row)
        found, drop = CRS.from_epsg(4326), [lat, lon]
        bad = [i for i, g in enumerate(geoms) if g is not None and not (-180 <= g.x <= 180 and -90 <= g.y <= 90)]
        if bad and user_crs is None:
            raise ImportFormatError(
                f"{where}: rij {row(bad[0])}, velden {lat}/{lon}: geen geldige breedte/lengte in graden"
            )
    elif x and y:
        geoms = _points(df, x, y, where, decimal_comma, row)
        found, drop = None, [x, y]
    elif wkt:
        geoms = []
        for i, value in enumerate(df[wkt]):
            value = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()
            if not value:
                geoms.append(None)
                continue
            try:
                geoms.append(shapely.from_wkt(value))
            except shapely.errors.ShapelyError:
                raise ImportFormatError(f"{where}: rij {row(i)}, veld {wkt}: geen geldige WKT-geometrie") from None
        found, drop = None, [wkt]
    elif has_address(df.columns):
        geoms, found, drop, by_address = [None] * len(df), None, [], True
    else:
        raise ImportFormatError(
            f"{where}: heeft geen geometrie: geen kolommen lat/lon, x/y (RD), wkt of een adres "
            "(postcode en huisnummer, straat en huisnummer, of BAG-id) gevonden "
            f"(kolommen: {', '.join(str(c) for c in list(df.columns)[:12])}{', …' if len(df.columns) > 12 else ''})"
        )
    frame = gpd.GeoDataFrame(df.drop(columns=drop + drop_too), geometry=gpd.GeoSeries(geoms, index=df.index))
    frame, crs, crs_note = _to_store(frame, where, found, user_crs, rows=row_numbers,
                                     geometry_field="/".join(str(c) for c in drop) or "geometrie")
    if x and y and not (lat and lon) and crs_note.startswith("geen CRS"):
        crs_note = f"kolommen {x}/{y} herkend als RD New (EPSG:28992)"
    if by_address:
        crs_note = "geen coördinaten in het bestand: rijen worden op adres geplaatst (BAG-adrespunten)"
    crs_note = "; ".join(n for n in (note, crs_note) if n)
    return SourceLayer(name, fmt, layer, frame, crs, crs_note, decimal_comma=decimal_comma, layers=layers or [],
                       row_numbers=row_numbers, by_address=by_address)


_BRACKETED = re.compile(r"\(([a-z][a-z0-9_]*)\)\s*$")


def bracketed(column) -> str | None:
    """The field name a header carries in brackets at its end: 'Naam (name)' → 'name'."""
    found = _BRACKETED.search(str(column))
    return found.group(1) if found else None


def _read_workbook(path: Path, name: str, user_crs, layer, prefer, where=None) -> SourceLayer:
    """A sheet of an .xlsx, .xls or .ods workbook (``layer`` names the sheet)."""
    from .addresses import has_address
    from .sheets import read_sheet

    fmt = sniff_format(path, name)

    def score(columns: list[str]) -> float:  # a sheet with coordinates or addresses first, then the caller's taste
        lower = {str(c).lower() for c in columns}
        located = bool(lower & set(LAT_NAMES + X_NAMES + WKT_NAMES)) or has_address(columns)
        return (10 if located else 0) + (prefer(columns) if prefer else 0) + len(columns) / 1000

    table = read_sheet(path, name, fmt, sheet=layer, prefer=score)
    df = table.frame
    texts = [v for c in df.columns for v in df[c] if isinstance(v, str)]
    decimal_comma = any(_DEC_COMMA.match(v) or _THOUSANDS_DOT.match(v) for v in texts)
    return _table_layer(df, name, fmt, table.sheet, user_crs, decimal_comma, row_numbers=table.row_numbers,
                        layers=table.sheets, note=f"kopregel op rij {table.header_rows}")


def _points(df: pd.DataFrame, xcol: str, ycol: str, name: str, decimal_comma: bool, row=lambda i: i + 1) -> list:
    """Points from two coordinate columns, a column at a time (a BAG extract has 500,000 rows)."""
    n = len(df)
    rows = np.array([row(i) for i in range(n)], dtype=np.int64) if n else np.zeros(0, np.int64)
    xv = numbers(df[xcol], decimal_comma, name, xcol, rows)
    yv = numbers(df[ycol], decimal_comma, name, ycol, rows)
    one = np.isnan(xv) != np.isnan(yv)
    if one.any():
        pos = int(np.flatnonzero(one)[0])
        raise ImportFormatError(f"{name}: rij {rows[pos]}, velden {xcol}/{ycol}: coördinaat ontbreekt")
    points = shapely.points(xv, yv)
    points[np.isnan(xv)] = None
    return list(points)


def numbers(series: pd.Series, decimal_comma: bool, name: str, col: str, rows: np.ndarray,
            keep: np.ndarray | None = None) -> np.ndarray:
    """A column as floats (NaN where empty), with :func:`parse_number`'s rules
    applied to the whole column at once; the first value that is no finite
    number refuses the file, naming its row and column."""
    if len(series) == 0:
        return np.zeros(0)
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        out = np.array(series.to_numpy(dtype=float, na_value=np.nan), dtype=float, copy=True)
        bad = np.isinf(out)
    else:
        if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
            text = series.fillna("")
        else:  # mixed cells of a workbook: numbers stay numbers, the rest as text
            text = pd.Series([("" if v is None or (isinstance(v, float) and v != v) else
                               repr(float(v)) if isinstance(v, (int, float, np.number)) and not isinstance(v, bool)
                               else str(v)) for v in series.to_numpy(dtype=object)], dtype="string")
        text = text.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
        plain = ~text.str.contains(",", regex=False)
        if decimal_comma:  # '1.234' in a Dutch file is one thousand two hundred and thirty-four
            plain &= ~text.str.contains(".", regex=False)
        blank = (text == "").to_numpy(dtype=bool)
        out = np.array(pd.to_numeric(text.where(plain & (text != ""), None), errors="coerce")
                       .to_numpy(dtype=float, na_value=np.nan), dtype=float, copy=True)  # Arrow's is read-only
        rest = np.flatnonzero(~plain.to_numpy(dtype=bool) & ~blank)
        if len(rest):  # the Dutch ones, a distinct value at a time
            def dutch(v: str) -> float:
                try:
                    return parse_number(v, decimal_comma)
                except ValueError:
                    return np.nan

            out[rest] = _per_distinct(text.iloc[rest], dutch)
        bad = (np.isnan(out) & ~blank) | np.isinf(out)
    bad = bad | (np.abs(np.nan_to_num(out)) > MAX_NUMBER)
    if keep is not None:
        bad &= keep
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise ImportFormatError(f"{name}: rij {rows[pos]}, veld {col}: '{series.iloc[pos]}' is geen getal")
    return out


def _per_distinct(series: pd.Series, fn) -> np.ndarray:
    codes, uniques = pd.factorize(series)
    return np.array([fn(v) for v in uniques], dtype=float)[codes]


def _empty(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or not str(value).strip()


_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def parse_number(value, decimal_comma: bool = False) -> float | None:
    """A number from a cell: '' → None; '1.234,5' with decimal comma → 1234.5."""
    if value is None:
        return None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if pd.isna(value):
            return None
        if not np.isfinite(value) or abs(value) > MAX_NUMBER:
            raise ValueError(value)
        return float(value)
    s = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        return None
    if decimal_comma or _DEC_COMMA.match(s):
        if "," in s:
            s = s.replace(".", "").replace(",", ".")
        elif decimal_comma and _THOUSANDS_DOT.match(s):  # '1.234' in a Dutch file: one thousand two hundred …
            s = s.replace(".", "")
    result = float(s)
    if not np.isfinite(result) or abs(result) > MAX_NUMBER:
        raise ValueError(value)
    return result


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


_READERS = {
    "geojson": _read_geojson,
    "gpkg": _read_gpkg,
    "shapefile": _read_shapefile,
    "csv": _read_csv,
    "xlsx": _read_workbook,
    "xls": _read_workbook,
    "ods": _read_workbook,
}

__all__ = ["SourceLayer", "read_source", "sniff_format", "parse_number", "crs_label", "MAX_FILE_BYTES", "WEB_CRS"]
