"""Staff accounts: argon2 password hashes, sign-in, session expiry, SSO roles.

Passwords are kept only as argon2id hashes (argon2-cffi). :func:`authenticate`
answers every failure with the same message and spends the same work on an
unknown name as on a wrong password, so it does not tell which names exist.
Single sign-on (Streamlit's ``st.login``, OIDC) yields claims; :func:`oidc_actor`
maps them to a role — from a role claim, or from an active local account
whose name is the person's e-mail address — and to a resident otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from . import access
from . import model as m
from .access import Actor
from .errors import NotFound, PermissionDenied, ValidationError, WijkatlasError
from .participation import now_utc

_HASHER = PasswordHasher()
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
MAX_NAME = 100
_DUMMY_HASH = _HASHER.hash("wijkatlas-dummy-password")


class SignInFailed(PermissionDenied):
    """Name or password wrong, or the account is disabled."""


class SignInPaused(SignInFailed):
    """Too many failed attempts in this browser session: wait a moment."""


def hash_password(password: str) -> str:
    check_password_strength(password)
    return _HASHER.hash(password)


def check_password_strength(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValidationError(f"het wachtwoord moet ten minste {MIN_PASSWORD} tekens hebben", where="wachtwoord")
    if len(password) > MAX_PASSWORD:
        raise ValidationError(f"het wachtwoord is langer dan {MAX_PASSWORD} tekens", where="wachtwoord")


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _find(store, name: str) -> m.User | None:
    found = store.list(m.User, name=name)
    return found[0] if found else None


def add_user(store, actor: Actor, name: str, role: str, password: str, partner: str | None = None) -> m.User:
    """Create a local account (``users.manage``); a ``partner`` account names its organisation."""
    access.check(actor, "users.manage")
    name = (name or "").strip()
    if role not in m.ROLES:
        raise ValidationError(f"'{role}' is geen rol; kies uit {', '.join(m.ROLES)}", where="role")
    partner_id = _partner_id(store, role, partner)
    user = m.User(name=name, role=role, password_hash=hash_password(password), active=True,
                  created_at=now_utc().isoformat(), partner_id=partner_id)
    user.validate()
    with store.transaction():
        if _find(store, name) is not None:
            raise ValidationError(f"er is al een account met de naam '{name}'", where="name")
        store.add(user)
        _log(store, actor, "users.add", name, f"rol {role}" + (f", partner {partner.strip()}" if partner_id else ""))
    return user


def _partner_id(store, role: str, partner: str | None) -> int | None:
    """The id of the partner organisation a ``partner`` account acts for."""
    partner = (partner or "").strip()
    if role != "partner":
        if partner:
            raise ValidationError("alleen een account met de rol partner hoort bij een partnerorganisatie",
                                  where="partner")
        return None
    if not partner:
        raise ValidationError("een partneraccount hoort bij een partnerorganisatie; geef --partner NAAM",
                              where="partner")
    found = store.list(m.Partner, name=partner)
    if not found:
        known = ", ".join(p.name for p in store.list(m.Partner, order_by="name")) or "geen"
        raise NotFound(f"partnerorganisatie '{partner}' bestaat niet (bekend: {known})", where="partner")
    return found[0].id


def partner_name(store, user: m.User) -> str | None:
    """The name of the organisation a partner account acts for (None otherwise)."""
    if user.partner_id is None or not store.exists(m.Partner, user.partner_id):
        return None
    return store.get(m.Partner, user.partner_id).name


def set_password(store, actor: Actor, name: str, password: str) -> None:
    access.check(actor, "users.manage")
    with store.transaction():
        user = _find(store, name)
        if user is None:
            raise NotFound(f"geen account met de naam '{name}'", where="name")
        user.password_hash = hash_password(password)
        store.update(user)
        _end_sessions(store, name)
        _log(store, actor, "users.password", name)


def _end_sessions(store, name: str) -> None:
    """A changed password, role or a disabled account ends the account's
    stay-signed-in sessions (:mod:`geo.staff_sessions`)."""
    from .staff_sessions import end_all

    end_all(store, name)


def disable_user(store, actor: Actor, name: str) -> m.User:
    """Switch an account off; signed-in sessions lose their role on the next check."""
    return _set_active(store, actor, name, False)


def enable_user(store, actor: Actor, name: str) -> m.User:
    """Switch a disabled account back on (the password is unchanged)."""
    return _set_active(store, actor, name, True)


def _set_active(store, actor: Actor, name: str, active: bool) -> m.User:
    access.check(actor, "users.manage")
    with store.transaction():
        user = _find(store, name)
        if user is None:
            raise NotFound(f"geen account met de naam '{name}'", where="name")
        user.active = active
        store.update(user)
        if not active:
            _end_sessions(store, name)
        _log(store, actor, "users.enable" if active else "users.disable", name)
    return user


def set_role(store, actor: Actor, name: str, role: str, partner: str | None = None) -> m.User:
    """Give an account another role (a ``partner`` role names its organisation);
    its signed-in sessions end on their next check."""
    access.check(actor, "users.manage")
    if role not in m.ROLES:
        raise ValidationError(f"'{role}' is geen rol; kies uit {', '.join(m.ROLES)}", where="role")
    partner_id = _partner_id(store, role, partner)
    with store.transaction():
        user = _find(store, name)
        if user is None:
            raise NotFound(f"geen account met de naam '{name}'", where="name")
        old, user.role, user.partner_id = user.role, role, partner_id
        store.update(user)
        _end_sessions(store, name)
        _log(store, actor, "users.role", name, f"rol {old} → {role}" + (f", partner {partner.strip()}" if partner_id else ""))
    return user


def list_users(store, actor: Actor) -> list[m.User]:
    access.check(actor, "users.manage")
    return store.list(m.User, order_by="name")


def _log(store, actor: Actor, action: str, target: str, detail: str = "") -> None:
    store.add(m.AuditEntry(at=now_utc().isoformat(), user=actor.name, action=action, target=target, detail=detail))


def authenticate(store, name: str, password: str) -> Actor:
    """The staff actor for a correct name and password; :class:`SignInFailed` otherwise."""
    if len(name or "") > MAX_NAME or len(password or "") > MAX_PASSWORD:
        # A crafted request can send more than the form allows: never hash megabytes.
        raise SignInFailed("naam of wachtwoord onjuist")
    user = _find(store, (name or "").strip()) if name else None
    if user is None or not user.password_hash:
        verify_password(_DUMMY_HASH, password or "")  # same work as a real check
        raise SignInFailed("naam of wachtwoord onjuist")
    if not verify_password(user.password_hash, password or ""):
        raise SignInFailed("naam of wachtwoord onjuist")
    if not user.active:
        raise SignInFailed("naam of wachtwoord onjuist")
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
        store.update(user)
    return _actor_of(store, user)


# --- sign-in per account and client, with an audit trail ------------------------------------
SIGNIN_OK = "auth.signin"
SIGNIN_FAILED = "auth.signin_failed"
_FAIL_ANY = "signin.fail"


def _fail_action(name: str) -> str:
    return f"{_FAIL_ANY}:{clean_name(name).lower()}"


def clean_name(name: str) -> str:
    """An account name as typed, fit for a log: no control characters, at
    most :data:`MAX_NAME` characters."""
    from .text import strip_controls

    return strip_controls(str(name or "")).strip()[:MAX_NAME]


def sign_in(store, name: str, password: str, client, config=None, now: float | None = None) -> Actor:
    """:func:`authenticate` throttled per account *and client*, and audited.

    Failed attempts are counted in the store per account name together with
    the browser (``max_failed_signins`` per ``signin_pause_seconds``) and with
    the address (``account_max_failed_signins`` per
    ``account_signin_pause_seconds``), and per address over all names
    (``address_max_failed_signins``). An attacker elsewhere therefore cannot
    lock a colleague out: the owner's own browser and address have their own
    count. Every attempt, failed or not, is written to the audit log (name,
    time, client address; never the password); admins read it with
    :func:`signin_log`.
    """
    import time as _time

    from .clients import Client, check_rate, record
    from .participation import load_config

    config = config or load_config()
    client = client or Client()
    now = _time.time() if now is None else now
    action = _fail_action(name)
    paused = (check_rate(store, client, action, config.max_failed_signins, 0, config.signin_pause_seconds, now)
              or check_rate(store, client, action, 0, config.account_max_failed_signins,
                            config.account_signin_pause_seconds, now)
              or check_rate(store, client, _FAIL_ANY, 0, config.address_max_failed_signins,
                            config.account_signin_pause_seconds, now))
    if paused:
        _audit_signin(store, SIGNIN_FAILED, name, client, now, "gepauzeerd")
        raise SignInPaused("te veel mislukte pogingen; probeer het over enkele minuten opnieuw")
    try:
        actor = authenticate(store, name, password)
    except SignInFailed:
        with store.transaction():
            record(store, client, action, now)
            record(store, client, _FAIL_ANY, now)
            _audit_signin(store, SIGNIN_FAILED, name, client, now, "onjuist")
        raise
    _audit_signin(store, SIGNIN_OK, name, client, now, actor.role)
    return actor


def _audit_signin(store, action: str, name: str, client, now: float, detail: str) -> None:
    from datetime import datetime, timezone

    browser = f"browser {client.browser[:8]}" if client.browser else "geen cookie"
    store.add(m.AuditEntry(at=datetime.fromtimestamp(now, timezone.utc).replace(microsecond=0).isoformat(),
                           user=clean_name(name) or "-", action=action, target=client.address,
                           detail=f"{detail}; {browser}"))


def signin_log(store, actor: Actor, limit: int = 200) -> list[m.AuditEntry]:
    """The latest sign-ins, failed and successful, newest first (admins)."""
    access.check(actor, "users.manage")
    found = store.list(m.AuditEntry, order_by="-id", action=[SIGNIN_OK, SIGNIN_FAILED])
    return found[:limit]


def _actor_of(store, user: m.User) -> Actor:
    if user.role == "partner":
        organisation = partner_name(store, user)
        if organisation is None:  # its organisation was removed: no rights left
            raise SignInFailed("naam of wachtwoord onjuist")
        return Actor(name=user.name, role=user.role, partner=organisation)
    return Actor(name=user.name, role=user.role)


def still_valid(store, actor: Actor, via_sso: bool = False) -> bool:
    """Whether a session's actor still holds its role (account not disabled
    or changed since sign-in, a partner account's organisation included). SSO
    actors without a local account pass."""
    if not actor.is_signed_in:
        return True
    user = _find(store, actor.name)
    if user is None:
        return via_sso and actor.role != "partner"
    if actor.role == "partner" and partner_name(store, user) != actor.partner:
        return False
    return user.active and user.role == actor.role


# --- sessions -------------------------------------------------------------------------------
def session_problem(actor: Actor, source: str | None, last_seen: float | None, store, idle_minutes: float,
                    now: float) -> str | None:
    """Why a signed-in session no longer holds its role: ``"expired"`` (idle
    too long), ``"revoked"`` (account disabled, removed or given another
    role; or the accounts cannot be read), or ``None`` when it still does.

    Checked on every use of the session's actor (:func:`geo.web.actor`), so a
    click queued before the limit passed cannot write after it.
    """
    if not actor.is_signed_in:
        return None
    if SessionClock(idle_minutes).expired(last_seen, now):
        return "expired"
    if source in ("local", "sso"):
        try:
            if not still_valid(store() if callable(store) else store, actor, via_sso=source == "sso"):
                return "revoked"
        except WijkatlasError:
            return "revoked"
    return None



@dataclass(frozen=True)
class SessionClock:
    """Idle expiry of a signed-in session (``idle_minutes``)."""

    idle_minutes: float = 60.0

    def expired(self, last_seen: float | None, now: float) -> bool:
        return last_seen is not None and now - last_seen > self.idle_minutes * 60


# --- single sign-on ----------------------------------------------------------------------------
ROLE_CLAIMS = ("wijkatlas_role", "roles", "role", "groups")


def _roles_in(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    out = []
    for v in value:
        v = str(v).strip().lower()
        v = v.removeprefix("wijkatlas-").removeprefix("wijkatlas_")
        # A claim cannot say which organisation a partner acts for: partners
        # sign in through a local account that names it (see below).
        if v in m.ROLES and v != "partner":
            out.append(v)
    return out


def oidc_actor(claims: Mapping[str, Any], store=None, role_claim: str | None = None) -> Actor:
    """The actor for a person signed in through OIDC.

    The role comes from ``role_claim`` (or the first of :data:`ROLE_CLAIMS`
    present) when it names a Wijkatlas role (``planner`` or
    ``wijkatlas-planner``; the strongest wins), else from an active local
    account whose name is the e-mail address. Anyone else is a resident.
    """
    email = str(claims.get("email") or "").strip().lower()
    name = email or str(claims.get("name") or claims.get("sub") or "sso")
    claim_names = (role_claim,) if role_claim else ROLE_CLAIMS
    for claim in claim_names:
        roles = _roles_in(claims.get(claim))
        if roles:
            role = max(roles, key=lambda r: m.ROLES.index(r))
            return Actor(name=name, role=role)
    if store is not None and email:
        user = _find(store, email)
        if user is not None and user.active:
            try:
                return _actor_of(store, user)
            except SignInFailed:
                pass
    return Actor(name=name, role=access.RESIDENT)
