"""``wijkatlas mail status|send``: the outbox of e-mail updates to residents.

The app sends due messages itself every few seconds while it runs; ``mail
send`` does the same once (for a cron job on a server where the app sleeps,
or after fixing the mail settings). SMTP comes from ``[mail]`` in
``.streamlit/secrets.toml`` (or ``--secrets FILE``). Only counts are
printed, never an address.
"""

from __future__ import annotations

from .. import mail
from ..store import open_store
from . import emit


def register(sub) -> None:
    p = sub.add_parser("mail", help="e-mailberichten aan bewoners (outbox)")
    cmds = p.add_subparsers(dest="mail_command", metavar="ACTIE")
    cmds.required = True
    for name, help_text in (("status", "hoeveel berichten wachten, verstuurd of mislukt zijn"),
                            ("send", "verstuur de berichten die aan de beurt zijn")):
        c = cmds.add_parser(name, help=help_text)
        c.add_argument("--secrets", metavar="FILE", help="secrets.toml met [mail] (standaard .streamlit/secrets.toml)")
        c.add_argument("--json", action="store_true")
        c.set_defaults(func=run)


def run(args) -> int:
    store = open_store(args.db)
    config = mail.smtp_config(mail.read_secrets(args.secrets))
    report = None
    if args.mail_command == "send":
        report = mail.deliver_due(store, config)
    s = mail.summary(store)
    doc = {"smtp_configured": config is not None, "pending": s.pending, "sent": s.sent, "failed": s.failed,
           "last_error": s.last_error}
    text = f"verstuurd: {s.sent}, wachtend: {s.pending}, mislukt: {s.failed}"
    if report is not None:
        doc["this_run"] = {"sent": report.sent, "retried": report.retried, "failed": report.failed}
        text = f"nu verstuurd: {report.sent}, later opnieuw: {report.retried}, mislukt: {report.failed}; " + text
    if config is None:
        text += " (geen mailserver ingesteld: [mail] in .streamlit/secrets.toml)"
    emit(args, doc, text)
    return 0
