"""Storage: one interface (:class:`Store`), chosen by one URL.

``WIJKATLAS_DATABASE_URL`` (or ``--db``) picks the backend:

- ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db`` or a bare
  file path: the embedded SQLite store (the default,
  ``sqlite:///wijkatlas.db`` in the working directory);
- ``sqlite://:memory:`` for throw-away stores in tests;
- ``postgresql://…``: PostGIS, for a municipality with several app servers.
"""

from __future__ import annotations

import os

from ..errors import ConfigError
from .base import TABLES, Store, TableSpec, spec_for
from .sqlite import SQLiteStore

__all__ = ["Store", "SQLiteStore", "TABLES", "TableSpec", "spec_for", "open_store", "default_url"]

DEFAULT_URL = "sqlite:///wijkatlas.db"


def default_url() -> str:
    return os.environ.get("WIJKATLAS_DATABASE_URL") or DEFAULT_URL


def open_store(url: str | None = None) -> Store:
    """Open (and create or migrate) the database that ``url`` names."""
    url = url or default_url()
    if url in ("sqlite://:memory:", "sqlite:///:memory:", ":memory:"):
        return SQLiteStore(":memory:", url="sqlite://:memory:")
    if url.startswith("sqlite:///"):
        return SQLiteStore(url[len("sqlite:///"):], url=url)
    if url.startswith(("postgresql://", "postgres://", "postgis://")):
        from .postgis import PostGISStore  # psycopg is loaded only for PostGIS

        return PostGISStore(url)
    if "://" in url:
        scheme = url.split("://", 1)[0][:20]
        raise ConfigError(f"onbekende database-URL ({scheme}://…); gebruik sqlite:///pad.db of postgresql://…")
    return SQLiteStore(url, url=f"sqlite:///{url}")
