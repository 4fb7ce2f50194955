"""One gemeente at a time: which records belong to the gemeente a page shows.

A database may hold several gemeenten (a neighbour imported beside
Geldrop-Mierlo). Every page shows one of them — the one chosen in the
sidebar, remembered for the session — and an admin may choose "all
gemeenten" on the pages that make sense of it (``PageEntry.all_gemeenten``
in :mod:`geo.navigation`).

API for pages (Streamlit side, in :mod:`geo.web`)::

    scope = web.gemeente()            # the session's Scope for this page
    scope.code                        # "GM1771", or None for all gemeenten
    scope.name                        # "Geldrop-Mierlo" / "alle gemeenten"
    scope.contains("BU17710005")      # any GM/WK/BU code, or None
    web.scoped_map_data()                       # the explorer layers of the gemeente, read by its box
    web.cached_addresses()                      # the address points (columns), filtered
    scope.areas(store.list(m.Area, level="buurt"))
    scope.records(store.list(m.MeetingPlace))   # by buurt_code
    scope.activities(store.list(m.Activity), store.list(m.Plan))

This module holds the logic without Streamlit; :func:`geo.web.gemeente`
reads the session's choice and :func:`geo.web.gemeente_picker` (called by
the frame, ``app.py``) draws the picker in the sidebar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable, NamedTuple, TypeVar

import numpy as np

from . import model as m
from .columns import Columns

ALL = "*"  # the session value for "all gemeenten" (admins, on pages that allow it)
_CODE = re.compile(r"^(GM|WK|BU)(\d{4})")

T = TypeVar("T")


def gemeente_of(code: str | None) -> str | None:
    """The gemeente code of a GM/WK/BU code (``BU17710005`` → ``GM1771``); None otherwise."""
    match = _CODE.match(code or "")
    return f"GM{match.group(2)}" if match else None


def codes_in_gemeente(codes: np.ndarray, gm: str, unplaced: bool = False) -> np.ndarray:
    """Column-wise :func:`gemeente_of` ``== gm`` for an array of area codes
    (empty or None: ``unplaced``): a boolean mask."""
    codes = np.asarray(codes, dtype=object)
    empty = (codes == None) | (codes == "")  # noqa: E711 - element-wise on an object array
    text = np.where(empty, "", codes).astype(str)
    inside = np.zeros(len(codes), dtype=bool)
    if re.fullmatch(r"GM\d{4}", gm or ""):  # anything else is no gemeente_of() of any code
        for prefix in ("GM", "WK", "BU"):
            inside |= np.char.startswith(text, prefix + gm[2:6])
    return np.where(empty, unplaced, inside)


@dataclass(frozen=True)
class Scope:
    """The gemeente a page shows (``code``), or all of them (``code`` None)."""

    code: str | None
    name: str
    unplaced: bool = True  # also records outside every buurt (the main gemeente, or all)

    @property
    def is_all(self) -> bool:
        return self.code is None

    def contains(self, code: str | None) -> bool:
        """Whether an area code (or a record's ``buurt_code``) lies in this scope.

        Records outside every buurt (imported with "include outside") show
        with the main gemeente and under "all gemeenten"."""
        if self.is_all:
            return True
        if not code:
            return self.unplaced
        return gemeente_of(code) == self.code

    def areas(self, areas: Iterable[m.Area]) -> list[m.Area]:
        return [a for a in areas if self.contains(a.code)]

    def records(self, records: Iterable[T], attr: str = "buurt_code") -> list[T]:
        """Records whose ``attr`` (a buurt code by default) lies in this scope."""
        return [r for r in records if self.contains(getattr(r, attr))]

    def activities(self, activities: Iterable[m.Activity], plans: Iterable[m.Plan]) -> list[m.Activity]:
        """Activities in this scope: by their buurt, else by their plan's area."""
        area_of = {p.id: p.area_code for p in plans}
        return [a for a in activities if self.contains(a.buurt_code or area_of.get(a.plan_id))]

    def address_points(self, points):
        """The address points in this scope: :class:`geo.columns.Columns` are
        filtered column-wise (hundreds of thousands of rows, no record per
        row; the very same object when all of them lie in the scope); a list
        of records by :meth:`records`."""
        if self.is_all:
            return points
        if not isinstance(points, Columns):
            return self.records(points)
        mask = codes_in_gemeente(points["buurt_code"], self.code, self.unplaced)
        return points if mask.all() else points.take(mask)

    def map_data(self, data):
        """The part of a :class:`geo.maps.MapData` in this scope (a new object;
        ``data`` is the shared cached copy and stays as it is)."""
        if self.is_all:
            return data
        return for_municipality(data, self.code, self.unplaced)


def for_municipality(data, gm: str, unplaced: bool = False):
    """The part of a :class:`geo.maps.MapData` in one gemeente: its buurten,
    wijken and outline, and the points whose buurt lies in it (with
    ``unplaced`` also the points outside every buurt)."""

    def inside(code: str | None) -> bool:
        return gemeente_of(code) == gm if code else unplaced

    area_of = {p.id: c for c, p in data.plans.items()}
    return replace(  # fields added later pass through unfiltered
        data,
        buurten=[a for a in data.buurten if inside(a.code)],
        wijken=[a for a in data.wijken if inside(a.code)],
        gemeenten=[a for a in data.gemeenten if a.code == gm],
        plans={c: p for c, p in data.plans.items() if inside(c)},
        activities=[x for x in data.activities if inside(x.buurt_code or area_of.get(x.plan_id))],
        meeting_places=[x for x in data.meeting_places if inside(x.buurt_code)],
        real_estate=[x for x in data.real_estate if inside(x.buurt_code)],
        suggestions=[x for x in data.suggestions if inside(x.buurt_code)],
    )


def municipalities(buurten: Iterable[m.Area], gemeenten: Iterable[m.Area] = ()) -> dict[str, str]:
    """Gemeente code → name for every gemeente that has buurten, by name.

    The name comes from the stored gemeente area, else from the code (a file
    of buurten alone need not carry its gemeente)."""
    named = {a.code: a.name for a in gemeenten}
    codes = {gemeente_of(a.code) for a in buurten} - {None}
    return dict(sorted(((c, named.get(c) or c) for c in codes), key=lambda p: (p[1].lower(), p[0])))


def main_municipality(names: dict[str, str], plans: Iterable[m.Plan], content_codes: Iterable[str | None] = ()
                      ) -> str | None:
    """The gemeente a session opens on: the one with the most plans, then the
    most map content (an imported neighbour does not take over the view)."""
    if not names:
        return None
    weight = {gm: [0, 0] for gm in names}
    for p in plans:
        gm = gemeente_of(p.area_code)
        if gm in weight:
            weight[gm][0] += 1
    for code in content_codes:
        gm = gemeente_of(code)
        if gm in weight:
            weight[gm][1] += 1
    return max(names, key=lambda gm: (weight[gm][0], weight[gm][1]))


class _Named(NamedTuple):
    code: str
    name: str
    level: str


@dataclass(frozen=True)
class Gemeenten:
    """The gemeenten of a store, read once per data version."""

    names: dict[str, str]  # code → name, by name
    main: str | None  # where a new session starts

    @classmethod
    def from_store(cls, store) -> "Gemeenten":
        # Codes and names only, never a boundary: the whole country's 14,500 buurten
        # with their geometry took a second, on every first run after a write.
        areas = store.read_columns(m.Area, ["code", "name", "level"], level=["buurt", "gemeente"])
        rows = [_Named(c, n, lv) for c, n, lv in zip(*(areas[f].tolist() for f in ("code", "name", "level")))]
        names = municipalities([r for r in rows if r.level == "buurt"], [r for r in rows if r.level == "gemeente"])
        content = [c for layer in (m.MeetingPlace, m.RealEstate, m.Activity)
                   for c in store.read_columns(layer, ["buurt_code"])["buurt_code"].tolist()]
        return cls(names, main_municipality(names, store.list(m.Plan), content))

    def scope(self, choice: str | None, allow_all: bool, all_name: str) -> Scope:
        """The scope for a stored session choice: a known gemeente, "all"
        where allowed, else the main gemeente."""
        if choice == ALL and allow_all:
            return Scope(None, all_name)
        if self.main is None:  # an empty database: nothing to filter
            return Scope(None, all_name)
        code = choice if choice in self.names else self.main
        return Scope(code, self.names[code], unplaced=code == self.main)
