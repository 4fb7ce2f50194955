"""Updates by e-mail: a resident who left an address hears of each status change.

Called inside the transaction that changes a suggestion's or an initiative's
status, so the change and its message land together (or neither does). One
message per contact per event: the outbox key names the record, the new
status, what it was told (answer or activity) and the contact. Every message
ends with a one-click unsubscribe link (``…/meedenken?afmelden=TOKEN``);
:func:`unsubscribe` deletes the address and drops its unsent messages.

Messages are written in Dutch with an English translation below: we do not
know which language the resident reads.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from . import mail
from . import model as m
from .i18n import label, t

SUGGESTION_EVENTS = ("published", "in_plan", "answered", "not_taken")
INITIATIVE_EVENTS = ("approved", "not_eligible")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
UNSUBSCRIBE_PATH = "meedenken?afmelden="


def _token(store, contact) -> str:
    if not contact.token:
        contact.token = secrets.token_urlsafe(24)
        store.update(contact)
    return contact.token


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:12]


def _body(lines_nl: list[str], lines_en: list[str], token: str) -> str:
    link = f"{mail.BASE_URL_MARK}/{UNSUBSCRIBE_PATH}{token}"
    return "\n".join([
        *lines_nl, "",
        t("mail.unsubscribe", "nl"), link, "",
        "-- English --", "",
        *lines_en, "",
        t("mail.unsubscribe", "en"), link, "",
    ])


def _suggestion_lines(s: m.Suggestion, activity: m.Activity | None, lang: str) -> list[str]:
    lines = [t("mail.greeting", lang), "",
             t("mail.suggestion.intro", lang, reference=s.reference),
             t(f"mail.suggestion.{s.status}", lang)]
    if s.status == "in_plan" and activity is not None:
        lines.append(t("mail.activity", lang, title=activity.title, status=label(activity.status, lang)))
    if s.status in ("answered", "not_taken", "in_plan") and s.answer:
        lines += ["", t("mail.answer", lang), s.answer]
    lines += ["", t("mail.follow", lang, reference=s.reference)]
    return lines


def suggestion_changed(store, s: m.Suggestion, now=None) -> int:
    """Queue a message for each address left with ``s`` about its new status."""
    if s.status not in SUGGESTION_EVENTS:
        return 0
    contacts = store.list(m.Contact, suggestion_id=s.id)
    if not contacts:
        return 0
    activity = store.get(m.Activity, s.activity_id) if s.activity_id and store.exists(m.Activity, s.activity_id) \
        else None
    event = _digest(s.answer if s.status != "published" else "", activity.id if activity else "")
    queued = 0
    for c in contacts:
        body = _body(_suggestion_lines(s, activity, "nl"), _suggestion_lines(s, activity, "en"), _token(store, c))
        subject = t("mail.suggestion.subject", "nl", reference=s.reference,
                    status=t(f"res.status.{s.status}", "nl"))
        key = f"suggestion:{s.id}:{s.status}:{event}:contact:{c.id}"
        if mail.enqueue(store, key, c.email, subject, body, now) is not None:
            queued += 1
    return queued


def _initiative_lines(i: m.Initiative, activity: m.Activity | None, lang: str) -> list[str]:
    lines = [t("mail.greeting", lang), "",
             t("mail.initiative.intro", lang, reference=i.reference, title=i.title),
             t(f"mail.initiative.{i.status}", lang)]
    if i.status == "approved" and activity is not None:
        lines.append(t("mail.activity", lang, title=activity.title, status=label(activity.status, lang)))
    if i.reason:
        lines += ["", t("mail.reason", lang), i.reason]
    return lines


def initiative_changed(store, i: m.Initiative, now=None) -> int:
    """Queue a message for each address left with initiative ``i`` about its assessment."""
    if i.status not in INITIATIVE_EVENTS:
        return 0
    activity = store.get(m.Activity, i.activity_id) if i.activity_id and store.exists(m.Activity, i.activity_id) \
        else None
    queued = 0
    for c in store.list(m.InitiativeContact, initiative_id=i.id):
        body = _body(_initiative_lines(i, activity, "nl"), _initiative_lines(i, activity, "en"), _token(store, c))
        subject = t("mail.initiative.subject", "nl", reference=i.reference,
                    status=t(f"ini.status.{i.status}", "nl"))
        key = f"initiative:{i.id}:{i.status}:{_digest(i.reason, i.activity_id)}:icontact:{c.id}"
        if mail.enqueue(store, key, c.email, subject, body, now) is not None:
            queued += 1
    return queued


def unsubscribe(store, token: str) -> int:
    """Delete the address(es) behind an unsubscribe link and drop their unsent
    messages; returns how many addresses were removed (0: unknown or used link)."""
    token = (token or "").strip()
    if not TOKEN_RE.match(token):
        return 0
    removed = 0
    with store.transaction():
        for c in store.list(m.Contact, token=token):
            mail.drop(store, f":contact:{c.id}")
            store.delete(m.Contact, c.id)
            removed += 1
        for c in store.list(m.InitiativeContact, token=token):
            mail.drop(store, f":icontact:{c.id}")
            store.delete(m.InitiativeContact, c.id)
            removed += 1
        if removed:
            store.add(m.AuditEntry(at=mail.now_utc().isoformat(), user="bewoner", action="contacts.unsubscribe",
                                   target="-", detail=f"{removed} afgemeld"))
    return removed


__all__ = ["INITIATIVE_EVENTS", "SUGGESTION_EVENTS", "initiative_changed", "suggestion_changed", "unsubscribe"]
