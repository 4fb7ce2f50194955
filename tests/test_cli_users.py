"""``wijkatlas users …`` and ``wijkatlas contacts delete`` through the real CLI."""

from __future__ import annotations

import io
import json
import sys

import pytest

from geo import model as m
from geo import participation as P
from geo.access import ANONYMOUS
from geo.cli import main
from geo.store import open_store


@pytest.fixture
def db(backend, tmp_path, request):
    """A fresh database for the command, on each backend (a PostGIS database with nothing in it)."""
    if backend == "postgis":
        return request.getfixturevalue("postgis_server").new_database("bare")
    return f"sqlite:///{tmp_path / 'cli.db'}"


def _run(monkeypatch, capsys, argv, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_add_list_disable(db, monkeypatch, capsys):
    code, out, err = _run(monkeypatch, capsys, ["--db", db, "users", "add", "anna", "--role", "moderator",
                                                "--password-stdin"], "een lang wachtwoord\n")
    assert code == 0, err
    assert "anna" in out
    store = open_store(db)
    user = store.list(m.User, name="anna")[0]
    assert user.password_hash.startswith("$argon2") and "een lang wachtwoord" not in user.password_hash
    code, out, _ = _run(monkeypatch, capsys, ["--db", db, "users", "list", "--json"])
    assert code == 0
    assert json.loads(out) == [{"name": "anna", "role": "moderator", "partner": None, "active": True,
                                "created_at": user.created_at}]
    code, out, _ = _run(monkeypatch, capsys, ["--db", db, "users", "disable", "anna"])
    assert code == 0
    assert open_store(db).list(m.User, name="anna")[0].active is False


def test_password_is_never_an_argument(db, monkeypatch, capsys):
    with pytest.raises(SystemExit) as exit_:
        _run(monkeypatch, capsys, ["--db", db, "users", "add", "bob", "--role", "admin", "--password", "geheimgeheim"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and err.startswith("error: ") and "--password-stdin" in err
    assert "geheimgeheim" not in err


def test_no_terminal_and_no_stdin_flag_is_refused(db, monkeypatch, capsys):
    code, _, err = _run(monkeypatch, capsys, ["--db", db, "users", "add", "bob", "--role", "admin"])
    assert code == 2
    assert err.strip().count("\n") == 0 and "--password-stdin" in err
    assert open_store(db).count(m.User) == 0


@pytest.mark.parametrize(
    "argv, stdin, needle",
    [
        (["users", "add", "bob", "--role", "admin", "--password-stdin"], "kort\n", "10 tekens"),
        (["users", "add", "bob", "--role", "admin", "--password-stdin"], "", "standaardinvoer"),
        (["users", "disable", "nobody"], "", "nobody"),
        (["contacts", "delete", "WA-1999-0001"], "", "WA-1999-0001"),
    ],
)
def test_bad_input_exits_2_with_one_line(db, monkeypatch, capsys, argv, stdin, needle):
    code, _, err = _run(monkeypatch, capsys, ["--db", db, *argv], stdin)
    assert code == 2
    assert err.startswith("error: ") and err.strip().count("\n") == 0 and needle in err
    assert "Traceback" not in err


def test_unknown_role_is_a_usage_error(db, monkeypatch, capsys):
    with pytest.raises(SystemExit) as exit_:
        _run(monkeypatch, capsys, ["--db", db, "users", "add", "bob", "--role", "boss", "--password-stdin"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and err.startswith("error: ") and "--role" in err


def test_duplicate_user_leaves_database_unchanged(db, monkeypatch, capsys):
    _run(monkeypatch, capsys, ["--db", db, "users", "add", "anna", "--role", "planner", "--password-stdin"],
         "een lang wachtwoord\n")
    code, _, err = _run(monkeypatch, capsys, ["--db", db, "users", "add", "anna", "--role", "admin",
                                              "--password-stdin"], "een ander wachtwoord\n")
    assert code == 2 and "al een account" in err
    assert [u.role for u in open_store(db).list(m.User)] == ["planner"]


def test_contacts_delete(demo_db_url, monkeypatch, capsys):
    store = open_store(demo_db_url)
    pin = P.pin_in_buurt(store.get(m.Area, "BU17710005"))
    s = P.submit(store, ANONYMOUS, P.Draft("play", "Een klimrek graag", pin, "ouder@example.nl"))
    code, out, err = _run(monkeypatch, capsys, ["--db", demo_db_url, "contacts", "delete", s.reference, "--json"])
    assert code == 0, err
    assert json.loads(out) == {"reference": s.reference, "deleted": 1}
    assert store.list(m.Contact, suggestion_id=s.id) == []
    assert store.exists(m.Suggestion, s.id)
    assert "ouder@example.nl" not in out + err


def test_contacts_delete_by_address_from_stdin(demo_db_url, monkeypatch, capsys):
    """A resident without their reference codes: every copy of the address goes,
    the suggestions stay, and the address is printed and logged nowhere."""
    store = open_store(demo_db_url)
    pin = P.pin_in_buurt(store.get(m.Area, "BU17710005"))
    config = P.ParticipationConfig(per_client=10, per_address=10, per_minute=100)
    a = P.submit(store, ANONYMOUS, P.Draft("play", "Een klimrek graag", pin, "Ouder@Example.nl"), config)
    b = P.submit(store, ANONYMOUS, P.Draft("greenery", "Meer bomen graag", pin, "ouder@example.nl"), config)
    other = P.submit(store, ANONYMOUS, P.Draft("other", "Iets anders hier", pin, "buur@example.nl"), config)
    code, out, err = _run(monkeypatch, capsys, ["--db", demo_db_url, "contacts", "delete", "--email-stdin", "--json"],
                          stdin=" ouder@example.nl \n")
    assert code == 0, err
    assert json.loads(out) == {"references": sorted([a.reference, b.reference]), "deleted": 2}
    emails = [c.email for c in store.list(m.Contact)]
    assert "buur@example.nl" in emails and not any("ouder" in e.lower() for e in emails)
    assert store.exists(m.Suggestion, a.id) and store.exists(m.Suggestion, other.id)
    assert not any("ouder" in f"{e.target} {e.detail}".lower() for e in store.list(m.AuditEntry))
    assert "ouder" not in (out + err).lower()


@pytest.mark.parametrize("argv, stdin", [
    (["contacts", "delete"], ""),
    (["contacts", "delete", "WA-2026-0001", "--email-stdin"], "x@example.nl\n"),
    (["contacts", "delete", "--email-stdin"], "\n"),
])
def test_contacts_delete_needs_one_of_reference_or_address(demo_db_url, monkeypatch, capsys, argv, stdin):
    before = len(open_store(demo_db_url).list(m.Contact))
    code, out, err = _run(monkeypatch, capsys, ["--db", demo_db_url, *argv], stdin=stdin)
    assert code == 2 and err.startswith("error: ") and len(err.strip().splitlines()) == 1
    assert len(open_store(demo_db_url).list(m.Contact)) == before


def test_enable_and_change_role(db, monkeypatch, capsys):
    from geo import auth

    _run(monkeypatch, capsys, ["--db", db, "users", "add", "anna", "--role", "planner", "--password-stdin"],
         "een lang wachtwoord\n")
    _run(monkeypatch, capsys, ["--db", db, "users", "disable", "anna"])
    with pytest.raises(auth.SignInFailed):
        auth.authenticate(open_store(db), "anna", "een lang wachtwoord")
    code, out, err = _run(monkeypatch, capsys, ["--db", db, "users", "enable", "anna", "--json"])
    assert code == 0, err
    assert json.loads(out) == {"name": "anna", "active": True}
    signed_in = auth.authenticate(open_store(db), "anna", "een lang wachtwoord")
    assert signed_in.role == "planner"
    code, out, err = _run(monkeypatch, capsys, ["--db", db, "users", "role", "anna", "--role", "moderator"])
    assert code == 0, err
    store = open_store(db)
    assert store.list(m.User, name="anna")[0].role == "moderator"
    assert not auth.still_valid(store, signed_in)  # the planner session ends
    assert [e.action for e in store.list(m.AuditEntry, target="anna")][-2:] == ["users.enable", "users.role"]
    code, _, err = _run(monkeypatch, capsys, ["--db", db, "users", "enable", "nobody"])
    assert code == 2 and err.startswith("error: ")
