"""``wijkatlas contacts delete REFERENCE``: erase a resident's contact (AVG).

A resident may ask for their e-mail address to be removed; the suggestion
itself stays. Only the reference code is logged, never the address.
"""

from __future__ import annotations

from ..participation import delete_contact
from ..store import open_store
from . import emit
from .users import cli_actor


def register(sub) -> None:
    p = sub.add_parser("contacts", help="contactgegevens van bewoners (AVG)")
    cmds = p.add_subparsers(dest="contacts_command", metavar="ACTIE")
    cmds.required = True
    d = cmds.add_parser("delete", help="verwijder het e-mailadres bij een suggestie (op verzoek)")
    d.add_argument("reference", metavar="REFERENCE", help="kenmerk, bijvoorbeeld WA-2026-0042")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=run_delete)


def run_delete(args) -> int:
    store = open_store(args.db)
    n = delete_contact(store, cli_actor(), args.reference)
    emit(args, {"reference": args.reference.strip().upper(), "deleted": n},
         f"{n} contactgegeven(s) bij {args.reference.strip().upper()} verwijderd")
    return 0
