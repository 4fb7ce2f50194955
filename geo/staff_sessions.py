"""Stay signed in: a staff session that a reload, a bookmark or a new tab resumes.

At sign-in the server stores a :class:`geo.model.StaffSession` and the
browser gets a cookie with a signed, expiring token naming it
(:mod:`geo.signing`, purpose ``staff-session``): no password and no reusable
secret in the URL, and a cookie that cannot be forged or altered. A reload
resumes the session only while all of this holds:

- the token's signature and expiry (the idle time-out, slid forward while
  the session is used);
- the stored session is not revoked — sign-out revokes it, so a copied
  cookie is worth nothing afterwards;
- it was used within the idle time-out (checked on the server as well);
- the account still exists, is enabled and has the same role (and, for a
  partner, the same organisation): disabling an account or changing its role
  ends its sessions.

The frame (``app.py``) calls :func:`start` after a checked sign-in,
:func:`resume` when a new browser session brings the cookie, :func:`touch`
while it is used and :func:`end` at sign-out.
"""

from __future__ import annotations

from . import model as m
from .access import Actor
from .errors import WijkatlasError
from .signing import new_id, sign, verify

COOKIE = "wa_staff"
PURPOSE = "staff-session"
TOUCH_EVERY_S = 60.0  # write last_seen (and slide the cookie) at most once a minute


def start(store, actor: Actor, now: float) -> str:
    """A new stored session for a signed-in ``actor``; its id."""
    sid = new_id()
    store.add(m.StaffSession(sid=sid, user_name=actor.name, role=actor.role, partner=actor.partner,
                             created_at=now, last_seen=now))
    return sid


def token(secret: bytes, sid: str, idle_minutes: float, now: float) -> str:
    """The cookie value: ``sid`` signed, valid for the idle time-out."""
    return sign(secret, PURPOSE, sid, idle_minutes * 60, now=now)


def _get(store, sid: str) -> m.StaffSession | None:
    found = store.list(m.StaffSession, sid=sid)
    return found[0] if found else None


def resume(store, secret: bytes, cookie: object, idle_minutes: float, now: float) -> tuple[Actor, str] | None:
    """The actor and session id a cookie still stands for, or None (then the
    cookie should be deleted). A session found stale here is revoked."""
    from .auth import still_valid

    sid = verify(secret, PURPOSE, cookie, now=now)
    if sid is None:
        return None
    try:
        session = _get(store, sid)
        if session is None or session.revoked:
            return None
        actor = Actor(name=session.user_name, role=session.role, partner=session.partner)
        if now - session.last_seen > idle_minutes * 60 or not still_valid(store, actor):
            end(store, sid)
            return None
        session.last_seen = now
        store.update(session)
    except WijkatlasError:  # the accounts cannot be read: no session
        return None
    return actor, sid


def touch(store, sid: str, now: float) -> bool:
    """Record that the session is in use; False when it was revoked meanwhile
    (signed out in another tab): then this tab is signed out too."""
    session = _get(store, sid)
    if session is None or session.revoked:
        return False
    session.last_seen = now
    store.update(session)
    return True


def active(store, sid: str) -> bool:
    session = _get(store, sid)
    return session is not None and not session.revoked


def end(store, sid: str | None) -> None:
    """Revoke a session (sign-out): its cookie no longer resumes anything."""
    if not sid:
        return
    session = _get(store, sid)
    if session is not None and not session.revoked:
        session.revoked = True
        store.update(session)


def end_all(store, user_name: str) -> int:
    """Revoke every open session of an account (password, role or access changed)."""
    n = 0
    for session in store.list(m.StaffSession, user_name=user_name, revoked=False):
        session.revoked = True
        store.update(session)
        n += 1
    return n
