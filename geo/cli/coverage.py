"""``wijkatlas coverage``: share of inhabitants within walking distance of a meeting place."""

from __future__ import annotations

from .. import model as m
from ..errors import NotFound
from ..meeting import Scenario, load_places
from ..policy import load_policy
from ..store import open_store
from . import emit


def number(text: str) -> float:
    """An argparse type with a Dutch message: '800', '800.5' or '800,5'."""
    import argparse
    import math

    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen getal") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"'{text}' is geen eindig getal")
    return value


def register(sub) -> None:
    p = sub.add_parser("coverage", help="dekking: aandeel inwoners binnen loopafstand van een ontmoetingsplaats")
    p.add_argument("--distance", type=number, metavar="METRES",
                   help="loopafstand in meters (standaard uit data/policy.toml: 800)")
    p.add_argument("--detour", type=number, metavar="FACTOR",
                   help="omrijfactor: lopen = hemelsbreed × factor (standaard uit data/policy.toml: 1.3)")
    p.add_argument("--kinds", nargs="+", choices=m.MEETING_KINDS, metavar="KIND",
                   help=f"soorten die meetellen (standaard alle): {', '.join(m.MEETING_KINDS)}")
    p.add_argument("--candidate", type=int, action="append", default=[], metavar="ID",
                   help="wat als: tel deze kandidaat mee (herhaalbaar)")
    p.add_argument("--policy", metavar="FILE", help="beleidsbestand (standaard data/policy.toml)")
    p.add_argument("--json", action="store_true", help="druk één JSON-document af")
    p.set_defaults(func=run)


def settings_from(args):
    from dataclasses import replace

    from ..coverage import straight_radius

    policy = load_policy(args.policy)
    settings = policy.coverage
    if args.distance is not None:
        settings = replace(settings, distance_m=args.distance)
    if args.detour is not None:
        settings = replace(settings, detour_factor=args.detour)
    if args.kinds:
        settings = replace(settings, kinds=tuple(args.kinds))
    straight_radius(settings.distance_m, settings.detour_factor)  # refuses nonsense with a clear message
    return policy, settings


def run(args) -> int:
    _, settings = settings_from(args)
    store = open_store(args.db)
    data = load_places(store, suggestions=False)  # no analysis reads them
    if not data.buurten:
        raise NotFound(f"database {store.url} heeft geen buurten; laad ze met 'wijkatlas init --demo' of importeer grenzen")
    scenario = Scenario(data, settings)
    known = {p.id for p in scenario.candidates}
    for cid in args.candidate:
        if cid not in known:
            raise NotFound(f"--candidate {cid}: geen kandidaat met dat id (kandidaten: "
                           f"{', '.join(map(str, sorted(known))) or 'geen'})")
    result = scenario.result(args.candidate)
    doc = result.to_dict()
    doc["kinds"] = list(settings.kinds)
    doc["population"] = "grid" if scenario.population.source == "grid" else "address_points"
    doc["grid_spacing_m"] = settings.grid_spacing_m if scenario.population.source == "grid" else None
    doc["places"] = [p.id for p in scenario.existing]
    doc["candidates"] = sorted(args.candidate)
    lines = [
        f"dekking binnen {settings.distance_m:g} m lopen (hemelsbreed {result.radius_m:.0f} m, "
        f"omrijfactor {settings.detour_factor:g}); {len(scenario.existing)} plaatsen"
        + (f" + kandidaten {', '.join(map(str, sorted(args.candidate)))}" if args.candidate else ""),
        f"{'buurt':<12} {'naam':<28} {'inwoners':>9} {'bereik':>9} {'dekking':>8}",
    ]
    for b in result.buurten:
        share = "—" if b.share is None else f"{b.share * 100:.1f}%"
        inw = "—" if b.inhabitants is None else str(b.inhabitants)
        cov = "—" if b.covered is None else str(b.covered)
        lines.append(f"{b.code:<12} {b.name[:28]:<28} {inw:>9} {cov:>9} {share:>8}")
    total = "—" if result.share is None else f"{result.share * 100:.1f}%"
    lines.append(f"{'gemeente':<12} {'':<28} {result.inhabitants:>9} {result.covered:>9} {total:>8}")
    emit(args, doc, "\n".join(lines))
    return 0
