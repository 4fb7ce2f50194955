"""The map explorer's logic, free of Streamlit: map events and choices."""

from __future__ import annotations

import math
from typing import Any

from . import model as m
from . import scope
from .maps.builder import MapData
from .spatial import Locator


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


def buurt_at_click(event: dict[str, Any] | None, index: Locator) -> tuple[tuple[float, float] | None, str | None]:
    """The click's position and the code of the buurt it fell in (or None).

    The app passes :class:`geo.spatial.StoreAreas`: the store answers the
    click (``ST_Covers`` on PostGIS), so no buurt is loaded to locate it."""
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
    """Gemeente code → name for every gemeente that has buurten (see :mod:`geo.scope`)."""
    return scope.municipalities(data.buurten, data.gemeenten)


def for_municipality(data: MapData, gm: str) -> MapData:
    """The part of ``data`` in one gemeente (see :func:`geo.scope.for_municipality`)."""
    return scope.for_municipality(data, gm)


def main_municipality(data: MapData) -> str | None:
    """The gemeente the explorer opens on: the one with the most plans, then
    the most map content (an imported neighbour does not take over the view)."""
    content = [x.buurt_code for layer in (data.activities, data.meeting_places, data.real_estate, data.suggestions)
               for x in layer]
    return scope.main_municipality(municipalities(data), data.plans.values(), content)
