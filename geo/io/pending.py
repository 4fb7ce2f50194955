"""Rows kept for later placement (``--keep-unplaced``) and placing them.

An import keeps a row whose address was not found or was ambiguous as a
:class:`~geo.model.PendingPlace`, with the row's values, the address as
the file gave it, the reason and the closest candidate addresses. In the
app an admin picks one of those candidates, looks an address up by
postcode and house number, or clicks the map; :func:`place_pending` then
turns the row into a record of its layer — checked like any import — and
removes it from the list, in one transaction.
"""

from __future__ import annotations

from datetime import datetime, timezone

from shapely.geometry import Point

from .. import access
from .. import model as m
from ..access import Actor
from ..errors import ValidationError
from ..spatial import Locator, locator
from .addresses import point_label
from .places import PLACE_LAYERS


def pending_label(p: m.PendingPlace) -> str:
    title = p.data.get("name") or p.data.get("title") or p.data.get("text", "")[:40] or f"#{p.id}"
    return f"{title} — {p.address or '?'} ({p.reason})"


def lookup_address(store, postcode: str, number: str) -> list[tuple[str, Point]]:
    """Address points of a postcode (and house number, when given), labelled for a pick list."""
    from .addresses import Address, read_address

    pc = m.normalise_postcode(postcode)
    if not pc:
        return []
    a: Address = read_address({"nr": number}, {"house_number": "nr"}) if number.strip() else Address()
    found = store.find_addresses(postcodes=[pc])
    if a.number is not None:
        found = [p for p in found if p.house_number == a.number]
        if a.letter:
            found = [p for p in found if p.house_letter.upper() == a.letter] or found
    found.sort(key=lambda p: (p.house_number or 0, p.house_letter, p.house_number_addition))
    return [(point_label(p), p.geometry) for p in found[:50]]


def placement_choices(store, pending: m.PendingPlace, postcode: str = "", number: str = "",
                      click: tuple[float, float] | None = None,
                      clicked_label=lambda x, y: f"RD {x}, {y}") -> tuple[list[tuple[str, Point]], bool]:
    """The spots offered for a kept row, best first: the clicked spot (``click`` as lon/lat),
    then the addresses of a postcode lookup, else the row's candidates. The flag says that a
    lookup was asked for and found nothing."""
    from ..crs import lonlat_to_rd

    choices = [(c["label"], Point(c["x"], c["y"])) for c in pending.candidates]
    nothing = False
    if postcode.strip():
        found = lookup_address(store, postcode, number)
        nothing = not found
        choices = found or choices
    if click is not None:
        spot = Point(*lonlat_to_rd(*click))
        choices = [(clicked_label(round(spot.x), round(spot.y)), spot), *choices]
    return choices, nothing


def pending_map(buurten: list[m.Area], pending: m.PendingPlace):
    """A map to place a kept row: the buurten for orientation and its candidate addresses;
    a click on it offers the clicked spot (the map itself stays the same, so it does not remount)."""
    from ..maps import FeatureLayer, OfflineMap, esc, feature

    fmap = OfflineMap(location=(51.42, 5.57), zoom_start=13, tiles=None, control_scale=True)
    context = [feature(a.geometry, fid=f"ctx-{a.code}", tooltip=esc(a.name),
                       style={"color": "#666", "weight": 1, "fillOpacity": 0.05})
               for a in buurten if a.geometry is not None]
    layer = FeatureLayer(context, name="buurten")
    layer.add_to(fmap)
    marks = [feature(Point(c["x"], c["y"]), fid=f"cand-{i}", tooltip=esc(f"{i + 1}. {c['label']}"),
                     style={"color": "#d95f02", "fillColor": "#fdae61", "radius": 7, "weight": 2,
                            "fillOpacity": 0.8, "shape": "circle"})
             for i, c in enumerate(pending.candidates)]
    spots = FeatureLayer(marks, name="adressen")
    spots.add_to(fmap)
    bounds = spots.bounds() or layer.bounds()
    if bounds:
        fmap.fit_bounds(bounds, max_zoom=16)
    return fmap


def place_pending(store, actor: Actor, pending_id: int, point: Point, *,
                  index: Locator | None = None, include_outside: bool = False) -> m.Record:
    """Make the kept row a record of its layer at ``point`` (EPSG:28992) and drop it from the list."""
    access.check(actor, "data.import")
    pending = store.get(m.PendingPlace, pending_id)
    spec = PLACE_LAYERS.get(pending.layer)
    if spec is None:
        raise ValidationError(f"onbekende laag '{pending.layer}'", where="layer")
    code = locator(store, index).code_at(point)  # one row: the store answers
    if code is None and not include_outside:
        raise ValidationError("deze plek ligt buiten de buurten van de gemeente; kies een plek binnen de gemeente",
                              where="geometry")
    values = dict(pending.data)
    values["buurt_code"] = code or (values.get("buurt_code") if pending.layer == "activities" else None)
    if pending.layer == "suggestions":
        values.setdefault("created_at", datetime.now(timezone.utc).date().isoformat())
    try:
        record = spec.cls(**values, geometry=Point(round(point.x, 2), round(point.y, 2)))
    except TypeError as exc:
        raise ValidationError(f"de bewaarde rij past niet meer bij {pending.layer}: {exc}") from None
    record.validate()
    with store.transaction():
        store.add(record)
        store.delete(m.PendingPlace, pending_id)
        store.add(m.AuditEntry(
            at=datetime.now(timezone.utc).isoformat(timespec="seconds"), user=actor.name, action="data.place",
            target=pending.layer, detail=f"{pending.source}: geplaatst",
        ))
    return record


def discard_pending(store, actor: Actor, pending_id: int) -> None:
    access.check(actor, "data.import")
    pending = store.get(m.PendingPlace, pending_id)
    with store.transaction():
        store.delete(m.PendingPlace, pending_id)
        store.add(m.AuditEntry(
            at=datetime.now(timezone.utc).isoformat(timespec="seconds"), user=actor.name, action="data.place",
            target=pending.layer, detail=f"{pending.source}: niet geplaatst, verwijderd",
        ))
