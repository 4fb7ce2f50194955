"""The PostGIS store's bulk writes go by COPY: same rows as SQLite and as the INSERTs before, nothing
half written, text exactly as every other write stores it, the schema unchanged after a large load."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from shapely.geometry import MultiPolygon, Point, Polygon

from geo import model as m
from geo.access import Actor
from geo.errors import StoreError
from geo.io.boundaries import import_boundaries
from geo.io.places import import_places
from geo.store import open_store
from geo.store.copy import table_checksum
from geo.store.pgcopy import binary_copy
from geo.text import clean_text
from tests.places_world import X0, Y0, buurten
from tests.test_geocode import BAG

ADMIN = Actor("beheer", "admin")

# What a careless user or an attacker puts in a text cell: COPY's own escapes, NUL, quotes,
# spreadsheet formula prefixes, SQL, HTML, combining characters and emoji, a very long value.
NASTY = ["tab\there", "new\nline", "cr\r\nlf", "back\\slash", "\\N", "\\.", "nul\x00byte", "quote's \"double\"",
         "=HYPERLINK(\"http://x\")", "+31 6 1234", "-2+3", "@SUM(A1)", "'); DROP TABLE address_points; --",
         "<script>alert(1)</script>", "Ge\u0301ldrop", "caf\u00e9 \U0001f3e0", "\u202eevil", "", " ", "x" * 5000]


@pytest.fixture
def pg_url(postgis_server) -> str:
    return postgis_server.new_database("empty")


def _stores(pg_url, tmp_path):
    """(SQLite, PostGIS by COPY, PostGIS by INSERT as before), each empty."""
    lite = open_store(f"sqlite:///{tmp_path / 'lite.db'}")
    insert = open_store(_clone(pg_url))
    insert.bulk_via = "insert"
    return lite, open_store(pg_url), insert


def _clone(url: str) -> str:
    """A second empty database beside ``url`` (a copy of it), for the INSERT baseline; its URL."""
    import psycopg

    from tests.postgis import with_database

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}_insert" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}_insert" TEMPLATE "{name}"')
    return with_database(url, f"{name}_insert")


def _sql(url: str, query: str, params=()) -> list:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchall()


def test_real_files_land_row_for_row_as_on_sqlite_and_as_before(real_data, pg_url, tmp_path):
    """Ermelo's 17 full-resolution buurten (areas by COPY) and 7,063 real BGT points imported as address
    points land in PostGIS exactly as in SQLite and as the INSERTs before: every field of every row,
    the geometry byte for byte, in RD New (SRID 28992) with the same bounding boxes."""
    stores = _stores(pg_url, tmp_path)
    for s in stores:
        import_boundaries(s, ADMIN, real_data / "cmp_ermelo_cbs_buurten_GM0233.gpkg")
        summary = import_places(s, ADMIN, real_data / "cmp_veluwe_flevoland_bgtplus_straatmeubilair.gpkg",
                                "address-points", mapping={"bag_id": "identificatie"}, include_outside=True)
        assert summary.imported == s.count(m.AddressPoint) > 7000
    for cls in (m.Area, m.AddressPoint):
        sums = [table_checksum(s, cls) for s in stores]
        assert sums[0][0] > 0 and sums[0] == sums[1] == sums[2], cls
    lite, copy, insert = stores
    assert copy.count(m.Area, level="buurt") == 17
    for table in ("areas", "address_points"):
        assert _sql(pg_url, f"SELECT DISTINCT ST_SRID(geometry) FROM {table}") == [(28992,)]
        query = f"SELECT minx, miny, maxx, maxy FROM {table} ORDER BY 1, 2, 3, 4"
        assert _sql(pg_url, query) == _sql(_clone_url(pg_url), query)
        assert _sql(pg_url, f"SELECT count(*) FROM {table} WHERE NOT ST_IsValid(geometry)") == [(0,)]
    for s in stores:
        s.close()


def _clone_url(url: str) -> str:
    from tests.postgis import with_database

    return with_database(url, url.rsplit("/", 1)[1] + "_insert")


def test_a_large_load_rebuilds_the_same_indexes_and_replaces_by_key(pg_url):
    """≥ 20,000 rows into a smaller table: the plain indexes are dropped and built again after the
    COPY, with the same definitions; a second load of the same keys replaces every row."""
    s = open_store(pg_url)
    definitions = _sql(pg_url, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'address_points' "
                               "ORDER BY 1")
    n = 25_000
    rng = np.random.default_rng(7)
    xs, ys = X0 + rng.uniform(0, 1000, n), Y0 + rng.uniform(0, 1000, n)
    columns = {"geometry": [Point(x, y) for x, y in zip(xs, ys)], "bag_id": [f"0999{i:012d}" for i in range(n)],
               "postcode": ["5661AA"] * n, "house_number": [i % 300 + 1 for i in range(n)],
               "street": [f"Straat {i % 50}" for i in range(n)], "place": ["Geldrop"] * n,
               "inhabitants": [float(i % 5) if i % 7 else None for i in range(n)]}
    versions = s.data_version("address_points"), s.data_version("areas")
    assert s.bulk_add(m.AddressPoint, columns, replace_key="bag_id") == (n, 0)
    assert s.data_version("address_points") > versions[0] and s.data_version("areas") == versions[1]
    assert _sql(pg_url, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'address_points' "
                        "ORDER BY 1") == definitions
    assert _sql(pg_url, "SELECT count(*), min(id), max(id), count(inhabitants) FROM address_points") == \
        [(n, 1, n, sum(1 for i in range(n) if i % 7))]
    cols = s.read_xy(m.AddressPoint, ["bag_id", "house_number"])
    assert np.array_equal(cols["x"], xs) and np.array_equal(cols["y"], ys)  # the coordinates exactly
    assert cols["house_number"][:3].tolist() == [1, 2, 3]
    assert s.bulk_add(m.AddressPoint, columns, replace_key="bag_id") == (0, n)
    assert s.count(m.AddressPoint) == n
    assert s.find_addresses(bag_ids=["0999000000024999"])[0].geometry.equals(Point(xs[-1], ys[-1]))
    s.close()


@pytest.mark.parametrize("field", ["street", "place", "house_letter", "house_number_addition", "bag_id"])
def test_text_survives_a_bulk_write_exactly(store, field):
    """Every text column, on both stores: what ``clean_text`` leaves (tabs and newlines stay, NUL and
    controls go) is stored and read back unchanged, whatever COPY would otherwise escape."""
    n = len(NASTY)
    values = {"geometry": [Point(X0 + i, Y0 + i) for i in range(n)], field: NASTY}
    if field != "bag_id":
        values["bag_id"] = [f"{i:016d}" for i in range(n)]
    store.bulk_add(m.AddressPoint, values)
    got = [getattr(a, field) for a in store.list(m.AddressPoint)]
    assert got == [clean_text(v) for v in NASTY]
    assert "tab\there" in got and "back\\slash" in got and "\\N" in got and "nulbyte" in got


def test_text_of_suggestions_and_areas_survives_as_through_add(store):
    """The same through the other bulk paths: a suggestion's text and an area's name and figures (JSON)."""
    n = len(NASTY)
    store.bulk_add(m.Area, {"code": [f"BU9{i:07d}" for i in range(n)], "name": NASTY, "level": ["buurt"] * n,
                            "figures": [{"note": v, "AANT_INW": i} for i, v in enumerate(NASTY)],
                            "geometry": [Point(i, i).buffer(1) for i in range(n)]})
    store.bulk_add(m.Suggestion, {"category": ["idee"] * n, "text": NASTY, "status": ["new"] * n,
                                  "geometry": [Point(i, i) for i in range(n)]})
    areas = store.list(m.Area, order_by="code")
    assert [a.name for a in areas] == [clean_text(v) for v in NASTY]
    assert [a.figures["note"] for a in areas] == NASTY  # JSON keeps its escapes
    assert [s.text for s in store.list(m.Suggestion)] == [clean_text(v) for v in NASTY]


def test_a_row_the_database_refuses_writes_nothing_with_the_same_message(pg_url, tmp_path):
    """A value the schema refuses in the middle of a bulk write (an area level outside the check):
    nothing of the batch nor of the transaction around it is written, with the message the INSERTs gave."""
    insert = open_store(_clone(pg_url))
    copy = open_store(pg_url)
    insert.bulk_via = "insert"
    n = 30_000  # large enough to drop and rebuild the indexes: they must come back after the failure too
    levels = ["buurt"] * n
    levels[n // 2] = "straat"
    messages = []
    for s in (copy, insert):
        before = _indexes(s)
        with pytest.raises(StoreError) as err:
            with s.transaction():
                s.add(m.Partner(name="Vooraf"))
                s.bulk_add(m.Area, {"code": [f"BU9{i:07d}" for i in range(n)], "name": ["x"] * n, "level": levels,
                                    "geometry": [Point(i, 0).buffer(1) for i in range(n)]})
        messages.append(str(err.value))
        assert s.count(m.Area) == 0 and s.count(m.Partner) == 0
        assert _indexes(s) == before
    assert messages[0] == messages[1] and "areas_level_check" in messages[0]
    copy.close()
    insert.close()


def _indexes(s) -> set[str]:
    return s.table_indexes("areas")


def test_values_numpy_cannot_send_exactly_go_through_psycopg(pg_url):
    """An integer beyond int4 is refused as the INSERTs refused it (psycopg's binary int4 would cut it
    to 0 without a word); a float in an integer column is rounded by the server as before; the rest
    of the batch is not written."""
    s = open_store(pg_url)
    with pytest.raises(StoreError, match="databasefout: integer out of range"):
        s.bulk_add(m.AddressPoint, {"geometry": [Point(1, 1), Point(2, 2)], "house_number": [1, 2 ** 40]})
    assert s.count(m.AddressPoint) == 0
    s.bulk_add(m.AddressPoint, {"geometry": [Point(1, 1)], "house_number": [7.0]})
    assert s.list(m.AddressPoint)[0].house_number == 7
    s.close()


def test_binary_copy_equals_psycopgs_own_rows(pg_url):
    """The numpy layout of binary COPY against psycopg's ``write_row``: NULLs everywhere, empty and
    multi-byte text, bytes with NUL, NaN and ±0.0, the int4 limits, rows in several chunks."""
    import psycopg

    types = ["text", "float8", "int4", "bytea", "text", "int8"]
    values = [["a\tb\\c\n\"'", None, "é😀", "", "=SUM(A1)", "x" * 300, None],
              [1.5, None, math.nan, 2, -0.0, math.inf, 1e-300],
              [1, None, 2 ** 31 - 1, -2 ** 31, True, 0, None],
              [b"\x00\x01", None, b"", b"xyz", b"\\", bytes(range(256)), None],
              [None] * 7,
              [2 ** 62, None, -1, 0, 1, 2, 3]]
    with psycopg.connect(pg_url) as conn:
        for name in ("a", "b"):
            conn.execute(f"CREATE TEMP TABLE {name} (t text, f float8, i int4, b bytea, u text, k int8, "
                         "pos serial)")
        with conn.cursor() as cur, cur.copy("COPY a (t, f, i, b, u, k) FROM STDIN (FORMAT BINARY)") as cp:
            for piece in binary_copy(types, values, chunk=3):
                cp.write(piece)
        with conn.cursor() as cur, cur.copy("COPY b (t, f, i, b, u, k) FROM STDIN (FORMAT BINARY)") as cp:
            cp.set_types(types)
            for row in zip(*values):
                cp.write_row(row)
        got, want = (conn.execute(f"SELECT t, f::text, i, b, u, k FROM {t} ORDER BY pos").fetchall() for t in "ab")
    assert got == want and len(got) == 7
    assert binary_copy(["int4"], [[2 ** 31]]) is None and binary_copy(["text"], [[1]]) is None
    assert binary_copy(["int4"], [[1.5]]) is None and binary_copy(["float8"], [["1.5"]]) is None


def test_multipolygons_and_3d_points_keep_their_shape(pg_url, tmp_path):
    """EWKB for other geometries than 2D points: the SRID goes on the outer geometry only."""
    lite, copy, insert = _stores(pg_url, tmp_path)
    shapes = [MultiPolygon([Polygon([(0, 0), (1, 0), (1, 1)]), Polygon([(5, 5), (6, 5), (6, 6), (5, 6)])]),
              Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(2, 2), (3, 2), (3, 3)]])]
    for s in (lite, copy, insert):
        s.bulk_add(m.Area, {"code": ["BU00000001", "BU00000002"], "name": ["a", "b"], "level": ["buurt"] * 2,
                            "geometry": shapes})
    assert table_checksum(lite, m.Area) == table_checksum(copy, m.Area) == table_checksum(insert, m.Area)
    assert _sql(pg_url, "SELECT ST_SRID(geometry), ST_NumGeometries(geometry) FROM areas ORDER BY code") == \
        [(28992, 2), (28992, 1)]
    for s in (lite, copy, insert):
        s.close()


@pytest.mark.parametrize("bad_row, message", [
    (("0999010000000004", "566 AA", 12, "A", "", "Sint-Jozefstraat", "Geldrop", 120, 100),
     "rij 4, veld 'postcode'"),
    (("0999010000000004", "5661AA", 12, "A", "", "Sint-Jozefstraat", "Geldrop", "inf", 100), "rij 4"),
    (("0999010000000004", "5661AA", 12, "A", "", "Sint-Jozefstraat", "Geldrop", "nan", "nan"), "rij 4"),
])
def test_a_bad_row_in_the_middle_refuses_the_file_on_postgis_as_on_sqlite(postgis_server, tmp_path, bad_row,
                                                                          message):
    """The command: exit 2, the same one line ``error: …`` naming file and row on both stores, and
    no address point written."""
    rows = list(BAG) + [(f"09990100000001{i:02d}", "5661AA", i + 30, "", "", "Heuvel", "Geldrop", 300 + i, 300)
                        for i in range(20)]
    rows[3] = bad_row
    path = tmp_path / "bag.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        fh.write("identificatie;postcode;huisnummer;huisletter;huisnummertoevoeging;openbareruimtenaam;"
                 "woonplaatsnaam;x;y\n")
        for *fields, dx, dy in rows:
            x, y = (v if isinstance(v, str) else base + v for v, base in ((dx, X0), (dy, Y0)))
            fh.write(";".join(map(str, [*fields, x, y])) + "\n")
    results = []
    for url in (f"sqlite:///{tmp_path / 'lite.db'}", postgis_server.new_database("empty")):
        s = open_store(url)
        s.add_all(buurten())
        s.close()
        proc = subprocess.run([sys.executable, "-m", "geo", "--db", url, "import", "places", str(path), "--as",
                               "address-points"], capture_output=True, text=True, timeout=180)
        s = open_store(url)
        assert s.count(m.AddressPoint) == 0
        s.close()
        results.append((proc.returncode, proc.stderr))
    assert results[0] == results[1]
    code, err = results[1]
    assert code == 2 and err.startswith("error: bag.csv") and err.count("\n") == 1 and message in err, err


STATUS = "received"


def _suggestions(n: int, start: int = 0) -> list:
    return [m.Suggestion(category="play", text=(NASTY[i % len(NASTY)].strip() or "leeg")[:1000], status=STATUS,
                         geometry=Point(X0 + i, Y0 + i), created_at=f"2026-01-01T00:00:{i % 60:02d}",
                         reference=f"S-{start + i:05d}", buurt_code=None if i % 3 else "BU00000001")
            for i in range(n)]


def test_add_all_stores_what_add_stored_one_by_one(pg_url, tmp_path):
    """``add_all`` (one COPY per table on PostGIS) against ``add`` per record, as before: the same rows,
    the same ids handed out in order, the sequence where ``add`` leaves it; on SQLite too."""
    lite, copy, one_by_one = _stores(pg_url, tmp_path)
    for s in (lite, copy, one_by_one):
        records = _suggestions(50) + [m.Partner(name=f"Partner {i}") for i in range(3)]
        if s is one_by_one:
            with s.transaction():
                for r in records:
                    s.add(r)
        else:
            assert s.add_all(records) is not None
        assert [r.id for r in records[:50]] == list(range(1, 51)) and records[-1].id == 3
        assert s.add(m.Suggestion(category="play", text="later", status=STATUS, geometry=Point(X0, Y0))).id == 51
    for cls in (m.Suggestion, m.Partner):
        assert table_checksum(lite, cls) == table_checksum(copy, cls) == table_checksum(one_by_one, cls)
    for s in (lite, copy, one_by_one):
        s.close()


def test_add_all_writes_nothing_when_a_record_is_refused(store):
    """A record that fails validation, or a duplicate the database refuses: nothing of the batch."""
    from geo.errors import ValidationError

    bad = _suggestions(5)
    bad[3].category = ""
    with pytest.raises(ValidationError):
        store.add_all(bad)
    twice = _suggestions(5) + _suggestions(1)  # the reference S-00000 twice: a unique index
    with pytest.raises(StoreError, match="opslaan geweigerd"):
        store.add_all(twice)
    assert store.count(m.Suggestion) == 0
    kept = store.add_all(_suggestions(3))
    assert [r.id for r in kept] == [s.id for s in store.list(m.Suggestion)]


def test_add_all_of_records_with_their_own_ids_keeps_them(pg_url):
    s = open_store(pg_url)
    given = _suggestions(4)
    for i, r in enumerate(given):
        r.id = 10 + i
    s.add_all(given)
    assert [r.id for r in s.list(m.Suggestion)] == [10, 11, 12, 13]
    assert s.add(_suggestions(1, start=99)[0]).id == 14  # not handed out again
    mixed = _suggestions(2, start=50)
    mixed[0].id = 30
    s.add_all(mixed)  # given and new ids in one table: one by one, as add
    assert (mixed[0].id, mixed[1].id) == (30, 31)
    s.close()


def test_a_large_load_does_not_make_busy_readers_wait(pg_url, monkeypatch):
    """A reader in the middle of a transaction on the table (another app server): the load does not
    wait for it past a short moment (nor make every later reader queue behind it); it keeps the
    indexes instead and lands the same rows."""
    import psycopg

    from geo.store import postgis

    monkeypatch.setattr(postgis, "LOAD_LOCK_WAIT", "200ms")
    s = open_store(pg_url)
    definitions = _sql(pg_url, "SELECT indexdef FROM pg_indexes WHERE tablename = 'address_points' ORDER BY 1")
    n = 21_000
    with psycopg.connect(pg_url) as reader:
        reader.execute("SELECT count(*) FROM address_points").fetchone()  # holds its lock until the end
        assert s.bulk_add(m.AddressPoint, {"geometry": [Point(X0 + i, Y0) for i in range(n)],
                                           "bag_id": [f"{i:016d}" for i in range(n)]}) == (n, 0)
        assert reader.execute("SELECT count(*) FROM address_points").fetchone() == (n,)  # still in its transaction
    assert s.count(m.AddressPoint) == n
    assert _sql(pg_url, "SELECT indexdef FROM pg_indexes WHERE tablename = 'address_points' ORDER BY 1") == \
        definitions
    assert _sql(pg_url, "SELECT count(*) FROM address_points WHERE geometry && ST_MakeEnvelope(%s, %s, %s, %s, "
                        "28992)", [X0 - 1, Y0 - 1, X0 + 99.5, Y0 + 1]) == [(100,)]
    s.close()


def test_binary_copy_takes_numpy_columns_as_they_are(pg_url):
    """Float arrays, a 2D byte array of equally long values (EWKB points) and text without NULL: the
    fast paths give what psycopg's ``write_row`` gives for the same values as Python objects."""
    import psycopg

    floats = np.array([1.5, -0.0, math.nan, 1e300])
    blobs = np.arange(4 * 25, dtype=np.uint8).reshape(4, 25)
    text = ["a", "é\tb", "", "\\N"]
    with psycopg.connect(pg_url) as conn:
        for name in ("a", "b"):
            conn.execute(f"CREATE TEMP TABLE {name} (f float8, b bytea, t text, pos serial)")
        with conn.cursor() as cur, cur.copy("COPY a (f, b, t) FROM STDIN (FORMAT BINARY)") as cp:
            for piece in binary_copy(["float8", "bytea", "text"], [floats, blobs, text], chunk=3):
                cp.write(piece)
        with conn.cursor() as cur, cur.copy("COPY b (f, b, t) FROM STDIN (FORMAT BINARY)") as cp:
            cp.set_types(["float8", "bytea", "text"])
            for row in zip(floats.tolist(), (r.tobytes() for r in blobs), text):
                cp.write_row(row)
        got, want = (conn.execute(f"SELECT f::text, b, t FROM {t} ORDER BY pos").fetchall() for t in "ab")
    assert got == want and got[1][1] == bytes(range(25, 50))
    assert binary_copy(["int4"], [np.array([1.0])]) is None and binary_copy(["text"], [np.array([1, 2])]) is None


def test_binary_copy_of_long_values_with_nulls_in_small_pieces(pg_url, monkeypatch):
    """Long values (a boundary's geometry, long text) are copied a slice each, pieces are cut by size:
    the same rows as psycopg's ``write_row``, NULLs in place."""
    import psycopg

    from geo.store import pgcopy

    monkeypatch.setattr(pgcopy, "PIECE_BYTES", 20_000)
    rng = np.random.default_rng(3)
    blobs = [None if i % 4 == 1 else rng.bytes(int(rng.integers(0, 5000))) for i in range(300)]
    texts = [None if i % 5 == 2 else "é\t" * int(rng.integers(0, 300)) for i in range(300)]
    pieces = list(binary_copy(["bytea", "text"], [blobs, texts]))
    assert len(pieces) > 20
    with psycopg.connect(pg_url) as conn:
        for name in ("a", "b"):
            conn.execute(f"CREATE TEMP TABLE {name} (b bytea, t text, pos serial)")
        with conn.cursor() as cur, cur.copy("COPY a (b, t) FROM STDIN (FORMAT BINARY)") as cp:
            for piece in pieces:
                cp.write(piece)
        with conn.cursor() as cur, cur.copy("COPY b (b, t) FROM STDIN (FORMAT BINARY)") as cp:
            cp.set_types(["bytea", "text"])
            for row in zip(blobs, texts):
                cp.write_row(row)
        got, want = (conn.execute(f"SELECT b, t FROM {t} ORDER BY pos").fetchall() for t in "ab")
    assert got == want and len(got) == 300
