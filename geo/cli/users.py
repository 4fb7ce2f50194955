"""``wijkatlas users add|list|disable|enable|role|password``: staff accounts.

Passwords never travel as a command-line argument (they would show up in
``ps`` and shell history): ``--password-stdin`` reads the first line of
standard input, otherwise the password is asked twice without echo.
The command line acts as an administrator: whoever can run it already holds
the database.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from ..auth import add_user, disable_user, enable_user, list_users, partner_name, set_password, set_role
from ..errors import ValidationError
from ..model import ROLES
from ..store import open_store
from . import cli_actor, emit


class _RefusePlainPassword(argparse.Action):
    """``--password X`` is refused without echoing X (it would sit in shell history)."""

    def __call__(self, parser, namespace, values, option_string=None):
        parser.error("geef het wachtwoord nooit als argument; gebruik --password-stdin of laat het vragen")


def _password_options(p) -> None:
    p.add_argument("--password-stdin", action="store_true", help="lees het wachtwoord van standaardinvoer")
    p.add_argument("--password", action=_RefusePlainPassword, help=argparse.SUPPRESS)


def register(sub) -> None:
    p = sub.add_parser("users", help="beheer accounts van medewerkers")
    cmds = p.add_subparsers(dest="users_command", metavar="ACTIE")
    cmds.required = True

    add = cmds.add_parser("add", help="maak een account aan")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=ROLES, help="rol: " + ", ".join(ROLES))
    add.add_argument("--partner", metavar="ORGANISATIE", help="partnerorganisatie van een account met rol partner")
    _password_options(add)
    add.add_argument("--json", action="store_true")
    add.set_defaults(func=run_add)

    lst = cmds.add_parser("list", help="toon alle accounts")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=run_list)

    dis = cmds.add_parser("disable", help="zet een account uit")
    dis.add_argument("name", metavar="NAME")
    dis.add_argument("--json", action="store_true")
    dis.set_defaults(func=run_disable)

    en = cmds.add_parser("enable", help="zet een uitgezet account weer aan")
    en.add_argument("name", metavar="NAME")
    en.add_argument("--json", action="store_true")
    en.set_defaults(func=run_enable)

    ro = cmds.add_parser("role", help="geef een account een andere rol")
    ro.add_argument("name", metavar="NAME")
    ro.add_argument("--role", required=True, choices=ROLES, help="rol: " + ", ".join(ROLES))
    ro.add_argument("--partner", metavar="ORGANISATIE", help="partnerorganisatie bij rol partner")
    ro.add_argument("--json", action="store_true")
    ro.set_defaults(func=run_role)

    pw = cmds.add_parser("password", help="stel een nieuw wachtwoord in")
    pw.add_argument("name", metavar="NAME")
    _password_options(pw)
    pw.add_argument("--json", action="store_true")
    pw.set_defaults(func=run_password)


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise ValidationError("geen wachtwoord op standaardinvoer", where="--password-stdin")
        return password
    if not sys.stdin.isatty():
        raise ValidationError("geen terminal om het wachtwoord te vragen; gebruik --password-stdin",
                              where="wachtwoord")
    first = getpass.getpass("Wachtwoord: ")
    second = getpass.getpass("Herhaal wachtwoord: ")
    if first != second:
        raise ValidationError("de twee wachtwoorden verschillen", where="wachtwoord")
    return first


def run_add(args) -> int:
    password = read_password(args.password_stdin)
    store = open_store(args.db)
    user = add_user(store, cli_actor(), args.name, args.role, password, partner=args.partner)
    organisation = partner_name(store, user)
    emit(args, {"name": user.name, "role": user.role, "partner": organisation, "active": user.active},
         f"account {user.name} ({user.role}{', ' + organisation if organisation else ''}) aangemaakt")
    return 0


def run_list(args) -> int:
    store = open_store(args.db)
    users = list_users(store, cli_actor())
    doc = [{"name": u.name, "role": u.role, "partner": partner_name(store, u), "active": u.active,
            "created_at": u.created_at} for u in users]
    lines = [f"{d['name']}\t{d['role']}\t{d['partner'] or ''}\t{'actief' if d['active'] else 'uitgezet'}"
             for d in doc] or ["geen accounts"]
    emit(args, doc, "\n".join(lines))
    return 0


def run_disable(args) -> int:
    store = open_store(args.db)
    user = disable_user(store, cli_actor(), args.name)
    emit(args, {"name": user.name, "active": user.active}, f"account {user.name} uitgezet")
    return 0


def run_enable(args) -> int:
    store = open_store(args.db)
    user = enable_user(store, cli_actor(), args.name)
    emit(args, {"name": user.name, "active": user.active}, f"account {user.name} weer aangezet")
    return 0


def run_role(args) -> int:
    store = open_store(args.db)
    user = set_role(store, cli_actor(), args.name, args.role, partner=args.partner)
    emit(args, {"name": user.name, "role": user.role, "partner": partner_name(store, user)},
         f"account {user.name} heeft nu rol {user.role}")
    return 0


def run_password(args) -> int:
    password = read_password(args.password_stdin)
    store = open_store(args.db)
    set_password(store, cli_actor(), args.name, password)
    emit(args, {"name": args.name, "password_changed": True}, f"wachtwoord van {args.name} gewijzigd")
    return 0
