"""``wijkatlas export FILE.gpkg|FILE.geojson|FILE.csv [--layer NAME …]``.

A GeoPackage holds every layer (or those named) in EPSG:28992; GeoJSON
(EPSG:4326) and CSV (WKT in EPSG:28992) hold one layer. Residents' e-mail
addresses are left out unless ``--include-contacts`` is given (admins only).
"""

from __future__ import annotations

from ..io.export import EXPORT_LAYERS, export_layers
from ..store import open_store
from . import cli_actor, emit


def register(sub) -> None:
    p = sub.add_parser("export", help="exporteer lagen als GeoPackage, GeoJSON of CSV (voor QGIS)")
    p.add_argument("file", metavar="FILE", help="FILE.gpkg, FILE.geojson of FILE.csv")
    # ``import places --as`` spells layers with a hyphen (meeting-places): both spellings are taken here.
    p.add_argument("--layer", action="append", choices=EXPORT_LAYERS, metavar="NAME", default=[],
                   type=lambda name: name.strip().replace("-", "_"),
                   help=f"welke laag (herhaalbaar): {', '.join(EXPORT_LAYERS)}")
    p.add_argument("--include-contacts", action="store_true",
                   help="neem e-mailadressen van bewoners op bij suggesties (alleen beheerders; AVG)")
    p.add_argument("--json", action="store_true", help="druk een JSON-samenvatting af")
    p.set_defaults(func=run)


def run(args) -> int:
    store = open_store(args.db)
    doc = export_layers(store, cli_actor(), args.file, args.layer or None, include_contacts=args.include_contacts)
    lines = [f"{doc['file']} geschreven ({doc['format']}, {doc['crs']})"]
    lines += [f"  {name}: {n}" for name, n in doc["layers"].items()]
    emit(args, doc, "\n".join(lines))
    return 0
