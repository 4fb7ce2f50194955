"""``wijkatlas contacts delete``: erase a resident's contact (AVG).

A resident may ask for their e-mail address to be removed: by the reference
of a suggestion (``contacts delete WA-2026-0042``) or, when they no longer
have it, by the address itself (``contacts delete --email-stdin``, the
address read from standard input so it stays out of shell history and
``ps``). The suggestions themselves stay. Only references are logged and
printed, never the address.
"""

from __future__ import annotations

import sys

from ..errors import ValidationError
from ..participation import delete_contact, delete_contacts_by_email
from ..store import open_store
from . import cli_actor, emit


def register(sub) -> None:
    p = sub.add_parser("contacts", help="contactgegevens van bewoners (AVG)")
    cmds = p.add_subparsers(dest="contacts_command", metavar="ACTIE")
    cmds.required = True
    d = cmds.add_parser("delete", help="verwijder e-mailadressen van bewoners (op verzoek)")
    d.add_argument("reference", metavar="REFERENCE", nargs="?",
                   help="kenmerk van de suggestie of het initiatief, bijvoorbeeld WA-2026-0042 of WI-2026-0001")
    d.add_argument("--email-stdin", action="store_true",
                   help="verwijder dit adres overal; het adres staat op standaardinvoer")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=run_delete)


def run_delete(args) -> int:
    if bool(args.reference) == bool(args.email_stdin):
        raise ValidationError("geef een kenmerk of --email-stdin (één van beide)", where="contacts delete")
    store = open_store(args.db)
    if args.email_stdin:
        n, refs = delete_contacts_by_email(store, cli_actor(), sys.stdin.readline().strip())
        emit(args, {"references": refs, "deleted": n},
             f"{n} contactgegeven(s) verwijderd" + (f" bij {', '.join(refs)}" if refs else ""))
        return 0
    if args.reference.strip().upper().startswith("WI-"):  # an initiative's reference
        from ..initiatives import delete_contact as delete_initiative_contact

        n = delete_initiative_contact(store, cli_actor(), args.reference)
    else:
        n = delete_contact(store, cli_actor(), args.reference)
    emit(args, {"reference": args.reference.strip().upper(), "deleted": n},
         f"{n} contactgegeven(s) bij {args.reference.strip().upper()} verwijderd")
    return 0
