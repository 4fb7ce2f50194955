"""Placing rows that have an address but no coordinates, offline.

A row is matched against the BAG address points in the database
(``import places --as address-points``), in this order:

1. ``bag_id``: a BAG verblijfsobject (or pand) id equal to a point's ``bag_id``;
2. ``postcode_number``: postcode + house number (+ letter / addition);
3. ``street_number``: street + house number + place, compared without case,
   diacritics or punctuation;
4. ``postcode``: a postcode alone, placed at the middle of its addresses
   only when they lie close together (:data:`POSTCODE_SPREAD_M`).

Nothing is guessed silently: a row that matches several addresses (``12``
where only ``12A`` and ``12B`` exist) or none is reported with the reason
and the closest candidates (:class:`Unplaced`), and the summary counts how
many rows each method placed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np
import shapely

from .. import model as m
from ..model import normalise_postcode, normalise_words, street_key

POSTCODE_SPREAD_M = 300.0  # a postcode alone places a row only if its addresses lie within this of their middle
METHODS = ("coordinates", "bag_id", "postcode_number", "street_number", "postcode")

# Source column names (lower case, spaces as _) per address part.
ADDRESS_COLUMNS: dict[str, tuple[str, ...]] = {
    "bag_id": ("bag_id", "bag", "bagid", "bag_vbo_id", "verblijfsobject_id", "verblijfsobjectid", "vbo_id",
               "adresseerbaarobject_id", "adresseerbaarobjectid", "bag_pand_id", "pand_id", "identificatie"),
    "postcode": ("postcode", "post_code", "pc6", "postcode6", "zip", "zipcode", "postal_code"),
    "house_number": ("huisnummer", "huisnr", "huis_nr", "nummer", "nr", "house_number", "housenumber",
                     "number"),
    "house_letter": ("huisletter", "letter", "house_letter"),
    "house_number_addition": ("huisnummertoevoeging", "huisnummer_toevoeging", "toevoeging", "huisnr_toev",
                              "addition", "house_number_addition"),
    "street": ("straat", "straatnaam", "openbareruimtenaam", "openbare_ruimte", "openbare_ruimte_naam", "street",
               "streetname", "street_name"),
    "place": ("plaats", "woonplaats", "woonplaatsnaam", "plaatsnaam", "place", "city", "town", "kern"),
    "address": ("adres", "address", "straat_en_huisnummer", "bezoekadres", "locatie_adres"),
}
METHOD_LABELS = {
    "coordinates": ("coördinaten in het bestand", "coordinates in the file"),
    "bag_id": ("BAG-id", "BAG id"),
    "postcode_number": ("postcode en huisnummer", "postcode and house number"),
    "street_number": ("straat, huisnummer en plaats", "street, house number and place"),
    "postcode": ("alleen postcode (midden van de postcode)", "postcode only (middle of the postcode)"),
}
NOT_FOUND = "adres niet gevonden"
AMBIGUOUS = "adres niet eenduidig"
NO_ADDRESS = "geen coördinaten en geen adres"

_NUMBER = re.compile(r"^\s*(\d{1,5})\s*[-\s]?\s*([A-Za-z])?\s*(?:[-/\s]\s*([0-9A-Za-z]{1,4}))?\s*$")
_STREET_NUMBER = re.compile(r"^\s*(.*?[^\d\s,])[\s,]+(\d{1,5})\s*[-\s]?\s*([A-Za-z])?\s*(?:[-/\s]\s*([0-9A-Za-z]{1,4}))?"
                            r"\s*(?:,\s*(?:(\d{4}\s?[A-Za-z]{2})\s*)?(.*))?$")
_BAG_ID = re.compile(r"^\d{16}$")


def address_columns(columns: Iterable[str]) -> dict[str, str]:
    """Address part → source column, for the columns a file has."""
    lower = {str(c).strip().lower().replace(" ", "_").replace("-", "_"): c for c in columns}
    out = {}
    for part, names in ADDRESS_COLUMNS.items():
        col = next((lower[n] for n in names if n in lower), None)
        if col is not None and col not in out.values():
            out[part] = col
    return out


def has_address(columns: Iterable[str]) -> bool:
    found = address_columns(columns)
    return bool({"bag_id", "postcode", "address"} & set(found) or {"street", "house_number"} <= set(found))


@dataclass
class Address:
    """What a row says about where it is."""

    bag_id: str = ""
    postcode: str = ""
    number: int | None = None
    letter: str = ""
    addition: str = ""
    street: str = ""
    place: str = ""

    @property
    def empty(self) -> bool:
        return not (self.bag_id or self.postcode or self.street)

    def label(self) -> str:
        num = f"{self.number or ''}{self.letter}{('-' + self.addition) if self.addition else ''}"
        pc = f"{self.postcode[:4]} {self.postcode[4:]}" if self.postcode else ""
        if self.street:
            parts = [f"{self.street} {num}".strip(), f"{pc} {self.place}".strip()]
        else:
            parts = [f"{pc} {num}".strip(), self.place]
        text = ", ".join(p for p in parts if p)
        return text or (f"BAG {self.bag_id}" if self.bag_id else "")


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_address(row: dict[str, Any], cols: dict[str, str]) -> Address:
    """The address parts of one row (combined columns split: 'Kerkstraat 12a', '12-2')."""
    get = {part: _text(row.get(col)) for part, col in cols.items()}
    a = Address()
    bag = re.sub(r"\D", "", get.get("bag_id", "")).rjust(16, "0") if get.get("bag_id") else ""
    a.bag_id = bag if _BAG_ID.match(bag) and bag.strip("0") else ""
    a.postcode = normalise_postcode(get.get("postcode", ""))
    a.street, a.place = get.get("street", ""), get.get("place", "")
    number = get.get("house_number", "")
    if number:
        parsed = _NUMBER.match(number)
        if parsed:
            a.number = int(parsed.group(1))
            a.letter = (parsed.group(2) or "").upper()
            a.addition = (parsed.group(3) or "").upper()
    a.letter = (get.get("house_letter") or a.letter).strip().upper()
    a.addition = (get.get("house_number_addition") or a.addition).strip().upper()
    combined = get.get("address", "")
    if combined and (a.number is None or not a.street):
        parsed = _STREET_NUMBER.match(combined)
        if parsed:
            a.street = a.street or parsed.group(1).strip(" ,")
            if a.number is None:
                a.number = int(parsed.group(2))
                a.letter = a.letter or (parsed.group(3) or "").upper()
                a.addition = a.addition or (parsed.group(4) or "").upper()
            a.postcode = a.postcode or normalise_postcode(parsed.group(5) or "")
            a.place = a.place or (parsed.group(6) or "").strip()
    return a


@dataclass
class Candidate:
    label: str
    x: float
    y: float
    bag_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "x": round(self.x, 2), "y": round(self.y, 2), "bag_id": self.bag_id}


@dataclass
class Placement:
    """The outcome for one row: a point and the method, or a reason and candidates."""

    point: shapely.Point | None = None
    method: str = ""
    reason: str = ""
    candidates: list[Candidate] = field(default_factory=list)


def point_label(p: m.AddressPoint) -> str:
    num = f"{p.house_number or ''}{p.house_letter}{('-' + p.house_number_addition) if p.house_number_addition else ''}"
    text = ", ".join(s for s in (" ".join(x for x in (p.street, num) if x), " ".join(
        x for x in (p.postcode[:4] + " " + p.postcode[4:] if p.postcode else "", p.place) if x)) if s)
    return text or f"BAG {p.bag_id}"


def _cand(p: m.AddressPoint) -> Candidate:
    return Candidate(point_label(p), p.geometry.x, p.geometry.y, p.bag_id)


class AddressIndex:
    """The address points a set of rows may match, fetched from the store in
    a few queries, with the lookups the matching needs."""

    def __init__(self, store, addresses: list[Address]):
        self.store = store
        points = store.find_addresses(
            bag_ids={a.bag_id for a in addresses if a.bag_id},
            postcodes={a.postcode for a in addresses if a.postcode},
            street_keys={street_key(a.street, a.place) for a in addresses if a.street},
        )
        self.by_bag: dict[str, list[m.AddressPoint]] = {}
        self.by_pc: dict[str, list[m.AddressPoint]] = {}
        self.by_street: dict[str, list[m.AddressPoint]] = {}
        for p in points:
            if p.bag_id:
                self.by_bag.setdefault(p.bag_id, []).append(p)
            if p.postcode:
                self.by_pc.setdefault(p.postcode, []).append(p)
            if p.street_key:
                self.by_street.setdefault(p.street_key, []).append(p)
        self._street_keys: list[str] | None = None

    def street_keys(self) -> list[str]:
        if self._street_keys is None:
            self._street_keys = self.store.address_street_keys()
        return self._street_keys

    def place(self, a: Address) -> Placement:
        if a.empty:
            return Placement(reason=NO_ADDRESS)
        tried: list[Placement] = []
        if a.bag_id:
            hits = self.by_bag.get(a.bag_id, [])
            if len(hits) == 1 or (hits and _same_spot(hits)):
                return Placement(hits[0].geometry, "bag_id")
            tried.append(Placement(reason=NOT_FOUND))
        if a.postcode and a.number is not None:
            found = _by_number(self.by_pc.get(a.postcode, []), a, "postcode_number")
            if found.point is not None:
                return found
            tried.append(found)
        if a.street and a.number is not None:
            key = street_key(a.street, a.place)
            pool = self.by_street.get(key, [])
            if not pool and not a.place:  # no place given: any place with this street, if only one
                pool = [p for k, ps in self.by_street.items() if k.split("|")[0] == key.split("|")[0] for p in ps]
            found = _by_number(pool, a, "street_number")
            if found.point is not None:
                return found
            if not pool:
                close = difflib.get_close_matches(key, self.street_keys(), n=3, cutoff=0.75)
                found.candidates = found.candidates or [Candidate(k.replace("|", ", "), float("nan"), float("nan"))
                                                        for k in close]
            tried.append(found)
        if a.postcode and a.number is None:
            pool = self.by_pc.get(a.postcode, [])
            if pool:
                pts = shapely.points([(p.geometry.x, p.geometry.y) for p in pool])
                middle = shapely.centroid(shapely.multipoints(pts))
                spread = float(shapely.distance(pts, middle).max())
                if spread <= POSTCODE_SPREAD_M:
                    return Placement(shapely.Point(round(middle.x, 2), round(middle.y, 2)), "postcode")
                tried.append(Placement(reason=f"{AMBIGUOUS}: postcode zonder huisnummer beslaat {spread:.0f} m",
                                       candidates=[_cand(p) for p in _spread_sample(pool)]))
            else:
                tried.append(Placement(reason=NOT_FOUND))
        if not tried:
            return Placement(reason=f"{NOT_FOUND}: huisnummer ontbreekt")
        ambiguous = [t for t in tried if t.reason.startswith(AMBIGUOUS)]
        best = ambiguous[0] if ambiguous else tried[0]
        if not best.candidates:
            best.candidates = next((t.candidates for t in tried if t.candidates), [])
        return best


def _same_spot(points: list[m.AddressPoint]) -> bool:
    first = points[0].geometry
    return all(p.geometry.distance(first) < 1.0 for p in points)


def _norm(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", (value or "").upper())


def _by_number(pool: list[m.AddressPoint], a: Address, method: str) -> Placement:
    same = [p for p in pool if p.house_number == a.number]
    if not same:
        near = sorted(pool, key=lambda p: (abs((p.house_number or 0) - (a.number or 0)), p.house_number or 0,
                                           p.house_letter, p.house_number_addition))[:3]
        return Placement(reason=NOT_FOUND, candidates=[_cand(p) for p in near])
    want_letter, want_add = _norm(a.letter), _norm(a.addition)
    exact = [p for p in same if _norm(p.house_letter) == want_letter and _norm(p.house_number_addition) == want_add]
    if not exact and not want_letter and want_add and len(want_add) == 1 and want_add.isalpha():
        # '12 a' written as an addition where the BAG has letter A
        exact = [p for p in same if _norm(p.house_letter) == want_add and not _norm(p.house_number_addition)]
    if len(exact) == 1 or (exact and _same_spot(exact)):
        return Placement(exact[0].geometry, method)
    if not exact and not want_letter and not want_add and same and _same_spot(same):
        return Placement(same[0].geometry, method)  # 12A and 12B in one building: the building is the place
    reason = f"{AMBIGUOUS}: {len(same)} adressen met huisnummer {a.number}" if not exact else \
        f"{AMBIGUOUS}: {len(exact)} adressen"
    if exact or (not want_letter and not want_add):
        return Placement(reason=reason, candidates=[_cand(p) for p in (exact or same)[:5]])
    return Placement(reason=f"{NOT_FOUND}: {a.number}{a.letter}{('-' + a.addition) if a.addition else ''} "
                            "bestaat niet", candidates=[_cand(p) for p in same[:5]])


def _spread_sample(pool: list[m.AddressPoint], n: int = 3) -> list[m.AddressPoint]:
    ordered = sorted(pool, key=lambda p: (p.street, p.house_number or 0, p.house_letter))
    if len(ordered) <= n:
        return ordered
    return [ordered[0], ordered[len(ordered) // 2], ordered[-1]]


def place_rows(store, addresses: list[Address]) -> list[Placement]:
    """One :class:`Placement` per address (a few store queries in all)."""
    wanted = [a for a in addresses if not a.empty]
    if not wanted:
        return [Placement(reason=NO_ADDRESS) for _ in addresses]
    index = AddressIndex(store, wanted)
    return [index.place(a) for a in addresses]
