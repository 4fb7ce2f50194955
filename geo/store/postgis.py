"""The PostgreSQL/PostGIS store: one database behind several app servers.

- The same migrations as SQLite (:mod:`geo.store.migrations`), translated by
  :mod:`geo.store.dialect`: geometries become PostGIS ``geometry`` columns in
  EPSG:28992 with a GiST index; the version reached is kept in ``meta``.
- A connection pool per store (``psycopg_pool``) with connect, statement and
  lock timeouts; a broken connection is noticed when it is taken from the
  pool and replaced, so the app reconnects by itself when the database
  returns.
- Writes are serialised as SQLite's are: every write transaction first takes
  one transaction-level advisory lock, so code that numbers or checks inside
  a transaction (reference codes, "already supported") behaves the same on
  both stores. Reads never wait for it.
- Bulk writes (:meth:`PostGISStore.bulk_add`: address points, boundaries,
  suggestions) send their rows with one binary ``COPY`` laid out by numpy
  (:mod:`geo.store.pgcopy`), inside the caller's transaction; a load larger
  than the table builds its plain indexes again afterwards.
- A database that cannot be reached raises :class:`~geo.errors.StoreUnavailable`
  with a Dutch message that names host, port and database, never the user
  name or password.

psycopg is imported here only: SQLite users never load it.
"""

from __future__ import annotations

import logging
import os
import threading
from contextlib import contextmanager
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit

from ..columns import Columns
from ..errors import ConfigError, Conflict, NotFound, StoreError, StoreUnavailable
from .base import (TABLES, R, Store, bbox_of, check_tables, clean_text_column, column_names,
                   columns_from_rows, decode, encode, gemeente_query, gemeente_where, in_gemeente, spec_for,
                   geometry_columns, table_version_sql)
from .dialect import SRID, to_postgres
from .pgcopy import binary_copy
from .migrations import LATEST_VERSION, MIGRATIONS

# psycopg's own log lines (connection attempts, with host and user name) stay
# out of the terminal and the server log: Wijkatlas says what matters itself.
for _name in ("psycopg", "psycopg.pool"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False

# pg_advisory_xact_lock keys (any constant bigint, "WIJK" and "MIGR" in ASCII).
WRITE_LOCK = 0x57494A4B
MIGRATION_LOCK = 0x4D494752


def redact(url: str) -> str:
    """The URL without user name and password: safe for messages and logs."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "localhost"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "postgresql://…"
    return f"postgresql://{host}{port}{parts.path}"


def _where(url: str) -> str:
    parts = urlsplit(url)
    try:
        port = parts.port or 5432
    except ValueError:
        port = "?"
    return f"{parts.hostname or 'localhost'}:{port}{parts.path or '/'}"


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        raise ConfigError(f"{name} moet een getal zijn") from None


class PostGISStore(Store):
    def __init__(self, url: str):
        try:
            import psycopg  # noqa: F401
            from psycopg_pool import ConnectionPool
        except ImportError:  # pragma: no cover - a regular dependency
            raise ConfigError("psycopg ontbreekt; installeer Wijkatlas opnieuw met 'pip install -e .'") from None
        parts = urlsplit(url)
        if parts.scheme not in ("postgresql", "postgres", "postgis"):
            raise ConfigError(f"onbekende database-URL {redact(url)}")
        if parts.scheme != "postgresql":
            url = "postgresql" + url[len(parts.scheme):]
        if not parts.path.strip("/"):
            raise ConfigError(f"de database-URL {redact(url)} noemt geen database (postgresql://host/naam)")
        self.url = redact(url)
        self._where = _where(url)
        self._local = threading.local()
        self.connect_timeout = _env_float("WIJKATLAS_DB_CONNECT_TIMEOUT", 5)
        self.statement_timeout = _env_float("WIJKATLAS_DB_STATEMENT_TIMEOUT", 60)
        options = (f"-c statement_timeout={int(self.statement_timeout * 1000)} "
                   f"-c lock_timeout={int(self.statement_timeout * 1000)} "
                   f"-c idle_in_transaction_session_timeout={int(self.statement_timeout * 2000)}")
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max(1, int(_env_float("WIJKATLAS_DB_POOL_SIZE", 10))),
            timeout=self.connect_timeout * 2,
            reconnect_timeout=60,
            kwargs={"autocommit": True, "connect_timeout": max(1, int(self.connect_timeout)),
                    "application_name": "wijkatlas", "options": options},
            check=ConnectionPool.check_connection,
            open=False,
            name="wijkatlas",
        )
        try:
            with self._errors():
                self._pool.open(wait=False)
                self.migrate()
        except BaseException:
            self._pool.close(timeout=1)
            raise

    # --- errors -----------------------------------------------------------------
    def _unavailable(self) -> StoreUnavailable:
        # The message is shown to residents too: no host names in it. The
        # command line adds ``location`` (host:port/database, never credentials).
        exc = StoreUnavailable(
            "de database is niet bereikbaar; er is niets opgeslagen. "
            "Probeer het over een paar minuten opnieuw of meld het de beheerder"
        )
        exc.location = self._where
        return exc

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """psycopg's errors → the Wijkatlas error tree, without credentials."""
        import psycopg
        from psycopg import errors as pe
        from psycopg_pool import PoolClosed, PoolTimeout

        try:
            yield
        except (PoolTimeout, PoolClosed):
            raise self._unavailable() from None
        except pe.LockNotAvailable:
            raise StoreError("de database is bezet; probeer het zo opnieuw") from None
        except pe.QueryCanceled:
            raise StoreError("de database antwoordde niet op tijd; probeer het zo opnieuw") from None
        except pe.IntegrityError as exc:
            raise StoreError(f"opslaan geweigerd: {_primary(exc)}") from None
        except (psycopg.OperationalError, psycopg.InterfaceError):
            raise self._unavailable() from None
        except psycopg.Error as exc:
            raise StoreError(f"databasefout: {_primary(exc)}") from None

    # --- connections ------------------------------------------------------------
    @contextmanager
    def _cursor(self, binary: bool = False) -> Iterator[Any]:
        """A cursor: on the transaction's connection, or a pooled one (autocommit); with ``binary``
        results come in the types' binary form (no text to parse: bytea, floats and integers as they are)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            with conn.cursor(binary=binary) as cur:
                yield cur
            return
        with self._errors(), self._pool.connection() as conn, conn.cursor(binary=binary) as cur:
            yield cur

    def _execute(self, sql: str, params: Any = None, binary: bool = False) -> Any:
        """Run one statement; return the cursor's rows (or None) and rowcount."""
        with self._errors(), self._cursor(binary) as cur:
            cur.execute(sql, params)
            rows = cur.fetchall() if cur.description is not None else None
            return rows, cur.rowcount

    def close(self) -> None:
        self._pool.close()

    def __del__(self) -> None:  # pragma: no cover - best effort for forgotten stores
        try:
            self._pool.close(timeout=0)
        except Exception:  # noqa: BLE001
            pass

    @contextmanager
    def transaction(self, *tables: str) -> Iterator[None]:
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.touched.update(check_tables(tables))
            self._local.depth = depth + 1
            try:
                yield
            finally:
                self._local.depth = depth
            return
        with self._errors(), self._pool.connection() as conn:
            try:
                conn.execute("BEGIN")
                conn.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            except BaseException:
                _rollback(conn)
                raise
            self._local.conn, self._local.depth, self._local.touched = conn, 1, set(check_tables(tables))
            try:
                yield
                conn.execute("UPDATE meta SET value = (CAST(value AS BIGINT) + 1)::text WHERE key = 'data_version'")
                bump, _ = table_version_sql("%s")
                for table in sorted(self._local.touched):
                    conn.execute(bump, [table])
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
            finally:
                self._local.conn, self._local.depth, self._local.touched = None, 0, set()

    # --- schema -------------------------------------------------------------------
    def schema_version(self) -> int:
        rows, _ = self._execute(
            "SELECT CASE WHEN to_regclass('meta') IS NULL THEN NULL ELSE 1 END")
        if rows[0][0] is None:
            return 0
        rows, _ = self._execute("SELECT value FROM meta WHERE key = 'schema_version'")
        return int(rows[0][0]) if rows else 0

    def migrate(self) -> int:
        current = self.schema_version()
        if current > LATEST_VERSION:
            raise StoreError(
                f"de database heeft schemaversie {current}, deze versie van Wijkatlas kent tot {LATEST_VERSION}; "
                "werk Wijkatlas bij"
            )
        if current == LATEST_VERSION:
            return current
        import psycopg

        with self._errors(), self._pool.connection() as conn:
            try:
                conn.execute("BEGIN")
                conn.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATION_LOCK])
                try:
                    if not conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone():
                        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
                except psycopg.errors.InsufficientPrivilege:
                    raise StoreError(
                        f"PostGIS is niet geïnstalleerd in database {self._where}; vraag de beheerder om "
                        "'CREATE EXTENSION postgis' in die database") from None
                except psycopg.errors.FeatureNotSupported:
                    raise StoreError(f"de PostgreSQL-server van {self._where} heeft geen PostGIS") from None
                # Another server may have migrated while we waited for the lock.
                has_meta = conn.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()[0]
                row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() \
                    if has_meta else None
                current = int(row[0]) if row else 0
                for mig in MIGRATIONS:
                    if mig.version > current:
                        for statement in to_postgres(mig.sql):
                            conn.execute(statement)
                        conn.execute(
                            "INSERT INTO meta (key, value) VALUES ('schema_version', %s) "
                            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [str(mig.version)])
                conn.execute("COMMIT")
            except StoreError:
                _rollback(conn)
                raise
            except psycopg.errors.DatabaseError as exc:
                _rollback(conn)
                if isinstance(exc, (psycopg.OperationalError,)):
                    raise
                raise StoreError(f"bijwerken van het databaseschema mislukt: {_primary(exc)}") from None
        return self.schema_version()

    def data_version(self, *tables: str) -> int:
        if not tables:
            rows, _ = self._execute("SELECT value FROM meta WHERE key = 'data_version'")
            return int(rows[0][0])
        names = check_tables(tables)
        _, read = table_version_sql("%s")
        rows, _ = self._execute(read.format(marks=", ".join("%s" for _ in names)), list(names))
        return int(rows[0][0] or 0)

    def meta_value(self, key: str) -> str | None:
        rows, _ = self._execute("SELECT value FROM meta WHERE key = %s", [key])
        return str(rows[0][0]) if rows else None

    def set_meta_default(self, key: str, value: str) -> str:
        with self.transaction("meta"):
            self._execute("INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING", [key, value])
            rows, _ = self._execute("SELECT value FROM meta WHERE key = %s", [key])
        return str(rows[0][0])

    def meta_items(self) -> dict[str, str]:
        rows, _ = self._execute("SELECT key, value FROM meta WHERE key NOT IN ('schema_version', 'data_version') "
                                'ORDER BY key COLLATE "C"')
        return {str(k): str(v) for k, v in rows}

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction("meta"):
            self._execute("INSERT INTO meta (key, value) VALUES (%s, %s) "
                          "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [key, value])

    def table_indexes(self, table: str) -> set[str]:
        rows, _ = self._execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                                "AND tablename = %s", [table])
        return {r[0] for r in rows}

    def table_columns(self, table: str) -> set[str]:
        rows, _ = self._execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s", [table])
        return {r[0] for r in rows}

    # --- records --------------------------------------------------------------------
    def _columns(self, record: Any) -> dict[str, Any]:
        spec = spec_for(type(record))
        cols: dict[str, Any] = {}
        for name, kind in spec.kinds.items():
            value = getattr(record, name)
            cols[name] = encode(kind, value)
            if kind == "geometry":
                cols["minx"], cols["miny"], cols["maxx"], cols["maxy"] = bbox_of(value)
        return cols

    @staticmethod
    def _marks(cols: dict[str, Any], kinds: dict[str, str]) -> list[str]:
        return ["ST_GeomFromWKB(%s, 28992)" if kinds.get(c) == "geometry" else "%s" for c in cols]

    def add(self, record: R) -> R:
        record.validate()
        spec = spec_for(type(record))
        kinds = spec.kinds
        cols = self._columns(record)
        explicit_id = spec.autoincrement and cols.get("id") is not None
        if spec.autoincrement and not explicit_id:
            cols.pop("id", None)
        names = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join(self._marks(cols, kinds))
        sql = f'INSERT INTO {spec.table} ({names}) VALUES ({marks})'
        if spec.autoincrement:
            sql += " RETURNING id"
        with self.transaction(spec.table):
            rows, _ = self._execute(sql, list(cols.values()))
            if explicit_id:
                # An id given by the caller (a copy, a test) must not be handed out again.
                self._execute(f"SELECT setval(pg_get_serial_sequence('{spec.table}', 'id'), "
                              f"(SELECT MAX(id) FROM {spec.table}))")
        if spec.autoincrement:
            record.id = rows[0][0]  # type: ignore[attr-defined]
        return record

    def add_all(self, records: Iterable[R]) -> list[R]:
        """Many records in one transaction, as ``add`` one by one would store them: each validated,
        each table's rows then sent by one binary COPY, new ids handed out by the table's sequence in
        the order given. (A table's records that mix given and new ids go one by one, as ``add``.)"""
        records = list(records)
        groups: dict[type, list] = {}
        for record in records:
            record.validate()
            groups.setdefault(type(record), []).append(record)
        with self.transaction(*(spec_for(cls).table for cls in groups)):
            conn = self._local.conn
            for cls, group in groups.items():
                spec = spec_for(cls)
                given = sum(getattr(r, "id", None) is not None for r in group) if spec.autoincrement else 0
                if len(group) < 2 or 0 < given < len(group):
                    for record in group:
                        self.add(record)
                    continue
                with self._errors():
                    self._copy_records(conn, spec, group, new_ids=spec.autoincrement and not given)
        return records

    def _copy_records(self, conn: Any, spec: Any, group: list, *, new_ids: bool) -> None:
        names, values = _record_columns(spec.kinds, group)
        if new_ids:  # what the identity column would give them one by one (writes hold the write lock)
            values[names.index("id")] = sorted(v for (v,) in conn.execute(
                f"SELECT nextval(pg_get_serial_sequence('{spec.table}', 'id')) FROM generate_series(1, %s)",
                [len(group)]).fetchall())
        stream = binary_copy(self._copy_types(conn, spec.table, names), values)
        if stream is None:  # a value only the server can convert or refuse: as add would
            marks = ["ST_GeomFromEWKB(%s)" if spec.kinds.get(c) == "geometry" else "%s" for c in names]
            with conn.cursor() as cur:
                cur.executemany(f'INSERT INTO {spec.table} ({", ".join(chr(34) + c + chr(34) for c in names)}) '
                                f'VALUES ({", ".join(marks)})', list(zip(*values)))
        elif _copy_into(conn, spec.table, names, stream, len(group)):
            conn.execute(f"ANALYZE {spec.table}")  # a large load: the planner's statistics as bulk_add leaves them
        if new_ids:
            for record, key in zip(group, values[names.index("id")]):
                record.id = key
        elif spec.autoincrement:  # ids given by the caller (a copy) must not be handed out again
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{spec.table}', 'id'), "
                         f"(SELECT MAX(id) FROM {spec.table}))")

    def update(self, record: R) -> R:
        record.validate()
        spec = spec_for(type(record))
        kinds = spec.kinds
        cols = self._columns(record)
        key = cols.pop(spec.pk)
        versioned = "version" in kinds
        expected = cols.pop("version", None)
        marks = self._marks(cols, kinds)
        sets = [f'"{c}" = {mark}' for c, mark in zip(cols, marks)]
        params = [*cols.values()]
        where = f"{spec.pk} = %s"
        params.append(key)
        if versioned:
            sets.append('"version" = "version" + 1')
            where += ' AND "version" = %s'
            params.append(int(expected or 0))
        with self.transaction(spec.table):
            _, count = self._execute(f"UPDATE {spec.table} SET {', '.join(sets)} WHERE {where}", params)
            if count == 0:
                if versioned and self.exists(type(record), key):
                    raise Conflict.changed(spec.table, key)
                raise NotFound(f"{spec.table} {key} bestaat niet")
        if versioned:
            record.version = int(expected or 0) + 1  # type: ignore[attr-defined]
        return record

    def _select(self, cls: type[R], where: dict[str, Any], order_by: str | None = None,
                extra: tuple[str, list] | None = None) -> list[R]:
        kinds = spec_for(cls).kinds
        names = list(kinds)
        rows = self._rows(cls, names, where, order_by, extra)
        return [cls(**{n: decode(kinds[n], v) for n, v in zip(names, row)}) for row in rows]

    def read_columns(self, cls: type, names=None, **where: Any) -> Columns:
        """Only the named columns, in one query; geometries decoded in one shapely call."""
        names = column_names(cls, names)
        return columns_from_rows(cls, names, self._rows(cls, names, where))

    def read_gemeente_columns(self, cls: type, gemeente: str, names=None, *, unplaced: bool = False,
                              xy: bool = False) -> Columns:
        names, read = gemeente_query(cls, names, gemeente)
        picked = gemeente_where(gemeente, unplaced, "%s")
        rows = self._rows(cls, read, {}, None, picked, ndr=xy) if picked else []
        return in_gemeente(columns_from_rows(cls, read, rows, xy=xy), names, gemeente, unplaced)

    def read_xy(self, cls: type, names=(), **where: Any) -> Columns:
        """Point coordinates as float columns: WKB in little-endian order, read by numpy."""
        names = ["geometry", *(column_names(cls, names) if names else [])]
        return columns_from_rows(cls, names, self._rows(cls, names, where, ndr=True), xy=True)

    def _rows(self, cls: type, names: list[str], where: dict[str, Any], order_by: str | None = None,
              extra: tuple[str, list] | None = None, ndr: bool = False) -> list:
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
                    return []
                clauses.append(f'"{name}" = ANY(%s)')
                params.append([encode(kinds[name], v) for v in values])
            else:
                clauses.append(f'"{name}" = %s')
                params.append(encode(kinds[name], value))
        wkb = "ST_AsBinary(\"{}\", 'NDR')" if ndr else 'ST_AsBinary("{}")'
        selected = ", ".join(wkb.format(n) if kinds[n] == "geometry" else f'"{n}"' for n in names)
        sql = f"SELECT {selected} FROM {spec.table}"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        order = order_by or spec.pk
        desc = order.startswith("-")
        order = order.lstrip("-")
        if order not in kinds:
            raise TypeError(f"{cls.__name__} has no field {order!r} to order by")
        # Byte order for text, as SQLite sorts: the same list on both stores.
        collate = ' COLLATE "C"' if kinds[order] in ("text", "json") else ""
        sql += f' ORDER BY "{order}"{collate}{" DESC" if desc else ""}'
        if order != spec.pk:
            sql += f", {spec.pk}"
        # In binary form: the records' columns are text, integers, floats and WKB, which come out as the same
        # Python values either way, only without parsing text (a million address points: 1.3 s -> 0.95 s).
        rows, _ = self._execute(sql, params, binary=True)
        return rows

    # --- spatial questions, answered by PostGIS on the GiST indexes -----------------------
    def area_at(self, point: Any, level: str = "buurt") -> Any:
        from shapely import wkb as _wkb

        from .. import model as m

        found = self._select(m.Area, {"level": level}, "code",
                             (f"ST_Covers(geometry, ST_GeomFromWKB(%s, {SRID}))", [_wkb.dumps(point)]))
        return found[0] if found else None

    def in_window(self, cls: type[R], bounds: tuple[float, float, float, float], **where: Any) -> list[R]:
        return self._select(cls, where, None,
                            (f"ST_Intersects(geometry, ST_MakeEnvelope(%s, %s, %s, %s, {SRID}))", list(bounds)))

    def within_distance(self, cls: type[R], geom: Any, distance: float, **where: Any) -> list[R]:
        from shapely import wkb as _wkb

        return self._select(cls, where, None,
                            (f"ST_DWithin(geometry, ST_GeomFromWKB(%s, {SRID}), %s)", [_wkb.dumps(geom), distance]))

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
        rows, _ = self._execute(f"SELECT 1 FROM {spec.table} WHERE {spec.pk} = %s", [_key(spec, key)])
        return bool(rows)

    def count(self, cls: type, **where: Any) -> int:
        spec = spec_for(cls)
        kinds = spec.kinds
        clauses, params = [], []
        for name, value in where.items():
            if name not in kinds:
                raise TypeError(f"{cls.__name__} has no field {name!r}")
            if value is None:
                clauses.append(f'"{name}" IS NULL')
                continue
            clauses.append(f'"{name}" = %s')
            params.append(encode(kinds[name], value))
        sql = f"SELECT COUNT(*) FROM {spec.table}" + (" WHERE " + " AND ".join(clauses) if clauses else "")
        rows, _ = self._execute(sql, params)
        return int(rows[0][0])

    def count_since(self, cls: type, field: str, since: float | str, **where: Any) -> int:
        kinds = spec_for(cls).kinds
        for name in (field, *where):
            if name not in kinds:
                raise TypeError(f"{cls.__name__} has no field {name!r}")
        clauses = [f'"{field}" > %s'] + [f'"{n}" = %s' for n in where]
        params = [since] + [encode(kinds[n], v) for n, v in where.items()]
        rows, _ = self._execute(f"SELECT COUNT(*) FROM {spec_for(cls).table} WHERE " + " AND ".join(clauses), params)
        return int(rows[0][0])

    def delete_before(self, cls: type, field: str, before: float | str) -> int:
        if field not in spec_for(cls).kinds:
            raise TypeError(f"{cls.__name__} has no field {field!r}")
        with self.transaction(spec_for(cls).table):
            _, count = self._execute(f'DELETE FROM {spec_for(cls).table} WHERE "{field}" < %s', [before])
        return count

    def compare_and_set(self, cls: type, key: Any, expect: dict[str, Any], changes: dict[str, Any]) -> bool:
        spec = spec_for(cls)
        kinds = spec.kinds
        for name in (*expect, *changes):
            if name not in kinds or kinds[name] == "geometry":
                raise TypeError(f"{cls.__name__} has no plain field {name!r}")
        sets = [f'"{n}" = %s' for n in changes]
        if "version" in kinds and "version" not in changes:
            sets.append('"version" = "version" + 1')
        conds = "".join(f' AND "{n}" IS NULL' if v is None else f' AND "{n}" = %s' for n, v in expect.items())
        params = [encode(kinds[n], v) for n, v in changes.items()]
        params += [_key(spec, key)] + [encode(kinds[n], v) for n, v in expect.items() if v is not None]
        with self.transaction(spec.table):
            _, count = self._execute(f"UPDATE {spec.table} SET {', '.join(sets)} WHERE {spec.pk} = %s{conds}", params)
        return count == 1

    # --- bulk and address queries ---------------------------------------------------------
    # How bulk_add sends its rows: "copy" (one COPY … FROM STDIN in binary format) or "insert" (the
    # former executemany of INSERTs, kept as the benchmark's baseline: bench/bench_postgis.py).
    bulk_via = "copy"

    def bulk_add(self, cls: type, columns: dict[str, Any], *, replace_key: str | None = None) -> tuple[int, int]:
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
        if replace_key is not None and kinds.get(replace_key) != "text":
            raise TypeError(f"{cls.__name__}.{replace_key} is not a text field")
        names, values = _bulk_columns(kinds, columns, n, ewkb=self.bulk_via == "copy")
        replaced = 0
        with self.transaction(spec.table):
            conn = self._local.conn
            with self._errors():
                if replace_key is not None and replace_key in names and conn.execute(
                        f'SELECT 1 FROM {spec.table} WHERE "{replace_key}" <> \'\' LIMIT 1').fetchone():
                    keys = [k for k in dict.fromkeys(values[names.index(replace_key)]) if k]
                    if keys:
                        cur = conn.execute(f'DELETE FROM {spec.table} WHERE "{replace_key}" = ANY(%s)', [keys])
                        replaced = cur.rowcount
                stream = binary_copy(self._copy_types(conn, spec.table, names), values) \
                    if self.bulk_via == "copy" else None
                if stream is not None:
                    _copy_into(conn, spec.table, names, stream, n)
                else:
                    # INSERTs: the baseline of the benchmark, and a value that numpy cannot send exactly in
                    # its column's binary form (beyond an int4, text in a number column), which the server
                    # then converts or refuses as it always did.
                    geometry = "ST_GeomFromEWKB(%s)" if self.bulk_via == "copy" else f"ST_GeomFromWKB(%s, {SRID})"
                    marks = [geometry if kinds.get(c) == "geometry" else "%s" for c in names]
                    sql = (f'INSERT INTO {spec.table} ({", ".join(chr(34) + c + chr(34) for c in names)}) '
                           f'VALUES ({", ".join(marks)})')
                    with conn.cursor() as cur:
                        cur.executemany(sql, list(zip(*(_as_list(v) for v in values))))
                # Fresh statistics for the planner: without them a point → area question right after
                # a boundary import scanned every buurt of a level (3 ms nationally) instead of the
                # GiST index (0.1 ms), until autovacuum came by. Counts this transaction's rows.
                conn.execute(f"ANALYZE {spec.table}")
                if "id" in columns and spec.autoincrement:
                    conn.execute(f"SELECT setval(pg_get_serial_sequence('{spec.table}', 'id'), "
                                 f"(SELECT MAX(id) FROM {spec.table}))")
        return n - replaced, replaced

    def _copy_types(self, conn: Any, table: str, names: list[str]) -> list[str]:
        """The type each named column's values travel as in a binary COPY (a geometry as bytea: EWKB)."""
        cache = self.__dict__.setdefault("_types", {})
        if table not in cache:
            rows = conn.execute(
                "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped", [table]).fetchall()
            cache[table] = {name: ("bytea" if typ == "geometry" else typ) for name, typ in rows}
        return [cache[table][c] for c in names]

    def find_addresses(self, *, bag_ids=(), postcodes=(), street_keys=()) -> list:
        from .. import model as m

        found: dict[int, Any] = {}
        for name, wanted in (("bag_id", bag_ids), ("postcode", postcodes), ("street_key", street_keys)):
            keys = sorted({str(k) for k in wanted if k})
            if keys:
                for rec in self._select(m.AddressPoint, {name: keys}):
                    found[rec.id] = rec
        return [found[k] for k in sorted(found)]

    def address_street_keys(self) -> list[str]:
        rows, _ = self._execute("SELECT DISTINCT street_key FROM address_points WHERE street_key <> '' "
                                'ORDER BY street_key COLLATE "C"')
        return [r[0] for r in rows]

    def delete(self, cls: type, key: Any) -> None:
        spec = spec_for(cls)
        with self.transaction(spec.table):
            _, count = self._execute(f"DELETE FROM {spec.table} WHERE {spec.pk} = %s", [_key(spec, key)])
        if count == 0:
            raise NotFound(f"{spec.table} {key} bestaat niet")

    def clear(self) -> None:
        with self.transaction(*(spec.table for spec in TABLES.values())):
            for spec in reversed(list(TABLES.values())):
                self._execute(f"DELETE FROM {spec.table}")

    def increment(self, cls: type, key: Any, field: str, by: int = 1) -> int:
        spec = spec_for(cls)
        kinds = spec.kinds
        if kinds.get(field) != "int":
            raise TypeError(f"{cls.__name__}.{field} is not an integer field")
        bump = ', "version" = "version" + 1' if "version" in kinds and field != "version" else ""
        with self.transaction(spec.table):
            rows, _ = self._execute(
                f'UPDATE {spec.table} SET "{field}" = COALESCE("{field}", 0) + %s{bump} '
                f'WHERE {spec.pk} = %s RETURNING "{field}"', [by, _key(spec, key)])
            if not rows:
                raise NotFound(f"{spec.table} {key} bestaat niet")
        return int(rows[0][0])


def _bulk_columns(kinds: dict[str, str], columns: dict[str, Any], n: int, *,
                  ewkb: bool) -> tuple[list[str], list[list]]:
    """:meth:`PostGISStore.bulk_add`'s columns as the database takes them: names and value lists,
    text cleaned (as :func:`~geo.store.base.encode` does for one value), NaN as NULL, json and bool
    encoded, the geometry as WKB (``ewkb``: with SRID 28992, for COPY) plus its bounding box."""
    names: list[str] = []
    values: list[list[Any]] = []
    for name, data in columns.items():
        kind = kinds[name]
        if kind == "geometry":
            blobs, boxes = geometry_columns(data, n)
            names += [name, "minx", "miny", "maxx", "maxy"]
            values.append(with_srid(blobs, SRID, as_array=True) if ewkb else blobs.tolist())
            # binary_copy takes float arrays as they are; an object array (a row without a
            # geometry) and the INSERTs take lists
            values += [b if ewkb and b.dtype != object else b.tolist() for b in boxes]
            continue
        seq = data.tolist() if hasattr(data, "tolist") else list(data)
        if kind in ("json", "bool"):
            seq = [encode(kind, v) for v in seq]
        elif kind == "text":  # NFC, no control or bidi characters: as every other write (encode)
            seq = clean_text_column(seq)
        elif kind in ("int", "float"):
            seq = [None if v is None or v != v else v for v in seq]  # NaN → NULL
        names.append(name)
        values.append(seq)
    return names, values


def _copy_into(conn: Any, table: str, names: list[str], stream: Iterable[bytes], n: int) -> bool:
    """``n`` rows, laid out by :func:`~geo.store.pgcopy.binary_copy`, into ``table`` by one COPY on the
    transaction's connection; True when its plain indexes were built again after the load."""
    rebuild = _drop_indexes_for_load(conn, table, n)
    columns = ", ".join(f'"{c}"' for c in names)
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
        for piece in stream:
            copy.write(piece)
    for statement in rebuild:  # the same definitions, so the schema is as before
        conn.execute(statement)
    return bool(rebuild)


# How long a large load waits for readers of the table before it keeps the indexes (and is slower).
LOAD_LOCK_WAIT = "2s"


def _drop_indexes_for_load(conn: Any, table: str, n: int) -> list[str]:
    """Before ``n`` rows are copied into ``table``: when they are many and outnumber the rows
    stored, drop its plain (non-unique) indexes and return their definitions to build again after
    the load. Maintaining a GiST index row by row cost 8.3 s of a 500,000-point import; building it
    (and four btrees) afterwards 1.6 s. Unique indexes and keys stay, so a duplicate is refused with
    the same message as row by row. Inside the import's transaction: all or nothing still holds.

    Dropping an index locks the table against readers until the commit (a few seconds for such a
    load). A reader already busy with the table is waited for ``LOAD_LOCK_WAIT`` at most, so the
    app's other users never queue behind the import for long; past that the indexes stay and the
    rows go in with them (slower, the same result)."""
    import psycopg

    if n < 20_000:
        return []
    (stored,) = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    if n <= stored:
        return []
    rows = conn.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
        "ORDER BY c.relname", [table]).fetchall()
    if not rows:
        return []
    (wait,) = conn.execute("SELECT current_setting('lock_timeout')").fetchone()
    conn.execute("SAVEPOINT wijkatlas_load")
    try:
        conn.execute(f"SET LOCAL lock_timeout = '{LOAD_LOCK_WAIT}'")
        conn.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        for name, _ in rows:
            conn.execute(f'DROP INDEX "{name}"')
    except psycopg.errors.LockNotAvailable:
        conn.execute("ROLLBACK TO SAVEPOINT wijkatlas_load")  # also undoes SET LOCAL
        return []
    conn.execute("SELECT set_config('lock_timeout', %s, true)", [wait])
    conn.execute("RELEASE SAVEPOINT wijkatlas_load")
    return [definition for _, definition in rows]


def _record_columns(kinds: dict[str, str], group: list) -> tuple[list[str], list[list]]:
    """Records as the columns ``add`` writes for each (:meth:`PostGISStore._columns`, value for value:
    text cleaned, json and bool encoded, numbers as they are, a geometry with its bounding box, None
    for a missing or empty one), made a column at a time; geometries as EWKB in SRID 28992."""
    import numpy as np
    import shapely

    names: list[str] = []
    values: list[list] = []
    for name, kind in kinds.items():
        col = [getattr(r, name) for r in group]
        if kind == "geometry":
            geoms = np.empty(len(col), dtype=object)
            geoms[:] = col
            present = ~shapely.is_missing(geoms)
            blobs = np.full(len(col), None, dtype=object)
            blobs[present] = shapely.to_wkb(geoms[present])
            box = shapely.bounds(geoms).astype(object)
            box[~present | shapely.is_empty(geoms)] = None
            names += [name, "minx", "miny", "maxx", "maxy"]
            values += [with_srid(blobs, SRID), *(box[:, j].tolist() for j in range(4))]
            continue
        if kind == "text":
            col = clean_text_column(col)
        elif kind in ("json", "bool"):
            col = [encode(kind, v) for v in col]
        names.append(name)
        values.append(col)
    return names, values


def _as_list(values: Any) -> list:
    """A column of :func:`_bulk_columns` as Python values (a 2D byte array: one bytes value per row)."""
    if getattr(values, "ndim", 1) == 2:
        return [row.tobytes() for row in values]
    return values.tolist() if hasattr(values, "tolist") else values


def with_srid(blobs: Any, srid: int, as_array: bool = False) -> Any:
    """WKB values (None allowed) as EWKB carrying ``srid``: what PostGIS's binary input of a
    ``geometry(…, srid)`` column takes. Only the outer geometry gets the SRID flag and number, as
    ``ST_AsEWKB`` writes it; 2D points in little-endian order (address points) in one numpy pass."""
    import struct

    import numpy as np

    seq = blobs.tolist() if hasattr(blobs, "tolist") else list(blobs)
    n = len(seq)
    if n and None not in seq and (np.fromiter(map(len, seq), dtype=np.int64, count=n) == 21).all():
        rec = np.frombuffer(b"".join(seq), dtype=np.uint8).reshape(n, 21)
        if (rec[:, 0] == 1).all() and (rec[:, 1:5] == (1, 0, 0, 0)).all():
            out = np.empty((n, 25), dtype=np.uint8)
            out[:, 0] = 1
            out[:, 1:5] = np.frombuffer(struct.pack("<I", 0x20000001), dtype=np.uint8)
            out[:, 5:9] = np.frombuffer(struct.pack("<I", srid), dtype=np.uint8)
            out[:, 9:] = rec[:, 5:]
            if as_array:  # one 25-byte row per point, as binary_copy takes it
                return out
            buf = out.tobytes()
            return [buf[i:i + 25] for i in range(0, 25 * n, 25)]
    out_list: list = []
    for blob in seq:
        if blob is None:
            out_list.append(None)
            continue
        blob = bytes(blob)
        order = "<" if blob[0] == 1 else ">"
        (code,) = struct.unpack(order + "I", blob[1:5])
        if code & 0x20000000:  # already EWKB with an SRID
            out_list.append(blob)
            continue
        out_list.append(blob[:1] + struct.pack(order + "II", code | 0x20000000, srid) + blob[5:])
    return out_list


def _key(spec, key: Any) -> Any:
    """A key as the column wants it: ids are integers (SQLite would coerce '3')."""
    if spec.pk == "id" and isinstance(key, str) and key.strip().lstrip("-").isdigit():
        return int(key)
    return key


def _primary(exc: Exception) -> str:
    diag = getattr(exc, "diag", None)
    message = getattr(diag, "message_primary", None) if diag is not None else None
    return message or type(exc).__name__


def _rollback(conn: Any) -> None:
    try:
        conn.execute("ROLLBACK")
    except Exception:  # noqa: BLE001 - the connection may be gone; the server rolls back then
        pass


__all__ = ["PostGISStore", "redact"]
