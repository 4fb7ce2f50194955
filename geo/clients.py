"""Who is on the other end: client identity and per-client limits.

A *client* is one browser, as far as the server can tell:

- its **address**: the connection's IP address, or — only when the direct
  peer is a trusted reverse proxy (``trusted_proxies`` in
  ``data/participation.toml``, or ``WIJKATLAS_TRUSTED_PROXIES``, a
  comma-separated list of addresses or networks) — the right-most address in
  ``X-Forwarded-For`` that is not itself a trusted proxy;
- its **browser id**: a random id carried in a signed cookie
  (:mod:`geo.signing`, purpose ``"client"``), so it survives reloads and new
  tabs. A browser that refuses cookies gets a new id per session; limits per
  address still hold for it.

Public names: :class:`Client` (``client.key`` for "this browser",
``client.address_key`` for "this address"), :func:`client_address`,
:func:`check_rate` and :func:`record` (limits kept in the store, so they
hold across reloads, tabs and app servers), :func:`prune`. The Streamlit side
(reading the cookie and headers, writing the cookie) is in :mod:`geo.web`:
``web.client()``.
"""

from __future__ import annotations

import ipaddress
import os
import time
from dataclasses import dataclass
from typing import Iterable

from . import model as m

CLIENT_COOKIE = "wijkatlas_client"
CLIENT_PURPOSE = "client"
CLIENT_COOKIE_DAYS = 365
LOCAL = "local"
_KEEP_EVENTS_S = 2 * 24 * 3600


@dataclass(frozen=True)
class Client:
    """One client: its address and (where known) its browser id."""

    address: str = LOCAL
    browser: str | None = None

    @property
    def address_key(self) -> str:
        return f"a:{self.address}"

    @property
    def key(self) -> str:
        """The browser when it has an id, else the address."""
        return f"b:{self.browser}" if self.browser else self.address_key


def _networks(entries: Iterable[str]) -> list:
    nets = []
    for entry in entries:
        entry = str(entry).strip()
        if not entry:
            continue
        try:
            nets.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            from .errors import ConfigError

            raise ConfigError(f"trusted_proxies: '{entry}' is geen IP-adres of netwerk",
                              where="participation.toml") from None
    return nets


def trusted_proxies(configured: Iterable[str] = ()) -> list:
    """The configured trusted proxies plus ``WIJKATLAS_TRUSTED_PROXIES``."""
    env = os.environ.get("WIJKATLAS_TRUSTED_PROXIES", "")
    return _networks([*configured, *env.split(",")])


def _is_in(address: str, nets: list) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in nets)


def _clean(address: str) -> str | None:
    address = (address or "").strip().strip('"')
    if address.startswith("[") and "]" in address:  # [v6]:port
        address = address[1:address.index("]")]
    elif address.count(":") == 1:  # v4:port
        address = address.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_address(peer: str | None, forwarded_for: Iterable[str] = (), proxies: list | None = None) -> str:
    """The client's address as the server may trust it.

    ``peer``: the connection's address (None: localhost). ``forwarded_for``:
    every ``X-Forwarded-For`` header value, in order. The header is only
    believed when ``peer`` is a trusted proxy, and then only as far back as
    the chain of trusted proxies goes (a client cannot spoof its way in by
    sending its own header through the proxy).
    """
    proxies = proxies or []
    peer = _clean(peer or "127.0.0.1") or LOCAL
    if not proxies or not _is_in(peer, proxies):
        return peer
    hops = [h for value in forwarded_for for h in str(value).split(",") if h.strip()]
    address = peer
    for hop in reversed(hops):
        cleaned = _clean(hop)
        if cleaned is None:
            break  # garbage in the header: stop at the last trusted hop
        address = cleaned
        if not _is_in(cleaned, proxies):
            break
    return address


def count_recent(store, action: str, key: str, field: str, seconds: float, now: float) -> int:
    return store.count_since(m.ClientEvent, "at", now - seconds, action=action, **{field: key})


def check_rate(store, client: Client, action: str, per_client: int, per_address: int, window_s: float,
               now: float | None = None) -> str | None:
    """Which limit ``client`` has reached for ``action`` (``"client"``,
    ``"address"``) within ``window_s`` seconds, or None. A limit of 0 is off."""
    now = time.time() if now is None else now
    if per_client and count_recent(store, action, client.key, "client_key", window_s, now) >= per_client:
        return "client"
    if per_address and count_recent(store, action, client.address_key, "address_key", window_s, now) >= per_address:
        return "address"
    return None


def record(store, client: Client, action: str, now: float | None = None) -> None:
    """Count one ``action`` of ``client`` (call inside the write's transaction)."""
    now = time.time() if now is None else now
    store.add(m.ClientEvent(action=action, client_key=client.key, address_key=client.address_key, at=now))


def prune(store, now: float | None = None, keep_seconds: float = _KEEP_EVENTS_S) -> int:
    """Forget counted actions older than ``keep_seconds`` (two days)."""
    now = time.time() if now is None else now
    return store.delete_before(m.ClientEvent, "at", now - keep_seconds)


__all__ = ["CLIENT_COOKIE", "Client", "check_rate", "client_address", "prune", "record", "trusted_proxies"]
