"""The embedded SQLite store: one file, safe for many threads and processes.

Each thread gets its own connection (Streamlit runs every session in its own
thread). The database runs in WAL mode with a generous busy timeout, and
every write happens inside ``BEGIN IMMEDIATE`` … ``COMMIT``, so concurrent
writers queue instead of failing, and a failed write leaves nothing behind.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from ..errors import Conflict, NotFound, StoreError
from ..columns import Columns
from .base import (DECODERS, TABLES, R, Store, bbox_of, check_tables, clean_text_column,
                   column_names, columns_from_rows, encode, gemeente_query, gemeente_where, in_gemeente, spec_for,
                   geometry_columns, table_version_sql)
from .dialect import split_sql
from .migrations import LATEST_VERSION, MIGRATIONS


class SQLiteStore(Store):
    def __init__(self, path: str | Path, url: str | None = None):
        self.path = str(path)
        self.url = url or f"sqlite:///{self.path}"
        if self.path != ":memory:":
            parent = Path(self.path).resolve().parent
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"kan de map {parent} voor de database niet maken: {exc.strerror}") from None
        self._local = threading.local()
        self._memory_conn: sqlite3.Connection | None = None
        self.migrate()

    # --- connections ---------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        if self.path == ":memory:":
            # One shared connection: an in-memory database exists per connection.
            if self._memory_conn is None:
                self._memory_conn = self._connect()
            return self._memory_conn
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            self._local.depth = 0
        return conn

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=60)
            conn.execute("PRAGMA busy_timeout = 60000")
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"kan database {self.path} niet openen: {exc}") from None
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        if self._memory_conn is not None:
            self._memory_conn.close()
            self._memory_conn = None

    @contextmanager
    def transaction(self, *tables: str) -> Iterator[None]:
        conn = self._conn()
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.touched.update(check_tables(tables))
            self._local.depth = depth + 1
            try:
                yield
            finally:
                self._local.depth = depth
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"de database is bezet of alleen-lezen: {exc}") from None
        self._local.depth, self._local.touched = 1, set(check_tables(tables))
        try:
            yield
            conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'")
            bump, _ = table_version_sql("?")
            for table in sorted(self._local.touched):
                conn.execute(bump, [table])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            self._local.depth, self._local.touched = 0, set()

    # --- schema ---------------------------------------------------------------
    def schema_version(self) -> int:
        return int(self._conn().execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> int:
        conn = self._conn()
        try:
            current = self.schema_version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is geen Wijkatlas-database: {exc}") from None
        if current > LATEST_VERSION:
            raise StoreError(
                f"de database heeft schemaversie {current}, deze versie van Wijkatlas kent tot {LATEST_VERSION}; "
                "werk Wijkatlas bij"
            )
        if current == LATEST_VERSION:
            return current
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = self.schema_version()  # another process may have migrated meanwhile
            for mig in MIGRATIONS:
                if mig.version > current:
                    for statement in split_sql(mig.sql):
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {int(mig.version)}")
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            conn.execute("ROLLBACK")
            raise StoreError(f"bijwerken van het databaseschema mislukt: {exc}") from None
        return self.schema_version()

    def data_version(self, *tables: str) -> int:
        if not tables:
            row = self._conn().execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
            return int(row[0])
        names = check_tables(tables)
        _, read = table_version_sql("?")
        row = self._conn().execute(read.format(marks=", ".join("?" for _ in names)), names).fetchone()
        return int(row[0] or 0)

    def meta_value(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_meta_default(self, key: str, value: str) -> str:
        with self.transaction("meta"):
            self._conn().execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                                 [key, value])
            row = self._conn().execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return str(row[0])

    def meta_items(self) -> dict[str, str]:
        rows = self._conn().execute(
            "SELECT key, value FROM meta WHERE key NOT IN ('schema_version', 'data_version') ORDER BY key").fetchall()
        return {str(k): str(v) for k, v in rows}

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction("meta"):
            self._conn().execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])

    def table_indexes(self, table: str) -> set[str]:
        rows = self._conn().execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", [table])
        return {r[0] for r in rows}

    def table_columns(self, table: str) -> set[str]:
        return {row[1] for row in self._conn().execute(f'PRAGMA table_info("{table}")')}

    # --- records ---------------------------------------------------------------
    def _columns(self, record: Any) -> dict[str, Any]:
        spec = spec_for(type(record))
        cols: dict[str, Any] = {}
        for name, kind in spec.kinds.items():
            value = getattr(record, name)
            cols[name] = encode(kind, value)
            if kind == "geometry":
                cols["minx"], cols["miny"], cols["maxx"], cols["maxy"] = bbox_of(value)
        return cols

    def add(self, record: R) -> R:
        record.validate()
        spec = spec_for(type(record))
        cols = self._columns(record)
        if spec.autoincrement and cols.get("id") is None:
            cols.pop("id", None)
        names = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" for _ in cols)
        with self.transaction(spec.table):
            cur = self._execute(f'INSERT INTO {spec.table} ({names}) VALUES ({marks})', list(cols.values()))
        if spec.autoincrement:
            record.id = cur.lastrowid  # type: ignore[attr-defined]
        return record

    def update(self, record: R) -> R:
        record.validate()
        spec = spec_for(type(record))
        cols = self._columns(record)
        key = cols.pop(spec.pk)
        versioned = "version" in spec.kinds
        expected = int(cols.pop("version", None) or 0)
        sets = [f'"{c}" = ?' for c in cols]
        params = [*cols.values(), key]
        where = f"{spec.pk} = ?"
        if versioned:
            sets.append('"version" = "version" + 1')
            where += ' AND "version" = ?'
            params.append(expected)
        with self.transaction(spec.table):
            cur = self._execute(f"UPDATE {spec.table} SET {', '.join(sets)} WHERE {where}", params)
            if cur.rowcount == 0:
                if versioned and self.exists(type(record), key):
                    raise Conflict.changed(spec.table, key)
                raise NotFound(f"{spec.table} {key} bestaat niet")
        if versioned:
            record.version = expected + 1  # type: ignore[attr-defined]
        return record

    def _execute(self, sql: str, params: list[Any]) -> sqlite3.Cursor:
        try:
            return self._conn().execute(sql, params)
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"opslaan geweigerd: {exc}") from None

    def _query(self, cls: type, names: list[str], where: dict[str, Any],
               order_by: str | None = None, extra: tuple[str, list] | None = None) -> list[tuple] | None:
        """Rows of ``names`` for records matching ``where`` (None: nothing can match);
        ``extra`` is one more SQL condition with its parameters (a bounding-box test)."""
        spec = spec_for(cls)
        kinds = spec.kinds
        clauses, params = ([extra[0]], list(extra[1])) if extra else ([], [])
        for name, value in where.items():
            if name not in kinds:
                raise TypeError(f"{cls.__name__} has no field {name!r}")
            if value is None:
                clauses.append(f'"{name}" IS NULL')
            elif isinstance(value, (list, tuple, set, frozenset)):
                values = list(value)
                if not values:
                    return None
                clauses.append(f'"{name}" IN ({", ".join("?" for _ in values)})')
                params.extend(encode(kinds[name], v) for v in values)
            else:
                clauses.append(f'"{name}" = ?')
                params.append(encode(kinds[name], value))
        sql = f"SELECT {', '.join(chr(34) + n + chr(34) for n in names)} FROM {spec.table}"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        order = order_by or spec.pk
        desc = order.startswith("-")
        order = order.lstrip("-")
        if order not in kinds:
            raise TypeError(f"{cls.__name__} has no field {order!r} to order by")
        sql += f' ORDER BY "{order}"{" DESC" if desc else ""}'
        return self._conn().execute(sql, params).fetchall()

    def _select(self, cls: type[R], where: dict[str, Any], order_by: str | None = None,
                extra: tuple[str, list] | None = None) -> list[R]:
        kinds = spec_for(cls).kinds
        names = list(kinds)
        rows = self._query(cls, names, where, order_by, extra)
        if not rows:
            return []
        # Decode column by column (geometries in one shapely call), then build records.
        columns = [list(col) for col in zip(*rows)]
        for j, name in enumerate(names):
            kind = kinds[name]
            if kind == "geometry":
                columns[j] = _geometries(columns[j]).tolist()
            elif DECODERS[kind] is not None:
                columns[j] = [DECODERS[kind](v) for v in columns[j]]
        return [cls(**dict(zip(names, values))) for values in zip(*columns)]

    def read_columns(self, cls: type, names=None, **where: Any) -> Columns:
        names = column_names(cls, names)
        return columns_from_rows(cls, names, self._query(cls, names, where) or [])

    def read_gemeente_columns(self, cls: type, gemeente: str, names=None, *, unplaced: bool = False,
                              xy: bool = False) -> Columns:
        names, read = gemeente_query(cls, names, gemeente)
        picked = gemeente_where(gemeente, unplaced, "?")
        if picked is None:
            return in_gemeente(columns_from_rows(cls, read, [], xy=xy), names, gemeente, unplaced)
        spec = spec_for(cls)
        (where, params), table, pk = picked, spec.table, f'"{spec.pk}"'
        conn = self._conn()
        # Where the gemeente holds a small part of the table, its rows are found on the index of
        # buurt_code and sorted afterwards ("+id": an ORDER BY the rowid would make SQLite scan
        # the whole table instead); where it holds most of it, one scan in key order is faster
        # than as many lookups. Counting on the (covering) index decides: 50 ms for 500,000 rows.
        found = conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0]
        total = conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
        order = pk if found * 4 > total else f"+{pk}"
        sql = (f"SELECT {', '.join(chr(34) + n + chr(34) for n in read)} FROM {table} WHERE {where} "
               f"ORDER BY {order}")
        rows = conn.execute(sql, params).fetchall() if found else []
        return in_gemeente(columns_from_rows(cls, read, rows, xy=xy), names, gemeente, unplaced)

    def read_xy(self, cls: type, names=(), **where: Any) -> Columns:
        names = ["geometry", *(column_names(cls, names) if names else [])]
        return columns_from_rows(cls, names, self._query(cls, names, where) or [], xy=True)

    # --- spatial questions: a bounding-box query on the stored bbox columns, then the exact test ---
    @staticmethod
    def _bbox_overlaps(minx: float, miny: float, maxx: float, maxy: float) -> tuple[str, list]:
        return "maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?", [minx, maxx, miny, maxy]

    def area_at(self, point: Any, level: str = "buurt") -> Any:
        from .. import model as m

        x, y = point.x, point.y
        for area in self._select(m.Area, {"level": level}, "code", self._bbox_overlaps(x, y, x, y)):
            if area.geometry is not None and area.geometry.covers(point):
                return area
        return None

    def in_window(self, cls: type[R], bounds: tuple[float, float, float, float], **where: Any) -> list[R]:
        import shapely

        window = shapely.box(*bounds)
        found = self._select(cls, where, None, self._bbox_overlaps(*bounds))
        return [r for r in found if r.geometry is not None and r.geometry.intersects(window)]

    def within_distance(self, cls: type[R], geom: Any, distance: float, **where: Any) -> list[R]:
        minx, miny, maxx, maxy = geom.bounds
        box = self._bbox_overlaps(minx - distance, miny - distance, maxx + distance, maxy + distance)
        found = self._select(cls, where, None, box)
        return [r for r in found if r.geometry is not None and r.geometry.distance(geom) <= distance]

    def get(self, cls: type[R], key: Any) -> R:
        spec = spec_for(cls)
        found = self._select(cls, {spec.pk: key})
        if not found:
            raise NotFound(f"{spec.table} {key} bestaat niet")
        return found[0]

    def list(self, cls: type[R], order_by: str | None = None, **where: Any) -> list[R]:
        return self._select(cls, where, order_by)

    def exists(self, cls: type, key: Any) -> bool:
        spec = spec_for(cls)
        row = self._conn().execute(f"SELECT 1 FROM {spec.table} WHERE {spec.pk} = ?", [key]).fetchone()
        return row is not None

    def count(self, cls: type, **where: Any) -> int:
        spec = spec_for(cls)
        kinds = spec.kinds
        clauses, params = [], []
        for name, value in where.items():
            if name not in kinds:
                raise TypeError(f"{cls.__name__} has no field {name!r}")
            clauses.append(f'"{name}" = ?')
            params.append(encode(kinds[name], value))
        sql = f"SELECT COUNT(*) FROM {spec.table}" + (" WHERE " + " AND ".join(clauses) if clauses else "")
        return int(self._conn().execute(sql, params).fetchone()[0])

    def count_since(self, cls: type, field: str, since: float | str, **where: Any) -> int:
        kinds = spec_for(cls).kinds
        for name in (field, *where):
            if name not in kinds:
                raise TypeError(f"{cls.__name__} has no field {name!r}")
        clauses = [f'"{field}" > ?'] + [f'"{n}" = ?' for n in where]
        params = [since] + [encode(kinds[n], v) for n, v in where.items()]
        sql = f"SELECT COUNT(*) FROM {spec_for(cls).table} WHERE " + " AND ".join(clauses)
        return int(self._conn().execute(sql, params).fetchone()[0])

    def delete_before(self, cls: type, field: str, before: float | str) -> int:
        if field not in spec_for(cls).kinds:
            raise TypeError(f"{cls.__name__} has no field {field!r}")
        with self.transaction(spec_for(cls).table):
            cur = self._conn().execute(f'DELETE FROM {spec_for(cls).table} WHERE "{field}" < ?', [before])
        return cur.rowcount

    def delete(self, cls: type, key: Any) -> None:
        spec = spec_for(cls)
        with self.transaction(spec.table):
            cur = self._conn().execute(f"DELETE FROM {spec.table} WHERE {spec.pk} = ?", [key])
        if cur.rowcount == 0:
            raise NotFound(f"{spec.table} {key} bestaat niet")

    def clear(self) -> None:
        with self.transaction(*(spec.table for spec in TABLES.values())):
            for spec in reversed(list(TABLES.values())):
                self._conn().execute(f"DELETE FROM {spec.table}")

    def compare_and_set(self, cls: type, key: Any, expect: dict[str, Any], changes: dict[str, Any]) -> bool:
        spec = spec_for(cls)
        kinds = spec.kinds
        for name in (*expect, *changes):
            if name not in kinds or kinds[name] == "geometry":
                raise TypeError(f"{cls.__name__} has no plain field {name!r}")
        sets = ", ".join([f'"{n}" = ?' for n in changes]
                         + (['"version" = "version" + 1'] if "version" in kinds and "version" not in changes else []))
        conds = "".join(f' AND "{n}" IS NULL' if v is None else f' AND "{n}" = ?' for n, v in expect.items())
        params = [encode(kinds[n], v) for n, v in changes.items()]
        params += [key] + [encode(kinds[n], v) for n, v in expect.items() if v is not None]
        with self.transaction(spec.table):
            cur = self._execute(f"UPDATE {spec.table} SET {sets} WHERE {spec.pk} = ?{conds}", params)
        return cur.rowcount == 1

    def increment(self, cls: type, key: Any, field: str, by: int = 1) -> int:
        spec = spec_for(cls)
        if spec.kinds.get(field) != "int":
            raise TypeError(f"{cls.__name__}.{field} is not an integer field")
        # A versioned record counts as changed (a stale copy must not overwrite the count).
        bump = ', "version" = "version" + 1' if "version" in spec.kinds and field != "version" else ""
        with self.transaction(spec.table):
            cur = self._conn().execute(
                f'UPDATE {spec.table} SET "{field}" = COALESCE("{field}", 0) + ?{bump} WHERE {spec.pk} = ?', [by, key]
            )
            if cur.rowcount == 0:
                raise NotFound(f"{spec.table} {key} bestaat niet")
            row = self._conn().execute(f'SELECT "{field}" FROM {spec.table} WHERE {spec.pk} = ?', [key]).fetchone()
        return int(row[0])


    # --- bulk and address queries -------------------------------------------------
    def bulk_add(self, cls: type, columns: dict[str, Any], *, replace_key: str | None = None) -> tuple[int, int]:
        import numpy as np

        spec = spec_for(cls)
        kinds = spec.kinds
        unknown = set(columns) - set(kinds)
        if unknown:
            raise TypeError(f"{cls.__name__} has no field(s) {sorted(unknown)}")
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            raise ValueError("bulk_add: columns differ in length")
        n = lengths.pop() if lengths else 0
        if n == 0:
            return 0, 0
        import pandas as pd

        names: list[str] = []
        arrays: list[np.ndarray] = []  # one array per column; rows are made a chunk at a time
        for name, data in columns.items():
            kind = kinds[name]
            if kind == "geometry":
                wkb, boxes = geometry_columns(data, n)  # arrays: rows are made a chunk at a time
                names += [name, "minx", "miny", "maxx", "maxy"]
                arrays += [wkb, *boxes]
                continue
            arr = np.asarray(data, dtype=object)
            if kind in ("json", "bool"):
                arr = np.array([encode(kind, v) for v in arr] + [None], dtype=object)[:-1]
            elif kind == "text":  # NFC, no control or bidi characters: as every other write (encode)
                arr = np.array(clean_text_column(arr) + [None], dtype=object)[:-1]
            elif kind in ("int", "float"):
                arr = arr.copy()
                arr[pd.isna(arr)] = None  # NaN → NULL
            names.append(name)
            arrays.append(arr)
        names, arrays = self._without_defaults(spec.table, names, arrays)

        def rows():
            for begin in range(0, n, 50_000):  # Python objects for 50,000 rows at a time, not for all
                yield from zip(*(a[begin:begin + 50_000].tolist() for a in arrays))

        sql = (f'INSERT INTO {spec.table} ({", ".join(chr(34) + c + chr(34) for c in names)}) '
               f'VALUES ({", ".join("?" for _ in names)})')
        replaced = 0
        with self.transaction(spec.table):
            conn = self._conn()
            # A page cache large enough for the indexes of a big insert (random keys), this connection only.
            (cache,) = conn.execute("PRAGMA cache_size").fetchone()
            conn.execute("PRAGMA cache_size = -262144")
            try:
                if replace_key is not None:
                    if kinds.get(replace_key) != "text":
                        raise TypeError(f"{cls.__name__}.{replace_key} is not a text field")
                    stored = conn.execute(
                        f'SELECT 1 FROM {spec.table} WHERE "{replace_key}" <> \'\' LIMIT 1').fetchone()
                    if stored:
                        keys = [k for k in dict.fromkeys(arrays[names.index(replace_key)].tolist()) if k] \
                            if replace_key in names else []  # left out: every value empty
                        before = conn.total_changes
                        conn.executemany(f'DELETE FROM {spec.table} WHERE "{replace_key}" = ?', ((k,) for k in keys))
                        replaced = conn.total_changes - before
                # Many rows into a table: maintaining its indexes row by row costs more than building
                # them again afterwards (inside this transaction, so all or nothing still holds).
                rebuild = []
                if n >= 20_000:
                    (stored,) = conn.execute(f"SELECT COUNT(*) FROM {spec.table}").fetchone()
                    if n > stored:
                        rebuild = [sql_ for (sql_,) in conn.execute(
                            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                            [spec.table])]
                        for (index_name,) in conn.execute(
                                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                "AND sql IS NOT NULL", [spec.table]).fetchall():
                            conn.execute(f'DROP INDEX "{index_name}"')
                conn.executemany(sql, rows())
                for statement in rebuild:
                    conn.execute(statement)
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"opslaan geweigerd: {exc}") from None
            finally:
                conn.execute(f"PRAGMA cache_size = {int(cache)}")
        return n - replaced, replaced

    def _without_defaults(self, table: str, names: list[str], arrays: list) -> tuple[list[str], list]:
        """Leave out the columns whose every value is the column's default (NULL or ''): the
        table fills them in, and a file with points and ids only (no address fields) does not
        pass eight empty values per row through the driver."""
        defaults = {row[1]: row[4] for row in self._conn().execute(f"PRAGMA table_info({table})")}
        keep = []
        for name, arr in zip(names, arrays):
            default = defaults.get(name, "?")
            if name not in ("geometry", "minx", "miny", "maxx", "maxy") and (
                    (default is None and (arr == None).all())  # noqa: E711 - element-wise
                    or (default == "''" and (arr == "").all())):
                continue
            keep.append((name, arr))
        return [n for n, _ in keep] or names, [a for _, a in keep] or arrays

    def find_addresses(self, *, bag_ids=(), postcodes=(), street_keys=()) -> list:
        from .. import model as m

        found: dict[int, Any] = {}
        for name, wanted in (("bag_id", bag_ids), ("postcode", postcodes), ("street_key", street_keys)):
            keys = sorted({str(k) for k in wanted if k})
            for start in range(0, len(keys), 500):
                for rec in self._select(m.AddressPoint, {name: keys[start:start + 500]}):
                    found[rec.id] = rec
        return [found[k] for k in sorted(found)]

    def address_street_keys(self) -> list[str]:
        rows = self._conn().execute(
            "SELECT DISTINCT street_key FROM address_points WHERE street_key <> '' ORDER BY street_key").fetchall()
        return [r[0] for r in rows]


def _geometries(blobs) -> "np.ndarray":
    """WKB values (None allowed) → a shapely geometry array, in one call."""
    import numpy as np
    import shapely

    arr = np.empty(len(blobs), dtype=object)
    arr[:] = list(blobs)
    return shapely.from_wkb(arr)

