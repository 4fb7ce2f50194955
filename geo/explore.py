"""The map explorer's logic, free of Streamlit: map events and choices."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from . import model as m
from .maps.builder import MapData
from .spatial import AreaIndex


def clicked_lonlat(event: dict[str, Any] | None) -> tuple[float, float] | None:
    """The (lon, lat) of the last click in a streamlit-folium return value."""
    if not event:
        return None
    click = event.get("last_clicked")
    if not click:
        return None
    try:
        lon, lat = float(click["lng"]), float(click["lat"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return None
    return lon, lat


def buurt_at_click(event: dict[str, Any] | None, index: AreaIndex) -> tuple[tuple[float, float] | None, str | None]:
    """The click's position and the code of the buurt it fell in (or None)."""
    pos = clicked_lonlat(event)
    if pos is None:
        return None, None
    area = index.at_lonlat(*pos)
    return pos, (area.code if area else None)


def choropleth_figures(buurten: list[m.Area]) -> list[str]:
    """The key figures worth colouring by: known ones first, then any other
    figure that at least one buurt has a value for."""
    present = {k for a in buurten for k, v in a.figures.items() if v is not None}
    known = [f for f in m.KEY_FIGURES if f in present]
    return known + sorted(present - set(known))


def is_demo(areas: list[m.Area]) -> bool:
    return any("demo" in (a.source or "") for a in areas)


def municipalities(data: MapData) -> dict[str, str]:
    """Gemeente code → name for every gemeente that has buurten, by name.

    The name comes from the stored gemeente area, else from the code (a file
    of buurten alone need not carry its gemeente)."""
    named = {a.code: a.name for a in data.gemeenten}
    codes = {a.municipality_code for a in data.buurten}
    return dict(sorted(((c, named.get(c) or c) for c in codes), key=lambda p: (p[1].lower(), p[0])))


def for_municipality(data: MapData, gm: str) -> MapData:
    """The part of ``data`` in one gemeente: its buurten, wijken and outline,
    and the points whose buurt lies in it (a new object; ``data`` is the
    shared cached copy and stays as it is)."""
    prefix = gm[2:6]

    def inside(code: str | None) -> bool:
        return bool(code) and code[2:6] == prefix

    return replace(  # fields added later pass through unfiltered
        data,
        buurten=[a for a in data.buurten if inside(a.code)],
        wijken=[a for a in data.wijken if inside(a.code)],
        gemeenten=[a for a in data.gemeenten if a.code == gm],
        plans={c: p for c, p in data.plans.items() if inside(c)},
        activities=[x for x in data.activities if inside(x.buurt_code)],
        meeting_places=[x for x in data.meeting_places if inside(x.buurt_code)],
        real_estate=[x for x in data.real_estate if inside(x.buurt_code)],
        suggestions=[x for x in data.suggestions if inside(x.buurt_code)],
    )


def main_municipality(data: MapData) -> str | None:
    """The gemeente the explorer opens on: the one with the most plans, then
    the most map content (an imported neighbour does not take over the view)."""
    names = municipalities(data)
    if not names:
        return None
    weight = {gm: [0, 0] for gm in names}
    for code in data.plans:
        if ("GM" + code[2:6]) in weight:
            weight["GM" + code[2:6]][0] += 1
    for layer in (data.activities, data.meeting_places, data.real_estate, data.suggestions):
        for x in layer:
            if x.buurt_code and ("GM" + x.buurt_code[2:6]) in weight:
                weight["GM" + x.buurt_code[2:6]][1] += 1
    return max(names, key=lambda gm: (weight[gm][0], weight[gm][1]))
