"""CBS wijk- en buurtkaart boundaries in any of the three schemas CBS/PDOK use.

A schema is one entry in :data:`SCHEMAS`: how to recognise it from the
column names, and which columns hold the code, the name and the names of
the enclosing wijk and gemeente. Everything numeric that is not an
identifier is kept as a key figure; CBS's negative codes for secret or
missing values (-99999999, -99997, …) become ``None``. PDOK's lower-case
figure names are translated to the CBS names the app knows
(:data:`geo.model.KEY_FIGURES`); other figures keep their own name.

Import runs in two steps: :func:`plan_boundaries` (read-only: what would
happen) and :func:`commit_boundaries` (one transaction: all of it or
nothing). :func:`import_boundaries` does both, or only the first for a
dry run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
import shapely

from .. import access
from .. import model as m
from ..access import Actor
from ..errors import ImportFormatError, ValidationError
from .geometry import clean, clean_all, is_missing
from .limits import load_limits
from .readers import SourceLayer, parse_number, read_source
from .values import MAX_NUMBER
from .summary import ImportSummary

CBS_MISSING_BELOW = -99990  # CBS writes secret/missing values as -99995 … -99999999

LEVEL_ORDER = ("gemeente", "wijk", "buurt")


@dataclass(frozen=True)
class BoundarySchema:
    """How one CBS/PDOK schema names its columns (all matched case-insensitively)."""

    name: str
    code: dict[str, str]  # level → code column
    name_col: dict[str, str]  # level → name column
    skip: frozenset[str] = frozenset()  # columns that are neither identifiers nor figures
    figure_names: dict[str, str] = field(default_factory=dict)  # file name → stored figure name
    upper_figures: bool = False  # store figure names upper case (the CBS spelling)
    mixed_levels: bool = False  # level per row from the code's prefix
    requires: frozenset[str] = frozenset()  # further columns that must all be present

    def detect(self, cols: set[str]) -> int:
        if not self.requires <= cols:
            return 0
        return sum(1 for c in self.code.values() if c in cols) + len(self.requires)


_COMMON_SKIP = frozenset({
    "fid", "id", "objectid", "ogc_fid", "shape_leng", "shape_length", "shape_area", "shape__area",
    "shape__length", "jaar", "jrstatcode", "jaarstatcode", "rubriek", "water", "h2o", "postcode",
    "pc4", "ind_wbi", "indelingswijziging_wijken_en_buurten", "meest_voorkomende_postcode", "dek_perc",
    "dekkingspercentage", "gwb_code", "gwb_code_10", "gwb_code_8", "gm_naam", "wk_naam", "bu_naam",
})

PDOK_FIGURES = {
    "aantal_inwoners": "AANT_INW",
    "mannen": "AANT_MAN",
    "vrouwen": "AANT_VROUW",
    "percentage_personen_0_tot_15_jaar": "P_00_14_JR",
    "percentage_personen_15_tot_25_jaar": "P_15_24_JR",
    "percentage_personen_25_tot_45_jaar": "P_25_44_JR",
    "percentage_personen_45_tot_65_jaar": "P_45_64_JR",
    "percentage_personen_65_jaar_en_ouder": "P_65_EO_JR",
    "aantal_huishoudens": "AANTAL_HH",
    "percentage_eenpersoonshuishoudens": "P_EENP_HH",
    "gemiddelde_huishoudsgrootte": "GEM_HH_GR",
    "woningvoorraad": "WONINGEN",
    "bevolkingsdichtheid_inwoners_per_km2": "BEV_DICHTH",
    "oppervlakte_totaal_in_ha": "OPP_TOT",
    "oppervlakte_land_in_ha": "OPP_LAND",
    "oppervlakte_water_in_ha": "OPP_WATER",
}

SCHEMAS: list[BoundarySchema] = [
    BoundarySchema(
        "cbs-hoofdletters",
        code={"buurt": "bu_code", "wijk": "wk_code", "gemeente": "gm_code"},
        name_col={"buurt": "bu_naam", "wijk": "wk_naam", "gemeente": "gm_naam"},
        skip=_COMMON_SKIP,
        upper_figures=True,
    ),
    BoundarySchema(
        "pdok",
        code={"buurt": "buurtcode", "wijk": "wijkcode", "gemeente": "gemeentecode"},
        name_col={"buurt": "buurtnaam", "wijk": "wijknaam", "gemeente": "gemeentenaam"},
        skip=_COMMON_SKIP | {"buurtnaam", "wijknaam", "gemeentenaam"},
        figure_names=PDOK_FIGURES,
    ),
    BoundarySchema(
        "statcode",
        code={"any": "statcode"},
        name_col={"any": "statnaam"},
        skip=_COMMON_SKIP | {"statnaam"},
        upper_figures=True,
        mixed_levels=True,
    ),
    # What `wijkatlas export` writes (layer "areas"), so an export comes back in.
    BoundarySchema(
        "wijkatlas",
        code={"any": "code"},
        name_col={"any": "name"},
        skip=_COMMON_SKIP | {"name", "level", "parent_code", "source"},
        mixed_levels=True,
        requires=frozenset({"level", "parent_code"}),
    ),
]


def detect_schema(columns: list[str]) -> BoundarySchema:
    cols = {c.lower() for c in columns}
    scored = [(s.detect(cols), s) for s in SCHEMAS]
    best = max(scored, key=lambda p: p[0])
    if best[0] == 0:
        raise ImportFormatError(
            "geen CBS-grenzen herkend: verwacht kolommen BU_CODE/WK_CODE/GM_CODE, buurtcode/wijkcode/"
            f"gemeentecode of statcode (gevonden: {', '.join(columns[:12])}{', …' if len(columns) > 12 else ''})"
        )
    return best[1]


def municipality_where(municipalities: list[str] | None) -> Callable[[list[str]], str | None] | None:
    """An attribute filter for reading only these gemeenten from a national
    GeoPackage or Shapefile (``--municipality``), or None.

    It is a superset of what :func:`plan_boundaries` keeps: any row whose code
    contains one of the gemeenten' four digits, and rows without a code or
    whose code is not a BU/WK/GM code (reported as skipped, as before).
    """
    digits = sorted({c.strip().upper()[2:] for c in municipalities or [] if re.fullmatch(r"GM\d{4}", c.strip().upper())})
    if not digits or len(digits) != len({c for c in municipalities or [] if c.strip()}):
        return None  # nothing to filter on, or a bad code that plan_boundaries will refuse

    def where(fields: list[str]) -> str | None:
        try:
            schema = detect_schema(fields)
        except ImportFormatError:
            return None
        lower = {f.lower(): f for f in fields}
        if schema.mixed_levels:
            col = lower[schema.code["any"]]
        else:
            col = next(lower[schema.code[lv]] for lv in reversed(LEVEL_ORDER) if schema.code[lv] in lower)
        q = '"' + col.replace('"', '""') + '"'
        wanted = " OR ".join(f"{q} LIKE '%{d}%'" for d in digits)
        coded = " OR ".join(f"{q} LIKE '{p}%'" for p in ("BU", "WK", "GM"))
        return f"({wanted} OR {q} IS NULL OR NOT ({coded}))"

    return where


def schema_score(columns: list[str]) -> int:
    """How well a layer's columns fit a boundary schema (to pick a GeoPackage layer)."""
    cols = {c.lower() for c in columns}
    return max(s.detect(cols) for s in SCHEMAS)


def cbs_value(value: Any) -> float | None:
    """A CBS figure as a float; CBS's negative codes and blanks → None."""
    try:
        number = parse_number(value)
    except (ValueError, TypeError):
        return None
    if number is None or number <= CBS_MISSING_BELOW:
        return None
    return number


@dataclass
class BoundaryPlan:
    """What an import would write; nothing is written until it is committed."""

    summary: ImportSummary
    areas: list[m.Area]
    source: SourceLayer | None = None


def plan_boundaries(
    store,
    source: SourceLayer,
    level: str = "auto",
    municipalities: list[str] | None = None,
) -> BoundaryPlan:
    name = source.name
    frame = source.frame
    if level not in ("auto", *LEVEL_ORDER):
        raise ValidationError(f"onbekend niveau '{level}'; kies auto, wijk of buurt", where="level")
    try:
        schema = detect_schema(source.columns)
    except ImportFormatError as exc:
        raise ImportFormatError(f"{name}: {exc}") from None
    lower = {c.lower(): c for c in source.columns}
    wanted = {c.strip().upper() for c in (municipalities or []) if c.strip()}
    for gm in wanted:
        if not m.AREA_CODE_RE.match(gm) or not gm.startswith("GM"):
            raise ValidationError(f"'{gm}' is geen gemeentecode (bijvoorbeeld GM1771)", where="--municipality")

    # Which column gives the code of each row: the finest level the file has.
    if schema.mixed_levels:
        code_col, file_level = lower[schema.code["any"]], None
        name_col = lower.get(schema.name_col["any"])
    else:
        present = [lv for lv in reversed(LEVEL_ORDER) if schema.code[lv] in lower]
        file_level = present[0]
        code_col = lower[schema.code[file_level]]
        name_col = lower.get(schema.name_col[file_level])
    id_cols = {c for c in (schema.code | schema.name_col).values()}
    figure_cols = _figure_columns(frame, [c for c in source.columns if c.lower() not in id_cols | schema.skip])

    summary = ImportSummary(
        file=name, kind="boundaries", format=source.format, layer=source.layer, schema=schema.name,
        crs_found=source.crs_found, crs_note=source.crs_note,
        rows=source.total_rows if source.total_rows is not None else len(frame),
    )
    areas: dict[str, m.Area] = {}
    wijk_names: dict[str, str] = {}
    gm_names: dict[str, str] = {}
    other_gm: set[str] = set()
    levels_seen: set[str] = set()
    source_label = f"{name} ({schema.name})"
    # Column-wise: the codes decide which rows are kept (a loop over strings), then names, geometries
    # and figures are read per column and checked in vectorised calls; no pandas object per row.
    skips: list[tuple[int, str, str]] = []  # (position, reason, code): reported in row order at the end
    codes = [_code_text(v) for v in frame[code_col].tolist()]
    keep: list[int] = []
    for pos, code in enumerate(codes):
        if not m.AREA_CODE_RE.match(code):
            skips.append((pos, "geen geldige CBS-code", code))
            continue
        row_level = m.level_of_code(code)
        if file_level and row_level != file_level:
            skips.append((pos, f"code past niet bij kolom {code_col}", code))
            continue
        levels_seen.add(row_level)
        if level != "auto" and row_level != level:
            continue
        gm = "GM" + code[2:6]
        if wanted and gm not in wanted:
            other_gm.add(gm)
            continue
        keep.append(pos)
    _remember_names(frame, keep, codes, lower, schema, wijk_names, gm_names)
    geoms = np.asarray(frame.geometry.to_numpy(), dtype=object)[keep] if keep else np.empty(0, dtype=object)
    missing = np.array([is_missing(g) for g in geoms], dtype=bool)
    cleaned = np.full(len(keep), None, dtype=object)
    repaired = np.zeros(len(keep), dtype=bool)
    cleaned[~missing], repaired[~missing] = clean_all(geoms[~missing], polygonal=True)
    names = [_text(v) for v in frame[name_col].tolist()] if name_col else None
    figure_names = [stored if not schema.upper_figures else stored.upper() for stored in figure_cols.values()]
    figure_values = [_cbs_column(frame[col]) for col in figure_cols]
    for j, pos in enumerate(keep):
        code = codes[pos]
        if missing[j]:
            skips.append((pos, "lege of ontbrekende geometrie", code))
            continue
        geom = cleaned[j]
        if geom is None:
            skips.append((pos, "ongeldige geometrie, niet te repareren", code))
            continue
        summary.repaired += bool(repaired[j])
        if code in areas:
            summary.duplicates.append(code)
            skips.append((pos, "dubbele code", code))
            continue
        figures = dict(zip(figure_names, [values[pos] for values in figure_values]))
        label = source_label
        if derive_inhabitants(figures):
            label = f"{source_label}; {DERIVED_INHABITANTS}"
        areas[code] = m.Area(code=code, name=(names[pos] if names else "") or code, geometry=geom, figures=figures,
                             source=label)
    for pos, reason, code in sorted(skips, key=lambda s: s[0]):
        summary.skip(source.row_number(pos), reason, code)

    if level != "auto" and level not in levels_seen:
        found = ", ".join(sorted(levels_seen)) or "geen herkenbare gebieden"
        raise ImportFormatError(f"{name}: bevat geen gebieden van niveau '{level}' (wel: {found})")
    if wanted and not areas and other_gm:
        holds = ", ".join(sorted(other_gm)[:8]) + (", …" if len(other_gm) > 8 else "")
        raise ImportFormatError(
            f"{name}: bevat geen gebieden van {', '.join(sorted(wanted))} (wel van {holds or 'geen gemeente'})"
        )
    if not areas:
        reasons = ", ".join(f"{r}: {n}" for r, n in summary.skipped_by_reason.items()) or "geen rijen"
        raise ImportFormatError(f"{name}: geen bruikbare gebieden gevonden ({reasons})")

    known = stored_areas(store)
    derived = _derive_parents(store, areas, wijk_names, gm_names, known)
    summary.derived = [a.code for a in derived]
    planned = list(areas.values()) + derived
    for a in planned:
        a.validate()
        if a.code in known:
            summary.updated += 1
        else:
            summary.created += 1
    summary.imported = len(planned)
    summary.levels = [lv for lv in LEVEL_ORDER if any(a.level == lv for a in areas.values())]
    summary.municipalities = sorted({a.municipality_code for a in areas.values()})
    summary.not_in_file = not_in_file(store, areas, summary.levels, summary.municipalities, known)
    return BoundaryPlan(summary, planned, source)


# Marks (in ``Area.source``) an area whose inhabitants are men + women.
DERIVED_INHABITANTS = "inwoners = mannen + vrouwen"


def derive_inhabitants(figures: dict) -> bool:
    """Fill an empty inhabitants figure from men + women when the file has
    both (CBS files leave the total empty for some buurten); True if it did."""
    men, women = figures.get("AANT_MAN"), figures.get("AANT_VROUW")
    if figures.get("AANT_INW") is None and men is not None and women is not None:
        figures["AANT_INW"] = men + women
        return True
    return False


def stored_areas(store) -> dict[str, tuple[str, str]]:
    """Code → (level, source) of every stored area, in one read without geometries."""
    cols = store.read_columns(m.Area, ["code", "level", "source"])
    return dict(zip(cols["code"].tolist(), zip(cols["level"].tolist(), cols["source"].tolist())))


def not_in_file(store, areas: dict[str, m.Area], levels: list[str], municipalities: list[str],
                known: dict[str, tuple[str, str]] | None = None) -> list[str]:
    """Stored areas of the levels and gemeenten this file covers that it lacks.

    A re-import replaces what the file holds and deletes nothing (plans,
    activities and places may point at an old code); these codes are
    reported so the person importing can see what the new file no longer has.
    """
    gm_digits = {gm[2:6] for gm in municipalities}
    known = stored_areas(store) if known is None else known
    return sorted(code for code, (lv, _) in known.items()
                  if lv in levels and code[2:6] in gm_digits and code not in areas)


def _code_text(value: Any) -> str:
    """A code cell as text: blank for a missing cell, trimmed and upper case."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip().upper()


def _cbs_column(series) -> list[float | None]:
    """:func:`cbs_value` of every cell of a figure column (numbers in one vectorised pass)."""
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return [cbs_value(v) for v in series.tolist()]
    values = series.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        usable = np.isfinite(values) & (np.abs(values) <= MAX_NUMBER) & (values > CBS_MISSING_BELOW)
    out = np.full(len(values), None, dtype=object)
    out[usable] = values[usable].tolist()
    return out.tolist()


def _figure_columns(frame, candidates: list[str]) -> dict[str, str]:
    """Columns that hold numbers (file name → stored name, PDOK names translated)."""
    out = {}
    for col in candidates:
        if col == frame.geometry.name:
            continue
        series = frame[col]
        if pd.api.types.is_bool_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue
        if not pd.api.types.is_numeric_dtype(series):
            values = [v for v in series if v is not None and str(v).strip() and not (isinstance(v, float) and pd.isna(v))]
            try:
                if not values or any(parse_number(v) is None for v in values):
                    continue
            except (ValueError, TypeError):
                continue
        out[col] = PDOK_FIGURES.get(col.lower(), col)
    return out


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def _remember_names(frame, keep, codes, lower, schema, wijk_names, gm_names) -> None:
    """The names of the enclosing wijk and gemeente the kept rows carry (the first one of each counts)."""
    if schema.mixed_levels or not keep:
        return
    wk_col, gm_col = lower.get(schema.name_col["wijk"]), lower.get(schema.name_col["gemeente"])
    wk_code_col = lower.get(schema.code["wijk"])

    def column(col):
        return [_text(v) for v in frame[col].tolist()] if col else None

    wk_names, gm_texts, wk_codes = column(wk_col), column(gm_col), column(wk_code_col)
    for pos in keep:
        code = codes[pos]
        if m.level_of_code(code) == "buurt" and wk_names and wk_names[pos]:
            wk = wk_codes[pos].upper() if wk_codes else m.parent_of_code(code)
            wijk_names.setdefault(wk or m.parent_of_code(code), wk_names[pos])
        if gm_texts and gm_texts[pos]:
            gm_names.setdefault("GM" + code[2:6], gm_texts[pos])


def _derive_parents(store, areas: dict[str, m.Area], wijk_names, gm_names,
                    known: dict[str, tuple[str, str]]) -> list[m.Area]:
    """Wijken (and the gemeente) that the file implies by its codes but lacks.

    Their outline is the union of their parts (stored ones that this import
    does not replace, plus the imported ones); an area that an earlier
    import derived is derived again, one that came from a file is left alone.
    """
    derived: list[m.Area] = []
    for child_level, parent_level in (("buurt", "wijk"), ("wijk", "gemeente")):
        children: dict[str, dict[str, m.Area]] = {}
        for a in list(areas.values()) + derived:
            if a.level == child_level and a.parent_code:
                children.setdefault(a.parent_code, {})[a.code] = a
        for parent, kids in sorted(children.items()):
            if parent in areas:
                continue
            if parent in known and not known[parent][1].startswith("afgeleid"):
                continue  # came from a file: left alone (read no further)
            existing = store.list(m.Area, code=parent) if parent in known else []
            for stored in store.list(m.Area, parent_code=parent, level=child_level):
                kids.setdefault(stored.code, stored)
            geom = shapely.union_all([k.geometry for k in kids.values() if k.geometry is not None])
            geom, _ = clean(geom, polygonal=True)
            if geom is None:
                continue
            names = wijk_names if parent_level == "wijk" else gm_names
            default = parent  # shown as "Wijk WK023300", never "Wijk Wijk WK023300"
            derived.append(m.Area(
                code=parent, name=names.get(parent) or (existing[0].name if existing else default),
                geometry=geom, figures=existing[0].figures if existing else {},
                source=f"afgeleid uit {child_level}codes",
            ))
    return derived


def commit_boundaries(store, actor: Actor, plan: BoundaryPlan) -> ImportSummary:
    """Write the planned areas in one transaction (re-imported codes are replaced)."""
    access.check(actor, "data.import")
    areas = plan.areas
    columns = {f: [getattr(a, f) for a in areas] for f in ("code", "name", "level", "parent_code", "source",
                                                           "geometry", "figures")}
    with store.transaction():
        # one bulk write (text cleaned there as in every write); a code already stored is replaced
        # (nothing refers to an area row by key)
        store.bulk_add(m.Area, columns, replace_key="code")
        store.add(m.AuditEntry(
            at=datetime.now(timezone.utc).isoformat(timespec="seconds"), user=actor.name, action="data.import",
            target="boundaries", detail=f"{plan.summary.file}: {plan.summary.imported} gebieden",
        ))
    return plan.summary


def import_boundaries(
    store,
    actor: Actor,
    path: str | Path,
    *,
    level: str = "auto",
    municipalities: list[str] | None = None,
    crs: str | None = None,
    layer: str | None = None,
    dry_run: bool = False,
    name: str | None = None,
    allow_large: bool = False,
) -> ImportSummary:
    """Read, check and (unless ``dry_run``) store a boundary file, within the
    ``boundaries`` import limits (``allow_large``: ``--allow-large``)."""
    access.check(actor, "data.import")
    limits = load_limits("boundaries", allow_large)
    source = read_source(path, crs=crs, layer=layer, prefer=schema_score, name=name,
                         where=municipality_where(municipalities), limits=limits)
    try:
        plan = plan_boundaries(store, source, level=level, municipalities=municipalities)
    except ImportFormatError:
        if source.row_numbers is None:
            raise
        # Only part of the file was read: say what is wrong from the whole file, as without the filter.
        source = read_source(path, crs=crs, layer=layer, prefer=schema_score, name=name, limits=limits)
        plan = plan_boundaries(store, source, level=level, municipalities=municipalities)
    plan.summary.dry_run = dry_run
    if dry_run:
        return plan.summary
    return commit_boundaries(store, actor, plan)


Prefer = Callable[[list[str]], int]
