"""Resident initiatives: residents propose to do something themselves.

A resident says what they want to do, where (a pin or a buurt), who takes
part and what contribution they ask (at most ``initiative_max_eur`` from
``data/participation.toml``, never above the quick-win limit). Staff assess
it (``initiative.assess``): :func:`approve` makes it a quick-win activity with
the residents as lead partner and the contribution as its estimate;
:func:`not_eligible` answers with a reason; :func:`hide` keeps abuse out of
sight. Every assessment is audited and mailed to an address left with it
(:mod:`geo.notify`).

The rules of suggestions apply: the same limits per session and per minute,
a reference (``WI-2026-0001``), the e-mail address only in
``initiative_contacts``, public pins snapped to the grid, and residents'
text shown as text everywhere. Who takes part stays with staff: names of
neighbours are not published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable

from shapely.geometry.base import BaseGeometry

from . import access
from . import model as m
from . import notify
from .access import Actor
from .agenda import QUICK_WIN_MAX_EUR, check_activity
from .clients import Client, check_rate, record
from .errors import NotFound, ValidationError
from .participation import (
    EMAIL_RE,
    LimitReached,
    ParticipationConfig,
    Pin,
    coarsen,
    load_config,
    now_utc,
    pin_at,
    write_numbered,
)
from .spatial import Locator, locator

REFERENCE_PREFIX = "WI"
REFERENCE_RE = re.compile(r"^WI-(\d{4})-(\d{4,})$")
MAX_TEXT = 2000
MAX_PARTICIPANTS = 500
MAX_REASON = 1000
RESIDENTS_LEAD = "Bewoners"  # lead partner of an approved initiative's activity


@dataclass
class InitiativeDraft:
    """What a resident filled in, before it is stored."""

    title: str
    text: str
    participants: str
    cost_eur: float | None
    pin: Pin | None = None
    buurt_code: str | None = None
    domain: str = "social"
    email: str = ""


def max_contribution(config: ParticipationConfig) -> float:
    return min(float(config.initiative_max_eur), float(QUICK_WIN_MAX_EUR))


def validate_draft(draft: InitiativeDraft, config: ParticipationConfig | None = None) -> None:
    """Raise :class:`ValidationError` naming the field a resident must fix."""
    config = config or load_config()
    if draft.pin is None and not draft.buurt_code:
        raise ValidationError("kies een plek: klik op de kaart of kies een buurt", where="plek")
    if draft.pin is not None and not draft.pin.inside:
        raise ValidationError("deze plek ligt buiten de gemeente; kies een plek binnen de gemeente", where="plek")
    title = (draft.title or "").strip()
    if len(title) < 3:
        raise ValidationError("geef uw initiatief een korte titel", where="titel")
    if len(title) > 200:
        raise ValidationError(f"is te lang ({len(title)} tekens, maximaal 200)", where="titel")
    text = (draft.text or "").strip()
    if len(text) < config.min_text_length:
        raise ValidationError(f"beschrijf wat u wilt doen (ten minste {config.min_text_length} tekens)", where="wat")
    if len(text) > MAX_TEXT:
        raise ValidationError(f"is te lang ({len(text)} tekens, maximaal {MAX_TEXT})", where="wat")
    who = (draft.participants or "").strip()
    if len(who) < 2:
        raise ValidationError("vertel wie er meedoen (bijvoorbeeld: 6 buren uit de straat)", where="wie")
    if len(who) > MAX_PARTICIPANTS:
        raise ValidationError(f"is te lang ({len(who)} tekens, maximaal {MAX_PARTICIPANTS})", where="wie")
    if draft.domain not in m.DOMAINS:
        raise ValidationError("kies een onderwerp", where="onderwerp")
    cost = draft.cost_eur
    limit = max_contribution(config)
    if cost is None or not isinstance(cost, (int, float)) or cost != cost:
        raise ValidationError("vul de gevraagde bijdrage in euro in", where="bijdrage")
    if cost <= 0 or cost > limit:
        raise ValidationError(f"de bijdrage ligt tussen € 1 en € {limit:,.0f}".replace(",", "."), where="bijdrage")
    email = (draft.email or "").strip()
    if email and (len(email) > config.max_email_length or not EMAIL_RE.match(email)):
        raise ValidationError("dit is geen geldig e-mailadres (of laat het veld leeg)", where="e-mail")


SUBMIT_ACTION = "initiative.submit"


def check_limits(store, client: Client, config: ParticipationConfig, now: datetime) -> None:
    """Refuse a proposal beyond this browser's, this address's or the server's
    limit (the per-client rules of suggestions, :mod:`geo.clients`)."""
    window = config.limit_window_minutes * 60
    hit = check_rate(store, client, SUBMIT_ACTION, config.initiative_per_client, config.initiative_per_address,
                     window, now.timestamp())
    if hit == "client":
        raise LimitReached(f"u heeft het afgelopen uur al {config.initiative_per_client} initiatieven ingestuurd; "
                           "probeer het later nog eens", kind="client")
    if hit == "address":
        raise LimitReached(f"vanaf dit internetadres zijn het afgelopen uur al {config.initiative_per_address} "
                           "initiatieven ingestuurd; probeer het later nog eens", kind="address")
    since = (now - timedelta(seconds=60)).isoformat()
    if config.initiative_per_minute and store.count_since(m.Initiative, "created_at", since) >= \
            config.initiative_per_minute:
        raise LimitReached("er komen op dit moment erg veel initiatieven binnen; wacht een minuut en verstuur "
                           "opnieuw", kind="busy")


def next_reference(store, year: int) -> str:
    highest = 0
    for i in store.list(m.Initiative):
        match = REFERENCE_RE.match(i.reference or "")
        if match and int(match.group(1)) == year:
            highest = max(highest, int(match.group(2)))
    return f"{REFERENCE_PREFIX}-{year}-{highest + 1:04d}"


def submit(store, actor: Actor, draft: InitiativeDraft, config: ParticipationConfig | None = None,
           client: Client | None = None, now: datetime | None = None,
           index: Locator | None = None) -> m.Initiative:
    """Store a resident's initiative (waiting for assessment) and return it with its reference."""
    access.check(actor, "initiative.submit")
    config = config or load_config()
    client = client or Client()
    index = locator(store, index)  # one question to the store, not every buurt loaded
    if draft.pin is not None:  # the buurt comes from the store, not from what the session claims
        draft.pin = pin_at(draft.pin.lon, draft.pin.lat, index)
        if draft.pin.inside:
            draft.buurt_code = draft.pin.buurt_code
    elif draft.buurt_code and not index.has(draft.buurt_code):
        raise ValidationError("deze buurt kennen we niet; kies er een uit de lijst", where="plek")
    validate_draft(draft, config)
    now = now or now_utc()

    def write() -> m.Initiative:
        check_limits(store, client, config, now)
        initiative = m.Initiative(
            title=draft.title.strip(), text=draft.text.strip(), participants=draft.participants.strip(),
            cost_eur=float(draft.cost_eur), geometry=draft.pin.point if draft.pin else None,
            buurt_code=draft.buurt_code, domain=draft.domain, status="received",
            created_at=now.isoformat(), reference=next_reference(store, now.year))
        store.add(initiative)
        record(store, client, SUBMIT_ACTION, now.timestamp())
        if draft.email.strip():
            store.add(m.InitiativeContact(initiative_id=initiative.id, email=draft.email.strip()))
        return initiative

    return write_numbered(store, write)


# --- assessment (staff) ----------------------------------------------------------------------
@dataclass(frozen=True)
class QueueItem:
    """An initiative as staff see it (no contact details; only whether there is one)."""

    id: int
    reference: str
    title: str
    text: str
    participants: str
    cost_eur: float | None
    buurt_code: str | None
    domain: str
    status: str
    created_at: str
    reason: str
    has_contact: bool


def queue(store, actor: Actor, statuses: Iterable[str] = ("received",)) -> list[QueueItem]:
    access.check(actor, "initiative.assess")
    statuses = [s for s in statuses if s in m.INITIATIVE_STATUSES]
    with_contact = {c.initiative_id for c in store.list(m.InitiativeContact)}
    return [QueueItem(i.id, i.reference, i.title, i.text, i.participants, i.cost_eur, i.buurt_code, i.domain,
                      i.status, i.created_at, i.reason, i.id in with_contact)
            for i in store.list(m.Initiative, status=statuses, order_by="id")]


def _load(store, initiative_id: int, allowed_from: tuple[str, ...]) -> m.Initiative:
    try:
        i = store.get(m.Initiative, int(initiative_id))
    except (TypeError, ValueError):
        raise NotFound("kies eerst een initiatief", where="selectie") from None
    if i.status not in allowed_from:
        raise ValidationError(f"{i.reference} heeft status '{i.status}'; dit kan alleen vanuit "
                              f"{', '.join(allowed_from)}", where="status")
    return i


def _reason(reason: str, required: bool = True) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError("geef een reden op (die ziet de bewoner)", where="reden")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"is te lang ({len(reason)} tekens, maximaal {MAX_REASON})", where="reden")
    return reason


def _log(store, actor: Actor, action: str, i: m.Initiative, detail: str = "") -> None:
    store.add(m.AuditEntry(at=now_utc().isoformat(), user=actor.name, action=f"initiative.{action}",
                           target=i.reference or f"initiatief {i.id}", detail=detail))


def approve(store, actor: Actor, initiative_id: int, reason: str = "", domain: str | None = None,
            start: str = "", end: str = "") -> m.Activity:
    """Eligible: the initiative becomes a quick-win activity of its buurt's plan,
    led by the residents, with the requested contribution as its estimate."""
    access.check(actor, "initiative.assess")
    reason = _reason(reason, required=False)
    with store.transaction():
        i = _load(store, initiative_id, ("received", "not_eligible"))
        plans = store.list(m.Plan, area_code=i.buurt_code) if i.buurt_code else []
        activity = m.Activity(
            title=i.title, domain=domain or i.domain, description=i.text,
            lead_partner=f"{RESIDENTS_LEAD} ({i.reference})", status="planned", quick_win=True,
            cost_estimate_eur=i.cost_eur, buurt_code=i.buurt_code, plan_id=plans[0].id if plans else None,
            geometry=coarsen(i.geometry, load_config().coarsen_grid_m) if i.geometry is not None else None,
            start=start, end=end)
        check_activity(store, activity)  # the agenda's own rules: quick-win budget and duration
        store.add(activity)
        i.status, i.activity_id, i.reason = "approved", activity.id, reason
        store.update(i)
        _log(store, actor, "approve", i, f"quick win {activity.id}: {activity.title}")
        notify.initiative_changed(store, i)
    return activity


def not_eligible(store, actor: Actor, initiative_id: int, reason: str) -> m.Initiative:
    """Not eligible, with the reason the resident (and the public) will read."""
    access.check(actor, "initiative.assess")
    reason = _reason(reason)
    with store.transaction():
        i = _load(store, initiative_id, ("received", "hidden"))
        i.status, i.reason = "not_eligible", reason
        store.update(i)
        _log(store, actor, "not_eligible", i, reason)
        notify.initiative_changed(store, i)
    return i


def hide(store, actor: Actor, initiative_id: int, reason: str) -> m.Initiative:
    """Kept out of sight (abuse, personal data); the reason stays with staff."""
    access.check(actor, "initiative.assess")
    reason = _reason(reason)
    with store.transaction():
        i = _load(store, initiative_id, ("received", "not_eligible"))
        i.status, i.reason = "hidden", reason
        store.update(i)
        _log(store, actor, "hide", i, reason)
    return i


def delete_contact(store, actor: Actor, reference: str) -> int:
    """Delete the e-mail address(es) left with an initiative (AVG request);
    its unsent messages are dropped. The audit names the reference only."""
    access.check(actor, "contacts.delete")
    reference = (reference or "").strip().upper()
    if not REFERENCE_RE.match(reference):
        raise NotFound(f"'{reference[:20]}' is geen kenmerk van een initiatief (WI-2026-0001)", where="kenmerk")
    with store.transaction():
        found = store.list(m.Initiative, reference=reference)
        if not found:
            raise NotFound(f"geen initiatief met kenmerk '{reference}'", where="kenmerk")
        contacts = store.list(m.InitiativeContact, initiative_id=found[0].id)
        for c in contacts:
            from .mail import drop

            drop(store, f":icontact:{c.id}")
            store.delete(m.InitiativeContact, c.id)
        store.add(m.AuditEntry(at=now_utc().isoformat(), user=actor.name, action="contacts.delete",
                               target=reference, detail=f"{len(contacts)} verwijderd"))
    return len(contacts)


# --- what the public sees ----------------------------------------------------------------------
@dataclass(frozen=True)
class PublicInitiative:
    """An assessed initiative as the public sees it: no contact, no names, pin coarsened."""

    reference: str
    title: str
    text: str
    cost_eur: float | None
    buurt_code: str | None
    status: str
    reason: str
    activity_title: str
    activity_status: str
    geometry: BaseGeometry | None


def public_initiatives(store, buurt: str | None = None, grid_m: float = 0.0) -> list[PublicInitiative]:
    where: dict[str, Any] = {"status": list(m.PUBLIC_INITIATIVE_STATUSES)}
    if buurt:
        where["buurt_code"] = buurt
    out = []
    for i in store.list(m.Initiative, order_by="-id", **where):
        title, status = "", ""
        if i.activity_id and store.exists(m.Activity, i.activity_id):
            a = store.get(m.Activity, i.activity_id)
            title, status = a.title, a.status
        out.append(PublicInitiative(i.reference, i.title, i.text, i.cost_eur, i.buurt_code, i.status, i.reason,
                                    title, status, coarsen(i.geometry, grid_m) if i.geometry is not None else None))
    return out


__all__ = [
    "InitiativeDraft",
    "PublicInitiative",
    "QueueItem",
    "approve",
    "delete_contact",
    "hide",
    "max_contribution",
    "next_reference",
    "not_eligible",
    "public_initiatives",
    "queue",
    "submit",
    "validate_draft",
]
