"""``wijkatlas copy-store --from URL --to URL``: move a whole database.

For moving an existing SQLite file to PostGIS (or back, as a portable
backup): every table, with accounts, contacts, the audit log and the schema
version; checked by row counts and checksums per table; all or nothing.
"""

from __future__ import annotations

from ..store import open_store
from ..store.copy import copy_store
from . import emit


def register(sub) -> None:
    p = sub.add_parser("copy-store", help="kopieer een hele database naar een lege andere (SQLite ⇄ PostGIS)")
    p.add_argument("--from", dest="source", required=True, metavar="URL", help="de bron, bv. sqlite:///wijkatlas.db")
    p.add_argument("--to", dest="target", required=True, metavar="URL",
                   help="het lege doel, bv. postgresql://host/wijkatlas (wachtwoord via PGPASSWORD of ~/.pgpass)")
    p.add_argument("--json", action="store_true", help="druk een JSON-samenvatting af")
    p.set_defaults(func=run)


def run(args) -> int:
    source = open_store(args.source)
    target = open_store(args.target)
    try:
        result = copy_store(source, target)
    finally:
        source.close()
        target.close()
    doc = {"from": source.url, "to": target.url, **result}
    lines = [f"{source.url} → {target.url}: gekopieerd en gecontroleerd (schemaversie {result['schema_version']})"]
    lines += [f"  {table}: {v['rows']} rijen, sha256 {v['sha256'][:12]}…" for table, v in result["tables"].items()]
    emit(args, doc, "\n".join(lines))
    return 0
