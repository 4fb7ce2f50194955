"""The domain model: areas, plans and everything that is placed on the map.

Every record is a plain dataclass. Geometries are shapely objects in
EPSG:28992 (RD New, metres); conversion to EPSG:4326 happens only when a map
or an export needs it (:mod:`geo.crs`). Vocabularies are tuples of codes;
their Dutch and English labels live in :mod:`geo.i18n`.

``validate()`` on a record raises :class:`~geo.errors.ValidationError`
naming the field, so a form can keep what the user typed and point at the
field that was refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

from shapely.geometry.base import BaseGeometry

from .errors import ValidationError

STORE_CRS = "EPSG:28992"
WEB_CRS = "EPSG:4326"

# --- vocabularies -------------------------------------------------------------
LEVELS = ("gemeente", "wijk", "buurt")
DOMAINS = ("social", "spatial", "safety")
PLAN_STAGES = ("not_started", "analysis", "agenda_agreed", "in_execution", "evaluated")
ANALYSIS_KINDS = ("strength", "bottleneck")
ANALYSIS_SOURCES = ("resident_input", "figures", "partner", "other")
ACTIVITY_STATUSES = ("planned", "running", "done", "stopped")
PARTNER_KINDS = (
    "municipality",
    "housing_corporation",
    "welfare",
    "police",
    "school",
    "residents_group",
    "healthcare",
    "other",
)
MEETING_KINDS = ("building", "cruijff_court", "playground", "sports_park", "school", "square", "park")
MEETING_STATUSES = ("existing", "candidate", "proposed", "rejected")
POLICY_CATEGORIES = ("keep", "flexible", "dispose", "redevelop")
SUGGESTION_CATEGORIES = ("meeting", "greenery", "play", "traffic_safety", "maintenance", "other")
SUGGESTION_STATUSES = ("received", "published", "in_plan", "answered", "not_taken", "hidden", "rejected", "merged")
PUBLIC_SUGGESTION_STATUSES = ("published", "in_plan", "answered", "not_taken")
EVALUATION_OUTCOMES = ("success", "failure")
INITIATIVE_STATUSES = ("received", "approved", "not_eligible", "hidden")
PUBLIC_INITIATIVE_STATUSES = ("approved", "not_eligible")
# Who answered an evaluation round: residents (public link), partner
# organisations (signed in with a partner account), municipal staff.
RESPONDENT_GROUPS = ("resident", "partner", "municipality")
SCORES = (1, 2, 3, 4, 5)  # five-point scale: 1 = helemaal oneens … 5 = helemaal eens
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "dropped")
# Weakest first: single sign-on picks the strongest role a person holds.
ROLES = ("partner", "planner", "real-estate", "moderator", "admin")

QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")
AREA_CODE_RE = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8})$")

# The CBS key figures the app knows by name (upper-case CBS schema). Areas
# keep any other figure a file carries as well.
KEY_FIGURES = (
    "AANT_INW",
    "AANT_MAN",
    "AANT_VROUW",
    "P_00_14_JR",
    "P_15_24_JR",
    "P_25_44_JR",
    "P_45_64_JR",
    "P_65_EO_JR",
    "AANTAL_HH",
    "P_EENP_HH",
    "GEM_HH_GR",
    "WONINGEN",
    "BEV_DICHTH",
    "OPP_TOT",
)


def level_of_code(code: str) -> str:
    """``GM1771`` → gemeente, ``WK177100`` → wijk, ``BU17710005`` → buurt."""
    if not AREA_CODE_RE.match(code or ""):
        raise ValidationError(f"'{code}' is geen geldige CBS-code (GM…, WK…, BU…)", where="code")
    return {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}[code[:2]]


def parent_of_code(code: str) -> str | None:
    """The enclosing area's code, derived from the CBS code itself."""
    level = level_of_code(code)
    if level == "buurt":
        return "WK" + code[2:8]
    if level == "wijk":
        return "GM" + code[2:6]
    return None


def quarter_index(value: str) -> int:
    """``2026-Q3`` → 2026*4+2, for ordering and overlap tests."""
    m = QUARTER_RE.match(value or "")
    if not m:
        raise ValidationError(f"'{value}' is geen kwartaal; gebruik bijvoorbeeld 2026-Q1", where="quarter")
    return int(m.group(1)) * 4 + int(m.group(2)) - 1


def _require_choice(value: Any, choices: tuple[str, ...], name: str) -> None:
    if value not in choices:
        raise ValidationError(f"'{value}' is geen geldige waarde; kies uit {', '.join(choices)}", where=name)


def _require_text(value: Any, name: str, max_len: int = 10_000) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("is verplicht", where=name)
    if len(value) > max_len:
        raise ValidationError(f"is te lang ({len(value)} tekens, maximaal {max_len})", where=name)


def _require_range(value: Any, lo: float, hi: float, name: str) -> None:
    if value is None:
        return
    if not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise ValidationError(f"moet tussen {lo:g} en {hi:g} liggen (kreeg {value!r})", where=name)


def _require_geometry(geom: BaseGeometry | None, name: str = "geometry", required: bool = True) -> None:
    if geom is None:
        if required:
            raise ValidationError("heeft een plek op de kaart nodig", where=name)
        return
    if not isinstance(geom, BaseGeometry):
        raise ValidationError(f"is geen geometrie (kreeg {type(geom).__name__})", where=name)
    if geom.is_empty:
        raise ValidationError("is een lege geometrie", where=name)


class Record:
    """Mixin: conversion to and from plain dicts (for tables and exports)."""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]

    def validate(self) -> None:  # overridden where there are rules
        return None


@dataclass
class Area(Record):
    code: str
    name: str
    level: str = ""
    parent_code: str | None = None
    geometry: BaseGeometry | None = None
    figures: dict[str, float | None] = field(default_factory=dict)
    source: str = ""

    def __post_init__(self) -> None:
        if not self.level and AREA_CODE_RE.match(self.code or ""):
            self.level = level_of_code(self.code)
        if self.parent_code is None and AREA_CODE_RE.match(self.code or ""):
            self.parent_code = parent_of_code(self.code)

    @property
    def municipality_code(self) -> str:
        return "GM" + self.code[2:6]

    def validate(self) -> None:
        if level_of_code(self.code) != self.level:
            raise ValidationError(f"niveau '{self.level}' past niet bij code {self.code}", where="level")
        _require_text(self.name, "name", 200)
        _require_geometry(self.geometry)


@dataclass
class Partner(Record):
    name: str
    kind: str = "other"
    contact: str = ""
    id: int | None = None

    def validate(self) -> None:
        _require_text(self.name, "name", 200)
        _require_choice(self.kind, PARTNER_KINDS, "kind")


@dataclass
class Plan(Record):
    area_code: str
    title: str
    stage: str = "not_started"
    year: int | None = None
    summary: str = ""
    intended_effects: str = ""
    costs_public: bool = False  # show each activity's cost estimate on the public buurt page
    id: int | None = None
    # Optimistic locking: the store refuses an update whose version is not the
    # stored one (someone else saved in between) and counts it up on success.
    version: int = 0

    def validate(self) -> None:
        _require_text(self.title, "title", 200)
        _require_choice(self.stage, PLAN_STAGES, "stage")
        level_of_code(self.area_code)
        _require_range(self.year, 2000, 2100, "year")


@dataclass
class AnalysisItem(Record):
    plan_id: int
    kind: str
    domain: str
    text: str
    source: str = "other"
    geometry: BaseGeometry | None = None
    id: int | None = None

    def validate(self) -> None:
        _require_choice(self.kind, ANALYSIS_KINDS, "kind")
        _require_choice(self.domain, DOMAINS, "domain")
        _require_choice(self.source, ANALYSIS_SOURCES, "source")
        _require_text(self.text, "text", 2000)
        _require_geometry(self.geometry, required=False)


@dataclass
class Activity(Record):
    title: str
    domain: str
    description: str = ""
    lead_partner: str = ""
    partners: list[str] = field(default_factory=list)
    start: str = ""
    end: str = ""
    status: str = "planned"
    cost_estimate_eur: float | None = None
    cost_actual_eur: float | None = None
    quick_win: bool = False
    buurt_code: str | None = None
    plan_id: int | None = None
    geometry: BaseGeometry | None = None
    meeting_place_id: int | None = None
    real_estate_id: int | None = None
    suggestion_id: int | None = None
    analysis_item_id: int | None = None
    id: int | None = None
    # Optimistic locking: the store refuses an update whose version is not the
    # stored one (someone else saved in between) and counts it up on success.
    version: int = 0

    def validate(self) -> None:
        _require_text(self.title, "title", 200)
        _require_choice(self.domain, DOMAINS, "domain")
        _require_choice(self.status, ACTIVITY_STATUSES, "status")
        if self.start:
            quarter_index(self.start)
        if self.end:
            quarter_index(self.end)
        if self.start and self.end and quarter_index(self.end) < quarter_index(self.start):
            raise ValidationError(f"eindkwartaal {self.end} ligt vóór beginkwartaal {self.start}", where="end")
        _require_range(self.cost_estimate_eur, 0, 1e10, "cost_estimate_eur")
        _require_range(self.cost_actual_eur, 0, 1e10, "cost_actual_eur")
        _require_geometry(self.geometry, required=False)


@dataclass
class MeetingPlace(Record):
    name: str
    kind: str
    geometry: BaseGeometry | None
    status: str = "existing"
    capacity: int | None = None
    real_estate_id: int | None = None
    buurt_code: str | None = None
    description: str = ""
    id: int | None = None

    def validate(self) -> None:
        _require_text(self.name, "name", 200)
        _require_choice(self.kind, MEETING_KINDS, "kind")
        _require_choice(self.status, MEETING_STATUSES, "status")
        _require_range(self.capacity, 0, 100_000, "capacity")
        _require_geometry(self.geometry)


@dataclass
class RealEstate(Record):
    name: str
    geometry: BaseGeometry | None
    address: str = ""
    bag_id: str = ""
    function: str = ""
    floor_area_m2: float | None = None
    occupancy_pct: float | None = None
    condition: int | None = None
    yearly_cost_eur: float | None = None
    book_value_eur: float | None = None
    policy: str = "keep"
    buurt_code: str | None = None
    id: int | None = None

    def validate(self) -> None:
        _require_text(self.name, "name", 200)
        _require_range(self.floor_area_m2, 0, 1e6, "floor_area_m2")
        _require_range(self.occupancy_pct, 0, 100, "occupancy_pct")
        _require_range(self.condition, 1, 6, "condition")
        _require_range(self.yearly_cost_eur, 0, 1e9, "yearly_cost_eur")
        _require_range(self.book_value_eur, 0, 1e10, "book_value_eur")
        _require_choice(self.policy, POLICY_CATEGORIES, "policy")
        _require_geometry(self.geometry)


@dataclass
class Suggestion(Record):
    category: str
    text: str
    geometry: BaseGeometry | None
    status: str = "received"
    created_at: str = ""
    reference: str = ""
    buurt_code: str | None = None
    supporters: int = 0
    answer: str = ""
    activity_id: int | None = None
    merged_into: int | None = None
    id: int | None = None
    follow_code: str = ""
    # Optimistic locking: the store refuses an update whose version is not the
    # stored one (someone else saved in between) and counts it up on success.
    version: int = 0

    def validate(self) -> None:
        _require_choice(self.category, SUGGESTION_CATEGORIES, "category")
        _require_text(self.text, "text", 1000)
        _require_choice(self.status, SUGGESTION_STATUSES, "status")
        _require_geometry(self.geometry)


@dataclass
class EvaluationFactor(Record):
    plan_id: int
    factor: str
    outcome: str
    domain: str
    evidence: str = ""
    lesson: str = ""
    share_lesson: bool = False
    id: int | None = None

    def validate(self) -> None:
        _require_text(self.factor, "factor", 500)
        _require_choice(self.outcome, EVALUATION_OUTCOMES, "outcome")
        _require_choice(self.domain, DOMAINS, "domain")


@dataclass
class User(Record):
    name: str
    role: str
    password_hash: str = ""
    active: bool = True
    created_at: str = ""
    id: int | None = None
    partner_id: int | None = None  # the organisation a ``partner`` account acts for

    def validate(self) -> None:
        _require_text(self.name, "name", 100)
        _require_choice(self.role, ROLES, "role")
        if self.role == "partner" and self.partner_id is None:
            raise ValidationError("een partneraccount hoort bij een partnerorganisatie", where="partner")
        if self.role != "partner" and self.partner_id is not None:
            raise ValidationError("alleen een partneraccount hoort bij een partnerorganisatie", where="partner")


@dataclass
class Contact(Record):
    """A resident's e-mail address, kept apart from the suggestion it belongs to."""

    suggestion_id: int
    email: str
    token: str = ""  # secret of the one-click unsubscribe link (made when the first message goes out)
    id: int | None = None


@dataclass
class Initiative(Record):
    """A resident's proposal to do something themselves, with a requested contribution."""

    title: str
    text: str
    participants: str = ""
    cost_eur: float | None = None
    geometry: BaseGeometry | None = None
    buurt_code: str | None = None
    domain: str = "social"
    status: str = "received"
    created_at: str = ""
    reference: str = ""
    reason: str = ""  # the assessment's reason (public once assessed)
    activity_id: int | None = None
    id: int | None = None

    def validate(self) -> None:
        _require_text(self.title, "title", 200)
        _require_text(self.text, "text", 2000)
        _require_choice(self.status, INITIATIVE_STATUSES, "status")
        _require_choice(self.domain, DOMAINS, "domain")
        _require_range(self.cost_eur, 0, 1e7, "cost_eur")
        _require_geometry(self.geometry, required=False)
        if self.geometry is None and not self.buurt_code:
            raise ValidationError("heeft een plek of een buurt nodig", where="geometry")


@dataclass
class InitiativeContact(Record):
    """A resident's e-mail address for updates on their initiative."""

    initiative_id: int
    email: str
    token: str = ""
    id: int | None = None


@dataclass
class EvaluationRound(Record):
    """An interactive evaluation of a plan: statements answered by residents and partners."""

    plan_id: int
    title: str
    opens_on: str  # ISO date, first day answers are taken
    closes_on: str  # ISO date, last day answers are taken
    closed: bool = False  # closed early by a planner
    created_at: str = ""
    id: int | None = None

    def validate(self) -> None:
        _require_text(self.title, "title", 200)
        for name in ("opens_on", "closes_on"):
            value = getattr(self, name)
            if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
                raise ValidationError(f"'{value}' is geen datum (JJJJ-MM-DD)", where=name)
        if self.closes_on < self.opens_on:
            raise ValidationError(f"einddatum {self.closes_on} ligt vóór begindatum {self.opens_on}",
                                  where="closes_on")


@dataclass
class EvaluationStatement(Record):
    round_id: int
    domain: str
    text: str
    position: int = 0
    id: int | None = None

    def validate(self) -> None:
        _require_choice(self.domain, DOMAINS, "domain")
        _require_text(self.text, "text", 300)


@dataclass
class EvaluationResponse(Record):
    """One respondent's answers to a round (``respondent``: an opaque key, one per browser or account)."""

    round_id: int
    respondent: str
    respondent_group: str
    created_at: str = ""
    id: int | None = None

    def validate(self) -> None:
        _require_choice(self.respondent_group, RESPONDENT_GROUPS, "respondent_group")
        _require_text(self.respondent, "respondent", 200)


@dataclass
class EvaluationAnswer(Record):
    response_id: int
    statement_id: int
    score: int | None = None  # 1–5, None: no opinion
    comment: str = ""
    id: int | None = None

    def validate(self) -> None:
        if self.score is not None and self.score not in SCORES:
            raise ValidationError(f"kies een score van 1 tot 5 (kreeg {self.score!r})", where="score")
        if len(self.comment or "") > 1000:
            raise ValidationError(f"is te lang ({len(self.comment)} tekens, maximaal 1000)", where="comment")


@dataclass
class OutboxMessage(Record):
    """An e-mail waiting to be sent (or sent): retried with backoff, sent once.

    ``key`` names what the message is about (one status change for one
    contact), so queueing the same event twice stores it once. The address is
    cleared once the message is sent, dropped or has failed for good.
    """

    key: str
    recipient: str
    subject: str
    body: str
    status: str = "pending"
    attempts: int = 0
    next_attempt_at: str = ""
    last_error: str = ""
    created_at: str = ""
    sent_at: str = ""
    claimed_at: str = ""
    id: int | None = None

    def validate(self) -> None:
        _require_choice(self.status, OUTBOX_STATUSES, "status")
        _require_text(self.key, "key", 300)


@dataclass
class StaffSession(Record):
    """A signed-in staff (or partner) session that a reload may resume: the
    browser keeps a signed, expiring cookie naming ``sid`` (:mod:`geo.staff_sessions`)."""

    sid: str
    user_name: str
    role: str
    created_at: float
    last_seen: float
    partner: str | None = None
    revoked: bool = False


@dataclass
class AuditEntry(Record):
    """Who did what, when: moderation actions and other staff writes."""

    at: str
    user: str
    action: str
    target: str = ""
    detail: str = ""
    id: int | None = None


@dataclass
class ClientEvent(Record):
    """One counted action of one client (a submission, a sign-in failure …),
    for limits that hold across reloads, tabs and app servers.

    ``client_key`` names the browser (signed cookie) or, without one, the
    address; ``address_key`` always names the address. ``at`` is Unix time."""

    action: str
    client_key: str
    address_key: str
    at: float
    id: int | None = None


@dataclass
class Support(Record):
    """One client behind one suggestion: its author (``kind='author'``) or a
    supporter (``kind='support'``); a client counts once per suggestion."""

    suggestion_id: int
    client_key: str
    address_key: str
    kind: str = "support"
    at: str = ""
    id: int | None = None


@dataclass
class AddressPoint(Record):
    """Where people live: a BAG address (verblijfsobject) with, where known,
    its number of inhabitants. Coverage spreads a buurt's inhabitants over its
    address points when they are loaded, instead of over a grid."""

    geometry: BaseGeometry | None
    inhabitants: float | None = None
    bag_id: str = ""
    buurt_code: str | None = None
    id: int | None = None
    # The address itself (BAG nummeraanduiding), for placing rows of a file that has
    # addresses but no coordinates (geo.geocode). ``street_key`` is street and place
    # normalised (case, diacritics, punctuation): filled from them when empty.
    postcode: str = ""
    house_number: int | None = None
    house_letter: str = ""
    house_number_addition: str = ""
    street: str = ""
    place: str = ""
    street_key: str = ""

    def __post_init__(self) -> None:
        if not self.street_key and self.street:
            self.street_key = street_key(self.street, self.place)

    def validate(self) -> None:
        _require_geometry(self.geometry)
        if self.geometry.geom_type != "Point":
            raise ValidationError(f"een adrespunt is een punt (kreeg {self.geometry.geom_type})", where="geometry")
        _require_range(self.inhabitants, 0, 10_000, "inhabitants")
        if self.postcode and not POSTCODE_RE.match(self.postcode):
            raise ValidationError(f"'{self.postcode}' is geen postcode (1234AB)", where="postcode")
        _require_range(self.house_number, 1, 99_999, "house_number")


@dataclass
class PendingPlace(Record):
    """A row of an imported file that could not be placed on the map (no
    coordinates, address not found or ambiguous), kept with ``--keep-unplaced``
    until someone places it in the app; then it becomes a record of ``layer``."""

    layer: str  # meeting-places, real-estate, activities, suggestions
    data: dict[str, Any]  # the row's canonical field values
    address: str = ""  # the address as the file gave it
    reason: str = ""
    candidates: list[Any] = field(default_factory=list)  # [{"label", "x", "y", "bag_id"}] closest addresses
    source: str = ""  # file name and row
    created_at: str = ""
    id: int | None = None

    def validate(self) -> None:
        _require_text(self.layer, "layer", 40)


POSTCODE_RE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")


def normalise_postcode(value: Any) -> str:
    """'5664 hv' → '5664HV'; '' where it is no postcode."""
    text = re.sub(r"\s+", "", str(value or "")).upper()
    return text if POSTCODE_RE.match(text) else ""


def normalise_words(value: Any) -> str:
    """Case, diacritics, punctuation and spacing removed: 'Sint-Jozéfstraat ' → 'sint jozefstraat'."""
    import unicodedata

    text = unicodedata.normalize("NFKD", str(value or ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def street_key(street: Any, place: Any) -> str:
    """The key a street address is matched on: normalised street and place."""
    return f"{normalise_words(street)}|{normalise_words(place)}"


# --- carrying out the agenda (geo.execution) -------------------------------------------
@dataclass
class ActivityUpdate(Record):
    """One progress report on an activity, by a partner or a planner. The
    activity's current status and money spent are those of its latest update;
    the updates together are its history."""

    activity_id: int
    at: str  # ISO date-time (UTC) of posting
    author: str  # account name
    status: str
    note: str = ""
    organisation: str = ""  # the partner organisation the author acted for ('' for municipal staff)
    spent_eur: float | None = None  # total spent so far
    percent_done: int | None = None
    next_step: str = ""
    photo_id: int | None = None
    id: int | None = None

    def validate(self) -> None:
        _require_choice(self.status, ACTIVITY_STATUSES, "status")
        _require_text(self.at, "at", 40)
        _require_text(self.author, "author", 100)
        if len(self.note or "") > 2000:
            raise ValidationError(f"is te lang ({len(self.note)} tekens, maximaal 2000)", where="note")
        if len(self.next_step or "") > 500:
            raise ValidationError(f"is te lang ({len(self.next_step)} tekens, maximaal 500)", where="next_step")
        _require_range(self.spent_eur, 0, 1e10, "spent_eur")
        _require_range(self.percent_done, 0, 100, "percent_done")


@dataclass
class UpdatePhoto(Record):
    """A photo with a progress update: re-encoded, metadata stripped."""

    content_type: str
    data: bytes
    width: int = 0
    height: int = 0
    id: int | None = None


@dataclass
class YearTeam(Record):
    """The multidisciplinary team that takes up a plan's points in one year:
    its members (``{"name", "organisation", "role"}``) and the activities and
    analysis items it takes up."""

    plan_id: int
    year: int
    members: list[dict[str, str]] = field(default_factory=list)
    activity_ids: list[int] = field(default_factory=list)
    analysis_item_ids: list[int] = field(default_factory=list)
    id: int | None = None

    def validate(self) -> None:
        _require_range(self.year, 2000, 2100, "year")
        for i, member in enumerate(self.members, 1):
            if not isinstance(member, dict):
                raise ValidationError(f"lid {i} is geen geldig teamlid", where="members")
            _require_text(member.get("name"), f"lid {i}: naam", 200)
            for key in ("organisation", "role"):
                if len(str(member.get(key) or "")) > 200:
                    raise ValidationError("is te lang (maximaal 200 tekens)", where=f"lid {i}: {key}")


@dataclass
class TeamMeeting(Record):
    """A meeting of a year team: its date and what was decided."""

    team_id: int
    date: str  # ISO date
    decisions: str = ""
    id: int | None = None

    def validate(self) -> None:
        import datetime as _dt

        try:
            _dt.date.fromisoformat(self.date or "")
        except ValueError:
            raise ValidationError(f"'{self.date}' is geen datum", where="date") from None
        _require_text(self.decisions, "decisions", 5000)


# The layers a map, an import or an export knows by name.
LAYER_CLASSES: dict[str, type[Record]] = {
    "areas": Area,
    "activities": Activity,
    "meeting_places": MeetingPlace,
    "real_estate": RealEstate,
    "suggestions": Suggestion,
    "address_points": AddressPoint,
}
