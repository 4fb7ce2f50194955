"""PostGIS for the tests: one server per session, one fresh database per test.

Databases are copied from two templates built once per session (``empty``:
the migrated schema; ``demo``: the demo loaded), which takes a tenth of a
second, and dropped after the session.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from typing import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

SKIP_NOTICE = (
    "PostGIS tests skipped: PostgreSQL with PostGIS is not installed here and WIJKATLAS_TEST_DATABASE_URL is "
    "not set (Debian: apt-get install postgresql postgresql-15-postgis-3; .ci/run does this)"
)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


class PostGISServer:
    def __init__(self, url: str, cluster=None):
        self.url = url
        self.cluster = cluster
        self._templates: dict[str, str] = {}
        self._created: list[str] = []
        self._seq = itertools.count()
        self._prefix = f"wijkatlas_test_{os.getpid()}"

    def admin(self):
        import psycopg

        return psycopg.connect(with_database(self.url, "postgres"), autocommit=True, connect_timeout=10)

    def _create(self, name: str, template: str | None = None) -> str:
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self._created.append(name)
        return with_database(self.url, name)

    def _template(self, kind: str) -> str:
        if kind not in self._templates:
            import psycopg

            name = f"{self._prefix}_tpl_{kind}"
            url = self._create(name)
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            BUILDERS[kind](url)
            self._templates[kind] = name
        return self._templates[kind]

    def new_database(self, kind: str = "empty") -> str:
        """A fresh database: ``empty`` (migrated schema), ``demo`` or ``bare`` (PostGIS only)."""
        if kind == "bare":
            import psycopg

            url = self._create(f"{self._prefix}_{next(self._seq)}")
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            return url
        return self._create(f"{self._prefix}_{next(self._seq)}", self._template(kind))

    def drop_all(self) -> None:
        try:
            with self.admin() as conn:
                for name in reversed(self._created):
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception:  # noqa: BLE001 - the server may already be gone
            pass


def _build_empty(url: str) -> None:
    from geo.store import open_store

    open_store(url).close()


def _build_demo(url: str) -> None:
    from geo.bootstrap import init_database

    store, _ = init_database(url, demo=True)
    store.close()


BUILDERS: dict[str, Callable[[str], None]] = {"empty": _build_empty, "demo": _build_demo}


def required() -> bool:
    return os.environ.get("WIJKATLAS_REQUIRE_POSTGIS", "") not in ("", "0")


def unavailable(reason: str = SKIP_NOTICE):
    if required():
        pytest.fail(f"WIJKATLAS_REQUIRE_POSTGIS is set but: {reason}", pytrace=False)
    pytest.skip(reason)


@contextmanager
def server_for_tests(tmp_path_factory) -> Iterator[PostGISServer]:
    from tests import pgcluster

    url = os.environ.get("WIJKATLAS_TEST_DATABASE_URL")
    cluster = None
    if not url:
        if not pgcluster.postgis_available():
            unavailable()
        # Not under pytest's basetemp: another pytest run on this machine may prune that.
        datadir = tempfile.mkdtemp(prefix="wijkatlas-pg-")
        try:
            cluster = pgcluster.create(datadir)
        except subprocess.CalledProcessError as exc:
            unavailable(f"could not start a PostgreSQL test cluster: {exc.cmd[-8:]} said {exc.stderr.strip()[-300:]}")
        except Exception as exc:  # noqa: BLE001 - reported as the skip/failure reason
            unavailable(f"could not start a PostgreSQL test cluster: {exc}")
        url = cluster.url
    server = PostGISServer(url, cluster)
    try:
        yield server
    finally:
        server.drop_all()
        if cluster is not None:
            cluster.stop("immediate")
            shutil.rmtree(cluster.datadir, ignore_errors=True)
