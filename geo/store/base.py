"""The storage interface that every backend implements.

Callers only use :class:`Store`: ``add``, ``update``, ``save``, ``get``,
``list``, ``delete``, ``count`` and the ``transaction()`` context. Which
table a record lives in, and how its fields become columns, is described
once in :data:`TABLES`, so a backend (SQLite now, PostGIS later) is a
translation of that description and nothing else.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import typing
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence, TypeVar

from shapely import wkb
from shapely.geometry.base import BaseGeometry

from .. import model as m
from ..text import clean_text
from ..columns import Columns
from ..errors import StoreError

R = TypeVar("R", bound=m.Record)


@dataclass(frozen=True)
class TableSpec:
    """How one record class maps onto one table."""

    cls: type
    table: str
    pk: str = "id"

    @functools.cached_property
    def kinds(self) -> dict[str, str]:
        """Field name → storage kind: geometry, json, bool, int, float, text.

        Worked out once per table (type hints are slow to resolve: doing it
        per decoded row was 90 % of a large ``coverage`` run)."""
        hints = typing.get_type_hints(self.cls)
        out = {}
        for f in dataclasses.fields(self.cls):
            t = str(hints[f.name])
            if "BaseGeometry" in t:
                out[f.name] = "geometry"
            elif t.startswith(("dict", "list", "typing.Dict", "typing.List")):
                out[f.name] = "json"
            elif t.startswith("<class 'bytes'>") or t == "bytes":
                out[f.name] = "blob"
            elif t.startswith("<class 'bool'>") or t == "bool":
                out[f.name] = "bool"
            elif "int" in t and "float" not in t:
                out[f.name] = "int"
            elif "float" in t:
                out[f.name] = "float"
            else:
                out[f.name] = "text"
        return out

    @property
    def autoincrement(self) -> bool:
        return self.pk == "id"


TABLES: dict[type, TableSpec] = {
    spec.cls: spec
    for spec in (
        TableSpec(m.Area, "areas", pk="code"),
        TableSpec(m.Partner, "partners"),
        TableSpec(m.Plan, "plans"),
        TableSpec(m.AnalysisItem, "analysis_items"),
        TableSpec(m.Activity, "activities"),
        TableSpec(m.RealEstate, "real_estate"),
        TableSpec(m.MeetingPlace, "meeting_places"),
        TableSpec(m.Suggestion, "suggestions"),
        TableSpec(m.EvaluationFactor, "evaluation_factors"),
        TableSpec(m.User, "users"),
        TableSpec(m.Contact, "contacts"),
        TableSpec(m.AuditEntry, "audit_log"),
        TableSpec(m.StaffSession, "staff_sessions", pk="sid"),
        TableSpec(m.AddressPoint, "address_points"),
        TableSpec(m.Initiative, "initiatives"),
        TableSpec(m.InitiativeContact, "initiative_contacts"),
        TableSpec(m.EvaluationRound, "evaluation_rounds"),
        TableSpec(m.EvaluationStatement, "evaluation_statements"),
        TableSpec(m.EvaluationResponse, "evaluation_responses"),
        TableSpec(m.EvaluationAnswer, "evaluation_answers"),
        TableSpec(m.OutboxMessage, "outbox"),
        TableSpec(m.PendingPlace, "pending_places"),
        TableSpec(m.ClientEvent, "client_events"),
        TableSpec(m.Support, "supports"),
        TableSpec(m.UpdatePhoto, "update_photos"),
        TableSpec(m.ActivityUpdate, "activity_updates"),
        TableSpec(m.YearTeam, "year_teams"),
        TableSpec(m.TeamMeeting, "team_meetings"),
    )
}


# --- a data version per table ------------------------------------------------------------
# Every committed transaction bumps ``meta.data_version`` (one number: "anything changed"),
# and sets each table it wrote in ``table_versions`` to that new number. A cache that reads
# tables A and B is keyed on ``data_version("A", "B")`` (the largest of their numbers): it
# changes exactly when A or B was written, not when a sign-in touched ``staff_sessions``.
# The store's write methods name their table (``transaction(spec.table)``); the rows are
# written once per transaction at commit (a bulk import of 500,000 rows pays two statements,
# not a trigger per row), in the database itself (every app server on it sees them), and a
# rolled-back transaction writes none.
ALL_TABLES: tuple[str, ...] = (*(spec.table for spec in TABLES.values()), "meta")


def check_tables(tables: Iterable[str]) -> tuple[str, ...]:
    """``tables`` sorted without repeats; :class:`TypeError` for a name the store does not know
    (a typo in a cache key would otherwise never be invalidated)."""
    out = tuple(sorted(set(tables)))
    unknown = [t for t in out if t not in ALL_TABLES]
    if unknown:
        raise TypeError(f"no stored table(s) {unknown}")
    return out


def table_version_sql(mark: str) -> tuple[str, str]:
    """(set one table's version to the new data version, read the largest of some tables'
    versions with ``{marks}`` to fill in): the same SQL for both stores but the placeholder."""
    bump = ("INSERT INTO table_versions (name, version) "
            f"SELECT {mark}, CAST(value AS BIGINT) FROM meta WHERE key = 'data_version' "
            "ON CONFLICT (name) DO UPDATE SET version = excluded.version")
    return bump, "SELECT MAX(version) FROM table_versions WHERE name IN ({marks})"


def spec_for(cls: type) -> TableSpec:
    if cls in TABLES:
        return TABLES[cls]
    # A development server that reloads geo.model after an edit creates new
    # class objects; match those by their qualified name.
    for known, spec in TABLES.items():
        if (known.__module__, known.__qualname__) == (cls.__module__, cls.__qualname__):
            return spec
    raise TypeError(f"{cls.__name__} is not a stored record type")


def encode(kind: str, value: Any) -> Any:
    """Python value → column value (geometry as WKB, json as text)."""
    if value is None:
        return None
    if kind == "geometry":
        return wkb.dumps(value)
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if kind == "bool":
        return 1 if value else 0
    if kind == "text":
        # Every text enters in NFC without control or bidi-override characters,
        # whatever path it came by (geo.text).
        return clean_text(value)
    return value


def clean_text_column(values: Any) -> list:
    """:func:`clean_text` over a column of a bulk write (as :func:`encode` does for one value).

    One C-level test of the whole column first: a column of printable ASCII
    (codes, numbers, most names) is taken as it is without a call per value.
    """
    seq = values.tolist() if hasattr(values, "tolist") else list(values)
    try:
        joined = "".join(seq)
    except TypeError:  # None (or a non-text value) among them
        joined = "".join(v for v in seq if isinstance(v, str))
    if joined.isascii() and joined.isprintable():
        return seq
    return [clean_text(v) for v in seq]


def decode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "geometry":
        return wkb.loads(bytes(value))
    if kind == "json":
        return json.loads(value)
    if kind == "bool":
        return bool(value)
    if kind == "blob":
        return bytes(value)
    return value


def _decode_geometry(value: Any) -> Any:
    return None if value is None else wkb.loads(bytes(value))


def _decode_json(value: Any) -> Any:
    return None if value is None else json.loads(value)


def _decode_bool(value: Any) -> Any:
    return None if value is None else bool(value)


def _decode_blob(value: Any) -> Any:
    return None if value is None else bytes(value)


DECODERS: dict[str, Callable[[Any], Any] | None] = {
    "geometry": _decode_geometry, "json": _decode_json, "bool": _decode_bool, "blob": _decode_blob,
    "int": None, "float": None, "text": None,  # stored as they are
}


def column_names(cls: type, names: Iterable[str] | None) -> list[str]:
    """The fields asked for by :meth:`Store.read_columns` (all when None), each checked."""
    kinds = spec_for(cls).kinds
    names = list(names or kinds)
    for name in names:
        if name not in kinds:
            raise TypeError(f"{cls.__name__} has no field {name!r}")
    return names


def columns_from_rows(cls: type, names: list[str], rows: Sequence[Sequence[Any]], xy: bool = False) -> Columns:
    """Rows of the named fields as :class:`Columns`, decoded per column (both stores).

    Geometries from WKB in one shapely call (with ``xy``: as the float
    columns ``x`` and ``y`` of points, see :func:`wkb_points_xy`); numbers as
    numpy arrays (NaN for a missing one); other kinds decoded value by value
    into object arrays (a JSON list stays one element).
    """
    import numpy as np
    import shapely

    kinds = spec_for(cls).kinds
    table = np.empty((len(rows), len(names)), dtype=object)
    if len(rows):
        table[:] = rows  # one C-level copy; far cheaper than zip(*rows) on 10⁵–10⁶ rows
    data: dict[str, np.ndarray] = {}
    for j, name in enumerate(names):
        kind, col = kinds[name], table[:, j]
        if kind == "geometry" and xy:
            data["x"], data["y"] = wkb_points_xy(col, spec_for(cls).table)
        elif kind == "geometry":
            if any(isinstance(v, memoryview) for v in col[:1]):  # a driver's buffer, not bytes
                col = _object_array([None if v is None else bytes(v) for v in col])
            data[name] = shapely.from_wkb(col)
        elif kind in ("int", "float"):
            missing = col == None  # noqa: E711 - elementwise
            if kind == "int" and not missing.any():
                data[name] = col.astype(np.int64)
            else:
                col = col.copy()
                col[missing] = np.nan
                data[name] = col.astype(float)
        else:
            decoder = DECODERS[kind]
            data[name] = col.copy() if decoder is None else _object_array([decoder(v) for v in col])
    return Columns(cls, data)


# A 2D point in little-endian WKB: byte order 1, type 1, x, y (21 bytes).
_WKB_POINT = [("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")]


def wkb_points_xy(values: Sequence[Any], what: str = "geometrie") -> tuple[Any, Any]:
    """x and y of point geometries given as WKB (bytes or buffers); NaN where a value is None or empty.

    The usual case (every value a 2D point in little-endian WKB, as both
    stores write them) is read straight from the bytes by numpy: no geometry
    object per row, the coordinates exactly as stored. Anything else goes
    through shapely in one call. A value that is not a point is refused.
    """
    import numpy as np
    import shapely

    n = len(values)
    try:
        joined = b"".join(values)
    except TypeError:  # a None among them
        joined = None
    if joined is not None and len(joined) == 21 * n:
        rec = np.frombuffer(joined, dtype=_WKB_POINT)
        if (rec["order"] == 1).all() and (rec["type"] == 1).all() and \
                (np.fromiter(map(len, values), dtype=np.int64, count=n) == 21).all():  # aligned: one record each
            return rec["x"].astype(float), rec["y"].astype(float)
    geoms = shapely.from_wkb(_object_array([None if v is None else bytes(v) for v in values]))
    kinds = shapely.get_type_id(geoms)
    if ((kinds != 0) & (kinds != -1)).any():
        raise StoreError(f"{what}: {int(((kinds != 0) & (kinds != -1)).sum())} geometrieën zijn geen punt")
    usable = (kinds == 0) & ~shapely.is_empty(geoms)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    x[usable] = shapely.get_x(geoms[usable])
    y[usable] = shapely.get_y(geoms[usable])
    return x, y


def _object_array(values: list) -> Any:
    import numpy as np

    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


def gemeente_code_ranges(gemeente: str) -> list[tuple[str, str]]:
    """Key ranges ``[low, high)`` of the GM/WK/BU codes of one gemeente
    (``GM1771`` → ``[("GM1771", "GM1772"), ("WK1771", "WK1772"), ("BU1771", "BU1772")]``):
    every code that starts so sorts inside them, by bytes and by any locale's
    collation of letters and digits. Empty for anything but a GM code."""
    import re

    if not re.fullmatch(r"GM\d{4}", gemeente or ""):
        return []
    n = int(gemeente[2:6])
    out = []
    for prefix in ("GM", "WK", "BU"):
        high = f"{prefix}{n + 1:04d}" if n < 9999 else prefix[0] + chr(ord(prefix[1]) + 1)
        out.append((f"{prefix}{n:04d}", high))
    return out


def gemeente_query(cls: type, names: Sequence[str] | None, gemeente: str) -> tuple[list[str], list[str]]:
    """For :meth:`Store.read_gemeente_columns`: (the fields asked for, the
    fields to read: those plus ``buurt_code``, which the answer is checked on)."""
    names = column_names(cls, names)
    if "buurt_code" not in spec_for(cls).kinds:
        raise TypeError(f"{cls.__name__} has no buurt_code to pick a gemeente by")
    return names, names + ([] if "buurt_code" in names else ["buurt_code"])


def gemeente_where(gemeente: str, unplaced: bool, mark: str) -> tuple[str, list[str]] | None:
    """For :meth:`Store.read_gemeente_columns`: the WHERE clause (with ``mark``
    as the driver's placeholder) and its parameters picking one gemeente's rows
    by their buurt code, and with ``unplaced`` the rows without one; None when
    nothing can match."""
    ranges = gemeente_code_ranges(gemeente)
    clauses = [f'("buurt_code" >= {mark} AND "buurt_code" < {mark})'] * len(ranges)
    if unplaced:
        clauses.append('("buurt_code" IS NULL OR "buurt_code" = \'\')')
    return ("(" + " OR ".join(clauses) + ")", [v for pair in ranges for v in pair]) if clauses else None


def in_gemeente(columns: Columns, names: list[str], gemeente: str, unplaced: bool) -> Columns:
    """The rows of ``columns`` whose ``buurt_code`` lies in ``gemeente``
    exactly (:func:`geo.scope.codes_in_gemeente`: a store's key ranges only
    narrow the read), without ``buurt_code`` unless ``names`` asks for it."""
    from ..scope import codes_in_gemeente

    if len(columns):
        mask = codes_in_gemeente(columns["buurt_code"], gemeente, unplaced)
        if not mask.all():
            columns = columns.take(mask)
    if "buurt_code" not in names:
        columns = Columns(columns.cls, {n: c for n, c in columns.data.items() if n != "buurt_code"})
    return columns


def bbox_of(geom: BaseGeometry | None) -> tuple[float | None, ...]:
    if geom is None or geom.is_empty:
        return (None, None, None, None)
    return tuple(float(v) for v in geom.bounds)


def geometry_columns(data: Any, n: int) -> tuple[Any, list[Any]]:
    """A geometry column of ``n`` rows as a bulk write stores it: the WKB of each row (None
    where a row has no geometry) and the four bounding-box columns ``minx, miny, maxx, maxy``,
    float arrays when every row has a geometry, else object arrays with None where it has not."""
    import numpy as np
    import shapely

    geoms = np.asarray(data, dtype=object)
    present = ~shapely.is_missing(geoms)
    blobs = np.full(n, None, dtype=object)
    blobs[present] = shapely.to_wkb(geoms[present])
    bounds = shapely.bounds(geoms)
    if present.all():  # floats as they are, no None among them
        return blobs, [bounds[:, j].copy() for j in range(4)]
    boxes = []
    for j in range(4):
        col = bounds[:, j].astype(object)
        col[~present] = None
        boxes.append(col)
    return blobs, boxes


class Store(ABC):
    """A Wijkatlas database. Open one with :func:`geo.store.open_store`."""

    url: str

    # --- lifecycle ---------------------------------------------------------
    @abstractmethod
    def schema_version(self) -> int: ...

    @abstractmethod
    def migrate(self) -> int:
        """Bring the schema to the latest version; return that version."""

    @abstractmethod
    def transaction(self, *tables: str) -> AbstractContextManager[None]:
        """All writes inside land together or not at all. Nests.

        ``tables``: the tables the writes inside change (every write method of
        the store names its own); at commit each gets the new data version
        (:meth:`data_version`), once per transaction, however many rows."""

    @abstractmethod
    def data_version(self, *tables: str) -> int:
        """For cache keys. Without arguments: a number that grows with every
        committed write. With table names (``"suggestions"``, ``"areas"``, …,
        ``"meta"``): the data version of the last committed write to any of
        them (0: none since the database kept table versions), so it changes
        exactly when one of them was written and a cache keyed on it survives
        writes to every other table."""

    @abstractmethod
    def table_columns(self, table: str) -> set[str]:
        """The column names of a table as the database has them (checks, copies)."""

    @abstractmethod
    def table_indexes(self, table: str) -> set[str]:
        """The names of a table's indexes as the database has them (checks after bulk loads)."""

    def close(self) -> None:  # pragma: no cover - backends override when needed
        return None

    # --- settings kept in the database (table ``meta``) --------------------------
    @abstractmethod
    def meta_value(self, key: str) -> str | None:
        """The value stored under ``key`` in ``meta``, or None."""

    @abstractmethod
    def set_meta_default(self, key: str, value: str) -> str:
        """Store ``value`` under ``key`` unless a value is there already
        (another server may have been first); return the value that holds."""

    @abstractmethod
    def meta_items(self) -> dict[str, str]:
        """Every setting kept in ``meta`` except the store's own counters
        (``schema_version``, ``data_version``): what a copy of the database carries over."""

    @abstractmethod
    def set_meta(self, key: str, value: str) -> None:
        """Store ``value`` under ``key`` in ``meta``, replacing what is there."""

    # --- records -----------------------------------------------------------
    @abstractmethod
    def add(self, record: R) -> R:
        """Insert a record (validated); return it with its new id."""

    @abstractmethod
    def update(self, record: R) -> R:
        """Overwrite an existing record (validated), found by its key."""

    @abstractmethod
    def get(self, cls: type[R], key: Any) -> R:
        """The record with that key; :class:`~geo.errors.NotFound` if absent."""

    @abstractmethod
    def list(self, cls: type[R], order_by: str | None = None, **where: Any) -> list[R]:
        """Records whose fields equal ``where`` (a list/tuple value means IN)."""

    @abstractmethod
    def delete(self, cls: type, key: Any) -> None: ...

    @abstractmethod
    def count(self, cls: type, **where: Any) -> int: ...

    @abstractmethod
    def exists(self, cls: type, key: Any) -> bool: ...

    @abstractmethod
    def count_since(self, cls: type, field: str, since: float | str, **where: Any) -> int:
        """How many records have ``field`` > ``since`` and fields equal ``where``."""

    @abstractmethod
    def delete_before(self, cls: type, field: str, before: float | str) -> int:
        """Delete records whose ``field`` < ``before``; return how many."""

    @abstractmethod
    def increment(self, cls: type, key: Any, field: str, by: int = 1) -> int:
        """Atomically add ``by`` to an integer field; return the new value."""

    @abstractmethod
    def compare_and_set(self, cls: type, key: Any, expect: dict[str, Any], changes: dict[str, Any]) -> bool:
        """Atomically apply ``changes`` to the record ``key`` only if its fields
        still equal ``expect``; True when it did (one SQL ``UPDATE … WHERE``).
        Used to claim work (an outbox message) that several servers may see."""

    @abstractmethod
    def clear(self) -> None:
        """Delete every record (the schema stays)."""

    @abstractmethod
    def bulk_add(self, cls: type, columns: dict[str, Any], *, replace_key: str | None = None) -> tuple[int, int]:
        """Insert many records of ``cls`` at once, given column-wise: field →
        sequence (numpy array or list) of equal length; the geometry as an
        array of shapely geometries in EPSG:28992. The caller has checked the
        values (this is the fast path of large imports: no per-record
        ``validate``). Where ``replace_key`` names a field, stored records whose
        value of it equals an incoming non-empty value are replaced. All rows
        land in one transaction. Returns (created, replaced)."""

    @abstractmethod
    def find_addresses(self, *, bag_ids: Iterable[str] = (), postcodes: Iterable[str] = (),
                       street_keys: Iterable[str] = ()) -> list[m.AddressPoint]:
        """Address points whose ``bag_id``, ``postcode`` or ``street_key`` is one
        of the given values (any of the three; empty values never match)."""

    @abstractmethod
    def address_street_keys(self) -> list[str]:
        """Every distinct non-empty ``street_key`` of the stored address points."""

    @abstractmethod
    def read_gemeente_columns(self, cls: type, gemeente: str, names: Sequence[str] | None = None, *,
                              unplaced: bool = False, xy: bool = False) -> Columns:
        """The records of ``cls`` whose ``buurt_code`` lies in ``gemeente`` (a GM
        code), column-wise as :meth:`read_columns`, in key order; with
        ``unplaced`` also those without a code (outside every buurt); with
        ``xy`` point geometries as the float columns ``x`` and ``y`` (as
        :meth:`read_xy`: no geometry object per row).

        Answered on the index of ``buurt_code`` (one key range per code prefix,
        :func:`gemeente_code_ranges`): the other gemeenten's rows are never read,
        so one gemeente of a national database costs what that gemeente holds."""

    # --- spatial questions (EPSG:28992), answered in the database where it can ---------------
    @abstractmethod
    def area_at(self, point: BaseGeometry, level: str = "buurt") -> m.Area | None:
        """The area of ``level`` that covers ``point`` (lowest code first), or None."""

    @abstractmethod
    def in_window(self, cls: type[R], bounds: tuple[float, float, float, float], **where: Any) -> list[R]:
        """Records whose geometry intersects the box (minx, miny, maxx, maxy) and whose fields equal ``where``."""

    @abstractmethod
    def within_distance(self, cls: type[R], geom: BaseGeometry, distance: float, **where: Any) -> list[R]:
        """Records whose geometry lies within ``distance`` metres of ``geom`` and whose fields equal ``where``."""

    def save(self, record: R) -> R:
        """Insert or update, by whether the record's key is already stored."""
        spec = spec_for(type(record))
        key = getattr(record, spec.pk)
        if key is not None and self.exists(type(record), key):
            return self.update(record)
        return self.add(record)

    def add_all(self, records: Iterable[R]) -> list[R]:
        with self.transaction():
            return [self.add(r) for r in records]

    def is_empty(self) -> bool:
        return self.count(m.Area) == 0

    def read_columns(self, cls: type, names: Sequence[str] | None = None, **where: Any) -> Columns:
        """Records of ``cls`` held column-wise (:class:`geo.columns.Columns`), in key order.

        For bulk layers (address points, suggestions): a backend reads the
        columns in one query and decodes all geometries in one call. This
        default goes through :meth:`list` (correct, not fast).
        """
        kinds = spec_for(cls).kinds
        names = list(names or kinds)
        for name in names:
            if name not in kinds:
                raise TypeError(f"{cls.__name__} has no field {name!r}")
        return Columns.from_records(cls, self.list(cls, **where), names)

    def read_xy(self, cls: type, names: Sequence[str] = (), **where: Any) -> Columns:
        """Point records as columns with their coordinates as the float arrays ``x`` and ``y``.

        For analyses over hundreds of thousands of address points: no
        geometry object is built per row (``NaN`` where a row has no point;
        a geometry that is not a point raises :class:`~geo.errors.StoreError`).
        ``names`` are further fields, as :meth:`read_columns` reads them.
        This default goes through :meth:`read_columns` (correct, not fast).
        """
        import shapely

        cols = self.read_columns(cls, ["geometry", *names], **where)
        data = dict(cols.data)
        data["x"], data["y"] = wkb_points_xy(shapely.to_wkb(data.pop("geometry"), byte_order=1),
                                             spec_for(cls).table)
        return Columns(cls, data)
