"""Who may open which page and do which action — one table each.

(a) every file in ``pages/`` must have a :class:`~geo.navigation.PageEntry`;
(b) every page × every role: it renders without exception, or the role gets
    the clear refusal — and is not offered the page in the navigation;
(c) every action in :data:`geo.access.ACTIONS` × every role against the
    explicit table :data:`EXPECTED_ACTIONS`: a new action without a row fails.

How pages are run: ``AppTest.switch_page`` works with ``st.navigation`` for
the pages the frame registered for the session's role; a page the role may
not open is not registered at all (``switch_page`` raises ``ValueError``,
and a browser asking for its URL gets the default page). To prove the page's
own guard as well (stale session, crafted URL), the refused case also runs
the page file directly with ``AppTest.from_file`` and a seeded actor.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geo import access
from geo.access import PARTNER, RESIDENT, STAFF, Actor
from geo.errors import PermissionDenied
from geo.navigation import PAGES

ROOT = Path(__file__).resolve().parent.parent
ROLES = (RESIDENT, PARTNER, *STAFF)
REFUSAL = "alleen voor medewerkers"

# action → roles allowed. Adding an action to geo.access.ACTIONS without a
# row here fails test_every_action_has_a_row: decide who may do it.
EXPECTED_ACTIONS: dict[str, set[str]] = {
    "suggestion.submit": {"resident", "partner", "planner", "real-estate", "moderator", "admin"},
    "suggestion.support": {"resident", "partner", "planner", "real-estate", "moderator", "admin"},
    "suggestion.moderate": {"moderator", "admin"},
    "plan.edit": {"planner", "admin"},
    "activity.edit": {"planner", "admin"},
    "evaluation.edit": {"planner", "admin"},
    "evaluation.respond": {"resident", "partner", "planner", "real-estate", "moderator", "admin"},
    "initiative.submit": {"resident", "partner", "planner", "real-estate", "moderator", "admin"},
    "initiative.assess": {"planner", "moderator", "admin"},
    "real_estate.edit": {"real-estate", "admin"},
    "meeting_place.edit": {"planner", "real-estate", "admin"},
    "data.import": {"admin"},
    "data.export": {"planner", "real-estate", "admin"},
    "data.export_contacts": {"admin"},
    "users.manage": {"admin"},
    "contacts.delete": {"admin"},
    "activity.update": {"partner", "planner", "admin"},  # a partner only on activities its organisation leads
    "team.edit": {"planner", "admin"},
    "programme.export": {"planner", "admin"},
    "partners.manage": {"admin"},
}


# --- (a) pages have entries ---------------------------------------------------------------
def test_every_page_file_has_an_entry():
    files = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py") if p.name != "__init__.py")
    registered = {e.file for e in PAGES}
    missing = [f for f in files if f not in registered]
    assert not missing, f"pages without a PageEntry in geo.navigation.PAGES: {missing}"
    absent = [e.file for e in PAGES if not (ROOT / e.file).is_file()]
    assert not absent, f"PageEntry files that do not exist: {absent}"


def test_entries_are_unique_and_roles_known():
    urls = [e.url_path for e in PAGES]
    assert len(urls) == len(set(urls))
    for e in PAGES:
        assert e.roles and set(e.roles) <= set(ROLES), e


def test_every_page_calls_the_guard_first():
    for e in PAGES:
        source = (ROOT / e.file).read_text(encoding="utf-8")
        assert f'web.guard("{e.url_path}")' in source, f"{e.file} does not call web.guard({e.url_path!r})"


# --- (b) every page × every role ---------------------------------------------------------------
CASES = [pytest.param(e.url_path, role, id=f"{e.url_path}-{role}") for e in PAGES for role in ROLES]


def _errors(at) -> list[str]:
    return [el.value for el in at.error]


@pytest.mark.parametrize("url_path, role", CASES)
def test_page_renders_or_refuses(apptest, url_path, role):
    from streamlit.testing.v1 import AppTest

    entry = next(e for e in PAGES if e.url_path == url_path)
    seeded = None if role == RESIDENT else role
    if role in entry.roles:
        at = apptest(url_path, role=seeded)
        assert not at.exception, f"{url_path} as {role}: {at.exception}"
        assert not any(REFUSAL in msg for msg in _errors(at))
        return
    # Not offered in the navigation …
    at = apptest(None, role=seeded)
    with pytest.raises(ValueError):
        at.switch_page(entry.file)
    # … and the page refuses by itself when reached anyway.
    direct = AppTest.from_file(str(ROOT / entry.file), default_timeout=60)
    if seeded:
        direct.session_state["actor"] = Actor(name=f"test-{role}", role=role,
                                              partner="LEVgroep" if role == PARTNER else None)
    direct.run()
    assert not direct.exception
    # a resident is asked to sign in; a signed-in account is told which role the page needs
    wanted = REFUSAL if role == RESIDENT else "deze pagina is voor"
    assert any(wanted in msg for msg in _errors(direct)), f"{url_path} as {role}: no refusal shown"
    assert not direct.title and not direct.dataframe and not direct.button, "refused page still drew content"


def test_a_widget_value_cannot_grant_a_role(apptest):
    """Only an Actor object under 'actor' grants a role; strings do not."""
    at = apptest(None, actor="admin", actor_source="local")
    with pytest.raises(ValueError):
        at.switch_page("pages/moderation.py")


# --- (c) every action × every role ---------------------------------------------------------------
def test_every_action_has_a_row():
    assert set(access.ACTIONS) == set(EXPECTED_ACTIONS), (
        "geo.access.ACTIONS and EXPECTED_ACTIONS differ; add a row for "
        f"{sorted(set(access.ACTIONS) - set(EXPECTED_ACTIONS))}, remove {sorted(set(EXPECTED_ACTIONS) - set(access.ACTIONS))}"
    )


@pytest.mark.parametrize("action", sorted(access.ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_action_allowed_or_refused(action, role):
    if action not in EXPECTED_ACTIONS:
        pytest.fail(f"no expected row for action {action!r}")
    actor = Actor(name=f"test-{role}", role=role)
    if role in EXPECTED_ACTIONS[action]:
        access.check(actor, action)
    else:
        with pytest.raises(PermissionDenied, match="geen toestemming"):
            access.check(actor, action)


def test_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        access.check(Actor("x", "admin"), "no.such.action")


# --- (d) every function in geo that takes an actor refuses a stranger ----------------------------
# Functions that take an ``actor`` but are not themselves a guarded action.
NOT_ACTIONS = {
    "geo.access.allowed", "geo.access.check", "geo.access.page_allowed", "geo.access.check_page",
    "geo.auth.still_valid", "geo.auth.session_problem",
    "geo.staff_sessions.start",  # records a session for an actor the sign-in has just checked
    "geo.execution.partners.may_update", "geo.execution.partners.shows_money",  # predicates, not writes
}
# Arguments a function needs to get as far as its check (all others: None).
ARGS = {"geo.agenda.place_on_map": {"target": ("activity", 1)}}


def _actor_functions():
    import importlib
    import inspect
    import pkgutil

    import geo

    found = []
    for info in pkgutil.walk_packages(geo.__path__, "geo."):
        if info.name in ("geo.web", "geo.__main__") or info.name.startswith("geo.cli"):
            continue
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            qual = f"{info.name}.{name}"
            if fn.__module__ != info.name or name.startswith("_") or qual in NOT_ACTIONS:
                continue
            if "actor" in inspect.signature(fn).parameters:
                found.append(pytest.param(fn, id=qual))
    return found


ACTOR_FUNCTIONS = _actor_functions()


def test_the_write_functions_are_found():
    names = {p.id for p in ACTOR_FUNCTIONS}
    assert {"geo.participation.submit", "geo.moderation.reject", "geo.auth.add_user",
            "geo.participation.delete_contact"} <= names


@pytest.mark.parametrize("fn", ACTOR_FUNCTIONS)
def test_every_actor_function_refuses_a_stranger_before_anything_else(fn, store):
    """A role no action allows is refused first — before any argument is
    validated (so a refusal never depends on what else was sent) and before
    the store is touched."""
    import inspect

    qual = f"{fn.__module__}.{fn.__name__}"
    stranger = Actor(name="stranger", role="no-such-role")
    kwargs = {}
    for p in inspect.signature(fn).parameters.values():
        if p.default is not inspect.Parameter.empty:
            continue
        kwargs[p.name] = store if p.name == "store" else stranger if p.name == "actor" else None
    kwargs.update(ARGS.get(qual, {}))
    version = store.data_version()
    with pytest.raises(PermissionDenied):
        fn(**kwargs)
    assert store.data_version() == version
