"""Accounts: argon2 hashes, sign-in, disabling, session expiry, SSO role mapping."""

from __future__ import annotations

import pytest

from geo import auth
from geo import model as m
from geo.access import Actor
from geo.errors import PermissionDenied, ValidationError

ADMIN = Actor("root", "admin")
PASSWORD = "correct horse battery"


@pytest.fixture
def anna(store):
    return auth.add_user(store, ADMIN, "anna", "planner", PASSWORD)


def test_password_is_stored_only_as_argon2_hash(store, anna):
    user = store.list(m.User, name="anna")[0]
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert auth.verify_password(user.password_hash, PASSWORD)
    assert not auth.verify_password(user.password_hash, PASSWORD + "x")
    assert not auth.verify_password("not a hash", PASSWORD)


def test_short_password_refused(store):
    with pytest.raises(ValidationError, match="10 tekens"):
        auth.add_user(store, ADMIN, "bob", "planner", "short")
    assert store.count(m.User) == 0


def test_only_admins_manage_accounts(store):
    for role in ("planner", "real-estate", "moderator", "resident"):
        with pytest.raises(PermissionDenied):
            auth.add_user(store, Actor("x", role), "bob", "admin", PASSWORD)
    assert store.count(m.User) == 0


def test_duplicate_name_and_unknown_role(store, anna):
    with pytest.raises(ValidationError, match="al een account"):
        auth.add_user(store, ADMIN, "anna", "admin", PASSWORD)
    with pytest.raises(ValidationError, match="geen rol"):
        auth.add_user(store, ADMIN, "carl", "boss", PASSWORD)


def test_authenticate(store, anna):
    assert auth.authenticate(store, "anna", PASSWORD) == Actor("anna", "planner")
    for name, pw in (("anna", "wrong password!"), ("nobody", PASSWORD), ("", ""), ("anna", "")):
        with pytest.raises(auth.SignInFailed, match="naam of wachtwoord onjuist"):
            auth.authenticate(store, name, pw)


def test_disabled_account_cannot_sign_in_and_sessions_lose_their_role(store, anna):
    actor = auth.authenticate(store, "anna", PASSWORD)
    assert auth.still_valid(store, actor)
    auth.disable_user(store, ADMIN, "anna")
    with pytest.raises(auth.SignInFailed):
        auth.authenticate(store, "anna", PASSWORD)
    assert not auth.still_valid(store, actor)
    assert [e.action for e in store.list(m.AuditEntry)] == ["users.add", "users.disable"]


def test_changed_role_invalidates_session(store, anna):
    actor = auth.authenticate(store, "anna", PASSWORD)
    user = store.list(m.User, name="anna")[0]
    user.role = "moderator"
    store.update(user)
    assert not auth.still_valid(store, actor)


def test_session_clock():
    clock = auth.SessionClock(idle_minutes=60)
    assert not clock.expired(None, 10_000)
    assert not clock.expired(1000, 1000 + 3600)
    assert clock.expired(1000, 1000 + 3601)


@pytest.mark.parametrize(
    "claims, expected",
    [
        ({"email": "Piet@Gemeente.nl", "wijkatlas_role": "moderator"}, Actor("piet@gemeente.nl", "moderator")),
        ({"email": "p@g.nl", "roles": ["wijkatlas-planner", "other"]}, Actor("p@g.nl", "planner")),
        ({"email": "p@g.nl", "groups": ["planner", "admin"]}, Actor("p@g.nl", "admin")),
        ({"email": "p@g.nl", "roles": ["superuser"]}, Actor("p@g.nl", "resident")),
        ({"email": "p@g.nl"}, Actor("p@g.nl", "resident")),
        ({"sub": "123"}, Actor("123", "resident")),
    ],
)
def test_oidc_role_from_claims(claims, expected):
    assert auth.oidc_actor(claims) == expected


def test_oidc_role_from_users_table_by_email(store):
    auth.add_user(store, ADMIN, "vera@gemeente.nl", "real-estate", PASSWORD)
    assert auth.oidc_actor({"email": "Vera@gemeente.nl"}, store) == Actor("vera@gemeente.nl", "real-estate")
    auth.disable_user(store, ADMIN, "vera@gemeente.nl")
    assert auth.oidc_actor({"email": "vera@gemeente.nl"}, store).role == "resident"


def test_oidc_configured_claim_only(store):
    claims = {"email": "a@b.nl", "roles": "admin", "department": "planner"}
    assert auth.oidc_actor(claims, role_claim="department").role == "planner"


# --- sign-in in the frame (AppTest through app.py) ---------------------------------------------
def _staff_db(app_env, role="moderator"):
    from geo.store import open_store

    s = open_store(app_env)
    auth.add_user(s, ADMIN, "anna", role, PASSWORD)
    return s


def _sign_in(at, name, password):
    if not [w for w in at.sidebar.text_input if w.key == "auth_name"]:  # the form opens on request
        at.sidebar.button(key="auth_open").click().run()
    at.sidebar.text_input(key="auth_name").input(name)
    at.sidebar.text_input(key="auth_password").input(password)
    next(b for b in at.sidebar.button if b.label == "Aanmelden").click().run()
    return at


def test_sign_in_sign_out_through_the_sidebar(apptest, app_env):
    _staff_db(app_env)
    at = apptest()
    # A visitor sees one button, not a form (residents never sign in).
    assert at.sidebar.button(key="auth_open").label == "Aanmelden voor medewerkers"
    assert not [w for w in at.sidebar.text_input if w.key == "auth_name"]
    with pytest.raises(ValueError):
        at.switch_page("pages/moderation.py")
    _sign_in(at, "anna", PASSWORD)
    assert not at.exception
    assert at.session_state["actor"] == Actor("anna", "moderator")
    assert at.session_state["auth_password"] == ""  # not kept in the session
    assert any("Aangemeld als anna" in c.value for c in at.sidebar.caption)
    at.switch_page("pages/moderation.py").run()
    assert not at.exception and at.title[0].value == "Moderatie van suggesties"
    at.sidebar.button(key="auth_signout").click().run()
    assert not at.exception
    assert "actor" not in at.session_state
    with pytest.raises(ValueError):
        at.switch_page("pages/moderation.py")


def test_wrong_password_is_refused_and_throttled(apptest, app_env):
    _staff_db(app_env)
    at = apptest()
    for _ in range(5):
        _sign_in(at, "anna", "wrong password!")
        assert any("naam of wachtwoord onjuist" in e.value for e in at.sidebar.error)
    assert "actor" not in at.session_state
    _sign_in(at, "anna", PASSWORD)  # paused even with the right password
    assert "actor" not in at.session_state
    assert any("te veel" in e.value for e in at.sidebar.error)


def test_idle_session_expires(apptest, app_env):
    import time

    _staff_db(app_env)
    at = apptest(None, role="moderator", actor_source="local", actor_seen=time.time() - 61 * 60)
    assert not at.exception
    assert "actor" not in at.session_state
    assert any("verlopen" in i.value for i in at.sidebar.info)


def test_disabled_account_loses_its_session(apptest, app_env):
    s = _staff_db(app_env)
    at = _sign_in(apptest(), "anna", PASSWORD)
    assert at.session_state["actor"].role == "moderator"
    auth.disable_user(s, ADMIN, "anna")
    at.run()
    assert "actor" not in at.session_state
    assert any("uitgezet" in i.value for i in at.sidebar.info)


def test_without_sso_config_no_sso_button(apptest):
    at = apptest()
    assert not at.exception
    assert not [b for b in at.sidebar.button if b.key == "auth_sso"]


def test_sso_button_when_auth_is_configured(app_env):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "wijkatlas", "client_secret": "s",
                          "server_metadata_url": "https://login.example.nl/.well-known/openid-configuration"}
    at.run()
    assert not at.exception
    assert [b for b in at.sidebar.button if b.key == "auth_sso"]
    assert "actor" not in at.session_state  # configured, but nobody signed in


def test_oversized_credentials_are_refused_without_hashing(store, anna):
    """The form caps the fields, a crafted request need not: same refusal."""
    with pytest.raises(auth.SignInFailed, match="onjuist"):
        auth.authenticate(store, "anna", "x" * (auth.MAX_PASSWORD + 1))
    with pytest.raises(auth.SignInFailed, match="onjuist"):
        auth.authenticate(store, "a" * (auth.MAX_NAME + 1), PASSWORD)


def test_crafted_oversized_sign_in_through_the_sidebar(apptest, app_env):
    _staff_db(app_env)
    at = _sign_in(apptest(), "anna", PASSWORD + "x" * 5000)
    assert not at.exception
    assert "actor" not in at.session_state
    assert any("naam of wachtwoord onjuist" in e.value for e in at.sidebar.error)


def _moderator_on_queue(apptest, app_env):
    import time

    from geo import model as m
    from geo.store import open_store

    _staff_db(app_env)
    at = _sign_in(apptest(), "anna", PASSWORD)
    at.switch_page("pages/moderation.py").run()
    assert at.title[0].value == "Moderatie van suggesties"
    opened = at.selectbox(key="mod_open").value
    return at, open_store(app_env), opened, m, time


def test_an_expired_session_cannot_write_through_a_pending_click(apptest, app_env):
    """A moderator leaves the queue open past the idle limit and then clicks
    'Publiceer': the click's callback runs before the frame's expiry check,
    so the write itself must see that the session has expired."""
    at, store, opened, m, time = _moderator_on_queue(apptest, app_env)
    at.session_state["actor_seen"] = time.time() - 61 * 60
    at.button(key="mod_publish").click().run()
    assert not at.exception
    assert store.get(m.Suggestion, opened).status == "received"
    assert not store.list(m.AuditEntry, action="suggestion.publish")
    assert "actor" not in at.session_state


def test_a_disabled_account_cannot_write_through_a_pending_click(apptest, app_env):
    at, store, opened, m, _ = _moderator_on_queue(apptest, app_env)
    auth.disable_user(store, ADMIN, "anna")
    at.button(key="mod_publish").click().run()
    assert not at.exception
    assert store.get(m.Suggestion, opened).status == "received"
    assert "actor" not in at.session_state


def test_session_problem(store, anna):
    import time

    now = time.time()
    planner = Actor("anna", "planner")
    assert auth.session_problem(planner, "local", now - 60, store, 60, now) is None
    assert auth.session_problem(planner, "local", now - 61 * 60, store, 60, now) == "expired"
    assert auth.session_problem(Actor("anna", "admin"), "local", now, store, 60, now) == "revoked"
    assert auth.session_problem(Actor("ghost", "admin"), "local", now, store, 60, now) == "revoked"
    assert auth.session_problem(Actor("ghost", "admin"), "sso", now, store, 60, now) is None

    def unreadable():
        from geo.errors import StoreError

        raise StoreError("database onleesbaar")

    assert auth.session_problem(planner, "local", now, unreadable, 60, now) == "revoked"
    assert auth.session_problem(Actor(), "local", None, unreadable, 60, now) is None  # residents: nothing to lose


def test_a_new_session_per_guess_does_not_escape_the_pause(apptest, app_env, tmp_path, monkeypatch):
    from geo import participation as P

    config = tmp_path / "participation.toml"
    config.write_text("[accounts]\naccount_max_failed_signins = 3\naccount_signin_pause_seconds = 321\n",
                      encoding="utf-8")
    monkeypatch.setattr(P, "CONFIG_PATH", config)
    _staff_db(app_env)
    for _ in range(3):  # three browser sessions without a cookie, one wrong guess each, one address
        at = _sign_in(apptest(), "anna", "wrong password!")
        assert "actor" not in at.session_state
    at = _sign_in(apptest(), "anna", PASSWORD)  # a fourth session from that address: paused
    assert "actor" not in at.session_state
    assert any("te veel mislukte pogingen" in e.value for e in at.sidebar.error)


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(apptest, app_env):
    from geo.clients import Client

    s = _staff_db(app_env)
    attacker = Client(address="203.0.113.66", browser="attacker")
    for _ in range(25):  # more than every per-account limit, from one place
        with pytest.raises(auth.SignInFailed):
            auth.sign_in(s, "anna", "wrong password!", attacker)
    with pytest.raises(auth.SignInPaused):
        auth.sign_in(s, "anna", PASSWORD, attacker)  # the attacker is paused …
    owner = Client(address="198.51.100.20", browser="anna-laptop")
    at = _sign_in(apptest(_wa_client=owner), "anna", PASSWORD)  # … the owner is not
    assert at.session_state["actor"].name == "anna"


def test_sign_ins_are_audited_without_passwords_and_readable_by_admins(app_env):
    from geo.clients import Client
    from geo.errors import PermissionDenied

    s = _staff_db(app_env)
    client = Client(address="198.51.100.20", browser="abcdef1234567")
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(s, "anna", "wrong password!", client)
    auth.sign_in(s, "anna", PASSWORD, client)
    log = auth.signin_log(s, ADMIN)
    assert [(e.action, e.user, e.target) for e in log[:2]] == [
        ("auth.signin", "anna", "198.51.100.20"), ("auth.signin_failed", "anna", "198.51.100.20")]
    assert "wrong password" not in repr(log) and PASSWORD not in repr(log)
    with pytest.raises(PermissionDenied):
        auth.signin_log(s, Actor("mo", "moderator"))


def test_admin_page_lists_sign_ins(apptest, app_env):
    from geo.clients import Client

    s = _staff_db(app_env)
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(s, "anna", "wrong password!", Client(address="198.51.100.20", browser="x"))
    at = apptest("beheer", role="admin")
    at.radio(key="admin_section").set_value("signins").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Internetadres"])[0] == "198.51.100.20" and list(table["Resultaat"])[0] == "mislukt"
