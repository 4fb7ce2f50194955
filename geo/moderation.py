"""Moderating resident suggestions: the queue and what a moderator does with it.

Every action takes the acting :class:`~geo.access.Actor`, checks
``suggestion.moderate`` first, works on one or many suggestions (bulk) inside
one transaction, and writes one :class:`~geo.model.AuditEntry` per
suggestion touched: who, when, what — never a resident's contact details.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from . import access
from . import model as m
from . import notify
from .access import Actor
from .agenda import check_activity
from .errors import Conflict, NotFound, ValidationError
from .participation import coarsen, load_config, now_utc

QUEUE_STATUSES = ("received",)
# Which statuses an action may start from.
_FROM = {
    "publish": ("received", "hidden", "rejected"),
    "hide": ("received", "published", "in_plan", "answered", "not_taken"),
    "reject": ("received", "published", "hidden"),
    "answer": ("received", "published", "in_plan", "answered", "not_taken"),
    "not_taken": ("received", "published", "answered"),
    "merge": ("received", "published", "hidden"),
    "to_activity": ("received", "published", "answered"),
}
MAX_REASON = 1000


@dataclass(frozen=True)
class QueueItem:
    """A row of the moderation queue (no contact details; only whether there is one)."""

    id: int
    reference: str
    category: str
    text: str
    status: str
    buurt_code: str | None
    supporters: int
    created_at: str
    has_contact: bool
    version: int = 0


_QUEUE_FIELDS = ("id", "reference", "category", "text", "status", "buurt_code", "supporters", "created_at",
                 "version")


def _suggestions(store, names: tuple[str, ...], statuses: list[str], scope) -> dict[str, list]:
    """Fields of the suggestions in ``statuses`` (of ``scope``'s gemeente when
    given: only its rows are read, :meth:`Store.read_gemeente_columns`), column-wise, oldest first."""
    import numpy as np

    if scope is None or scope.is_all:
        cols = store.read_columns(m.Suggestion, names, status=statuses)
    else:
        read = names if "status" in names else (*names, "status")
        cols = store.read_gemeente_columns(m.Suggestion, scope.code, read, unplaced=scope.unplaced)
        if len(cols):
            cols = cols.take(np.isin(cols["status"].astype(str), statuses))
    return {n: cols[n].tolist() for n in names}


def queue(store, actor: Actor, statuses: Iterable[str] = QUEUE_STATUSES, scope=None) -> list[QueueItem]:
    """Suggestions in ``statuses``, oldest first; with ``scope`` (a
    :class:`geo.scope.Scope`) those of its gemeente, reading no other's."""
    access.check(actor, "suggestion.moderate")
    statuses = [s for s in statuses if s in m.SUGGESTION_STATUSES]
    with_contact = set(store.read_columns(m.Contact, ["suggestion_id"])["suggestion_id"].tolist())
    c = _suggestions(store, _QUEUE_FIELDS, statuses, scope)
    return [QueueItem(*row[:8], row[0] in with_contact, row[8]) for row in zip(*(c[n] for n in _QUEUE_FIELDS))]


MERGE_TARGETS = ("received", "published", "in_plan", "answered")


def merge_targets(store, scope=None) -> dict[int, str]:
    """The suggestions others may be merged into (id → reference, oldest first),
    of ``scope``'s gemeente when given (no other gemeente's rows read)."""
    c = _suggestions(store, ("id", "reference"), list(MERGE_TARGETS), scope)
    return {i: ref or f"#{i}" for i, ref in zip(c["id"], c["reference"])}


def _log(store, actor: Actor, action: str, s: m.Suggestion, detail: str = "") -> None:
    store.add(m.AuditEntry(at=now_utc().isoformat(), user=actor.name, action=f"suggestion.{action}",
                           target=s.reference or f"suggestion {s.id}", detail=detail))


def _load(store, ids: Iterable[int], action: str, seen: dict[int, int] | None = None) -> list[m.Suggestion]:
    """The suggestions, checked: they exist, may take ``action``, and (with
    ``seen``, id → version as the moderator's screen showed it) nobody changed
    them since — else :class:`~geo.errors.Conflict`, and nothing is written."""
    ids = list(dict.fromkeys(int(i) for i in ids))
    if not ids:
        raise ValidationError("kies eerst een of meer suggesties", where="selectie")
    found = {s.id: s for s in store.list(m.Suggestion, id=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"suggestie {missing[0]} bestaat niet (meer)")
    changed = [found[i] for i in ids if seen and i in seen and int(seen[i]) != found[i].version]
    if changed:
        refs = ", ".join(c.reference or str(c.id) for c in changed)
        raise Conflict(f"{refs} is intussen door iemand anders gewijzigd (status nu: "
                       f"{', '.join(c.status for c in changed)}); er is niets opgeslagen. Bekijk de nieuwe stand "
                       "en kies opnieuw", table="suggestions", key=changed[0].id)
    for s in found.values():
        if s.status not in _FROM[action]:
            raise ValidationError(
                f"{s.reference or s.id} heeft status '{s.status}'; deze actie kan alleen vanuit "
                f"{', '.join(_FROM[action])}",
                where="status",
            )
    return [found[i] for i in ids]


def _reason(reason: str, required: bool = True) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError("geef een reden of antwoord op", where="reden")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"is te lang ({len(reason)} tekens, maximaal {MAX_REASON})", where="reden")
    return reason


def _set_status(store, actor: Actor, ids, action: str, status: str, answer: str | None = None,
                seen: dict[int, int] | None = None) -> int:
    access.check(actor, "suggestion.moderate")
    with store.transaction():
        items = _load(store, ids, action, seen)
        for s in items:
            s.status = status
            if answer is not None:
                s.answer = answer
            store.update(s)
            _log(store, actor, action, s, answer or "")
            notify.suggestion_changed(store, s)
    return len(items)


def publish(store, actor: Actor, ids: Iterable[int], seen: dict[int, int] | None = None) -> int:
    return _set_status(store, actor, ids, "publish", "published", seen=seen)


def hide(store, actor: Actor, ids: Iterable[int], seen: dict[int, int] | None = None) -> int:
    return _set_status(store, actor, ids, "hide", "hidden", seen=seen)


def reject(store, actor: Actor, ids: Iterable[int], reason: str, seen: dict[int, int] | None = None) -> int:
    """Not published (abuse, personal data, off topic); the reason is kept."""
    access.check(actor, "suggestion.moderate")  # before the reason is looked at
    return _set_status(store, actor, ids, "reject", "rejected", _reason(reason), seen=seen)


def answer(store, actor: Actor, ids: Iterable[int], text: str, seen: dict[int, int] | None = None) -> int:
    """Publish the municipality's answer (status ``answered``)."""
    access.check(actor, "suggestion.moderate")
    return _set_status(store, actor, ids, "answer", "answered", _reason(text), seen=seen)


def not_taken(store, actor: Actor, ids: Iterable[int], reason: str, seen: dict[int, int] | None = None) -> int:
    """Public, but not taken up, with the reason shown to residents."""
    access.check(actor, "suggestion.moderate")
    return _set_status(store, actor, ids, "not_taken", "not_taken", _reason(reason), seen=seen)


def _fold_supporters(store, target: m.Suggestion, s: m.Suggestion) -> int:
    """Move ``s``'s supporters (and its author, as one supporter) to
    ``target``; a client already behind ``target`` (as supporter or author)
    counts once. Supporters from before per-client counting (no ``supports``
    row) are added as they are. Returns how many the target gains."""
    rows = store.list(m.Support, suggestion_id=s.id)
    known = {r.client_key for r in store.list(m.Support, suggestion_id=target.id)}
    anonymous = max((s.supporters or 0) - sum(1 for r in rows if r.kind == "support"), 0)
    gained = anonymous + (0 if any(r.kind == "author" for r in rows) else 1)
    for r in rows:
        if r.client_key in known:
            continue
        known.add(r.client_key)
        store.add(m.Support(suggestion_id=target.id, client_key=r.client_key, address_key=r.address_key,
                            kind="support", at=r.at))
        gained += 1
    return gained


def merge(store, actor: Actor, duplicate_ids: Iterable[int], into_id: int) -> m.Suggestion:
    """Fold duplicates into one suggestion: their supporters (and each
    duplicate's author, as one supporter) count for the one kept, each client
    once: a resident who supported both, or the kept one's own author, is not
    counted twice."""
    access.check(actor, "suggestion.moderate")
    duplicate_ids = [int(i) for i in duplicate_ids if int(i) != int(into_id)]
    with store.transaction():
        target = store.get(m.Suggestion, int(into_id))
        if target.status in ("hidden", "rejected", "merged"):
            raise ValidationError(f"{target.reference} is niet openbaar; kies een andere om in samen te voegen",
                                  where="samenvoegen")
        items = _load(store, duplicate_ids, "merge")
        for s in items:
            s.status = "merged"
            s.merged_into = target.id
            store.update(s)
            _log(store, actor, "merge", s, f"samengevoegd met {target.reference}")
            target.supporters = (target.supporters or 0) + _fold_supporters(store, target, s)
        store.update(target)
        _log(store, actor, "merge_target", target, ", ".join(s.reference for s in items))
    return target


def to_activity(store, actor: Actor, suggestion_id: int, title: str, domain: str, quick_win: bool = False,
                plan_id: int | None = None, start: str = "") -> m.Activity:
    """Turn a suggestion into an agenda activity (or a quick win) at its place.

    The suggestion becomes ``in_plan`` and links to the activity, so residents
    see what became of it. The activity is public (explorer, plan documents),
    so it gets the pin as the public sees it: snapped to the grid of
    ``coarsen_grid_m`` when that is set, never a resident's exact click.
    """
    access.check(actor, "suggestion.moderate")
    with store.transaction():
        (s,) = _load(store, [suggestion_id], "to_activity")
        if plan_id is None and s.buurt_code:
            plans = store.list(m.Plan, area_code=s.buurt_code)
            plan_id = plans[0].id if plans else None
        activity = m.Activity(
            title=(title or "").strip() or s.text[:80],
            domain=domain,
            description=s.text,
            status="planned",
            quick_win=bool(quick_win),
            buurt_code=s.buurt_code,
            plan_id=plan_id,
            geometry=coarsen(s.geometry, load_config().coarsen_grid_m),
            suggestion_id=s.id,
            start=start,
        )
        check_activity(store, activity)  # the agenda's own rules (quarters, quick-win limits, links)
        store.add(activity)
        s.status = "in_plan"
        s.activity_id = activity.id
        store.update(s)
        notify.suggestion_changed(store, s)
        kind = "quick win" if quick_win else "activiteit"
        _log(store, actor, "to_activity", s, f"{kind} {activity.id}: {activity.title}")
    return activity


def to_activities(store, actor: Actor, ids: Iterable[int], title: str, domain: str,
                  quick_win: bool = False) -> list[m.Activity]:
    """Bulk :func:`to_activity`: one activity per suggestion, all or none.

    ``title`` is used for a single suggestion; with several, each activity is
    titled after its own suggestion's text.
    """
    access.check(actor, "suggestion.moderate")
    ids = list(dict.fromkeys(int(i) for i in ids))
    if not ids:
        raise ValidationError("kies eerst een of meer suggesties", where="selectie")
    with store.transaction():
        return [to_activity(store, actor, i, title if len(ids) == 1 else "", domain, quick_win) for i in ids]


def audit_log(store, actor: Actor, limit: int = 100) -> list[m.AuditEntry]:
    """The latest moderation entries, newest first."""
    access.check(actor, "suggestion.moderate")
    return [e for e in store.list(m.AuditEntry, order_by="-id") if e.action.startswith("suggestion.")][:limit]


ACTIONS = ("publish", "hide", "reject", "answer", "not_taken", "merge", "to_activity")
