"""Property-based: malformed files give a clean error and leave the database alone.

Random bytes under every extension, truncated and bit-flipped versions of
valid files, and files with the wrong columns. Each must either import
(when what is left happens to be valid) or raise a
:class:`~geo.errors.WijkatlasError` — never another exception — and a
failure must leave the database exactly as it was. The CLI variant checks
the one-line ``error:`` and exit code 2.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import model as m
from geo.access import Actor
from geo.cli import main
from geo.errors import WijkatlasError
from geo.io import import_boundaries, import_places
from geo.store import open_store
from test_io_fixtures import INSIDE, points_frame, upper_frame, write

ADMIN = Actor("test-admin", "admin")
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
EXTENSIONS = ("geojson", "json", "topojson", "gpkg", "csv", "zip")


def _valid_bytes() -> dict[str, bytes]:
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, suffix in (("geojson", "geojson"), ("gpkg", "gpkg"), ("csv", "csv"), ("shpzip", "zip")):
            out[suffix] = write(upper_frame(), Path(tmp) / f"v.{suffix}", fmt).read_bytes()
        out["places.csv"] = f"naam;soort;x;y\nA;park;{INSIDE.x};{INSIDE.y}\nB;plein;{INSIDE.x};{INSIDE.y}\n".encode()
    return out


VALID = _valid_bytes()


@pytest.fixture(scope="module")
def base_db(tmp_path_factory):
    """A database with GM9991's boundaries and one meeting place (a file, copied per example)."""
    path = tmp_path_factory.mktemp("malformed") / "base.db"
    s = open_store(f"sqlite:///{path}")
    with tempfile.TemporaryDirectory() as tmp:
        import_boundaries(s, ADMIN, write(upper_frame(), Path(tmp) / "b.gpkg", "gpkg"))
        import_places(s, ADMIN, write(points_frame([{"naam": "X", "soort": "park", "geometry": INSIDE}]),
                                      Path(tmp) / "p.gpkg", "gpkg"), "meeting-places")
    s._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    return path


@pytest.fixture(scope="module")
def memory_store(base_db):
    s = open_store("sqlite://:memory:")
    src = open_store(f"sqlite:///{base_db}")
    for cls in (m.Area, m.MeetingPlace):
        for rec in src.list(cls):
            s.add(rec)
    src.close()
    return s


def snapshot(store):
    return {cls.__name__: sorted(repr(r.to_dict()) for r in store.list(cls))
            for cls in (m.Area, m.MeetingPlace, m.RealEstate, m.AuditEntry)}


def attempt(store, data: bytes, suffix: str) -> None:
    before = snapshot(store)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input.{suffix}"
        path.write_bytes(data)
        for do in (
            lambda: import_boundaries(store, ADMIN, path),
            lambda: import_places(store, ADMIN, path, "meeting-places"),
        ):
            try:
                summary = do()
            except WijkatlasError as exc:
                assert str(exc).strip() and "\n" not in str(exc)
                assert snapshot(store) == before
            else:
                assert summary.imported > 0
                before = snapshot(store)


@SETTINGS
@given(data=st.binary(min_size=0, max_size=2000), suffix=st.sampled_from(EXTENSIONS))
def test_random_bytes(memory_store, data, suffix):
    attempt(memory_store, data, suffix)


@SETTINGS
@given(kind=st.sampled_from(sorted(VALID)), cut=st.floats(0, 1, exclude_max=True))
def test_truncated_files(memory_store, kind, cut):
    data = VALID[kind]
    attempt(memory_store, data[: int(len(data) * cut)], kind.rsplit(".", 1)[-1])


@SETTINGS
@given(kind=st.sampled_from(sorted(VALID)), flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True),
                                                                       st.integers(0, 255)), min_size=1, max_size=8))
def test_corrupted_files(memory_store, kind, flips):
    data = bytearray(VALID[kind])
    for where, value in flips:
        data[int(len(data) * where)] = value
    attempt(memory_store, bytes(data), kind.rsplit(".", 1)[-1])


_name = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)
_cell = st.one_of(st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
                  st.text(max_size=20))


@SETTINGS
@given(columns=st.lists(_name, min_size=1, max_size=5, unique_by=str.lower),
       rows=st.lists(st.lists(_cell, min_size=5, max_size=5), min_size=0, max_size=5),
       as_geojson=st.booleans())
def test_wrong_columns(memory_store, columns, rows, as_geojson):
    if as_geojson:
        feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [5.3, 52.1]},
                  "properties": dict(zip(columns, r))} for r in rows]
        data = json.dumps({"type": "FeatureCollection", "features": feats}, allow_nan=True).encode()
        attempt(memory_store, data, "geojson")
    else:
        buf = io.StringIO()
        buf.write(";".join(c.replace(";", ",").replace("\n", " ") for c in columns) + "\n")
        for r in rows:
            buf.write(";".join("" if v is None else str(v).replace(";", ",").replace("\n", " ")
                               for v in r[: len(columns)]) + "\n")
        attempt(memory_store, buf.getvalue().encode(), "csv")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=500), suffix=st.sampled_from(EXTENSIONS))
def test_cli_bad_input_one_line_exit_2(base_db, capsys, data, suffix):
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "db.db"
        shutil.copy(base_db, db)
        url = f"sqlite:///{db}"
        s = open_store(url)
        before = snapshot(s)
        s.close()
        path = Path(tmp) / f"bad.{suffix}"
        path.write_bytes(data)
        code = main(["--db", url, "import", "boundaries", str(path)])
        out, err = capsys.readouterr()
        assert code == 2, err
        assert err.startswith("error: ") and err.count("\n") == 1 and "bad." in err
        s = open_store(url)
        assert snapshot(s) == before
        s.close()


def test_zip_claiming_an_unknown_version_is_a_clear_error(tmp_path, store):
    """Found by hypothesis: a damaged header that claims zip version 6.4."""
    import io
    import zipfile

    from geo.errors import ImportFormatError
    from geo.io.boundaries import import_boundaries
    from geo.access import Actor

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("buurten.geojson", '{"type": "FeatureCollection", "features": []}')
    data = bytearray(buf.getvalue())
    cd = data.rfind(b"PK\x01\x02")  # central directory entry: 'version needed' at offset 6
    data[cd + 6] = 64
    path = tmp_path / "buurten.zip"
    path.write_bytes(bytes(data))
    version = store.data_version()
    with pytest.raises(ImportFormatError, match="buurten.zip"):
        import_boundaries(store, Actor("admin", "admin"), path)
    assert store.data_version() == version
