"""Signed, expiring tokens (HMAC-SHA256) for browser cookies and links.

The server signs a short payload (a client id, a staff session id …) so the
browser can carry it across reloads and new tabs without being able to forge
or alter it. Public names:

- :func:`server_secret` — the signing key: ``[wijkatlas] secret`` from
  ``.streamlit/secrets.toml`` when the frame passes it in, otherwise a random
  key generated once and kept in the database's ``meta`` table (key
  ``signing_secret``), so several app servers on one database share it;
- :func:`sign` — ``sign(secret, purpose, payload, ttl_seconds, now=None)``
  gives a URL- and cookie-safe token ``payload.expiry.signature``;
- :func:`verify` — ``verify(secret, purpose, token, now=None)`` gives the
  payload back, or ``None`` when the token is forged, altered, made for
  another purpose or expired (never raises on bad input);
- :func:`new_id` — a random id fit for a payload.

``purpose`` separates token kinds: a token signed for ``"client"`` is never
accepted as a ``"staff-session"`` token. Payloads must be short text without
``.`` (ids); they are readable by the browser, so never put secrets in them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets as _secrets
import time

SECRET_META_KEY = "signing_secret"
_MIN_SECRET_BYTES = 16


def new_id(nbytes: int = 16) -> str:
    """A random, URL-safe id (``nbytes`` of randomness)."""
    return _secrets.token_urlsafe(nbytes)


def server_secret(store, configured: str | None = None) -> bytes:
    """The signing key: ``configured`` when given (at least 16 characters),
    else the key kept in the store's ``meta`` table, made on first use."""
    if configured:
        configured = str(configured)
        if len(configured) < _MIN_SECRET_BYTES:
            from .errors import ConfigError

            raise ConfigError("[wijkatlas] secret in secrets.toml is te kort (minimaal 16 tekens)",
                              where="secrets.toml")
        return configured.encode("utf-8")
    value = store.meta_value(SECRET_META_KEY)
    if not value:
        value = store.set_meta_default(SECRET_META_KEY, _secrets.token_hex(32))
    return value.encode("ascii")


def _mac(secret: bytes, purpose: str, body: str) -> str:
    digest = hmac.new(secret, f"{purpose}\n{body}".encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def sign(secret: bytes, purpose: str, payload: str, ttl_seconds: float, now: float | None = None) -> str:
    """A token carrying ``payload`` for ``purpose``, valid ``ttl_seconds``."""
    if "." in payload or not payload:
        raise ValueError("payload must be non-empty text without '.'")
    expires = int((time.time() if now is None else now) + ttl_seconds)
    body = f"{payload}.{expires}"
    return f"{body}.{_mac(secret, purpose, body)}"


def verify(secret: bytes, purpose: str, token: object, now: float | None = None) -> str | None:
    """The payload of a valid, unexpired ``token`` for ``purpose``; else None."""
    if not isinstance(token, str) or len(token) > 512:
        return None
    parts = token.split(".")
    if len(parts) != 3 or not parts[0] or not parts[1].isdigit():
        return None
    payload, expires, mac = parts
    if not hmac.compare_digest(mac, _mac(secret, purpose, f"{payload}.{expires}")):
        return None
    if int(expires) <= (time.time() if now is None else now):
        return None
    return payload


__all__ = ["new_id", "server_secret", "sign", "verify"]
