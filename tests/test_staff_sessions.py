"""Stay signed in: the signed cookie resumes a session until sign-out, idle
time-out, a disabled account or a changed role ends it."""

from __future__ import annotations

from geo import auth
from geo import model as m
from geo import staff_sessions as S
from geo.access import Actor
from geo.signing import sign

SECRET = b"s" * 32
ADMIN = Actor("root", "admin")
T0 = 1_800_000_000.0


def _signed_in(store, role="planner"):
    auth.add_user(store, ADMIN, "anna", role, "een lang wachtwoord")
    actor = auth.authenticate(store, "anna", "een lang wachtwoord")
    sid = S.start(store, actor, T0)
    return actor, sid, S.token(SECRET, sid, 60, T0)


def test_a_reload_resumes_the_session(store):
    actor, sid, cookie = _signed_in(store)
    assert S.resume(store, SECRET, cookie, 60, T0 + 600) == (actor, sid)
    assert store.list(m.StaffSession, sid=sid)[0].last_seen == T0 + 600


def test_the_cookie_holds_no_secret_and_cannot_be_forged_or_reused_for_another_purpose(store):
    _, sid, cookie = _signed_in(store)
    assert "anna" not in cookie and "wachtwoord" not in cookie
    assert S.resume(store, SECRET, cookie[:-2] + "xx", 60, T0) is None  # altered
    assert S.resume(store, b"x" * 32, cookie, 60, T0) is None  # another server's key
    assert S.resume(store, SECRET, sign(SECRET, "client", sid, 3600, T0), 60, T0) is None  # a client-id token
    assert S.resume(store, SECRET, "nonsense", 60, T0) is None and S.resume(store, SECRET, None, 60, T0) is None


def test_sign_out_revokes_the_cookie(store):
    _, sid, cookie = _signed_in(store)
    S.end(store, sid)
    assert S.resume(store, SECRET, cookie, 60, T0 + 1) is None
    assert not S.active(store, sid) and not S.touch(store, sid, T0 + 2)


def test_idle_time_out_ends_it_on_the_server_as_well(store):
    _, sid, _ = _signed_in(store)
    long_lived = sign(SECRET, S.PURPOSE, sid, 24 * 3600, T0)  # even a cookie that lives longer
    assert S.resume(store, SECRET, long_lived, 60, T0 + 61 * 60) is None
    assert not S.active(store, sid)
    assert S.resume(store, SECRET, S.token(SECRET, sid, 60, T0), 60, T0 + 61 * 60) is None  # expired token


def test_disabling_the_account_changing_its_role_or_its_password_ends_it(store):
    _, sid, cookie = _signed_in(store)
    auth.disable_user(store, ADMIN, "anna")
    assert S.resume(store, SECRET, cookie, 60, T0 + 1) is None
    auth.enable_user(store, ADMIN, "anna")
    assert S.resume(store, SECRET, cookie, 60, T0 + 2) is None  # enabled again: a new sign-in is needed
    actor = auth.authenticate(store, "anna", "een lang wachtwoord")
    sid = S.start(store, actor, T0)
    auth.set_role(store, ADMIN, "anna", "real-estate")
    assert S.resume(store, SECRET, S.token(SECRET, sid, 60, T0), 60, T0 + 1) is None
    auth.set_role(store, ADMIN, "anna", "planner")  # and back: still ended
    assert S.resume(store, SECRET, S.token(SECRET, sid, 60, T0), 60, T0 + 2) is None
    actor = auth.authenticate(store, "anna", "een lang wachtwoord")
    sid = S.start(store, actor, T0)
    auth.set_password(store, ADMIN, "anna", "een ander lang wachtwoord")
    assert S.resume(store, SECRET, S.token(SECRET, sid, 60, T0), 60, T0 + 1) is None


def test_a_signed_in_user_with_the_wrong_role_is_told_which_role_the_page_needs(app_env):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "pages/moderation.py"), default_timeout=60)  # a bookmark, reached anyway
    at.session_state["actor"] = Actor("rosa", "real-estate")
    at.run()
    errors = [e.value for e in at.error]
    assert any("aangemeld als Vastgoedbeheerder" in e and "Moderator" in e for e in errors), errors
    assert not any("meld u aan" in e for e in errors)
