"""Other layers: meeting places, real estate, activities and suggestions.

A file's columns become the canonical fields of DESIGN.md through a
mapping (field → source column). :func:`auto_mapping` proposes one: the
canonical names themselves, their Dutch equivalents (``naam``, ``soort``,
``bezetting``, ``conditie``, ``beleid`` …) and English variants. Where a
file is a known extract, a preset from :data:`PRESETS` turns its own
vocabulary into ours — BGT functional areas (``bgtplustype``) and
OpenStreetMap tags (``amenity``, ``leisure`` …) into meeting places. A
preset or a format joins by one entry in its registry.

Every feature is placed in its buurt by location (:class:`geo.spatial.AreaIndex`);
features outside the municipality's buurten are reported and left out
unless ``include_outside``. Invalid geometries are repaired with
``make_valid`` and counted; empty and missing geometries and duplicate ids
are reported. Values that do not fit (a word where a number belongs, a
kind the app does not know) refuse the whole file with the row and field
named: :func:`plan_places` only reads, :func:`commit_places` writes all
features in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from .. import access
from .. import model as m
from ..access import Actor
from ..errors import ImportFormatError, ValidationError
from ..spatial import AreaIndex
from .geometry import clean, clean_all, is_missing
from .limits import load_limits
from .readers import SourceLayer, bracketed, parse_number, read_source
from .summary import ImportSummary


@dataclass(frozen=True)
class PlaceLayer:
    """One importable layer: its record class and canonical fields."""

    name: str  # as on the command line: meeting-places, real-estate, …
    store_name: str  # as in geo.model.LAYER_CLASSES and exports
    cls: type
    fields: dict[str, str]  # canonical field → text|int|float|bool|list|choice
    required: tuple[str, ...]
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)  # lower-case source name → field
    geometry_required: bool = True


_COMMON_SYNONYMS = {
    "naam": "name", "omschrijving": "description", "beschrijving": "description", "toelichting": "description",
    "status": "status", "staat": "status",
}

PLACE_LAYERS: dict[str, PlaceLayer] = {
    layer.name: layer
    for layer in (
        PlaceLayer(
            "meeting-places", "meeting_places", m.MeetingPlace,
            {"name": "text", "kind": "choice", "status": "choice", "capacity": "int", "real_estate_id": "int",
             "description": "text"},
            required=("name", "kind"),
            choices={"kind": m.MEETING_KINDS, "status": m.MEETING_STATUSES},
            synonyms={**_COMMON_SYNONYMS, "soort": "kind", "type": "kind", "capaciteit": "capacity",
                      "vastgoed_id": "real_estate_id"},
        ),
        PlaceLayer(
            "real-estate", "real_estate", m.RealEstate,
            {"name": "text", "address": "text", "bag_id": "text", "function": "text", "floor_area_m2": "float",
             "occupancy_pct": "float", "condition": "int", "yearly_cost_eur": "float", "book_value_eur": "float",
             "policy": "choice"},
            required=("name",),
            choices={"policy": m.POLICY_CATEGORIES},
            synonyms={**_COMMON_SYNONYMS, "adres": "address", "bag": "bag_id", "pand_id": "bag_id",
                      "bag_pand_id": "bag_id", "functie": "function", "bvo": "floor_area_m2",
                      "vloeroppervlak": "floor_area_m2", "oppervlakte_m2": "floor_area_m2", "bezetting": "occupancy_pct",
                      "bezettingsgraad": "occupancy_pct", "conditie": "condition", "conditiescore": "condition",
                      "nen2767": "condition", "jaarlijkse_kosten": "yearly_cost_eur", "kosten_per_jaar": "yearly_cost_eur",
                      "exploitatiekosten": "yearly_cost_eur", "boekwaarde": "book_value_eur", "beleid": "policy",
                      "beleidscategorie": "policy"},
        ),
        PlaceLayer(
            "activities", "activities", m.Activity,
            {"title": "text", "description": "text", "domain": "choice", "lead_partner": "text", "partners": "list",
             "start": "text", "end": "text", "status": "choice", "cost_estimate_eur": "float",
             "cost_actual_eur": "float", "quick_win": "bool", "buurt_code": "text"},
            required=("title", "domain"),
            choices={"domain": m.DOMAINS, "status": m.ACTIVITY_STATUSES},
            synonyms={**_COMMON_SYNONYMS, "titel": "title", "naam": "title", "domein": "domain", "trekker": "lead_partner",
                      "partners": "partners", "begin": "start", "eind": "end", "einde": "end",
                      "raming": "cost_estimate_eur", "kosten_raming": "cost_estimate_eur",
                      "geraamde_kosten": "cost_estimate_eur", "werkelijke_kosten": "cost_actual_eur",
                      "kleiner_punt": "quick_win", "buurtcode": "buurt_code"},
            geometry_required=False,
        ),
        PlaceLayer(
            "suggestions", "suggestions", m.Suggestion,
            {"category": "choice", "text": "text", "status": "choice", "created_at": "text"},
            required=("category", "text"),
            choices={"category": m.SUGGESTION_CATEGORIES, "status": m.SUGGESTION_STATUSES},
            synonyms={**_COMMON_SYNONYMS, "categorie": "category", "tekst": "text", "suggestie": "text",
                      "datum": "created_at", "aangemaakt": "created_at"},
        ),
        PlaceLayer(
            "address-points", "address_points", m.AddressPoint,
            {"bag_id": "text", "inhabitants": "float", "postcode": "text", "house_number": "int",
             "house_letter": "text", "house_number_addition": "text", "street": "text", "place": "text"},
            required=(),
            synonyms={"identificatie": "bag_id", "verblijfsobject_id": "bag_id", "vbo_id": "bag_id",
                      "inwoners": "inhabitants", "bewoners": "inhabitants", "aantal_bewoners": "inhabitants",
                      "aantal_inwoners": "inhabitants", "huisnummer": "house_number", "huisnr": "house_number",
                      "huisletter": "house_letter", "huisnummertoevoeging": "house_number_addition",
                      "toevoeging": "house_number_addition", "huisnummer_toevoeging": "house_number_addition",
                      "straat": "street", "straatnaam": "street", "openbareruimtenaam": "street",
                      "openbare_ruimte": "street", "woonplaats": "place", "woonplaatsnaam": "place",
                      "plaats": "place", "pc6": "postcode"},
        ),
    )
}

# Source column names that carry a feature's own id (for duplicate reports).
ID_COLUMNS = ("id", "identificatie", "osm_id", "@id", "osm_way_id", "fid", "objectid", "lokaalid")

# Words people use for our vocabulary codes, beyond the labels in geo.i18n.
VALUE_SYNONYMS: dict[str, str] = {
    "buurthuis": "building", "wijkcentrum": "building", "gemeenschapshuis": "building",
    "ontmoetingscentrum": "building", "dorpshuis": "building", "community_centre": "building",
    "cruyff court": "cruijff_court", "cruijff court": "cruijff_court", "speelplaats": "playground",
    "speelterrein": "playground", "sportterrein": "sports_park", "sportveld": "sports_park", "sportpark": "sports_park",
    "schoolplein": "school", "basisschool": "school", "plantsoen": "park",
    "voorgesteld": "proposed", "lopend": "running", "klaar": "done", "gereed": "done",
    "ja": "true", "nee": "false",
}


@dataclass(frozen=True)
class Preset:
    """A known extract whose own vocabulary maps onto one of our layers."""

    name: str
    layer: str
    title: tuple[str, str]  # (nl, en) for the page
    detect: Callable[[set[str]], bool]
    convert: Callable[[dict[str, Any]], "dict[str, Any] | str"]  # canonical values, or a skip reason


# --- BGT functional areas ---------------------------------------------------------------
BGT_KINDS = {
    "speeltuin": "playground",
    "speelterrein": "playground",
    "speelveld": "playground",
    "sportterrein": "sports_park",
    "sportveld": "sports_park",
    "sportpark": "sports_park",
    "trapveld": "sports_park",
    "cruijff court": "cruijff_court",
    "park": "park",
    "plantsoen": "park",
    "plein": "square",
}
BGT_STATUS = {"bestaand": "existing", "plan": "proposed", "historie": "rejected"}


def _bgt_convert(row: dict[str, Any]) -> dict[str, Any] | str:
    raw = _text(_get(row, "bgtplustype", "plus-type", "plustype"))
    kind_word = raw.split(":")[-1].strip().lower()
    kind = BGT_KINDS.get(kind_word)
    if kind is None:
        return f"BGT-type '{raw or 'leeg'}' is geen ontmoetingsplaats"
    naam = _text(_get(row, "naam", "name"))
    label = {"playground": "Speeltuin", "sports_park": "Sportterrein", "park": "Park", "square": "Plein",
             "cruijff_court": "Cruijff Court"}[kind]
    ident = _text(_get(row, "identificatie")).rsplit(".", 1)[-1][-8:]
    name = naam if naam and not re.fullmatch(r"[\d.\-]+", naam) else f"{label} {naam or ident}".strip()
    status = BGT_STATUS.get(_text(_get(row, "status")).lower(), "existing")
    return {"name": name, "kind": kind, "status": status, "description": f"BGT: {raw}"}


# --- OpenStreetMap tags ----------------------------------------------------------------------
_HSTORE = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')


def _osm_tags(row: dict[str, Any]) -> dict[str, str]:
    tags = {str(k).lower(): _text(v) for k, v in row.items() if _text(v)}
    for packed in ("other_tags", "tags"):
        if packed in tags:
            tags.update({k: v for k, v in _HSTORE.findall(tags[packed])})
    return tags


def _osm_convert(row: dict[str, Any]) -> dict[str, Any] | str:
    tags = _osm_tags(row)
    amenity, leisure, place = tags.get("amenity", ""), tags.get("leisure", ""), tags.get("place", "")
    name = tags.get("name", "")
    if amenity in ("community_centre", "social_centre"):
        kind = "building"
    elif leisure == "playground":
        kind = "playground"
    elif leisure == "pitch":
        kind = "cruijff_court" if re.search(r"cru[iy][j]?ff", name.lower()) else "sports_park"
    elif leisure in ("sports_centre", "stadium", "sports_hall"):
        kind = "sports_park"
    elif leisure == "park":
        kind = "park"
    elif amenity == "school":
        kind = "school"
    elif place == "square" or (tags.get("highway") == "pedestrian" and tags.get("area") == "yes"):
        kind = "square"
    else:
        shown = next((f"{k}={tags[k]}" for k in ("amenity", "leisure", "place") if tags.get(k)), "geen tag")
        return f"OSM-tag {shown} is geen ontmoetingsplaats"
    label = {"building": "Buurthuis", "playground": "Speeltuin", "cruijff_court": "Cruijff Court",
             "sports_park": "Sportveld", "park": "Park", "school": "School", "square": "Plein"}[kind]
    return {"name": name or label, "kind": kind, "status": "existing"}


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("bgt", "meeting-places", ("BGT functionele gebieden (bgtplustype)", "BGT functional areas (bgtplustype)"),
               lambda cols: bool(cols & {"bgtplustype", "plus-type", "plustype"}), _bgt_convert),
        Preset("osm", "meeting-places", ("OpenStreetMap-tags (amenity, leisure …)", "OpenStreetMap tags (amenity, leisure …)"),
               lambda cols: bool(cols & {"amenity", "leisure", "other_tags"}), _osm_convert),
    )
}


def detect_preset(columns: list[str], layer: str) -> Preset | None:
    cols = {c.lower() for c in columns}
    return next((p for p in PRESETS.values() if p.layer == layer and p.detect(cols)), None)


def auto_mapping(columns: list[str], layer: str) -> dict[str, str]:
    """Field → source column for every field whose column can be recognised."""
    spec = _layer(layer)
    out: dict[str, str] = {}
    for col in columns:
        key = col.strip().lower().replace(" ", "_")
        target = key if key in spec.fields else spec.synonyms.get(key)
        code = bracketed(col)  # 'Naam (name)' from a Wijkatlas workbook
        if target is None and code in spec.fields:
            target = code
        if target and target not in out:
            out[target] = col
    return out


def parse_map_options(values: list[str] | None, columns: list[str], layer: str, name: str) -> dict[str, str]:
    """``--map SOURCE=FIELD`` options as field → column, checked against the file."""
    spec = _layer(layer)
    out = {}
    for value in values or []:
        if "=" not in value:
            raise ValidationError(f"'{value}' heeft niet de vorm BRONKOLOM=VELD", where="--map")
        src, target = (p.strip() for p in value.split("=", 1))
        if src not in columns:
            raise ValidationError(f"{name} heeft geen kolom '{src}' (kolommen: {', '.join(columns)})", where="--map")
        if target not in spec.fields and target != "id":
            raise ValidationError(
                f"'{target}' is geen veld van {layer}; kies uit {', '.join([*spec.fields, 'id'])}", where="--map"
            )
        out[target] = src
    return out


@dataclass
class PlacesPlan:
    summary: ImportSummary
    records: list[m.Record]
    layer: str
    source: SourceLayer | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    pending: list[m.PendingPlace] = field(default_factory=list)  # kept for later placement (--keep-unplaced)
    bulk: dict[str, Any] | None = None  # column-wise rows for Store.bulk_add (address points)


def plan_places(
    store,
    source: SourceLayer,
    layer: str,
    mapping: dict[str, str] | None = None,
    *,
    preset: str | None = "auto",
    include_outside: bool = False,
    index: AreaIndex | None = None,
    keep_unplaced: bool = False,
) -> PlacesPlan:
    """Check every feature and build the records an import would add.

    Rows without a geometry that carry an address are placed on a BAG
    address point (:mod:`geo.io.addresses`); the summary counts them per
    method and lists those that were not found or ambiguous. Those are left
    out, or with ``keep_unplaced`` kept as :class:`~geo.model.PendingPlace`
    for placing later in the app."""
    spec = _layer(layer)
    if layer == "address-points":
        from .address_points import plan_address_points

        return plan_address_points(store, source, mapping, include_outside=include_outside, index=index)
    name = source.where
    columns = source.columns
    chosen = None
    if preset == "auto":
        chosen = detect_preset(columns, layer)
    elif preset and preset != "none":
        chosen = PRESETS.get(preset)
        if chosen is None or chosen.layer != layer:
            raise ValidationError(f"onbekende preset '{preset}' voor {layer}", where="--preset")
    full = {**auto_mapping(columns, layer), **(mapping or {})}
    if chosen is not None:  # the preset fills the fields; only explicit choices override it
        full = dict(mapping or {})
    for target, col in full.items():
        if col not in columns:
            raise ValidationError(f"{name} heeft geen kolom '{col}'", where=target)
    if chosen is None:
        missing = [f for f in spec.required if f not in full]
        if missing:
            raise ImportFormatError(
                f"{name}: geen kolom voor {', '.join(missing)}; koppel er een met --map KOLOM={missing[0]} "
                f"(kolommen: {', '.join(columns[:15])})"
            )
    id_col = full.get("id") or next((c for c in columns if c.lower() in ID_COLUMNS or bracketed(c) == "id"), None)
    summary = ImportSummary(
        file=source.name, kind=layer, format=source.format, layer=source.layer, crs_found=source.crs_found,
        crs_note=source.crs_note, rows=len(source.frame), preset=chosen.name if chosen else "",
        mapping={f: c for f, c in full.items()},
    )
    if index is None:
        index = AreaIndex.from_store(store, "buurt")
    if not index._areas and not include_outside:
        raise ImportFormatError(
            f"{name}: de database heeft nog geen buurtgrenzen om de objecten in te delen; "
            "importeer eerst grenzen (wijkatlas import boundaries) of gebruik --include-outside"
        )
    records: list[m.Record] = []
    pending: list[m.PendingPlace] = []
    seen: set[str] = set()
    frame = source.frame
    geom_col = frame.geometry.name
    attrs = frame.drop(columns=[geom_col]).to_dict("records")
    raw = list(frame.geometry)
    placements = _place_by_address(store, source, attrs, raw)
    located = _locate_points(index, raw)
    for pos, (row, geom) in enumerate(zip(attrs, raw)):
        i = source.row_number(pos)
        fid = _text(row.get(id_col)) if id_col else ""
        if fid:
            if fid in seen:
                summary.duplicates.append(fid)
                summary.skip(i, "dubbel id", fid)
                continue
            seen.add(fid)
        if chosen is not None:
            converted = chosen.convert(row)
            if isinstance(converted, str):
                summary.skip(i, "geen ontmoetingsplaats volgens preset", fid or converted)
                continue
            values = converted
        else:
            values = {}
        for target, col in full.items():
            if target == "id":
                continue
            values[target] = _convert(row.get(col), spec, target, source, i, col)
        values = {k: v for k, v in values.items() if v is not None}
        for req in spec.required:
            if values.get(req) in (None, ""):
                raise ValidationError(f"{name}: rij {i}, veld '{full.get(req, req)}': {req} ontbreekt")
        # geometry: from the file, else from the address
        known = None
        placed = placements.get(pos)
        if is_missing(geom) and placed is not None:
            address, placement = placed
            if placement.point is not None:
                geom = placement.point
                summary.placed_by[placement.method] = summary.placed_by.get(placement.method, 0) + 1
            else:
                summary.unplaced.append({
                    "row": i, "address": address.label(), "reason": placement.reason,
                    "candidates": [c.label for c in placement.candidates],
                })
                if spec.geometry_required:
                    if keep_unplaced:
                        _check_fields(spec, values, name, i, full)
                        pending.append(m.PendingPlace(
                            layer, _plain(values), address.label(), placement.reason,
                            [c.to_dict() for c in placement.candidates if c.x == c.x],
                            f"{source.where}, rij {i}", datetime.now(timezone.utc).isoformat(timespec="seconds")))
                    else:
                        summary.skip(i, placement.reason.split(":")[0], fid or address.label())
                    continue
        elif placements and not is_missing(geom):
            summary.placed_by["coordinates"] = summary.placed_by.get("coordinates", 0) + 1
        if is_missing(geom):
            if spec.geometry_required:
                summary.skip(i, "lege of ontbrekende geometrie", fid)
                continue
            geom = None
        else:
            known = located.get(pos) if geom is raw[pos] else None  # the file's own point
            geom, repaired = (known[0], False) if known else clean(geom)
            if geom is None:
                summary.skip(i, "ongeldige geometrie, niet te repareren", fid)
                continue
            summary.repaired += repaired
        if geom is not None:
            code = known[1] if known else index.code_at(geom)
            if code is None:
                if not include_outside:
                    summary.skip(i, "buiten de gemeente", fid)
                    continue
                summary.outside_included += 1
            values["buurt_code"] = code or (values.get("buurt_code") if layer == "activities" else None)
        if layer == "suggestions":
            values.setdefault("created_at", datetime.now(timezone.utc).date().isoformat())
        record = spec.cls(**values, geometry=geom)
        if layer == "meeting-places" and record.real_estate_id is not None and not store.exists(
                m.RealEstate, record.real_estate_id):
            raise ValidationError(f"{name}: rij {i}, veld 'real_estate_id': vastgoed {record.real_estate_id} bestaat niet")
        try:
            record.validate()
        except ValidationError as exc:
            col = full.get(exc.where or "", exc.where)
            raise ValidationError(f"{name}: rij {i}, veld '{col}': {exc.message}") from None
        records.append(record)
    if not records and not pending:
        reasons = ", ".join(f"{r}: {n}" for r, n in summary.skipped_by_reason.items()) or "geen rijen"
        raise ImportFormatError(f"{name}: geen objecten om te importeren ({reasons})")
    summary.imported = summary.created = len(records)
    summary.kept_unplaced = len(pending)
    summary.municipalities = sorted({"GM" + r.buurt_code[2:6] for r in records if getattr(r, "buurt_code", None)})
    plan = PlacesPlan(summary, records, layer, source, full)
    plan.pending = pending
    return plan


def _locate_points(index, geoms: list) -> dict[int, tuple[Any, str | None]]:
    """Row position → (cleaned point, its buurt code or None) for every row whose geometry in
    the file is a valid point: what ``clean`` and ``index.code_at`` give one row at a time,
    decided for all of them in a few vectorised calls (``clean_all``, ``AreaIndex.codes_at``;
    100,000 suggestions: ~5 s of STRtree questions before). Other rows are left to the loop."""
    import shapely

    if not hasattr(index, "codes_at") or not geoms:
        return {}
    arr = np.asarray(geoms, dtype=object)
    rows = np.flatnonzero(shapely.get_type_id(arr) == 0)  # Point (None and others: -1, 1…)
    if not len(rows):
        return {}
    cleaned, repaired = clean_all(arr[rows])
    keep = np.array([g is not None and not g.is_empty for g in cleaned], dtype=bool) & ~repaired
    rows, cleaned = rows[keep], cleaned[keep]
    codes = index.codes_at(cleaned)
    return {int(r): (g, c) for r, g, c in zip(rows, cleaned, codes)}


def _place_by_address(store, source: SourceLayer, attrs: list[dict[str, Any]], geoms: list) -> dict:
    """Row position → (address, placement) for rows without geometry that have an address column."""
    from .addresses import address_columns, has_address, place_rows, read_address

    if not has_address(source.columns):
        return {}
    cols = address_columns(source.columns)
    todo = [pos for pos, g in enumerate(geoms) if is_missing(g)]
    if not todo:
        return {}
    addresses = [read_address(attrs[pos], cols) for pos in todo]
    return dict(zip(todo, zip(addresses, place_rows(store, addresses))))


def _check_fields(spec: PlaceLayer, values: dict[str, Any], name: str, row: int, full: dict[str, str]) -> None:
    """The rules of every field but the location, for a row kept for later placement."""
    import shapely

    try:
        spec.cls(**values, geometry=shapely.Point(0, 0)).validate()
    except ValidationError as exc:
        col = full.get(exc.where or "", exc.where)
        raise ValidationError(f"{name}: rij {row}, veld '{col}': {exc.message}") from None


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}


def commit_places(store, actor: Actor, plan: PlacesPlan) -> ImportSummary:
    """Add every planned record in one transaction."""
    access.check(actor, "data.import")
    with store.transaction():
        if plan.bulk is not None:
            created, replaced = store.bulk_add(m.AddressPoint, plan.bulk, replace_key="bag_id")
            plan.summary.created, plan.summary.updated = created, replaced
        store.add_all(plan.records)  # one COPY per table on PostGIS
        store.add_all(plan.pending)
        store.add(m.AuditEntry(
            at=datetime.now(timezone.utc).isoformat(timespec="seconds"), user=actor.name, action="data.import",
            target=plan.layer, detail=f"{plan.summary.file}: {plan.summary.imported} objecten"
                                      + (f", {len(plan.pending)} nog te plaatsen" if plan.pending else ""),
        ))
    return plan.summary


def import_places(
    store,
    actor: Actor,
    path: str | Path,
    layer: str,
    *,
    map_options: list[str] | None = None,
    mapping: dict[str, str] | None = None,
    preset: str | None = "auto",
    include_outside: bool = False,
    crs: str | None = None,
    source_layer: str | None = None,
    dry_run: bool = False,
    name: str | None = None,
    keep_unplaced: bool = False,
    allow_large: bool = False,
) -> ImportSummary:
    """Read, check and (unless ``dry_run``) store a file as ``layer``, within
    that layer's import limits (``allow_large``: ``--allow-large``)."""
    access.check(actor, "data.import")
    _layer(layer)
    source = read_source(path, crs=crs, layer=source_layer, name=name, limits=load_limits(layer, allow_large))
    full = {**(mapping or {}), **parse_map_options(map_options, source.columns, layer, source.where)}
    plan = plan_places(store, source, layer, full, preset=preset, include_outside=include_outside,
                       keep_unplaced=keep_unplaced)
    plan.summary.dry_run = dry_run
    if dry_run:
        return plan.summary
    return commit_places(store, actor, plan)


# --- values ------------------------------------------------------------------------------
def _layer(layer: str) -> PlaceLayer:
    try:
        return PLACE_LAYERS[layer]
    except KeyError:
        raise ValidationError(f"onbekende laag '{layer}'; kies uit {', '.join(PLACE_LAYERS)}", where="--as") from None


def _get(row: dict[str, Any], *names: str) -> Any:
    lower = {str(k).lower(): v for k, v in row.items()}
    return next((lower[n] for n in names if n in lower and _text(lower[n])), None)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and np.isnan(value):
        return ""
    if value is pd.NaT or (hasattr(pd, "isna") and not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def vocabulary_code(value: str, choices: tuple[str, ...]) -> str | None:
    """A code from our vocabulary for ``value``: the code, its label, or a known synonym."""
    from ..i18n import label

    key = value.strip().lower()
    for code in choices:
        if key in (code.lower(), code.replace("_", " "), label(code, "nl").lower(), label(code, "en").lower()):
            return code
    synonym = VALUE_SYNONYMS.get(key)
    return synonym if synonym in choices else None


def _convert(value: Any, spec: PlaceLayer, target: str, source: SourceLayer, row: int, col: str) -> Any:
    kind = spec.fields[target]
    if isinstance(value, (date, datetime)):  # a date cell of a workbook
        if target in ("start", "end"):
            return f"{value.year}-Q{(value.month - 1) // 3 + 1}"
        value = value.date().isoformat() if isinstance(value, datetime) and not (
            value.hour or value.minute or value.second) else value.isoformat()
    text = _text(value)
    if kind in ("int", "float"):
        text = text.replace("€", "").strip()
    where = f"{source.where}: rij {row}, veld '{col}'"
    if text == "":
        return None
    if kind == "text":
        return text
    if kind in ("int", "float"):
        try:
            number = parse_number(text.rstrip("%").strip(), source.decimal_comma)
        except ValueError:
            raise ValidationError(f"{where}: '{text}' is geen getal") from None
        if kind == "int":
            if number is not None and not float(number).is_integer():
                raise ValidationError(f"{where}: '{text}' is geen geheel getal")
            return None if number is None else int(number)
        return number
    if kind == "bool":
        key = VALUE_SYNONYMS.get(text.lower(), text.lower())
        if key in ("true", "1", "yes", "y", "x", "waar", "j"):
            return True
        if key in ("false", "0", "no", "n", "onwaar", ""):
            return False
        raise ValidationError(f"{where}: '{text}' is geen ja/nee")
    if kind == "list":
        return [p.strip() for p in re.split(r"[;|]", text) if p.strip()]
    choices = spec.choices[target]
    code = vocabulary_code(text, choices)
    if code is None:
        raise ValidationError(f"{where}: '{text}' is geen geldige waarde; kies uit {', '.join(choices)}")
    return code
