"""The bundled demo data set: Geldrop-Mierlo (CBS code GM1771), real boundaries, invented content.

:func:`build_demo` constructs the whole data set in code, deterministically:
boundaries, CBS-style key figures, partners, plans, analysis, agenda
activities, meeting places, municipal real estate, resident suggestions and
the evaluation of the Braakhuizen-Zuid pilot. The tables it draws from live
in :mod:`geo.demo_content`.

:func:`write_demo` writes it to ``data/demo/`` (GeoJSON in EPSG:28992 per
geometric layer plus ``plans.json``) and :func:`load_demo` reads those files
into a store in one transaction. Run ``python -m geo.demo`` to regenerate the
files; the output is byte-identical from run to run.

The buurten are the real CBS buurten of 2022, generalised
(:data:`BOUNDARY_FILE`, "Bron: CBS/Kadaster, bewerking cartomap", CC BY 4.0);
wijken and gemeente are dissolved from them. Everything else is invented;
the places keep their relative spot from an earlier schematic map
(:func:`_relocate`), always inside their own buurt.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable

import shapely
import shapely.affinity
from shapely.geometry import MultiPoint, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from . import demo_content as content
from .errors import ImportFormatError
from .model import (
    Activity,
    AnalysisItem,
    Area,
    EvaluationFactor,
    MeetingPlace,
    Partner,
    Plan,
    RealEstate,
    Record,
    Suggestion,
)

__all__ = ["DEMO_DIR", "Demo", "build_demo", "demo_problems", "write_demo", "read_demo", "load_demo", "main"]

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
SOURCE = "demo (CBS-buurtgrenzen 2022, gegeneraliseerd)"
# The real boundaries (CC BY 4.0, "Bron: CBS/Kadaster, bewerking cartomap").
BOUNDARY_FILE = DEMO_DIR / "cbs_buurt_2022_gegeneraliseerd_GM1771.geojson"
GRID = 0.01  # metres: every coordinate lies on this grid
GEOJSON_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}

# GeoJSON file per geometric layer, in load order (plans before what refers
# to them, real estate before meeting places).
GEO_LAYERS: dict[str, type[Record]] = {
    "areas": Area,
    "analysis_items": AnalysisItem,
    "real_estate": RealEstate,
    "meeting_places": MeetingPlace,
    "activities": Activity,
    "suggestions": Suggestion,
}
PLANS_FILE = "plans.json"
# The non-geometric layers that plans.json holds.
JSON_LAYERS: dict[str, type[Record]] = {
    "partners": Partner,
    "plans": Plan,
    "evaluation_factors": EvaluationFactor,
}
_AREA_FIELDS = ("code", "name", "level", "parent_code", "source")
_PERCENT_FIGURES = ("P_00_14_JR", "P_15_24_JR", "P_25_44_JR", "P_45_64_JR", "P_65_EO_JR")


@dataclass
class Demo:
    """The demo data set: lists of model records, ids set explicitly."""

    areas: list[Area] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    analysis_items: list[AnalysisItem] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    meeting_places: list[MeetingPlace] = field(default_factory=list)
    real_estate: list[RealEstate] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    evaluation_factors: list[EvaluationFactor] = field(default_factory=list)

    def layers(self) -> dict[str, list[Record]]:
        """Layer name → records, in an order that satisfies references."""
        return {
            "areas": self.areas,
            "partners": self.partners,
            "plans": self.plans,
            "analysis_items": self.analysis_items,
            "real_estate": self.real_estate,
            "meeting_places": self.meeting_places,
            "activities": self.activities,
            "suggestions": self.suggestions,
            "evaluation_factors": self.evaluation_factors,
        }

    def area(self, code: str) -> Area:
        for a in self.areas:
            if a.code == code:
                return a
        raise KeyError(code)


# --- geometry ------------------------------------------------------------------


def _tidy(geom: BaseGeometry) -> BaseGeometry:
    """Snap to the grid; give polygons a canonical vertex order.

    Exterior rings run counter-clockwise (as RFC 7946 asks), holes clockwise,
    starting at the vertex :func:`shapely.normalize` picks, so the same shape
    always serialises to the same text. Lines keep their direction.
    """
    geom = shapely.set_precision(geom, GRID)
    if geom.geom_type == "Polygon":
        return orient(shapely.normalize(geom), 1.0)
    if geom.geom_type == "MultiPolygon":
        return type(geom)([orient(p, 1.0) for p in shapely.normalize(geom).geoms])
    return geom


def _boundaries() -> dict[str, BaseGeometry]:
    """Area code → geometry for the gemeente, both wijken and all buurten:
    the real CBS buurten of 2022 (generalised, :data:`BOUNDARY_FILE`), snapped
    to the grid together; wijken and gemeente are their unions."""
    raw = _real_buurten()
    out = _snap_tiling(raw)
    for wijk in content.WIJKEN:
        out[wijk] = shapely.union_all([g for c, g in out.items() if c.startswith("BU" + wijk[2:])], grid_size=GRID)
    out[content.GEMEENTE_CODE] = shapely.union_all([out[w] for w in content.WIJKEN], grid_size=GRID)
    return {code: _tidy(g) for code, g in sorted(out.items())}


def _real_buurten() -> dict[str, BaseGeometry]:
    """The CBS buurten of GM1771 from :data:`BOUNDARY_FILE` (EPSG:4326), in RD New;
    their codes and names must be the demo's."""
    from .crs import to_store

    data = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    names = {row.code: row.name for row in content.BUURTEN}
    out: dict[str, BaseGeometry] = {}
    for f in data["features"]:
        code, name = f["properties"]["statcode"], f["properties"]["statnaam"]
        if names.get(code) != name:
            raise ValueError(f"{BOUNDARY_FILE.name}: {code} {name!r} is not a buurt of the demo")
        out[code] = shapely.make_valid(to_store(shape(f["geometry"]), "EPSG:4326"))
    if set(out) != set(names):
        raise ValueError(f"{BOUNDARY_FILE.name}: buurten {sorted(set(names) - set(out))} are missing")
    return out


def _relocate(geom: BaseGeometry, schematic: BaseGeometry, real: BaseGeometry, margin: float = 25.0) -> BaseGeometry:
    """A place drawn in the old schematic buurt, put at the same relative
    position in the real buurt (bounding box to bounding box), and pulled
    inside it (``margin`` metres from its edge) where that is not enough."""
    import numpy as np
    from shapely.ops import nearest_points

    sx0, sy0, sx1, sy1 = schematic.bounds
    rx0, ry0, rx1, ry1 = real.bounds

    def scale(xy):
        return np.column_stack([rx0 + (xy[:, 0] - sx0) * (rx1 - rx0) / (sx1 - sx0),
                                ry0 + (xy[:, 1] - sy0) * (ry1 - ry0) / (sy1 - sy0)])

    moved = shapely.transform(geom, scale)
    inner = real.buffer(-margin)
    if inner.is_empty:
        inner = real
    if inner.covers(moved):
        return moved
    if moved.geom_type == "Point":
        return nearest_points(inner, moved)[0]
    clipped = shapely.intersection(moved, inner)
    if not clipped.is_empty and clipped.geom_type == moved.geom_type:
        return clipped
    # Shrink towards a point inside until it fits.
    anchor = nearest_points(inner, moved.centroid)[0]
    for factor in (0.5, 0.25, 0.1):
        shrunk = shapely.affinity.scale(moved, factor, factor, origin=moved.centroid)
        shrunk = shapely.affinity.translate(shrunk, anchor.x - shrunk.centroid.x, anchor.y - shrunk.centroid.y)
        if inner.covers(shrunk):
            return shrunk
    return anchor


def _schematic_boundaries() -> dict[str, BaseGeometry]:
    """Area code → geometry of the earlier, schematic demo (kept to place the
    demo's invented buildings, activities and pins at the same relative spot
    in the real buurten).

    Geldrop and Mierlo share one border polyline. Geldrop's buurten are
    Centrum (a hand-drawn polygon) plus the Voronoi cells of one seed point
    per other buurt, clipped to the rest of the wijk. Mierlo's village is a
    hand-drawn polygon clipped to the wijk; Verspreide huizen Mierlo is the
    rest. The buurten are snapped to the grid together (:func:`_snap_tiling`);
    wijken and gemeente are their unions, so every level tiles the next.
    """
    border = content.WIJK_BORDER
    geldrop = Polygon(border + content.GELDROP_OUTLINE)
    mierlo = Polygon(content.MIERLO_OUTLINE + border[::-1])

    raw: dict[str, BaseGeometry] = {}
    centrum = shapely.intersection(Polygon(content.CENTRUM_OUTLINE), geldrop)
    raw[content.CENTRUM_CODE] = centrum
    rest = shapely.difference(geldrop, centrum)
    seeds = content.GELDROP_SEEDS
    cells = shapely.voronoi_polygons(MultiPoint(list(seeds.values())), extend_to=geldrop.buffer(5000))
    for code, seed in seeds.items():
        (cell,) = [c for c in cells.geoms if c.contains(Point(seed))]
        raw[code] = shapely.intersection(cell, rest)
    village = shapely.intersection(Polygon(content.MIERLO_VILLAGE_OUTLINE), mierlo)
    raw[content.MIERLO_VILLAGE_CODE] = village
    raw[content.MIERLO_RURAL_CODE] = shapely.difference(mierlo, village)

    out = _snap_tiling(raw)
    for wijk in content.WIJKEN:
        out[wijk] = shapely.union_all([g for c, g in out.items() if c.startswith("BU" + wijk[2:])], grid_size=GRID)
    out[content.GEMEENTE_CODE] = shapely.union_all([out[w] for w in content.WIJKEN], grid_size=GRID)
    return {code: _tidy(g) for code, g in sorted(out.items())}


def _snap_tiling(raw: dict[str, BaseGeometry]) -> dict[str, BaseGeometry]:
    """Snap polygons that tile an area to the grid, keeping them a tiling.

    Snapping each polygon on its own would open slivers and overlaps where a
    vertex of one lies on an edge of its neighbour. Instead all boundaries
    are noded once, snapped, noded again, and each face between them goes to
    the polygon that covers most of it.
    """
    lines = shapely.union_all([g.boundary for g in raw.values()])
    lines = shapely.union_all(shapely.set_precision(lines, GRID))
    parts: dict[str, list[BaseGeometry]] = {code: [] for code in raw}
    for face in shapely.polygonize(shapely.get_parts(lines)).geoms:
        if face.area > 0:
            owner = max(sorted(raw), key=lambda code: raw[code].intersection(face).area)
            parts[owner].append(face)
    return {code: shapely.union_all(faces, grid_size=GRID) for code, faces in parts.items()}


# --- key figures ---------------------------------------------------------------


def _round_percentages(weights: dict[str, float]) -> dict[str, int]:
    """Whole percentages that sum to exactly 100 (largest remainder)."""
    total = sum(weights.values())
    raw = {k: 100 * v / total for k, v in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    by_remainder = sorted(raw, key=lambda k: (-(raw[k] - out[k]), k))
    for k in by_remainder[: 100 - sum(out.values())]:
        out[k] += 1
    return out


def _density(inhabitants: int, geom: BaseGeometry) -> int:
    return round(inhabitants / (geom.area / 1e6))


def _buurt_figures(row: content.BuurtFigures, geom: BaseGeometry) -> dict[str, float]:
    figures: dict[str, float] = {
        "AANT_INW": row.inhabitants,
        "AANT_MAN": row.men,
        "AANT_VROUW": row.inhabitants - row.men,
        "AANTAL_HH": row.households,
        "P_EENP_HH": row.single_person_pct,
        "GEM_HH_GR": round(row.inhabitants / row.households, 1),
        "WONINGEN": row.dwellings,
        "OPP_TOT": round(geom.area / 10_000),
        "BEV_DICHTH": _density(row.inhabitants, geom),
    }
    figures.update(zip(_PERCENT_FIGURES, row.ages))
    return figures


def _aggregate(children: list[dict[str, float]], geom: BaseGeometry) -> dict[str, float]:
    """Sums of counts, inhabitant- or household-weighted averages of shares."""
    inw = sum(c["AANT_INW"] for c in children)
    hh = sum(c["AANTAL_HH"] for c in children)
    counts = ("AANT_INW", "AANT_MAN", "AANT_VROUW", "AANTAL_HH", "WONINGEN")
    figures: dict[str, float] = {k: sum(c[k] for c in children) for k in counts}
    figures.update(_round_percentages({k: sum(c[k] * c["AANT_INW"] for c in children) for k in _PERCENT_FIGURES}))
    figures["P_EENP_HH"] = round(sum(c["P_EENP_HH"] * c["AANTAL_HH"] for c in children) / hh)
    figures["GEM_HH_GR"] = round(inw / hh, 1)
    figures["OPP_TOT"] = round(geom.area / 10_000)
    figures["BEV_DICHTH"] = _density(inw, geom)
    return figures


def _build_areas() -> list[Area]:
    geoms = _boundaries()
    buurt_figures = {row.code: _buurt_figures(row, geoms[row.code]) for row in content.BUURTEN}
    areas = [
        Area(code=row.code, name=row.name, level="buurt", geometry=geoms[row.code],
             figures=buurt_figures[row.code], source=SOURCE)
        for row in content.BUURTEN
    ]
    wijk_figures = {}
    for code, name in content.WIJKEN.items():
        children = [f for c, f in buurt_figures.items() if c.startswith("BU" + code[2:])]
        figures = _aggregate(children, geoms[code])
        # Whole-wijk counts published by CBS (2024); the buurten add up to them.
        for key, value in content.CBS_WIJK_TOTALS[code].items():
            if figures[key] != value:
                raise ValueError(f"{code} {key}: buurten add up to {figures[key]}, CBS says {value}")
        wijk_figures[code] = figures
        areas.append(Area(code=code, name=name, level="wijk", geometry=geoms[code], figures=figures, source=SOURCE))
    gm_figures = _aggregate(list(wijk_figures.values()), geoms[content.GEMEENTE_CODE])
    # CBS rounds wijk and buurt counts to multiples of five; the municipality's
    # own totals are exact, so they differ slightly from the sum of the wijken.
    gm_figures.update(content.CBS_GEMEENTE_TOTALS)
    gm_figures["BEV_DICHTH"] = _density(gm_figures["AANT_INW"], geoms[content.GEMEENTE_CODE])
    areas.append(Area(code=content.GEMEENTE_CODE, name=content.GEMEENTE_NAME, level="gemeente",
                      geometry=geoms[content.GEMEENTE_CODE], figures=gm_figures, source=SOURCE))
    order = {"gemeente": 0, "wijk": 1, "buurt": 2}
    return sorted(areas, key=lambda a: (order[a.level], a.code))


# --- the data set ----------------------------------------------------------------


def build_demo() -> Demo:
    """The whole demo, built from :mod:`geo.demo_content`; same output every run."""
    demo = Demo(
        areas=_build_areas(),
        partners=content.partners(),
        plans=content.plans(),
        analysis_items=content.analysis_items(),
        activities=content.activities(),
        meeting_places=content.meeting_places(),
        real_estate=content.real_estate(),
        suggestions=content.suggestions(),
        evaluation_factors=content.evaluation_factors(),
    )
    schematic = _schematic_boundaries()
    real = {a.code: a.geometry for a in demo.areas}
    plan_area = {p.id: p.area_code for p in demo.plans}
    for records in demo.layers().values():
        for r in records:
            geom = getattr(r, "geometry", None)
            if geom is not None and not isinstance(r, Area):
                code = plan_area.get(r.plan_id) if isinstance(r, AnalysisItem) else r.buurt_code  # type: ignore
                if code in real and code in schematic:
                    geom = _relocate(geom, schematic[code], real[code])
                r.geometry = _tidy(geom)  # type: ignore[attr-defined]
    return demo


def demo_problems(demo: Demo) -> list[str]:
    """What is inconsistent in ``demo``: invalid records, misplaced geometries, dangling ids.

    An empty list means the demo is sound; :func:`write_demo` refuses to
    write otherwise.
    """
    problems: list[str] = []
    layers = demo.layers()
    for name, records in layers.items():
        for r in records:
            label = f"{name} {getattr(r, 'id', None) or getattr(r, 'code', '')}"
            try:
                r.validate()
            except Exception as exc:  # noqa: BLE001 - collect, don't stop
                problems.append(f"{label}: {exc}")
            geom = getattr(r, "geometry", None)
            if geom is not None and not geom.is_valid:
                problems.append(f"{label}: invalid geometry")
    buurten = {a.code: a.geometry for a in demo.areas if a.level == "buurt"}
    plan_of = {p.id: p.area_code for p in demo.plans}

    def check_in(label: str, geom: BaseGeometry | None, code: str | None) -> None:
        if code not in buurten:
            problems.append(f"{label}: unknown buurt {code}")
        elif geom is not None and not buurten[code].buffer(GRID).covers(geom):
            problems.append(f"{label}: not inside {code}")

    for a in demo.activities:
        check_in(f"activity {a.id}", a.geometry, a.buurt_code)
        if plan_of.get(a.plan_id) != a.buurt_code:
            problems.append(f"activity {a.id}: plan {a.plan_id} is not the plan of {a.buurt_code}")
    for rec in (*demo.meeting_places, *demo.real_estate, *demo.suggestions):
        check_in(f"{type(rec).__name__} {rec.id}", rec.geometry, rec.buurt_code)
    for item in demo.analysis_items:
        check_in(f"analysis item {item.id}", item.geometry, plan_of.get(item.plan_id))
    for f in demo.evaluation_factors:
        if f.plan_id not in plan_of:
            problems.append(f"evaluation factor {f.id}: unknown plan {f.plan_id}")

    ids = {name: {r.id for r in records} for name, records in layers.items() if name != "areas"}
    for name, records in layers.items():
        if name != "areas" and len(ids[name]) != len(records):
            problems.append(f"{name}: duplicate ids")
    refs = {
        "meeting_place_id": "meeting_places",
        "real_estate_id": "real_estate",
        "suggestion_id": "suggestions",
        "analysis_item_id": "analysis_items",
        "activity_id": "activities",
        "merged_into": "suggestions",
    }
    for name, records in layers.items():
        for r in records:
            for ref, target in refs.items():
                value = getattr(r, ref, None)
                if value is not None and value not in ids[target]:
                    problems.append(f"{name} {r.id}: {ref} {value} does not exist")
    suggestion_of = {a.id: a.suggestion_id for a in demo.activities}
    for s in demo.suggestions:
        if s.activity_id is not None and suggestion_of.get(s.activity_id) != s.id:
            problems.append(f"suggestion {s.id}: activity {s.activity_id} does not point back to it")
        if (s.status == "in_plan") != (s.activity_id is not None):
            problems.append(f"suggestion {s.id}: in_plan exactly when linked to an activity")
    in_plan = {s.id: s.activity_id for s in demo.suggestions}
    for a in demo.activities:
        if a.suggestion_id is not None and in_plan.get(a.suggestion_id) != a.id:
            problems.append(f"activity {a.id}: suggestion {a.suggestion_id} does not point back to it")
    partner_names = {p.name for p in demo.partners}
    for a in demo.activities:
        for name in (a.lead_partner, *a.partners):
            if name not in partner_names:
                problems.append(f"activity {a.id}: unknown partner {name!r}")
    return problems


# --- files -------------------------------------------------------------------------


def _rounded(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, 2) + 0.0  # + 0.0 turns -0.0 into 0.0
    if isinstance(obj, (list, tuple)):
        return [_rounded(v) for v in obj]
    return obj


def _content(record: Record) -> dict[str, Any]:
    """A record's fields for the demo files, without the store's bookkeeping (``version``)."""
    props = record.to_dict()
    props.pop("version", None)
    return props


def _feature(record: Record) -> dict[str, Any]:
    props = _content(record)
    geom = props.pop("geometry")
    if isinstance(record, Area):
        figures = props.pop("figures")
        props.update(figures)
        fid = record.code
    else:
        fid = record.id  # type: ignore[attr-defined]
    geometry = None
    if geom is not None:
        g = mapping(geom)
        geometry = {"type": g["type"], "coordinates": _rounded(g["coordinates"])}
    return {"type": "Feature", "id": fid, "geometry": geometry, "properties": props}


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _feature_collection_text(records: Iterable[Record], name: str) -> str:
    """A FeatureCollection with one feature per line: readable diffs, stable bytes."""
    lines = [_dumps(_feature(r)) for r in records]
    head = {"type": "FeatureCollection", "name": name, "crs": GEOJSON_CRS}
    head_text = _dumps(head)[:-1]  # without the closing brace
    return head_text + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


def _json_text(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def write_demo(folder: Path = DEMO_DIR, demo: Demo | None = None) -> list[Path]:
    """Write the demo's files into ``folder``; return the paths written.

    Refuses (``ValueError``) to write a demo that :func:`demo_problems`
    finds fault with.
    """
    if demo is None:
        demo = build_demo()
    problems = demo_problems(demo)
    if problems:
        raise ValueError("the demo is inconsistent:\n" + "\n".join(problems))
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    layers = demo.layers()
    written = []
    for name in GEO_LAYERS:
        path = folder / f"{name}.geojson"
        path.write_text(_feature_collection_text(layers[name], name), encoding="utf-8", newline="\n")
        written.append(path)
    plans = {name: [_content(r) for r in layers[name]] for name in JSON_LAYERS}
    path = folder / PLANS_FILE
    path.write_text(_json_text(plans), encoding="utf-8", newline="\n")
    written.append(path)
    return written


def _record_from(cls: type[Record], props: dict[str, Any], geometry: dict | None) -> Record:
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    if cls is Area:
        kwargs = {k: props.get(k) for k in _AREA_FIELDS}
        kwargs["figures"] = {k: v for k, v in props.items() if k not in names}
    else:
        kwargs = {k: v for k, v in props.items() if k in names}
    if "geometry" in names:
        kwargs["geometry"] = shape(geometry) if geometry else None
    return cls(**kwargs)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImportFormatError(f"demobestand onleesbaar: {exc}; maak het opnieuw met python -m geo.demo",
                                where=str(path)) from None


def read_demo(folder: Path = DEMO_DIR) -> Demo:
    """The demo as stored in ``folder`` (plain ``json`` and shapely; fast).

    A missing or damaged file raises :class:`~geo.errors.ImportFormatError`
    naming the file.
    """
    folder = Path(folder)
    demo = Demo()
    for name, cls in GEO_LAYERS.items():
        path = folder / f"{name}.geojson"
        data = _read_json(path)
        try:
            crs = data["crs"]["properties"]["name"]
            if not crs.endswith("EPSG::28992"):
                raise ImportFormatError(f"verwacht RD New (EPSG:28992), niet {crs}", where=str(path))
            records = [_record_from(cls, f["properties"], f["geometry"]) for f in data["features"]]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ImportFormatError(f"geen geldige demolaag ({exc!r})", where=str(path)) from None
        setattr(demo, name, records)
    path = folder / PLANS_FILE
    data = _read_json(path)
    try:
        for name, cls in JSON_LAYERS.items():
            setattr(demo, name, [_record_from(cls, row, None) for row in data[name]])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ImportFormatError(f"geen geldig plannenbestand ({exc!r})", where=str(path)) from None
    return demo


def load_demo(store, folder: Path = DEMO_DIR) -> dict[str, int]:
    """Add every record of the demo files to ``store`` in one transaction.

    Records keep the ids written in the files, so references between them
    survive. Meant for an empty store: a clash with existing records raises
    the store's error and leaves the store unchanged. Returns the number of
    records per layer.
    """
    demo = read_demo(folder)
    counts: dict[str, int] = {}
    with store.transaction():
        for name, records in demo.layers().items():
            for r in records:
                store.add(r)
            counts[name] = len(records)
        from .demo_progress import load_progress  # progress updates and year teams

        load_progress(store)
    return counts


def main(argv: list[str] | None = None) -> int:
    """``python -m geo.demo [FOLDER]``: (re)write the demo files."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else DEMO_DIR
    demo = build_demo()
    paths = write_demo(folder, demo)
    for name, records in demo.layers().items():
        print(f"{name:20s} {len(records):4d}")
    print(f"wrote {len(paths)} files to {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
