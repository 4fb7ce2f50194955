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
- :func:`check_limits` applies the per-client, per-address and server-wide
  limits of :class:`ParticipationConfig` (``data/participation.toml``); a
  client is a :class:`geo.clients.Client` (signed browser cookie and
  address), counted in the store so limits survive reloads and new tabs;
- :func:`support` adds one supporter, once per client (and at most
  ``supports_per_address`` per address), recorded in ``supports`` so merges
  count a supporter of both suggestions once;
- every suggestion gets a random *follow code* (:func:`new_follow_code`):
  only its author has it, and only with it (or from the author's own
  browser) can an unreviewed or hidden suggestion be followed;
- :func:`public_suggestions` gives the published suggestions as
  :class:`PublicSuggestion` views: no contact details, pins optionally
  snapped to a grid (:func:`coarsen`).

A resident's e-mail address is stored only in ``contacts``, never on the
suggestion, and never appears in a view, a map or the audit log.
"""

from __future__ import annotations

import math
import re
import secrets
import unicodedata
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, TypeVar

import folium
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from . import access
from . import model as m
from .access import Actor
from .clients import Client, check_rate, record
from .config import read_toml
from .crs import lonlat_to_rd, rd_to_lonlat
from .errors import GeometryError, NotFound, StoreError, ValidationError, WijkatlasError
from .explore import clicked_lonlat
from .i18n import label, t
from .mail import drop as drop_messages
from .spatial import Locator, locator
from .text import clean_text

T = TypeVar("T")

CONFIG_PATH = Path(__file__).resolve().parent.parent / "data" / "participation.toml"
REFERENCE_PREFIX = "WA"
REFERENCE_RE = re.compile(r"^WA-(\d{4})-(\d{4,})$")
EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
FOLLOW_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
FOLLOW_RE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")
# Statuses under which a resident can find (and support) a suggestion.
SUPPORTABLE = ("published", "in_plan", "answered")


class LimitReached(WijkatlasError):
    """A resident hit a submission limit; what they typed stays in the form.

    ``kind``: ``client`` (this browser), ``address`` (this address) or
    ``busy`` (the server-wide last line of defence)."""

    def __init__(self, message: str, where: str | None = None, kind: str = "client"):
        super().__init__(message, where=where)
        self.kind = kind


@dataclass(frozen=True)
class ParticipationConfig:
    """Limits and policy for resident input (see ``data/participation.toml``)."""

    hold_for_review: bool = True
    max_text_length: int = 1000
    min_text_length: int = 5
    max_email_length: int = 254
    duplicate_distance_m: float = 150.0
    per_client: int = 5
    per_address: int = 20
    limit_window_minutes: float = 60.0
    per_minute: int = 300
    supports_per_address: int = 5
    coarsen_grid_m: float = 0.0
    idle_minutes: float = 60.0
    max_failed_signins: int = 5
    signin_pause_seconds: float = 60.0
    account_max_failed_signins: int = 20
    account_signin_pause_seconds: float = 300.0
    address_max_failed_signins: int = 50
    initiative_max_eur: float = 25_000.0
    initiative_per_client: int = 3
    initiative_per_address: int = 10
    initiative_per_minute: int = 20
    evaluation_per_address: int = 30
    evaluation_per_minute: int = 60
    trusted_proxies: tuple = ()

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


def pin_at(lon: float, lat: float, index: Locator) -> Pin:
    area = index.at_lonlat(lon, lat)
    return Pin(round(lon, 6), round(lat, 6), area.code if area else None)


def pin_at_click(event: dict[str, Any] | None, index: Locator) -> Pin | None:
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
    """Raise :class:`ValidationError` naming the field a resident must fix
    (the text is measured as it will be stored: NFC, no control characters)."""
    config = config or load_config()
    draft.text = clean_text(draft.text or "")
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
    since = (now - timedelta(seconds=seconds)).isoformat()
    return store.count_since(m.Suggestion, "created_at", since)


SUBMIT_ACTION = "suggestion.submit"


def check_limits(store, client: Client, config: ParticipationConfig, now: datetime | None = None) -> None:
    """Refuse a submission beyond this client's, this address's or the
    server's limit (:class:`LimitReached` with its ``kind``)."""
    now = now or now_utc()
    window = config.limit_window_minutes * 60
    hit = check_rate(store, client, SUBMIT_ACTION, config.per_client, config.per_address, window, now.timestamp())
    if hit == "client":
        raise LimitReached(
            f"u heeft het afgelopen uur al {config.per_client} suggesties ingestuurd (maximaal {config.per_client}); "
            "probeer het later nog eens", kind="client")
    if hit == "address":
        raise LimitReached(
            f"vanaf dit internetadres zijn het afgelopen uur al {config.per_address} suggesties ingestuurd; "
            "probeer het later nog eens", kind="address")
    if config.per_minute and recent_submissions(store, now) >= config.per_minute:
        raise LimitReached("er komen op dit moment erg veel suggesties binnen; wacht een minuut en verstuur opnieuw",
                           kind="busy")


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
    # The database answers "what lies near" (PostGIS: ST_DWithin on its index); a coarsened
    # pin lies at most a grid cell's half-diagonal from the stored one, so ask that much wider.
    reach = config.duplicate_distance_m + (config.coarsen_grid_m or 0.0)
    for s in store.within_distance(m.Suggestion, point, reach, category=category, status=list(SUPPORTABLE)):
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
    prefix = f"{REFERENCE_PREFIX}-{year:04d}-"
    # The references alone, as one column: every suggestion with its pin took a second
    # at 100,000 suggestions, inside the write transaction of each submission.
    for reference in store.read_columns(m.Suggestion, ["reference"])["reference"].tolist():
        if reference and reference.startswith(prefix):
            match = REFERENCE_RE.match(reference)
            if match and int(match.group(1)) == year:
                highest = max(highest, int(match.group(2)))
    return format_reference(year, highest + 1)


def new_follow_code() -> str:
    """A random follow code such as ``K7M2-QX9D-4HTP`` (about 60 bits;
    no 0/O, 1/I/L look-alikes)."""
    raw = "".join(secrets.choice(FOLLOW_ALPHABET) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def submit(store, actor: Actor, draft: Draft, config: ParticipationConfig | None = None,
           client: Client | None = None, now: datetime | None = None,
           index: Locator | None = None) -> m.Suggestion:
    """Store a resident's suggestion and return it with its reference code
    and its follow code (``suggestion.follow_code``, for the author only).

    The e-mail address (if any) goes to ``contacts`` in the same transaction.
    Raises :class:`ValidationError` for a field to fix and
    :class:`LimitReached` when a limit is hit; nothing is stored then.
    """
    access.check(actor, "suggestion.submit")
    config = config or load_config()
    client = client or Client()
    draft.text, draft.email = clean_text(draft.text or ""), clean_text(draft.email or "")
    if draft.pin is not None:
        # The buurt comes from the store, not from what the session claims.
        draft.pin = pin_at(draft.pin.lon, draft.pin.lat, locator(store, index))
    validate_draft(draft, config)
    now = now or now_utc()

    def write() -> m.Suggestion:
        check_limits(store, client, config, now)
        suggestion = m.Suggestion(
            category=draft.category,
            text=draft.text.strip(),
            geometry=draft.pin.point,
            status=config.initial_status,
            created_at=now.isoformat(),
            reference=next_reference(store, now.year),
            buurt_code=draft.pin.buurt_code,
            follow_code=new_follow_code(),
        )
        store.add(suggestion)
        record(store, client, SUBMIT_ACTION, now.timestamp())
        store.add(m.Support(suggestion_id=suggestion.id, client_key=client.key,
                            address_key=client.address_key, kind="author", at=now.isoformat()))
        if draft.email.strip():
            store.add(m.Contact(suggestion_id=suggestion.id, email=draft.email.strip()))
        return suggestion

    return write_numbered(store, write)


def write_numbered(store, write: Callable[[], T], attempts: int = 5) -> T:
    """Run ``write`` (which takes a new reference number) in one transaction.

    Another server may take the same number between our read and our write
    (only possible on a backend without serialised writers): the unique
    index refuses the second, nothing of it is stored, and it is tried again.
    """
    for attempt in range(attempts):
        try:
            with store.transaction():
                return write()
        except StoreError as exc:
            if "UNIQUE" not in str(exc) or attempt == attempts - 1:
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


def supported_by(store, client: Client) -> set[int]:
    """The ids of the suggestions this client supports or wrote."""
    return {r.suggestion_id for r in store.list(m.Support, client_key=client.key)}


def support(store, actor: Actor, suggestion_id: int, client: Client | None = None,
            config: ParticipationConfig | None = None) -> int:
    """Add ``client``'s support to a public suggestion and return the new
    number of supporters.

    Once per client (the same browser across reloads and tabs), and at most
    ``supports_per_address`` per address, so clearing cookies does not
    inflate a count; the author's own support is not counted.
    """
    access.check(actor, "suggestion.support")
    config = config or load_config()
    client = client or Client()
    with store.transaction():
        s = store.get(m.Suggestion, suggestion_id)
        if s.status not in SUPPORTABLE:
            raise NotFound("deze suggestie is niet (meer) openbaar")
        mine = store.list(m.Support, suggestion_id=suggestion_id, client_key=client.key)
        if mine:
            if mine[0].kind == "author":
                raise ValidationError("dit is uw eigen suggestie; die telt al mee", where="steun")
            raise ValidationError("u steunt deze suggestie al", where="steun")
        same_address = store.count(m.Support, suggestion_id=suggestion_id, address_key=client.address_key,
                                   kind="support")
        if config.supports_per_address and same_address >= config.supports_per_address:
            raise LimitReached(
                f"deze suggestie is vanaf dit internetadres al {same_address} keer gesteund", kind="support")
        store.add(m.Support(suggestion_id=suggestion_id, client_key=client.key, address_key=client.address_key,
                            kind="support", at=now_utc().isoformat()))
        count = store.increment(m.Suggestion, suggestion_id, "supporters")
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


# --- the one rule for what of a suggestion is public -----------------------------------
# Every public surface (the Meedenken list and map, the public explorer's pins,
# popups and tooltips, following by reference) goes through public_copy() or
# public_view(); a field not listed for a status is blanked, whatever it holds
# (an internal rejection reason stays in ``answer`` after a later publish).
PUBLIC_BASE_FIELDS = ("id", "reference", "category", "text", "status", "buurt_code", "supporters",
                      "created_at", "geometry", "activity_id")
PUBLIC_FIELDS: dict[str, tuple[str, ...]] = {
    "published": PUBLIC_BASE_FIELDS,
    "in_plan": PUBLIC_BASE_FIELDS,
    "answered": PUBLIC_BASE_FIELDS + ("answer",),
    "not_taken": PUBLIC_BASE_FIELDS + ("answer",),
}
# What the author (who holds the follow code) sees of their own suggestion in
# any status: their own text and where it stands, never an internal reason.
AUTHOR_FIELDS: dict[str, tuple[str, ...]] = {
    status: PUBLIC_FIELDS.get(status, PUBLIC_BASE_FIELDS + ("merged_into",))
    for status in m.SUGGESTION_STATUSES
}
_BLANK = {"text": "", "answer": "", "reference": "", "category": "other", "status": "received",
          "buurt_code": None, "supporters": 0, "created_at": "", "geometry": None, "activity_id": None,
          "merged_into": None, "follow_code": ""}


def is_public(s: m.Suggestion) -> bool:
    return s.status in PUBLIC_FIELDS


def public_copy(s: m.Suggestion, grid_m: float = 0.0, author: bool = False) -> m.Suggestion | None:
    """A copy of ``s`` holding only what the public (``author``: its author)
    may see in its status, the pin snapped to ``grid_m``; None when nothing."""
    allowed = (AUTHOR_FIELDS if author else PUBLIC_FIELDS).get(s.status)
    if allowed is None:
        return None
    values = {f.name: (getattr(s, f.name) if f.name in allowed else _BLANK.get(f.name))
              for f in fields(m.Suggestion)}
    values["status"] = s.status
    copy = m.Suggestion(**values)
    copy.geometry = coarsen(copy.geometry, grid_m)
    return copy


def public_view(store, s: m.Suggestion, grid_m: float = 0.0, author: bool = False,
                staff: bool = False) -> PublicSuggestion:
    """What the public (``author``: its author; ``staff``: a moderator, who
    sees every field) sees of ``s``; :class:`NotFound` when that is nothing."""
    c = s if staff else public_copy(s, grid_m, author)
    if c is None:
        raise NotFound("deze suggestie is niet openbaar")
    activity = None
    if c.activity_id is not None and store.exists(m.Activity, c.activity_id):
        a = store.get(m.Activity, c.activity_id)
        activity = ActivityLink(a.id, a.title, a.status, a.start, a.end)
    return PublicSuggestion(
        id=c.id,
        reference=c.reference,
        category=c.category,
        text=c.text,
        status=c.status,
        buurt_code=c.buurt_code,
        supporters=c.supporters,
        answer=c.answer,
        created_on=(c.created_at or "")[:10],
        geometry=c.geometry,
        activity=activity,
    )


def public_suggestions(store, buurt: str | None = None, category: str | None = None,
                       grid_m: float = 0.0, scope=None) -> list[PublicSuggestion]:
    """The suggestions anyone may see, most supported first; with ``scope`` (a
    :class:`geo.scope.Scope`) only its gemeente's, and no other's read."""
    where: dict[str, Any] = {"status": list(PUBLIC_FIELDS)}
    if buurt:
        where["buurt_code"] = buurt
    if category:
        where["category"] = category
    if buurt or scope is None or scope.is_all:
        found = store.list(m.Suggestion, **where)
    else:  # which ones from the gemeente's key columns (a national database holds 100,000), then those
        import numpy as np

        cols = store.read_gemeente_columns(m.Suggestion, scope.code, ["id", "status", "category"],
                                           unplaced=scope.unplaced)
        keep = np.isin(cols["status"].astype(str), where["status"])
        if category:
            keep &= cols["category"].astype(str) == category
        ids = cols["id"][keep].tolist()
        found = [s for i in range(0, len(ids), 500) for s in store.list(m.Suggestion, id=ids[i:i + 500])]
    found.sort(key=lambda s: (-(s.supporters or 0), s.id))
    return [public_view(store, s, grid_m) for s in found]


def _not_found(code: str) -> NotFound:
    return NotFound(f"geen openbare suggestie gevonden met '{code[:20]}'; een suggestie die nog niet openbaar "
                    "is, volgt u met de volgcode uit uw bevestiging", where="kenmerk")


def track(store, code: str, grid_m: float = 0.0, client: Client | None = None) -> PublicSuggestion:
    """A resident following a suggestion by its follow code or its reference.

    The follow code (only its author has it) shows the suggestion in any
    status. A reference (``WA-2026-0042``, sequential and guessable) shows a
    public suggestion to anyone, and an unreviewed or hidden one only to the
    browser that sent it; to anyone else it is indistinguishable from a
    reference that does not exist. References from before follow codes keep
    working this way.
    """
    code = unicodedata.normalize("NFKC", code or "").strip().upper()
    if FOLLOW_RE.match(code):
        found = store.list(m.Suggestion, follow_code=code)
        if not found:
            raise NotFound("geen suggestie met deze volgcode", where="volgcode")
        return public_view(store, found[0], grid_m, author=True)
    if not REFERENCE_RE.match(code):
        raise NotFound(f"'{code[:20]}' is geen kenmerk (WA-2026-0042) of volgcode (K7M2-QX9D-4HTP)",
                       where="kenmerk")
    found = store.list(m.Suggestion, reference=code)
    if not found:
        raise _not_found(code)
    s = found[0]
    if is_public(s):
        return public_view(store, s, grid_m)
    if client is not None and store.list(m.Support, suggestion_id=s.id, client_key=client.key, kind="author"):
        return public_view(store, s, grid_m, author=True)
    raise _not_found(code)


def status_text(view: PublicSuggestion, lang: str = "nl") -> str:
    """One line saying where a suggestion stands, for the public."""
    text = t(f"res.status.{view.status}", lang)
    if view.status == "in_plan" and view.activity:
        text += f": {view.activity.title} ({label(view.activity.status, lang)})"
    if view.answer and view.status in ("answered", "not_taken"):
        text += f" — {view.answer}"
    return text


# --- maps ------------------------------------------------------------------------------------
def _base_map(buurten: list[m.Area], basemap: str, lang: str, height: int, shapes=None):
    from .maps import BASEMAPS, FeatureLayer, OfflineMap, esc, feature

    fmap = OfflineMap(
        lang=lang, location=(51.43, 5.59), zoom_start=13, tiles=None, control_scale=True, height=height)
    base = BASEMAPS.get(basemap)
    if base:
        folium.TileLayer(tiles=base["tiles"], attr=base["attr_en"] if lang == "en" else base["attr"], max_zoom=base["max_zoom"], control=False,
                         name=basemap).add_to(fmap)
    feats = [
        feature(a.geometry, fid=a.code, style={"color": "#333", "weight": 1, "fillColor": "#c6dbef",
                                                 "fillOpacity": 0.15, "className": f"wa-area wa-{a.code}"},
                tooltip=esc(a.name))
        for a in sorted(buurten, key=lambda a: a.code)
        if a.geometry is not None
    ]
    if shapes is not None:  # the boundaries prepared once (geo.maps.DisplayShapes), not converted per run
        feats = [shapes.put(f, f["id"]) for f in feats]
    layer = FeatureLayer(feats, name="buurten", bounds=shapes.bounds if shapes is not None else None)
    layer.add_to(fmap)
    bounds = layer.bounds()
    if bounds:
        fmap.fit_view(bounds)
    return fmap


def pin_map(buurten: list[m.Area], lang: str = "nl", basemap: str = "brt", height: int = 480, shapes=None):
    """The map a resident clicks to drop a pin (the pin itself: :func:`pin_group`);
    ``shapes``: the buurten's display geometry prepared once (``web.cached_buurt_shapes``)."""
    return _base_map(buurten, basemap, lang, height, shapes)


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
               height: int = 480, focus: BaseGeometry | None = None, shapes=None):
    """Published suggestions as pins, their popups escaped (``focus``: zoom to
    about 300 m around that point, for a moderator opening one)."""
    from .maps import FeatureLayer, Legend, esc, feature
    from .maps.style import SUGGESTION_COLOURS

    fmap = _base_map(buurten, basemap, lang, height, shapes)
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
    "new_follow_code",
    "submit",
    "support",
    "supported_by",
    "public_copy",
    "public_view",
    "track",
]
