"""The ``wijkatlas`` command: the app's core for GIS staff and scripts.

Each command lives in its own module in this package and joins by one entry
in :data:`COMMANDS`; a module provides ``register(subparsers)`` which adds its
parser and sets ``func`` (called with the parsed arguments, returning an exit
code). Contract (DESIGN.md): exit 0 on success; on bad input exit 2 with one
line ``error: …`` on stderr and the database unchanged; ``--json`` prints one
JSON document on stdout.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import traceback
from typing import Any, Sequence

from ..errors import WijkatlasError

COMMANDS = ("init", "users", "contacts", "mail", "coverage", "check-policy", "import", "export", "report",
            "copy-store", "serve")
# Commands that hand every option after their name to another program (Streamlit).
PASSTHROUGH = ("serve",)
# Command names that are Python keywords live in a module of another name.
_MODULES = {"import": "importing", "export": "exporting"}


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in the contract's one-line form."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"error: {message} (zie '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(2)


def requested_command(argv: Sequence[str]) -> str | None:
    """The command named on the command line (None: none, an unknown one, or --help first)."""
    tokens = iter(argv)
    for token in tokens:
        if token == "--db":
            next(tokens, None)
        elif token.startswith("--db="):
            continue
        else:
            return token if token in COMMANDS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``only``, just that command's part.

    Each command module imports what it needs (pandas for imports, folium
    for reports, …); loading all of them took seconds before any command
    ran, so a named command loads only its own module.
    """
    parser = _Parser(prog="wijkatlas", description="Wijkatlas: wijkontwikkelingsplannen op de kaart.")
    parser.add_argument("--db", help="database-URL (standaard $WIJKATLAS_DATABASE_URL of sqlite:///wijkatlas.db)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in (only,) if only in COMMANDS else COMMANDS:
        importlib.import_module(f"{__name__}.{_MODULES.get(name, name.replace('-', '_'))}").register(sub)
    for command in sub.choices.values():  # --db is global but may also follow the command
        command.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def cli_actor():
    """Who acts from the command line: the login name, as an admin (shell access to the database is that).

    Here rather than in ``users`` so that import and export do not load the
    password hashing (argon2 computes a hash when :mod:`geo.auth` loads).
    """
    import getpass

    from ..access import Actor

    try:
        who = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        who = "unknown"
    return Actor(name=f"cli:{who}", role="admin")


def emit(args: argparse.Namespace, document: Any, text: str) -> None:
    """Print the JSON document (with --json) or the human summary."""
    if getattr(args, "json", False):
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        print(text)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = requested_command(argv)
    passthrough: list[str] = []
    if command in PASSTHROUGH and not {"-h", "--help"} & set(argv[argv.index(command) + 1:]):
        cut = argv.index(command) + 1
        argv, passthrough = argv[:cut], argv[cut:]
    parser = build_parser(command)
    args = parser.parse_args(argv)
    args.passthrough = passthrough
    try:
        return int(args.func(args) or 0)
    except WijkatlasError as exc:
        where = getattr(exc, "location", "")
        print(f"error: {exc}" + (f" ({where})" if where else ""), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("error: afgebroken", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``wijkatlas coverage | head``): stop quietly,
        # as other Unix tools do, without a second error while flushing.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return 141
    except Exception as exc:  # noqa: BLE001 - the contract: never a traceback
        if os.environ.get("WIJKATLAS_DEBUG"):
            traceback.print_exc()
        print(f"error: onverwachte fout ({type(exc).__name__}: {exc}); zet WIJKATLAS_DEBUG=1 voor details",
              file=sys.stderr)
        return 1


def run() -> None:  # console-script entry point
    sys.exit(main())
