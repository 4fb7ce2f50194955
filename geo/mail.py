"""E-mail to residents through an outbox: queued with the change, sent once, retried.

A status change that a resident should hear about writes an
:class:`~geo.model.OutboxMessage` in the same transaction as the change
(:func:`enqueue`), under a ``key`` that names the event, so queueing the same
event twice stores one message. :func:`deliver_due` sends what is due over
SMTP (``[mail]`` in ``.streamlit/secrets.toml``, read by
:func:`smtp_config`): a message is first *claimed* with one conditional
update, so two app servers never send it both; a failure is retried with
exponential backoff (:func:`backoff`) up to :data:`MAX_ATTEMPTS`, a refusal
of the address itself ends it as ``failed``. Without an SMTP configuration
the outbox simply waits.

Addresses stay out of logs and error texts: :func:`describe_error` keeps
only the kind of failure and the SMTP code; an address is cleared from the
outbox row once the message is sent, dropped or failed for good.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Callable, Mapping

from . import model as m
from .errors import ConfigError, StoreError

log = logging.getLogger("wijkatlas.mail")

SECRETS_PATH = Path(".streamlit") / "secrets.toml"
BASE_URL_MARK = "{BASE_URL}"  # replaced by the configured public address when sent
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 6 * 3600
STALE_CLAIM_SECONDS = 600  # a claim older than this (server stopped mid-send) is taken up again
SECURITY = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class SmtpConfig:
    """How to reach the mail server (``[mail]`` in ``.streamlit/secrets.toml``)."""

    host: str
    port: int = 25
    security: str = "none"  # none | starttls | ssl
    username: str = ""
    password: str = ""
    sender: str = "wijkatlas@localhost"
    public_url: str = "http://localhost:8501"  # where residents reach the app (links in messages)
    timeout: float = 20.0

    def __repr__(self) -> str:  # never print the password
        return f"SmtpConfig(host={self.host!r}, port={self.port}, security={self.security!r})"


def smtp_config(secrets: Mapping[str, Any] | None) -> SmtpConfig | None:
    """The ``[mail]`` section as an :class:`SmtpConfig`; None when there is none
    (or it has no host). A section that is there but wrong is a ConfigError."""
    section = (secrets or {}).get("mail")
    if not section or not section.get("host"):
        return None
    known = {"host", "port", "security", "username", "password", "sender", "public_url", "timeout"}
    unknown = sorted(set(section) - known)
    if unknown:
        raise ConfigError(f"onbekende instelling '{unknown[0]}' in [mail]", where="secrets.toml")
    try:
        config = SmtpConfig(
            host=str(section["host"]),
            port=int(section.get("port", 25)),
            security=str(section.get("security", "none")),
            username=str(section.get("username", "")),
            password=str(section.get("password", "")),
            sender=str(section.get("sender", "wijkatlas@localhost")),
            public_url=str(section.get("public_url", "http://localhost:8501")).rstrip("/"),
            timeout=float(section.get("timeout", 20)),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[mail] bevat een ongeldige waarde: {exc}", where="secrets.toml") from None
    if config.security not in SECURITY:
        raise ConfigError(f"[mail] security moet een van {', '.join(SECURITY)} zijn", where="secrets.toml")
    if not 0 < config.port < 65536:
        raise ConfigError(f"[mail] port {config.port} bestaat niet", where="secrets.toml")
    return config


def read_secrets(path: str | Path | None = None) -> dict[str, Any]:
    """``.streamlit/secrets.toml`` for code outside Streamlit (the CLI); {} when absent."""
    path = Path(path) if path else SECRETS_PATH
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path.name} is geen geldige TOML: {exc}") from None


# --- queueing ---------------------------------------------------------------------------
def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def enqueue(store, key: str, recipient: str, subject: str, body: str,
            now: datetime | None = None) -> m.OutboxMessage | None:
    """Queue one message, unless one with this ``key`` was queued before
    (then None): the same event never produces a second message."""
    now = now or now_utc()
    with store.transaction():
        if store.list(m.OutboxMessage, key=key):
            return None
        msg = m.OutboxMessage(key=key, recipient=recipient, subject=subject, body=body, status="pending",
                              next_attempt_at=now.isoformat(), created_at=now.isoformat())
        try:
            return store.add(msg)
        except StoreError:
            if store.list(m.OutboxMessage, key=key):  # queued by another server meanwhile
                return None
            raise


def drop(store, keys_ending: str) -> int:
    """Drop the unsent messages whose key ends with ``keys_ending`` (an
    unsubscribe or an erased address); their addresses are cleared."""
    n = 0
    with store.transaction():
        for msg in store.list(m.OutboxMessage, status=["pending", "failed"]):
            if msg.key.endswith(keys_ending):
                msg.status, msg.recipient = "dropped", ""
                store.update(msg)
                n += 1
    return n


# --- sending --------------------------------------------------------------------------------
def backoff(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failure: 1, 2, 4 … minutes, at most 6 hours."""
    return min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** max(0, attempts - 1))


def describe_error(exc: BaseException) -> str:
    """The kind of failure and its SMTP code, never the server's text (it may quote the address)."""
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({c for c, _ in exc.recipients.values()})
        return f"SMTPRecipientsRefused {','.join(str(c) for c in codes)}"
    return f"{type(exc).__name__}{f' {code}' if code else ''}"


def _permanent(exc: BaseException) -> bool:
    """A refusal that will not change on retry: the server refused the address (5xx)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(500 <= c < 600 for c, _ in exc.recipients.values())
    return False


def build_message(config: SmtpConfig, msg: m.OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = config.sender
    email["To"] = msg.recipient
    email["Subject"] = msg.subject
    email["Date"] = format_datetime(now_utc())
    domain = config.sender.rpartition("@")[2] or "wijkatlas.local"
    email["Message-ID"] = make_msgid(idstring=f"outbox-{msg.id}", domain=domain)
    body = msg.body.replace(BASE_URL_MARK, config.public_url)
    for line in body.splitlines():
        if "afmelden=" in line:
            email["List-Unsubscribe"] = f"<{line.strip()}>"
            break
    email.set_content(body)
    return email


def smtp_send(config: SmtpConfig, email: EmailMessage) -> None:
    """Send one message over SMTP (plain, STARTTLS or SMTPS)."""
    if config.security == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout,
                                                context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    with server:
        if config.security == "starttls":
            server.starttls(context=ssl.create_default_context())
        if config.username:
            server.login(config.username, config.password)
        server.send_message(email)


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def due(store, now: datetime) -> list[m.OutboxMessage]:
    """Pending messages whose time has come, and stale claims, oldest first."""
    stamp = now.isoformat()
    stale = (now - timedelta(seconds=STALE_CLAIM_SECONDS)).isoformat()
    found = [msg for msg in store.list(m.OutboxMessage, status=["pending", "sending"], order_by="id")
             if (msg.status == "pending" and msg.next_attempt_at <= stamp)
             or (msg.status == "sending" and msg.claimed_at <= stale)]
    return found


def deliver_due(store, config: SmtpConfig | None, now: datetime | None = None,
                send: Callable[[SmtpConfig, EmailMessage], None] = smtp_send, limit: int = 100) -> DeliveryReport:
    """Send the messages that are due; nothing happens without a configuration."""
    report = DeliveryReport()
    if config is None:
        return report
    now = now or now_utc()
    for msg in due(store, now)[:limit]:
        # Claim it: only the server whose update finds it unchanged sends it.
        if not store.compare_and_set(m.OutboxMessage, msg.id, {"status": msg.status, "claimed_at": msg.claimed_at},
                                     {"status": "sending", "claimed_at": now.isoformat()}):
            continue
        attempts = msg.attempts + 1
        try:
            send(config, build_message(config, msg))
        except (smtplib.SMTPException, OSError) as exc:
            error = describe_error(exc)
            if _permanent(exc) or attempts >= MAX_ATTEMPTS:
                store.compare_and_set(m.OutboxMessage, msg.id, {"status": "sending"},
                                      {"status": "failed", "attempts": attempts, "last_error": error,
                                       "recipient": ""})
                report.failed += 1
                log.warning("outbox message %s failed for good after %s attempts: %s", msg.id, attempts, error)
            else:
                later = (now + timedelta(seconds=backoff(attempts))).isoformat()
                store.compare_and_set(m.OutboxMessage, msg.id, {"status": "sending"},
                                      {"status": "pending", "attempts": attempts, "last_error": error,
                                       "next_attempt_at": later})
                report.retried += 1
                log.info("outbox message %s not sent (%s); next try at %s", msg.id, error, later)
            continue
        store.compare_and_set(m.OutboxMessage, msg.id, {"status": "sending"},
                              {"status": "sent", "attempts": attempts, "sent_at": now.isoformat(),
                               "recipient": "", "last_error": ""})
        report.sent += 1
        log.info("outbox message %s sent", msg.id)
    return report


def run_sender(get_store: Callable[[], Any], get_config: Callable[[], SmtpConfig | None], stop,
               interval: float = 15.0) -> None:
    """Send due messages every ``interval`` seconds until ``stop`` (a
    ``threading.Event``) is set: the loop of the app's sender thread. A
    failure of one round (database busy, bad settings) is logged without
    details and tried again next round; the outbox keeps every message."""
    while not stop.wait(interval):
        try:
            config = get_config()
            if config is not None:
                deliver_due(get_store(), config)
        except Exception as exc:  # noqa: BLE001 - keep sending; never log an address
            log.warning("outbox round failed: %s", type(exc).__name__)


@dataclass(frozen=True)
class OutboxSummary:
    """How many messages are in each state (for the moderation page; no addresses)."""

    pending: int
    sent: int
    failed: int
    last_error: str = ""


def summary(store) -> OutboxSummary:
    msgs = store.list(m.OutboxMessage)
    failed = [x for x in msgs if x.status == "failed"]
    waiting = [x for x in msgs if x.status in ("pending", "sending")]
    errors = [x.last_error for x in sorted(waiting + failed, key=lambda x: x.id) if x.last_error]
    return OutboxSummary(pending=len(waiting), sent=sum(1 for x in msgs if x.status == "sent"),
                         failed=len(failed), last_error=errors[-1] if errors else "")


__all__ = [
    "DeliveryReport",
    "OutboxSummary",
    "SmtpConfig",
    "backoff",
    "build_message",
    "deliver_due",
    "describe_error",
    "drop",
    "enqueue",
    "read_secrets",
    "run_sender",
    "smtp_config",
    "smtp_send",
    "summary",
]
