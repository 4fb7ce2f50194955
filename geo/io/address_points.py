"""BAG address points in bulk: ``import places FILE --as address-points``.

A national or municipal BAG extract has hundreds of thousands of rows, so
this import is columnar: the file is read into arrays (pyogrio / pandas),
values are checked and converted a column at a time, each point's buurt is
found with one vectorised STRtree query, and the rows are written with
:meth:`~geo.store.base.Store.bulk_add` (``executemany`` on SQLite, ``COPY`` on PostGIS) in one
transaction.
Memory grows with the number of rows, never with a Python object per cell.

Fields: ``bag_id`` (verblijfsobject id), ``inhabitants``, and the address
— ``postcode``, ``house_number``, ``house_letter``,
``house_number_addition``, ``street``, ``place`` — that
:mod:`geo.io.addresses` matches rows without coordinates against. A point
whose ``bag_id`` is already stored replaces it (a fresh extract updates
the previous one). Values that do not fit refuse the whole file, naming the
row and column, as every import does.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import shapely

from .. import model as m
from ..errors import ImportFormatError, ValidationError
from ..spatial import AreaIndex
from .readers import SourceLayer
from .summary import ImportSummary

TEXT_FIELDS = ("bag_id", "postcode", "house_letter", "house_number_addition", "street", "place")


def plan_address_points(store, source: SourceLayer, mapping: dict[str, str] | None = None, *,
                        include_outside: bool = False, index: AreaIndex | None = None):
    from .places import PlacesPlan, auto_mapping

    name = source.where
    columns = source.columns
    full = {**auto_mapping(columns, "address-points"), **(mapping or {})}
    for target, col in full.items():
        if col not in columns:
            raise ValidationError(f"{name} heeft geen kolom '{col}'", where=target)
    summary = ImportSummary(
        file=source.name, kind="address-points", format=source.format, layer=source.layer,
        crs_found=source.crs_found, crs_note=source.crs_note, rows=len(source.frame), mapping=dict(full),
    )
    if index is None:
        index = AreaIndex.from_store(store, "buurt")
    if not index._areas and not include_outside:
        raise ImportFormatError(
            f"{name}: de database heeft nog geen buurtgrenzen om de adrespunten in te delen; "
            "importeer eerst grenzen (wijkatlas import boundaries) of gebruik --include-outside"
        )
    frame = source.frame
    n = len(frame)
    rows = np.asarray(source.row_numbers, dtype=np.int64) if source.row_numbers is not None else np.arange(1, n + 1)
    geoms = np.asarray(frame.geometry.array, dtype=object) if n else np.empty(0, dtype=object)
    keep = np.ones(n, dtype=bool)

    def skip(mask: np.ndarray, reason: str, ids: np.ndarray | None = None) -> None:
        for pos in np.flatnonzero(mask & keep)[:10_000]:  # the list is for people: bounded
            summary.skip(int(rows[pos]), reason, "" if ids is None else ids[pos])
        extra = int((mask & keep).sum()) - 10_000
        if extra > 0:
            summary.skip(0, reason, f"… en nog {extra}")
        keep[mask] = False

    # --- columns -------------------------------------------------------------------
    text = {f: _text_column(frame[full[f]]) if f in full else np.full(n, "", dtype=object) for f in TEXT_FIELDS}
    bag = text["bag_id"]
    missing = np.asarray(shapely.is_missing(geoms) | shapely.is_empty(geoms), dtype=bool) if n else np.zeros(0, bool)
    skip(missing, "lege of ontbrekende geometrie", bag)
    if n:
        types = shapely.get_type_id(geoms)
        wrong = keep & (types != 0)
        if wrong.any():
            pos = int(np.flatnonzero(wrong)[0])
            raise ValidationError(f"{name}: rij {rows[pos]}: een adrespunt is een punt "
                                  f"(kreeg {shapely.get_type_id(geoms[pos]) and geoms[pos].geom_type})")
        geoms = np.where(keep, geoms, None)
        if shapely.has_z(geoms).any():
            geoms = shapely.force_2d(geoms)
    present = bag != ""
    dupes = present & pd.Series(bag, dtype="string").duplicated(keep="first").to_numpy()
    for b in pd.unique(bag[dupes & keep])[:50]:
        summary.duplicates.append(str(b))
    skip(dupes, "dubbel id", bag)

    inhabitants = _number_column(frame, full.get("inhabitants"), source, rows, name, keep)
    bad = keep & ~np.isnan(inhabitants) & ((inhabitants < 0) | (inhabitants > 10_000))
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise ValidationError(f"{name}: rij {rows[pos]}, veld '{full['inhabitants']}': moet tussen 0 en 10000 "
                              f"liggen (kreeg {inhabitants[pos]:g})")

    number, letter, addition = _house_numbers(frame, full, text, rows, name, keep)
    text["house_letter"], text["house_number_addition"] = letter, addition
    postcode, wrong_pc = _postcodes(text["postcode"])
    wrong_pc &= keep
    if wrong_pc.any():
        pos = int(np.flatnonzero(wrong_pc)[0])
        raise ValidationError(f"{name}: rij {rows[pos]}, veld '{full['postcode']}': "
                              f"'{text['postcode'][pos]}' is geen postcode (1234 AB)")
    text["postcode"] = postcode

    # --- buurt by location (one vectorised query) -------------------------------------
    codes = np.full(n, None, dtype=object)
    if index._areas and keep.any():
        where = np.flatnonzero(keep)
        codes[where] = index.codes_at(geoms[where])  # on a shared edge the lowest code, as a click
    outside = keep & (codes == None)  # noqa: E711 - element-wise
    if include_outside:
        summary.outside_included = int(outside.sum())
    else:
        skip(outside, "buiten de gemeente", bag)

    if not keep.any():
        reasons = ", ".join(f"{r}: {c}" for r, c in summary.skipped_by_reason.items()) or "geen rijen"
        raise ImportFormatError(f"{name}: geen adrespunten om te importeren ({reasons})")
    street, place = text["street"][keep], text["place"][keep]
    bulk: dict[str, Any] = {
        "geometry": geoms[keep],
        "inhabitants": np.where(np.isnan(inhabitants[keep]), None, inhabitants[keep].astype(object)),
        "buurt_code": codes[keep],
        "house_number": np.where(number[keep] == 0, None, number[keep].astype(object)),
        "street_key": _street_keys(street, place),
        **{f: text[f][keep] for f in TEXT_FIELDS},
    }
    summary.imported = summary.created = int(keep.sum())
    summary.municipalities = sorted({"GM" + c[2:6] for c in pd.unique(codes[keep]) if c})
    return PlacesPlan(summary, [], "address-points", source, full, bulk=bulk)


def _per_value(series: pd.Series, fn) -> np.ndarray:
    """``fn`` applied once per distinct value (a BAG extract repeats streets, places,
    numbers and postcodes thousands of times), spread back over the rows; missing → fn(None)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    done = np.empty(len(uniques) + 1, dtype=object)  # filled one by one: fn may return tuples
    for i, v in enumerate(uniques):
        done[i] = fn(v)
    done[-1] = fn(None)
    return done[codes]  # code -1 (missing) picks the last entry


def _cell_text(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _text_column(series: pd.Series) -> np.ndarray:
    """Strings, '' for empty; whole floats without '.0' (a number column read as numbers)."""
    if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
        return series.fillna("").str.strip().to_numpy(dtype=object)  # vectorised on Arrow strings
    return _per_value(series, _cell_text)


def _number_column(frame: pd.DataFrame, col: str | None, source: SourceLayer, rows: np.ndarray, name: str,
                   keep: np.ndarray) -> np.ndarray:
    from .readers import numbers

    if col is None:
        return np.full(len(frame), np.nan)
    return numbers(frame[col], source.decimal_comma, name, col, rows, keep)


_HOUSE_NUMBER = re.compile(r"^\s*(\d{1,5})\s*[-\s]?\s*([A-Za-z])?\s*(?:[-/\s]\s*([0-9A-Za-z]{1,4}))?\s*$")


def _split_number(value: Any) -> tuple[int, str, str] | None:
    text = "" if value is None else str(value)
    if not text:
        return (0, "", "")
    found = _HOUSE_NUMBER.match(text)
    if not found:
        return None
    return int(found.group(1)), (found.group(2) or "").upper(), (found.group(3) or "").upper()


def _house_numbers(frame: pd.DataFrame, full: dict[str, str], text: dict[str, np.ndarray], rows: np.ndarray,
                   name: str, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(frame)
    letter = _per_value(pd.Series(text["house_letter"], dtype=object), lambda v: (v or "").upper())
    addition = _per_value(pd.Series(text["house_number_addition"], dtype=object), lambda v: (v or "").upper())
    if "house_number" not in full:
        return np.zeros(n, dtype=np.int64), letter, addition
    raw = _text_column(frame[full["house_number"]])
    parts = _per_value(pd.Series(raw, dtype=object), _split_number)
    bad = keep & np.array([p is None for p in parts], dtype=bool) if n else np.zeros(0, bool)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise ValidationError(f"{name}: rij {rows[pos]}, veld '{full['house_number']}': "
                              f"'{raw[pos]}' is geen huisnummer")
    parts = [p if p is not None else (0, "", "") for p in parts]
    number = np.fromiter((p[0] for p in parts), dtype=np.int64, count=n)
    own_letter = np.array([p[1] for p in parts], dtype=object)
    own_addition = np.array([p[2] for p in parts], dtype=object)
    letter = np.where(letter == "", own_letter, letter).astype(object)
    addition = np.where(addition == "", own_addition, addition).astype(object)
    return number, letter, addition


def _postcodes(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(normalised postcodes, mask of non-empty values that are no postcode)."""
    norm = _per_value(pd.Series(raw, dtype=object), lambda v: re.sub(r"\s+", "", v or "").upper())
    valid = _per_value(pd.Series(norm, dtype=object), lambda v: not v or bool(m.POSTCODE_RE.match(v)))
    return norm, ~valid.astype(bool)


def _street_keys(street: np.ndarray, place: np.ndarray) -> np.ndarray:
    """``m.street_key`` for every row, normalising each distinct street and place once."""
    if not len(street):
        return np.empty(0, dtype=object)
    s = _per_value(pd.Series(street, dtype=object), lambda v: m.normalise_words(v) if v else "")
    p = _per_value(pd.Series(place, dtype=object), lambda v: m.normalise_words(v) if v else "")
    keys = pd.Series(s, dtype="string") + "|" + pd.Series(p, dtype="string")
    return np.where(s == "", "", keys.to_numpy(dtype=object)).astype(object)


__all__ = ["plan_address_points"]
