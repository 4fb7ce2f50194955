"""Moving a whole Wijkatlas database to another store (SQLite ⇄ PostGIS).

:func:`copy_store` copies every table that the store interface knows
(:data:`~geo.store.base.TABLES`: areas, plans, agenda, places, suggestions,
accounts, contacts, audit log, …) with their ids, and the settings kept in
``meta`` (e.g. the key that signs browser cookies), inside one write
transaction on the target, then reads the target back and compares each
table's row count and SHA-256 checksum with the source's before it commits.
Any difference or error rolls everything back: the target stays empty.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..errors import StoreError
from .base import TABLES, Store, encode, spec_for


def table_checksum(store: Store, cls: type) -> tuple[int, str]:
    """(rows, sha256) of one table, over its records in key order, as the
    store interface reads them (geometry as WKB, lists/dicts as sorted JSON)."""
    spec = spec_for(cls)
    kinds = spec.kinds
    digest = hashlib.sha256()
    records = store.list(cls, order_by=spec.pk)
    for record in records:
        row = [_canonical(encode(kind, getattr(record, name))) for name, kind in kinds.items()]
        digest.update(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        digest.update(b"\n")
    return len(records), digest.hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, float) and value.is_integer():
        return value  # 3.0 stays 3.0 on both stores (REAL / DOUBLE PRECISION)
    return value


def checksums(store: Store) -> dict[str, dict[str, Any]]:
    out = {}
    for cls, spec in TABLES.items():
        rows, sha = table_checksum(store, cls)
        out[spec.table] = {"rows": rows, "sha256": sha}
    # Settings kept in the database (e.g. the key that signs browser cookies).
    meta = store.meta_items()
    digest = hashlib.sha256(json.dumps(sorted(meta.items()), ensure_ascii=False).encode("utf-8"))
    out["meta"] = {"rows": len(meta), "sha256": digest.hexdigest()}
    return out


def copy_store(source: Store, target: Store) -> dict[str, Any]:
    """Copy everything from ``source`` into the empty ``target``; verify; commit.

    Returns ``{"schema_version": n, "tables": {table: {"rows", "sha256"}}}``.
    Raises :class:`~geo.errors.StoreError` (target unchanged) when the
    target is not empty, the schema versions differ, or the check fails.
    """
    if source.schema_version() != target.schema_version():
        raise StoreError(f"schemaversies verschillen: bron {source.schema_version()}, "
                         f"doel {target.schema_version()}; open beide eerst met deze versie van Wijkatlas")
    filled = [spec.table for cls, spec in TABLES.items() if target.count(cls)]
    if filled:
        raise StoreError(f"het doel {target.url} bevat al gegevens ({', '.join(filled)}); "
                         "kopieer alleen naar een lege database")
    expected = checksums(source)
    with target.transaction():
        for key, value in source.meta_items().items():
            target.set_meta(key, value)
        for cls, spec in TABLES.items():
            target.add_all(source.list(cls, order_by=spec.pk))  # on PostGIS one COPY per table
        got = checksums(target)
        # The source's settings replace the target's (a secret an app server generated when it
        # first opened the empty target gives way); settings only the target has may stay.
        source_meta = source.meta_items()
        if any(target.meta_value(k) != v for k, v in source_meta.items()):
            raise StoreError("controle mislukt voor meta: de instellingen verschillen; er is niets gekopieerd")
        got["meta"] = expected["meta"]
        for table, want in expected.items():
            have = got[table]
            if have["rows"] != want["rows"]:
                raise StoreError(f"controle mislukt voor {table}: {have['rows']} rijen in het doel, "
                                 f"{want['rows']} in de bron; er is niets gekopieerd")
            if have["sha256"] != want["sha256"]:
                raise StoreError(f"controle mislukt voor {table}: de inhoud verschilt (checksum); "
                                 "er is niets gekopieerd")
    return {"schema_version": target.schema_version(), "tables": expected}
