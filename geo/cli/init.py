"""``wijkatlas init [--demo] [--replace]``: create the database."""

from __future__ import annotations

from ..bootstrap import init_database
from . import emit


def register(sub) -> None:
    p = sub.add_parser("init", help="maak de database aan (met --demo: laad de demo van Geldrop-Mierlo)")
    p.add_argument("--demo", action="store_true", help="laad de gebundelde demo van Geldrop-Mierlo")
    p.add_argument("--replace", action="store_true", help="vervang bestaande gegevens door de demo")
    p.add_argument("--json", action="store_true", help="druk een JSON-samenvatting af")
    p.set_defaults(func=run)


def run(args) -> int:
    store, counts = init_database(args.db, demo=args.demo, replace=args.replace)
    doc = {"database": store.url, "schema_version": store.schema_version(), "loaded": counts}
    lines = [f"database {store.url} klaar (schemaversie {store.schema_version()})"]
    lines += [f"  {name}: {n}" for name, n in counts.items()]
    emit(args, doc, "\n".join(lines))
    return 0
