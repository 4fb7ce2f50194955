"""Resident participation: pinning a suggestion, supporting one, following it.

Everything a resident does on the public page ``meedenken`` is a plain
function here, free of Streamlit, so it is tested directly:

- :func:`pin_at_click` / :func:`pin_in_buurt` turn a map click or a buurt
  picked from a list into a :class:`Pin` that knows its buurt (a pin outside
  the municipality is refused with a message);
- :func:`validate_draft`, :func:`near_duplicates` and :func:`submit` take a
  :class:`Draft` to a stored suggestion with a reference code such as
  ``WA-2026-0042`` (unique: numbered inside the write transaction, and
  guarded by a unique index, migration 4);
- :func:`check_limits` applies the text, per-session and per-minute limits
  of :class:`ParticipationConfig` (``data/participation.toml``);
- :func:`support` adds one supporter, once per browser session;
- :func:`public_suggestions` gives the published suggestions as
  :class:`PublicSuggestion` views: no contact details, pins optionally
  snapped to a grid (:func:`coarsen`).

A resident's e-mail address is stored only in ``contacts``, never on the
suggestion, and never appears in a view, a map or the audit log.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import folium
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from . import access
from . import model as m
from .access import Actor
from .config import read_toml
from .crs import lonlat_to_rd, rd_to_lonlat
from .errors import GeometryError, NotFound, StoreError, ValidationError, WijkatlasError
from .explore import clicked_lonlat
from .i18n import label, t
from .mail import drop as drop_messages
from .spatial import AreaIndex

CONFIG_PATH = Path(__file__).resolve().parent.parent / "data" / "participation.toml"
REFERENCE_PREFIX = "WA"
REFERENCE_RE = re.compile(r"^WA-(\d{4})-(\d{4,})$")
EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
# Statuses under which a resident can find (and support) a suggestion.
SUPPORTABLE = ("published", "in_plan", "answered")


class LimitReached(WijkatlasError):
    """A resident hit a submission limit; what they typed stays in the form."""


@dataclass(frozen=True)
class ParticipationConfig:
    """Limits and policy for resident input (see ``data/participation.toml``)."""

    hold_for_review: bool = True
    max_text_length: int = 1000
    min_text_length: int = 5
    max_email_length: int = 254
    duplicate_distance_m: float = 150.0
    per_session: int = 5
    per_minute: int = 30
    coarsen_grid_m: float = 0.0
    idle_minutes: float = 60.0
    max_failed_signins: int = 5
    signin_pause_seconds: float = 60.0
    account_max_failed_signins: int = 20
    account_signin_pause_seconds: float = 300.0
    initiative_max_eur: float = 25_000.0
    initiative_per_session: int = 3
    initiative_per_minute: int = 20
    evaluation_per_minute: int = 60

    @property
    def initial_status(self) -> str:
        return "received" if self.hold_for_review else "published"


def load_config(path: str | Path | None = None) -> ParticipationConfig:
    """Read the participation settings; a missing file gives the defaults."""
    path = Path(path) if path else CONFIG_PATH
    if not path.exists():
        return ParticipationConfig()
    doc = read_toml(path, "instellingenbestand")
    flat: dict[str, Any] = {}
    for section in doc.values():
        if isinstance(section, dict):
            flat.update(section)
    known = {f.name: f.type for f in fields(ParticipationConfig)}
    values = {}
    for name, value in flat.items():
        if name not in known:
            from .errors import ConfigError

            raise ConfigError(f"onbekende instelling '{name}'", where=str(path))
        default = getattr(ParticipationConfig, name)
        values[name] = type(default)(value)
    return ParticipationConfig(**values)


# --- where the pin goes ------------------------------------------------------------
@dataclass(frozen=True)
class Pin:
    """A place a resident chose, in WGS84 and RD New, with its buurt."""

    lon: float
    lat: float
    buurt_code: str | None

    @property
    def point(self) -> Point:
        return Point(*lonlat_to_rd(self.lon, self.lat))

    @property
    def inside(self) -> bool:
        return self.buurt_code is not None


def pin_at(lon: float, lat: float, index: AreaIndex) -> Pin:
    area = index.at_lonlat(lon, lat)
    return Pin(round(lon, 6), round(lat, 6), area.code if area else None)


def pin_at_click(event: dict[str, Any] | None, index: AreaIndex) -> Pin | None:
    """The pin for a streamlit-folium ``last_clicked`` event (None: no click)."""
    pos = clicked_lonlat(event)
    return pin_at(*pos, index) if pos else None


def pin_in_buurt(area: m.Area) -> Pin:
    """A pin inside a buurt picked from the list (a point surely inside it)."""
    if area.geometry is None:
        raise GeometryError(f"buurt {area.code} heeft geen grens", where="buurt")
    p = area.geometry.representative_point()
    lon, lat = rd_to_lonlat(p.x, p.y)
    return Pin(round(lon, 6), round(lat, 6), area.code)


# --- the draft and its checks -----------------------------------------------------------
@dataclass
class Draft:
    """What a resident has filled in, before it is stored."""

    category: str
    text: str
    pin: Pin | None
    email: str = ""


def validate_draft(draft: Draft, config: ParticipationConfig | None = None) -> None:
    """Raise :class:`ValidationError` naming the field a resident must fix."""
    config = config or load_config()
    if draft.pin is None:
        raise ValidationError("kies een plek: klik op de kaart of kies een buurt", where="plek")
    if not draft.pin.inside:
        raise ValidationError("deze plek ligt buiten de gemeente; kies een plek binnen de gemeente", where="plek")
    if draft.category not in m.SUGGESTION_CATEGORIES:
        raise ValidationError("kies een categorie", where="categorie")
    text = (draft.text or "").strip()
    if len(text) < config.min_text_length:
        raise ValidationError(f"schrijf ten minste {config.min_text_length} tekens", where="tekst")
    if len(text) > config.max_text_length:
        raise ValidationError(
            f"is te lang ({len(text)} tekens, maximaal {config.max_text_length})", where="tekst"
        )
    email = (draft.email or "").strip()
    if email and (len(email) > config.max_email_length or not EMAIL_RE.match(email)):
        raise ValidationError("dit is geen geldig e-mailadres (of laat het veld leeg)", where="e-mail")


def _parse_time(value: str) -> datetime | None:
    try:
        dt = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def recent_submissions(store, now: datetime, seconds: int = 60) -> int:
    """How many suggestions were stored in the last ``seconds`` (all residents)."""
    since = now - timedelta(seconds=seconds)
    count = 0
    for s in store.list(m.Suggestion, order_by="-id"):
        at = _parse_time(s.created_at)
        if at is not None and at > since:
            count += 1
    return count


def check_limits(store, session_count: int, config: ParticipationConfig, now: datetime | None = None) -> None:
    """Refuse a submission beyond the per-session or per-minute limit."""
    if session_count >= config.per_session:
        raise LimitReached(
            f"u heeft in deze sessie al {session_count} suggesties ingestuurd (maximaal {config.per_session}); "
            "probeer het later nog eens"
        )
    now = now or now_utc()
    if recent_submissions(store, now) >= config.per_minute:
        raise LimitReached(
            "er komen op dit moment erg veel suggesties binnen; wacht een minuut en verstuur opnieuw "
            "(uw tekst blijft staan)"
        )


def near_duplicates(store, category: str, point: BaseGeometry, config: ParticipationConfig | None = None,
                    exclude: int | None = None) -> list[tuple[m.Suggestion, float]]:
    """Public suggestions of the same category within the duplicate distance,
    nearest first, with their distance in metres.

    Distances are measured to the pins as the public sees them (coarsened):
    a distance to the exact pin, shown to anyone who previews a draft, would
    let a few previews from different spots triangulate someone's front door.
    """
    config = config or load_config()
    found = []
    for s in store.list(m.Suggestion, category=category, status=list(SUPPORTABLE)):
        if s.geometry is None or s.id == exclude:
            continue
        d = coarsen(s.geometry, config.coarsen_grid_m).distance(point)
        if d <= config.duplicate_distance_m:
            found.append((s, round(d, 1)))
    return sorted(found, key=lambda pair: (pair[1], pair[0].id))


# --- reference codes and submission -----------------------------------------------------
def format_reference(year: int, number: int) -> str:
    return f"{REFERENCE_PREFIX}-{year}-{number:04d}"


def next_reference(store, year: int) -> str:
    """The next free reference of ``year``; call inside a write transaction."""
    highest = 0
    for s in store.list(m.Suggestion):
        match = REFERENCE_RE.match(s.reference or "")
        if match and int(match.group(1)) == year:
            highest = max(highest, int(match.group(2)))
    return format_reference(year, highest + 1)


def submit(store, actor: Actor, draft: Draft, config: ParticipationConfig | None = None,
           session_count: int = 0, now: datetime | None = None, index: AreaIndex | None = None) -> m.Suggestion:
    """Store a resident's suggestion and return it with its reference code.

    The e-mail address (if any) goes to ``contacts`` in the same transaction.
    Raises :class:`ValidationError` for a field to fix and
    :class:`LimitReached` when a limit is hit; nothing is stored then.
    """
    access.check(actor, "suggestion.submit")
    config = config or load_config()
    if draft.pin is not None:
        # The buurt comes from the store, not from what the session claims.
        draft.pin = pin_at(draft.pin.lon, draft.pin.lat, index or AreaIndex.from_store(store))
    validate_draft(draft, config)
    now = now or now_utc()
    for attempt in range(5):
        try:
            with store.transaction():
                check_limits(store, session_count, config, now)
                suggestion = m.Suggestion(
                    category=draft.category,
                    text=draft.text.strip(),
                    geometry=draft.pin.point,
                    status=config.initial_status,
                    created_at=now.isoformat(),
                    reference=next_reference(store, now.year),
                    buurt_code=draft.pin.buurt_code,
                )
                store.add(suggestion)
                if draft.email.strip():
                    store.add(m.Contact(suggestion_id=suggestion.id, email=draft.email.strip()))
            return suggestion
        except StoreError as exc:
            # Another server took the same number between our read and write
            # (only possible on a backend without serialised writers): retry.
            if "UNIQUE" not in str(exc) or attempt == 4:
                raise
    raise AssertionError("unreachable")


def find_by_reference(store, reference: str) -> m.Suggestion:
    reference = (reference or "").strip().upper()
    if not REFERENCE_RE.match(reference):
        raise NotFound(f"'{reference[:20]}' is geen kenmerk; een kenmerk ziet eruit als WA-2026-0042",
                       where="kenmerk")
    found = store.list(m.Suggestion, reference=reference)
    if not found:
        raise NotFound(f"geen suggestie met kenmerk '{reference}'", where="kenmerk")
    return found[0]


def delete_contact(store, actor: Actor, reference: str) -> int:
    """Delete the e-mail address(es) left with a suggestion (AVG request).

    Returns how many were deleted; the suggestion itself stays. The audit
    entry names the reference only, never the address.
    """
    access.check(actor, "contacts.delete")
    with store.transaction():
        s = find_by_reference(store, reference)
        contacts = store.list(m.Contact, suggestion_id=s.id)
        for c in contacts:
            drop_messages(store, f":contact:{c.id}")
            store.delete(m.Contact, c.id)
        store.add(m.AuditEntry(at=now_utc().isoformat(), user=actor.name, action="contacts.delete",
                               target=s.reference, detail=f"{len(contacts)} verwijderd"))
    return len(contacts)


def delete_contacts_by_email(store, actor: Actor, email: str) -> tuple[int, list[str]]:
    """Delete every stored copy of one e-mail address (AVG request from a
    resident who no longer has their reference codes).

    Compared without regard to case or surrounding spaces. Returns how many
    were deleted and the references of the suggestions they were left with;
    the suggestions stay.
    The audit entry names those references, never the address.
    """
    access.check(actor, "contacts.delete")
    wanted = (email or "").strip().lower()
    if not wanted or "@" not in wanted:
        raise ValidationError("geef het e-mailadres dat verwijderd moet worden", where="--email")
    with store.transaction():
        found = [c for c in store.list(m.Contact) if (c.email or "").strip().lower() == wanted]
        references = []
        for c in found:
            if store.exists(m.Suggestion, c.suggestion_id):
                references.append(store.get(m.Suggestion, c.suggestion_id).reference or f"suggestie {c.suggestion_id}")
            drop_messages(store, f":contact:{c.id}")
            store.delete(m.Contact, c.id)
        initiative_contacts = [c for c in store.list(m.InitiativeContact)
                               if (c.email or "").strip().lower() == wanted]
        for c in initiative_contacts:
            if store.exists(m.Initiative, c.initiative_id):
                references.append(store.get(m.Initiative, c.initiative_id).reference or f"initiatief {c.initiative_id}")
            drop_messages(store, f":icontact:{c.id}")
            store.delete(m.InitiativeContact, c.id)
        found += initiative_contacts
        references = sorted(set(references))
        store.add(m.AuditEntry(at=now_utc().isoformat(), user=actor.name, action="contacts.delete",
                               target=", ".join(references) or "-",
                               detail=f"{len(found)} verwijderd (op e-mailadres)"))
    return len(found), references


def support(store, actor: Actor, suggestion_id: int, supported: set[int]) -> int:
    """Add the session's support to a public suggestion; once per session.

    ``supported`` is the set of ids this browser session already supported
    (kept by the page); it is updated. Returns the new number of supporters.
    """
    access.check(actor, "suggestion.support")
    if suggestion_id in supported:
        raise ValidationError("u steunt deze suggestie al", where="steun")
    s = store.get(m.Suggestion, suggestion_id)
    if s.status not in SUPPORTABLE:
        raise NotFound("deze suggestie is niet (meer) openbaar")
    count = store.increment(m.Suggestion, suggestion_id, "supporters")
    supported.add(suggestion_id)
    return count


# --- what the public sees ----------------------------------------------------------------
def coarsen(point: BaseGeometry, grid_m: float) -> BaseGeometry:
    """Snap a point (RD New) to the centre of its grid cell of ``grid_m`` metres."""
    if not grid_m or point is None or point.geom_type != "Point":
        return point
    x = (math.floor(point.x / grid_m) + 0.5) * grid_m
    y = (math.floor(point.y / grid_m) + 0.5) * grid_m
    return Point(x, y)


@dataclass(frozen=True)
class ActivityLink:
    id: int
    title: str
    status: str
    start: str = ""
    end: str = ""


@dataclass(frozen=True)
class PublicSuggestion:
    """A suggestion as the public sees it: no contact, pin maybe coarsened."""

    id: int
    reference: str
    category: str
    text: str
    status: str
    buurt_code: str | None
    supporters: int
    answer: str
    created_on: str
    geometry: BaseGeometry | None
    activity: ActivityLink | None = None


def public_view(store, s: m.Suggestion, grid_m: float = 0.0) -> PublicSuggestion:
    activity = None
    if s.activity_id is not None and store.exists(m.Activity, s.activity_id):
        a = store.get(m.Activity, s.activity_id)
        activity = ActivityLink(a.id, a.title, a.status, a.start, a.end)
    return PublicSuggestion(
        id=s.id,
        reference=s.reference,
        category=s.category,
        text=s.text,
        status=s.status,
        buurt_code=s.buurt_code,
        supporters=s.supporters,
        answer=s.answer if s.status in ("answered", "not_taken", "in_plan") else "",
        created_on=(s.created_at or "")[:10],
        geometry=coarsen(s.geometry, grid_m),
        activity=activity,
    )


def public_suggestions(store, buurt: str | None = None, category: str | None = None,
                       grid_m: float = 0.0) -> list[PublicSuggestion]:
    """The suggestions anyone may see, most supported first."""
    where: dict[str, Any] = {"status": list(m.PUBLIC_SUGGESTION_STATUSES)}
    if buurt:
        where["buurt_code"] = buurt
    if category:
        where["category"] = category
    found = store.list(m.Suggestion, **where)
    found.sort(key=lambda s: (-(s.supporters or 0), s.id))
    return [public_view(store, s, grid_m) for s in found]


def track(store, reference: str, grid_m: float = 0.0) -> PublicSuggestion:
    """A resident following their own suggestion by its reference code.

    Shows the status even while it waits for review (the text is theirs);
    hidden, rejected and merged ones say so without their text being public.
    """
    s = find_by_reference(store, reference)
    return public_view(store, s, grid_m)


def status_text(view: PublicSuggestion, lang: str = "nl") -> str:
    """One line saying where a suggestion stands, for the public."""
    text = t(f"res.status.{view.status}", lang)
    if view.status == "in_plan" and view.activity:
        text += f": {view.activity.title} ({label(view.activity.status, lang)})"
    if view.answer and view.status in ("answered", "not_taken"):
        text += f" — {view.answer}"
    return text


# --- maps ------------------------------------------------------------------------------------
def _base_map(buurten: list[m.Area], basemap: str, lang: str, height: int):
    from .maps import BASEMAPS, FeatureLayer, OfflineMap, esc, feature

    fmap = OfflineMap(location=(51.43, 5.59), zoom_start=13, tiles=None, control_scale=True, height=height)
    base = BASEMAPS.get(basemap)
    if base:
        folium.TileLayer(tiles=base["tiles"], attr=base["attr"], max_zoom=base["max_zoom"], control=False,
                         name=basemap).add_to(fmap)
    feats = [
        feature(a.geometry, fid=a.code, style={"color": "#333", "weight": 1, "fillColor": "#c6dbef",
                                                 "fillOpacity": 0.15, "className": f"wa-area wa-{a.code}"},
                tooltip=esc(a.name))
        for a in sorted(buurten, key=lambda a: a.code)
        if a.geometry is not None
    ]
    layer = FeatureLayer(feats, name="buurten")
    layer.add_to(fmap)
    bounds = layer.bounds()
    if bounds:
        fmap.fit_bounds(bounds)
    return fmap


def pin_map(buurten: list[m.Area], lang: str = "nl", basemap: str = "brt", height: int = 480):
    """The map a resident clicks to drop a pin (the pin itself: :func:`pin_group`)."""
    return _base_map(buurten, basemap, lang, height)


def pin_group(pin: Pin | None):
    """The dropped pin, sent separately so a click does not remount the map."""
    from .maps import FeatureLayer, feature

    group = folium.FeatureGroup(name="pin", control=False)
    if pin is not None:
        FeatureLayer([feature(pin.point, fid="pin", style={"shape": "pin", "fillColor": "#e7298a"})],
                     name="pin", interactive=False).add_to(group)
    return group


def suggestion_popup(view: PublicSuggestion, lang: str = "nl") -> str:
    """Escaped popup HTML for a public pin."""
    from .maps import html_table

    rows = [
        (t("col.category", lang), label(view.category, lang)),
        (t("col.status", lang), status_text(view, lang)),
        (t("col.supporters", lang), view.supporters),
        (t("res.col.text", lang), view.text),
    ]
    return html_table(rows, title=view.reference)


def public_map(views: list[PublicSuggestion], buurten: list[m.Area], lang: str = "nl", basemap: str = "brt",
               height: int = 480, focus: BaseGeometry | None = None):
    """Published suggestions as pins, their popups escaped (``focus``: zoom to
    about 300 m around that point, for a moderator opening one)."""
    from .maps import FeatureLayer, Legend, esc, feature
    from .maps.style import SUGGESTION_COLOURS

    fmap = _base_map(buurten, basemap, lang, height)
    feats = [
        feature(
            v.geometry,
            fid=f"suggestion-{v.id}",
            style={"shape": "pin", "color": "#fff", "fillColor": SUGGESTION_COLOURS.get(v.category, "#555")},
            tooltip=f"{esc(label(v.category, lang))}: {esc(v.text[:80])}",
            popup=suggestion_popup(v, lang),
            props={"_label": label(v.category, lang)},
        )
        for v in views
        if v.geometry is not None
    ]
    FeatureLayer(feats, name="suggestions").add_to(fmap)
    Legend([(t("layer.suggestions", lang),
             [(label(c, lang), {"fillColor": SUGGESTION_COLOURS[c]}) for c in m.SUGGESTION_CATEGORIES])]).add_to(fmap)
    if focus is not None:
        from .crs import to_web

        minx, miny, maxx, maxy = to_web(focus.buffer(300)).bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


__all__ = [
    "ActivityLink",
    "Draft",
    "LimitReached",
    "ParticipationConfig",
    "Pin",
    "PublicSuggestion",
    "check_limits",
    "coarsen",
    "delete_contact",
    "delete_contacts_by_email",
    "find_by_reference",
    "load_config",
    "near_duplicates",
    "next_reference",
    "pin_at",
    "pin_at_click",
    "pin_in_buurt",
    "pin_map",
    "public_map",
    "public_suggestions",
    "status_text",
    "submit",
    "support",
    "track",
]
