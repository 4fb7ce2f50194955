"""E-mail updates: outbox, idempotence, retries with backoff, unsubscribe —
against a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta, timezone

import pytest

from geo import agenda, mail, notify
from geo import model as m
from geo import moderation as M
from geo import participation as P
from geo.access import ANONYMOUS, Actor
from geo.errors import ConfigError
from tests.smtp_server import SmtpServer

pytest.importorskip("aiosmtpd")

MOD = Actor("mia", "moderator")
PLANNER = Actor("piet", "planner")
EMAIL = "bewoner.mail@example.nl"
T0 = datetime(2030, 5, 1, 12, 0, tzinfo=timezone.utc)  # after the messages were queued (now)


@pytest.fixture
def suggestion(demo_store):
    pin = P.pin_in_buurt(demo_store.get(m.Area, "BU17710005"))
    config = P.ParticipationConfig(per_client=100, per_address=100, per_minute=100)
    return P.submit(demo_store, ANONYMOUS, P.Draft("greenery", "Meer bomen in de Smalstraat", pin, EMAIL), config)


def _pending(store):
    return store.list(m.OutboxMessage, status="pending")


# --- configuration ------------------------------------------------------------------------
def test_no_mail_section_means_no_smtp():
    assert mail.smtp_config({}) is None
    assert mail.smtp_config({"mail": {"host": ""}}) is None


def test_bad_mail_section_is_a_clear_config_error():
    with pytest.raises(ConfigError, match="security"):
        mail.smtp_config({"mail": {"host": "x", "security": "tls?"}})
    with pytest.raises(ConfigError, match="onbekende instelling 'pasword'"):
        mail.smtp_config({"mail": {"host": "x", "pasword": "geheim"}})
    with pytest.raises(ConfigError, match="port"):
        mail.smtp_config({"mail": {"host": "x", "port": 70000}})
    config = mail.smtp_config({"mail": {"host": "smtp.example", "port": 587, "security": "starttls",
                                        "password": "geheim", "public_url": "https://a.example/"}})
    assert config.public_url == "https://a.example" and "geheim" not in repr(config)


def test_read_secrets(tmp_path):
    assert mail.read_secrets(tmp_path / "absent.toml") == {}
    path = tmp_path / "secrets.toml"
    path.write_text('[mail]\nhost = "127.0.0.1"\nport = 2525\n')
    assert mail.smtp_config(mail.read_secrets(path)).port == 2525
    path.write_text("[mail\n")
    with pytest.raises(ConfigError, match="geen geldige TOML"):
        mail.read_secrets(path)


# --- queueing ---------------------------------------------------------------------------------
def test_backoff_doubles_and_is_capped():
    assert [mail.backoff(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert mail.backoff(30) == mail.MAX_RETRY_SECONDS


def test_status_change_queues_one_message_per_event(demo_store, suggestion):
    assert not _pending(demo_store)  # 'received' is not news
    M.publish(demo_store, MOD, [suggestion.id])
    (msg,) = _pending(demo_store)
    assert msg.recipient == EMAIL and suggestion.reference in msg.subject
    # The same event again (hidden, then published again) queues nothing new.
    M.hide(demo_store, MOD, [suggestion.id])
    M.publish(demo_store, MOD, [suggestion.id])
    assert len(demo_store.list(m.OutboxMessage)) == 1
    # A new event does.
    M.answer(demo_store, MOD, [suggestion.id], "We planten in het najaar.")
    assert len(demo_store.list(m.OutboxMessage)) == 2


def test_enqueue_is_idempotent_by_key(store):
    assert mail.enqueue(store, "k:1", "a@example.nl", "s", "b") is not None
    assert mail.enqueue(store, "k:1", "a@example.nl", "s", "b") is None
    assert store.count(m.OutboxMessage) == 1


def test_no_address_no_message(demo_store):
    pin = P.pin_in_buurt(demo_store.get(m.Area, "BU17710005"))
    s = P.submit(demo_store, ANONYMOUS, P.Draft("play", "Een wip voor kleine kinderen", pin),
                 P.ParticipationConfig(per_client=100, per_address=100, per_minute=100))
    M.publish(demo_store, MOD, [s.id])
    assert demo_store.count(m.OutboxMessage) == 0


def test_a_failed_status_change_queues_nothing(demo_store, suggestion):
    M.publish(demo_store, MOD, [suggestion.id])
    n = demo_store.count(m.OutboxMessage)
    with pytest.raises(Exception):
        M.to_activity(demo_store, MOD, suggestion.id, "Bomen", "no-such-domain")
    assert demo_store.count(m.OutboxMessage) == n
    assert demo_store.get(m.Suggestion, suggestion.id).status == "published"


# --- sending against a real SMTP server --------------------------------------------------------
def test_taken_up_sends_exactly_one_message_with_activity_and_unsubscribe_link(demo_store, suggestion):
    activity = M.to_activity(demo_store, MOD, suggestion.id, "Bomen planten Smalstraat", "spatial", quick_win=True)
    with SmtpServer() as server:
        report = mail.deliver_due(demo_store, server.config())
        again = mail.deliver_due(demo_store, server.config())
    assert (report.sent, again.sent) == (1, 0)
    (email,) = server.messages
    assert email["To"] == EMAIL and email["From"] == "wijkatlas@geldrop-mierlo.example"
    assert email["Subject"] == f"Uw suggestie {suggestion.reference}: Opgenomen in het plan"
    body = email.get_content()
    assert "opgenomen in het plan" in body and activity.title in body
    assert "taken into the neighbourhood plan" in body  # the English translation below
    contact = demo_store.list(m.Contact, suggestion_id=suggestion.id)[0]
    link = f"https://wijkatlas.example/meedenken?afmelden={contact.token}"
    assert link in body and email["List-Unsubscribe"] == f"<{link}>"
    sent = demo_store.list(m.OutboxMessage)[0]
    assert sent.status == "sent" and sent.recipient == ""  # the address is not kept once sent


def test_in_plan_through_the_agenda_also_mails(demo_store, suggestion):
    M.publish(demo_store, MOD, [suggestion.id])
    plan = demo_store.list(m.Plan, area_code="BU17710005")[0]
    agenda.save_activity(demo_store, PLANNER, m.Activity(title="Bomen", domain="spatial", plan_id=plan.id,
                                                         suggestion_id=suggestion.id))
    keys = [x.key for x in demo_store.list(m.OutboxMessage)]
    assert [k.split(":")[2] for k in keys] == ["published", "in_plan"]


def test_answered_and_not_taken_carry_the_text(demo_store, suggestion):
    M.not_taken(demo_store, MOD, [suggestion.id], "Hier liggen kabels in de grond.")
    with SmtpServer() as server:
        mail.deliver_due(demo_store, server.config())
    (email,) = server.messages
    assert "niet overgenomen" in email.get_content() and "Hier liggen kabels in de grond." in email.get_content()


def test_refused_then_accepted_is_delivered_once_with_backoff(demo_store, suggestion, caplog):
    M.publish(demo_store, MOD, [suggestion.id])
    caplog.set_level(logging.INFO, logger="wijkatlas.mail")
    with SmtpServer(refuse=2) as server:
        config = server.config()
        first = mail.deliver_due(demo_store, config, now=T0)
        msg = demo_store.list(m.OutboxMessage)[0]
        assert (first.retried, msg.status, msg.attempts) == (1, "pending", 1)
        assert msg.next_attempt_at == (T0 + timedelta(seconds=60)).isoformat()
        assert msg.last_error == "SMTPDataError 451"
        # Not due yet: nothing is tried.
        assert mail.deliver_due(demo_store, config, now=T0 + timedelta(seconds=30)).retried == 0
        second = mail.deliver_due(demo_store, config, now=T0 + timedelta(seconds=61))
        assert second.retried == 1
        assert demo_store.list(m.OutboxMessage)[0].next_attempt_at == (T0 + timedelta(seconds=61 + 120)).isoformat()
        third = mail.deliver_due(demo_store, config, now=T0 + timedelta(seconds=200))
        later = mail.deliver_due(demo_store, config, now=T0 + timedelta(days=1))
    assert (third.sent, later.sent) == (1, 0)
    assert server.handler.refused == 2 and len(server.messages) == 1
    assert EMAIL not in caplog.text


def test_no_server_listening_is_retried_not_lost(demo_store, suggestion):
    M.publish(demo_store, MOD, [suggestion.id])
    with SmtpServer() as server:
        config = server.config()
    report = mail.deliver_due(demo_store, config, now=T0)  # the server is gone
    assert report.retried == 1
    msg = demo_store.list(m.OutboxMessage)[0]
    assert msg.status == "pending" and msg.recipient == EMAIL and EMAIL not in msg.last_error


def test_gives_up_after_max_attempts_and_forgets_the_address(demo_store, suggestion):
    M.publish(demo_store, MOD, [suggestion.id])

    def refuse(config, email):
        raise smtplib.SMTPServerDisconnected("gone")

    now = T0
    for _ in range(mail.MAX_ATTEMPTS):
        mail.deliver_due(demo_store, mail.SmtpConfig(host="127.0.0.1"), now=now, send=refuse)
        now += timedelta(hours=7)
    msg = demo_store.list(m.OutboxMessage)[0]
    assert (msg.status, msg.attempts, msg.recipient) == ("failed", mail.MAX_ATTEMPTS, "")
    assert mail.summary(demo_store).failed == 1


def test_a_refused_address_fails_at_once(demo_store, suggestion):
    M.publish(demo_store, MOD, [suggestion.id])

    def refuse(config, email):
        raise smtplib.SMTPRecipientsRefused({EMAIL: (550, b"no such user " + EMAIL.encode())})

    report = mail.deliver_due(demo_store, mail.SmtpConfig(host="127.0.0.1"), now=T0, send=refuse)
    msg = demo_store.list(m.OutboxMessage)[0]
    assert report.failed == 1 and msg.status == "failed" and EMAIL not in msg.last_error


def test_a_claimed_message_is_not_sent_by_a_second_server(demo_store, suggestion):
    M.publish(demo_store, MOD, [suggestion.id])
    msg = demo_store.list(m.OutboxMessage)[0]
    assert demo_store.compare_and_set(m.OutboxMessage, msg.id, {"status": "pending", "claimed_at": ""},
                                      {"status": "sending", "claimed_at": T0.isoformat()})
    with SmtpServer() as server:
        assert mail.deliver_due(demo_store, server.config(), now=T0 + timedelta(seconds=5)).sent == 0
        # … unless that server died mid-send: a stale claim is taken up again.
        later = T0 + timedelta(seconds=mail.STALE_CLAIM_SECONDS + 1)
        assert mail.deliver_due(demo_store, server.config(), now=later).sent == 1
    assert len(server.messages) == 1


def test_without_smtp_the_outbox_waits(demo_store, suggestion):
    M.publish(demo_store, MOD, [suggestion.id])
    assert mail.deliver_due(demo_store, None).sent == 0
    assert mail.summary(demo_store).pending == 1


# --- unsubscribe ---------------------------------------------------------------------------------
def test_unsubscribe_erases_the_address_and_drops_unsent_messages(demo_store, suggestion):
    M.publish(demo_store, MOD, [suggestion.id])
    token = demo_store.list(m.Contact, suggestion_id=suggestion.id)[0].token
    assert notify.unsubscribe(demo_store, token) == 1
    assert demo_store.count(m.Contact, suggestion_id=suggestion.id) == 0
    (msg,) = demo_store.list(m.OutboxMessage)
    assert msg.status == "dropped" and msg.recipient == ""
    assert notify.unsubscribe(demo_store, token) == 0  # a used link does nothing
    M.answer(demo_store, MOD, [suggestion.id], "Antwoord")
    assert demo_store.count(m.OutboxMessage) == 1  # no address, no new message


@pytest.mark.parametrize("token", ["", "x", "' OR 1=1 --", "a" * 500])
def test_unsubscribe_ignores_junk(demo_store, suggestion, token):
    M.publish(demo_store, MOD, [suggestion.id])
    assert notify.unsubscribe(demo_store, token) == 0
    assert demo_store.count(m.Contact, suggestion_id=suggestion.id) == 1


def test_avg_erasure_drops_unsent_messages(demo_store, suggestion):
    M.publish(demo_store, MOD, [suggestion.id])
    P.delete_contacts_by_email(demo_store, Actor("ad", "admin"), EMAIL.upper())
    (msg,) = demo_store.list(m.OutboxMessage)
    assert msg.status == "dropped" and msg.recipient == ""


def test_cli_mail_send_and_status(demo_db_url, tmp_path, capsys):
    import json

    from geo.cli import main
    from geo.store import open_store

    store = open_store(demo_db_url)
    pin = P.pin_in_buurt(store.get(m.Area, "BU17710005"))
    s = P.submit(store, ANONYMOUS, P.Draft("greenery", "Meer bomen bij het plein", pin, EMAIL),
                 P.ParticipationConfig(per_client=100, per_address=100, per_minute=100))
    M.publish(store, MOD, [s.id])
    assert main(["--db", demo_db_url, "mail", "status", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["pending"] == 1 and doc["smtp_configured"] is False
    with SmtpServer() as server:
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(f'[mail]\nhost = "127.0.0.1"\nport = {server.port}\nsender = "wa@example.nl"\n')
        assert main(["--db", demo_db_url, "mail", "send", "--secrets", str(secrets), "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["this_run"]["sent"] == 1 and EMAIL not in out
    assert len(server.messages) == 1
    bad = tmp_path / "bad.toml"
    bad.write_text('[mail]\nhost = "x"\nsecurity = "nope"\n')
    assert main(["--db", demo_db_url, "mail", "send", "--secrets", str(bad)]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_the_sender_loop_delivers_and_survives_a_bad_round(demo_store, suggestion):
    import threading
    import time

    M.publish(demo_store, MOD, [suggestion.id])
    stop = threading.Event()
    with SmtpServer() as server:
        calls = []

        def config():
            calls.append(1)
            if len(calls) == 1:
                raise ConfigError("kapotte instellingen")  # a bad round: logged, the loop goes on
            return server.config()

        thread = threading.Thread(target=mail.run_sender, args=(lambda: demo_store, config, stop, 0.05))
        thread.start()
        deadline = time.monotonic() + 20
        while not server.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.set()
        thread.join(5)
    assert not thread.is_alive() and len(server.messages) == 1 and len(calls) >= 2
