"""Partner organisations and what each one carries.

Activities name their partners by the organisation's name (``lead_partner``
and ``partners``). A ``partner`` account acts for one organisation
(:attr:`geo.access.Actor.partner`): it sees the activities its organisation
leads or takes part in, and may post progress only on those it leads
(:func:`check_own_activity`, called on the server by every write).
Money is shown to a partner only for the activities its organisation leads.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import model as m
from ..access import Actor, check
from ..errors import NotFound, PermissionDenied, ValidationError
from ..participation import now_utc


def involved(act: m.Activity, organisation: str) -> bool:
    return organisation == act.lead_partner or organisation in act.partners


def leads(act: m.Activity, organisation: str | None) -> bool:
    return bool(organisation) and act.lead_partner == organisation


def may_update(actor: Actor, act: m.Activity) -> bool:
    """Whether ``actor`` may post progress on ``act`` (role and ownership)."""
    from ..access import allowed

    if not allowed(actor, "activity.update"):
        return False
    if actor.role == "partner":
        return leads(act, actor.partner)
    return True


def check_own_activity(actor: Actor, act: m.Activity) -> None:
    """Refuse unless ``actor`` may post progress on ``act``: staff with the
    role, or a partner whose organisation leads it."""
    check(actor, "activity.update")
    if actor.role == "partner" and not leads(act, actor.partner):
        raise PermissionDenied(
            f"u kunt alleen voortgang melden bij activiteiten waarvan uw organisatie ({actor.partner or '—'}) "
            f"trekker is; trekker van '{act.title}' is {act.lead_partner or 'niemand'}")


def shows_money(actor: Actor, act: m.Activity) -> bool:
    """Costs of an activity are shown to staff, and to the partner that leads it."""
    return actor.is_staff or (actor.role == "partner" and leads(act, actor.partner))


@dataclass(frozen=True)
class ActivityFilter:
    buurten: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    quarter: str | None = None  # activities running in this quarter (start ≤ q ≤ end)
    organisation: str | None = None  # staff: only this organisation's activities


def visible_activities(store, actor: Actor, flt: ActivityFilter = ActivityFilter()) -> list[m.Activity]:
    """The activities ``actor`` follows on *Mijn activiteiten*: a partner its
    organisation's (lead or partner), staff all of them; then the filter."""
    check(actor, "activity.update")
    acts = store.list(m.Activity)
    organisation = actor.partner if actor.role == "partner" else flt.organisation
    if actor.role == "partner" and not organisation:
        return []
    if organisation:
        acts = [a for a in acts if involved(a, organisation)]
    if flt.buurten:
        acts = [a for a in acts if a.buurt_code in flt.buurten]
    if flt.statuses:
        acts = [a for a in acts if a.status in flt.statuses]
    if flt.quarter:
        q = m.quarter_index(flt.quarter)
        acts = [a for a in acts if a.start and m.quarter_index(a.start) <= q
                and m.quarter_index(a.end or a.start) >= q]
    # The ones it leads first, then by buurt and title.
    return sorted(acts, key=lambda a: (not leads(a, organisation), a.buurt_code or "", a.title))


def quarters_of(activities: list[m.Activity]) -> list[str]:
    """Every quarter some activity runs in, in order (for the quarter filter)."""
    idx = set()
    for a in activities:
        if a.start:
            lo = m.quarter_index(a.start)
            hi = m.quarter_index(a.end) if a.end else lo
            idx.update(range(lo, hi + 1))
    return [f"{i // 4}-Q{i % 4 + 1}" for i in sorted(idx)]


# --- partner organisations (admin) ----------------------------------------------------------
def save_partner(store, actor: Actor, name: str, kind: str = "other", contact: str = "",
                 partner_id: int | None = None) -> m.Partner:
    """Add a partner organisation, or change one (``partner_id``). A new name
    is carried over to every activity that named the old one, in the same
    transaction, so accounts and agenda stay in step."""
    check(actor, "partners.manage")
    name = (name or "").strip()
    record = m.Partner(name=name, kind=kind, contact=(contact or "").strip(), id=partner_id)
    record.validate()
    with store.transaction():
        clash = [p for p in store.list(m.Partner, name=name) if p.id != partner_id]
        if clash:
            raise ValidationError(f"er is al een partnerorganisatie met de naam '{name}'", where="name")
        old_name = None
        if partner_id is not None:
            if not store.exists(m.Partner, partner_id):
                raise NotFound(f"partnerorganisatie {partner_id} bestaat niet", where="partner")
            old_name = store.get(m.Partner, partner_id).name
            store.update(record)
        else:
            store.add(record)
        renamed = 0
        if old_name and old_name != name:
            for act in store.list(m.Activity):
                if involved(act, old_name):
                    act.lead_partner = name if act.lead_partner == old_name else act.lead_partner
                    act.partners = [name if p == old_name else p for p in act.partners]
                    store.update(act)
                    renamed += 1
        detail = f"{old_name} → {name}, {renamed} activiteiten" if old_name and old_name != name else name
        store.add(m.AuditEntry(at=now_utc().isoformat(), user=actor.name,
                               action="partners.add" if partner_id is None else "partners.edit",
                               target=str(record.id), detail=detail))
    return record


def list_partners(store) -> list[m.Partner]:
    return store.list(m.Partner, order_by="name")
