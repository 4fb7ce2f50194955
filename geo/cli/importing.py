"""``wijkatlas import boundaries|places FILE …``: bring in a municipality's data.

- ``import boundaries FILE [--level auto|wijk|buurt] [--municipality GM… …] [--crs EPSG:…] [--layer NAME]``
- ``import places FILE --as meeting-places|real-estate|activities|suggestions|address-points
  [--map SOURCE=FIELD …] [--preset auto|none|bgt|osm] [--include-outside] [--keep-unplaced]
  [--crs EPSG:…] [--layer NAME] [--sheet NAME]``

FILE may be an Excel (.xlsx, .xls) or OpenDocument (.ods) workbook; rows
without coordinates are placed by their address on the BAG address points
in the database (``--as address-points`` loads those).

Both take ``--dry-run`` (check and report, write nothing) and ``--json``
(the :class:`~geo.io.summary.ImportSummary` as one JSON document). An
import is one transaction: on any error nothing is written, and the error
is one line naming the file, row and field.
"""

from __future__ import annotations

import argparse

from ..io.boundaries import import_boundaries
from ..io.places import PLACE_LAYERS, PRESETS, import_places
from ..store import open_store
from . import cli_actor, emit


def register(sub) -> None:
    p = sub.add_parser("import", help="importeer grenzen (CBS wijk- en buurtkaart) of andere lagen")
    cmds = p.add_subparsers(dest="import_command", metavar="WAT")
    cmds.required = True

    b = cmds.add_parser("boundaries", help="wijk- en buurtgrenzen van CBS/PDOK (GeoJSON, GeoPackage, zip, CSV)")
    b.add_argument("file", metavar="FILE")
    b.add_argument("--level", choices=("auto", "wijk", "buurt", "gemeente"), default="auto",
                   help="welk niveau te importeren (standaard: wat het bestand bevat)")
    b.add_argument("--municipality", action="append", metavar="GM…", default=[],
                   help="alleen deze gemeente(n) uit een landelijk bestand, bijvoorbeeld GM1771")
    _common(b)
    b.set_defaults(func=run_boundaries)

    q = cmds.add_parser("places", help="ontmoetingsplaatsen, vastgoed, activiteiten of suggesties")
    q.add_argument("file", metavar="FILE")
    q.add_argument("--as", dest="layer", required=True, choices=tuple(PLACE_LAYERS), help="als welke laag")
    q.add_argument("--map", action="append", metavar="SOURCE=FIELD", default=[],
                   help="koppel een kolom uit het bestand aan een veld, bijvoorbeeld --map adres=address")
    q.add_argument("--preset", default="auto", choices=("auto", "none", *PRESETS),
                   help="vertaling van een bekende bron (BGT, OpenStreetMap); standaard herkend aan de kolommen")
    q.add_argument("--include-outside", action="store_true",
                   help="neem ook objecten buiten de buurten van de gemeente op (zonder buurt)")
    q.add_argument("--keep-unplaced", action="store_true",
                   help="bewaar rijen waarvan het adres niet gevonden of niet eenduidig is, om ze later in de app "
                        "op de kaart te plaatsen (standaard: weggelaten en gemeld)")
    _common(q)
    q.set_defaults(func=run_places)


def _common(p) -> None:
    p.add_argument("--crs", metavar="EPSG:…", help="coördinatenstelsel als het bestand het niet (goed) vermeldt")
    p.add_argument("--layer", "--sheet", dest="source_layer", metavar="NAME",
                   help="laag in een GeoPackage, shapefile in een zip of blad in een werkmap (.xlsx, .ods)")
    p.add_argument("--dry-run", action="store_true", help="controleer en rapporteer, schrijf niets")
    p.add_argument("--allow-large", action="store_true",
                   help="sta een bestand boven de importgrenzen van data/import_limits.toml toe "
                        "(tot large_factor keer de grens)")
    p.add_argument("--json", action="store_true", help="druk de samenvatting af als JSON")
    p.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def run_boundaries(args) -> int:
    store = open_store(args.db)
    summary = import_boundaries(
        store, cli_actor(), args.file, level=args.level, municipalities=args.municipality, crs=args.crs,
        layer=args.source_layer, dry_run=args.dry_run, allow_large=args.allow_large,
    )
    emit(args, summary.to_dict(), "\n".join(summary.lines()))
    return 0


def run_places(args) -> int:
    store = open_store(args.db)
    summary = import_places(
        store, cli_actor(), args.file, args.layer, map_options=args.map, preset=args.preset,
        include_outside=args.include_outside, crs=args.crs, source_layer=args.source_layer, dry_run=args.dry_run,
        keep_unplaced=args.keep_unplaced, allow_large=args.allow_large,
    )
    emit(args, summary.to_dict(), "\n".join(summary.lines()))
    return 0
