"""Wijkatlas — the frame: page config, language, navigation.

Run with ``python -m geo serve`` (``wijkatlas serve``; ``streamlit run app.py`` works too). Each page in ``pages/`` does one user
task; this file only decides which pages exist and what surrounds them.
"""

from __future__ import annotations

import time
from urllib.parse import urlparse

import streamlit as st

from geo import auth, staff_sessions, web
from geo.access import Actor
from geo.access import page_allowed
from geo.navigation import PAGES
from geo.errors import StoreUnavailable, WijkatlasError
from geo.i18n import LANGUAGES, label, t

st.set_page_config(page_title="Wijkatlas", page_icon="🗺️", layout="wide")
# WCAG 2.1 AA: Streamlit fades captions to 60 % (about 3.9:1 on white, below
# the 4.5:1 small text needs); 80 % gives about 7:1. Style only, no user text.
# Long unbroken strings (a pasted URL, a row of letters) wrap in texts and
# messages instead of running off the page.
st.html('<style>[data-testid="stCaptionContainer"]{opacity:.8}'
        '[data-testid="stText"],[data-testid="stMarkdownContainer"],[data-testid="stAlertContentError"]'
        '{overflow-wrap:anywhere;word-break:break-word}'
        '[data-testid="stText"] *{white-space:pre-wrap}'
        # Streamlit's own "Press Ctrl+Enter to apply" hint is English only: hidden;
        # our fields say what they need in the interface language.
        '[data-testid="InputInstructions"]{display:none}</style>')


# --- sign-in (staff) ----------------------------------------------------------------
# Only ``st.session_state["actor"]`` (an Actor object, never a widget value)
# grants a role; it is set here after a checked password or an SSO sign-in.
def _sso_configured() -> bool:
    """Streamlit's OIDC sign-in is offered only when secrets.toml has [auth]."""
    if not hasattr(st, "login"):
        return False
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets.toml at all
        return False


def _set_actor(actor: Actor, source: str, sid: str | None = None) -> None:
    st.session_state["actor"] = actor
    st.session_state["actor_source"] = source
    st.session_state["actor_seen"] = time.time()
    if sid:  # a local sign-in: a reload resumes it through a signed cookie (geo.staff_sessions)
        st.session_state["actor_sid"] = sid
        st.session_state["actor_touched"] = time.time()


def _keep_signed_in(idle_minutes: float, now: float) -> None:
    """Slide the stay-signed-in cookie forward (it expires after the idle time-out)."""
    sid = st.session_state.get("actor_sid")
    if sid:
        web.set_cookie(staff_sessions.COOKIE, staff_sessions.token(web.signing_secret(), sid, idle_minutes, now),
                       idle_minutes * 60)


def _sign_out() -> None:
    source = st.session_state.get("actor_source")
    try:
        staff_sessions.end(web.store(), st.session_state.get("actor_sid"))
    except WijkatlasError:
        pass  # the cookie goes below; the stored session expires on its own
    if st.session_state.get("actor_sid") or web.cookie(staff_sessions.COOKIE):
        web.delete_cookie(staff_sessions.COOKIE)
    for key in ("actor", "actor_source", "actor_seen", "actor_sid", "actor_touched", "auth_form_open"):
        st.session_state.pop(key, None)
    st.session_state["auth_sso_dismissed"] = source == "sso"


def _on_sign_in() -> None:
    # Throttled per account *and* client (browser cookie, address) and written
    # to the audit log: an attacker elsewhere cannot lock a colleague out.
    from geo.participation import load_config

    config = load_config()
    name, password = st.session_state.get("auth_name", ""), st.session_state.get("auth_password", "")
    st.session_state["auth_password"] = ""
    now = time.time()
    try:
        actor = auth.sign_in(web.store(), name, password, web.client(), config, now)
    except WijkatlasError as exc:
        st.session_state["auth_error"] = str(exc)
        return
    st.session_state.pop("auth_error", None)
    _set_actor(actor, "local", staff_sessions.start(web.store(), actor, now))
    _keep_signed_in(config.idle_minutes, now)


def requested_page() -> str:
    """The url path the browser asked for (``moderatie`` for …/moderatie)."""
    try:
        url = st.context.url or ""
    except Exception:  # noqa: BLE001 - no browser context (bare AppTest)
        return ""
    return urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]


def refused_page(entry, lang: str):
    """Stands in for a page this session may not open, asked for by its URL
    (a bookmark, a stale link): says so in the interface language and points
    at the sign-in form, instead of Streamlit's English "page not found"."""

    def show() -> None:
        st.title(t(entry.title_key, lang))
        actor = web.actor()
        if actor.is_signed_in:  # signed in, but with another role: say which one the page needs
            st.warning(t("auth.wrong_role", lang, role=label(actor.role, lang),
                         roles=", ".join(label(r, lang) for r in entry.roles if r != "resident")))
        else:
            st.warning(t("auth.page_refused", lang))

    return st.Page(show, title=t(entry.title_key, lang), icon=":material/lock:", url_path=entry.url_path)


def sign_in(lang: str, refused: bool = False) -> None:
    """Sidebar sign-in: local accounts, SSO when configured, idle expiry
    (``refused``: the page asked for needs a sign-in, so the form is open)."""
    from geo.participation import load_config

    config = load_config()
    now = time.time()
    notice = None
    sso = _sso_configured()
    sso_user = sso and bool(getattr(st.user, "is_logged_in", False))
    actor = st.session_state.get("actor")
    source = st.session_state.get("actor_source")
    if isinstance(actor, Actor) and actor.is_signed_in:
        problem = auth.session_problem(actor, source, st.session_state.get("actor_seen"), web.store,
                                       config.idle_minutes, now)
        sid = st.session_state.get("actor_sid")
        if problem is None and sid and not staff_sessions.active(web.store(), sid):
            problem = "signed_out"  # signed out in another tab: this one too
        if problem == "expired":
            _sign_out()
            notice = t("auth.expired", lang, n=f"{config.idle_minutes:.0f}")
        elif problem == "signed_out":
            _sign_out()
            notice = t("auth.signed_out_elsewhere", lang)
        elif problem:
            _sign_out()
            notice = t("auth.revoked", lang)
        else:
            st.session_state["actor_seen"] = now
            if sid and now - st.session_state.get("actor_touched", 0) >= staff_sessions.TOUCH_EVERY_S:
                staff_sessions.touch(web.store(), sid, now)
                st.session_state["actor_touched"] = now
                _keep_signed_in(config.idle_minutes, now)
    elif (cookie := web.cookie(staff_sessions.COOKIE)) and not st.session_state.get("auth_cookie_tried"):
        # A reload, bookmark or new tab: resume the signed-in session its cookie names.
        st.session_state["auth_cookie_tried"] = True
        resumed = staff_sessions.resume(web.store(), web.signing_secret(), cookie, config.idle_minutes, now)
        if resumed:
            _set_actor(resumed[0], "local", resumed[1])
            _keep_signed_in(config.idle_minutes, now)
        else:
            web.delete_cookie(staff_sessions.COOKIE)
    elif sso_user and not st.session_state.get("auth_sso_dismissed"):
        claims = st.user.to_dict()
        role_claim = (st.secrets.get("wijkatlas") or {}).get("role_claim")
        sso_actor = auth.oidc_actor(claims, web.store(), role_claim=role_claim)
        if sso_actor.is_signed_in:
            _set_actor(sso_actor, "sso")
        else:
            notice = t("auth.sso_no_role", lang, name=sso_actor.name)

    with st.sidebar:
        actor = web.actor()
        if notice:
            st.info(notice)
        if actor.is_signed_in:
            st.caption(t("auth.signed_in", lang, name=actor.name, role=label(actor.role, lang)))
            if st.button(t("auth.signout", lang), key="auth_signout", on_click=_sign_out) and sso_user:
                st.logout()
            return
        # A resident never signs in: one button, and the form only once asked for (every element
        # in the sidebar costs each visitor's browser a render on every update of the page).
        if not (refused or st.session_state.get("auth_error") or st.session_state.get("auth_form_open")):
            st.button(t("auth.signin", lang), key="auth_open", icon=":material/login:", type="tertiary",
                      on_click=lambda: st.session_state.update(auth_form_open=True))
            _sso_button(sso)
            return
        with st.container(border=True):
            st.markdown(f"**{t('auth.signin', lang)}**")
            with st.form("auth_form", clear_on_submit=False, border=False):
                st.text_input(t("auth.name", lang), key="auth_name", max_chars=100, autocomplete="username")
                st.text_input(t("auth.password", lang), key="auth_password", type="password", max_chars=1024,
                              autocomplete="current-password")
                st.form_submit_button(t("auth.submit", lang), on_click=_on_sign_in)
            if st.session_state.get("auth_error"):
                st.error(t("auth.failed", lang, message=st.session_state["auth_error"]))
            _sso_button(sso)


def _sso_button(sso: bool) -> None:
    if sso and st.button(t("auth.sso", web.lang()), key="auth_sso"):
        st.session_state.pop("auth_sso_dismissed", None)
        st.login()


def main() -> None:
    if "lang" not in st.session_state:
        st.session_state["lang"] = "nl"
    with st.sidebar:
        st.selectbox(
            t("app.language", web.lang()),
            LANGUAGES,
            key="lang",
            format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code],
        )
        picker = st.container()  # the gemeente picker, filled once the page is known
    lang = web.lang()
    requested = requested_page()
    try:
        sign_in(lang, refused=any(e.url_path == requested and not page_allowed(web.actor(), e.url_path)
                                  for e in PAGES))
    except StoreUnavailable:
        pass  # said once below, where the page would be
    groups: dict[str, list] = {}
    actor = web.actor()
    for entry in PAGES:
        if not page_allowed(actor, entry.url_path):
            if entry.url_path == requested:
                groups.setdefault(t(entry.group, lang) if entry.group else "", []).append(refused_page(entry, lang))
            continue
        group = groups.setdefault(t(entry.group, lang) if entry.group else "", [])
        if entry.default:
            # The default page lives at the root URL; Streamlit does not know it
            # under its own path, so /verkennen (a bookmark, a page link) would
            # show its English "Page not found" box. A hidden twin answers there.
            group.append(st.Page(entry.file, title=t(entry.title_key, lang), icon=entry.icon,
                                 url_path=f"{entry.url_path}-start", default=True))
            group.append(st.Page(entry.file, title=t(entry.title_key, lang), icon=entry.icon,
                                 url_path=entry.url_path, visibility="hidden"))
            continue
        group.append(st.Page(entry.file, title=t(entry.title_key, lang), icon=entry.icon, url_path=entry.url_path))
    nav = st.navigation(groups)
    try:
        web.store()
    except StoreUnavailable:
        # The app keeps running: the next visit or click tries again (the pool reconnects).
        st.error(t("store.unreachable", lang))
        st.stop()
    except WijkatlasError as exc:
        st.error(t("app.error", lang, message=str(exc)))
        st.stop()
    web.start_mailer()
    running = next((e for e in PAGES if e.url_path == nav.url_path or (e.default and not nav.url_path)), None)
    with picker:
        web.gemeente_picker(allow_all=bool(running and running.all_gemeenten))
    web.client()  # every visitor gets a signed browser id (limits and support per client)
    web.write_cookies()  # before the page: a page that stops early must not lose a cookie
    try:
        nav.run()
    except StoreUnavailable:
        st.error(t("store.unreachable", lang))
    except WijkatlasError as exc:  # a page that did not catch a user error itself
        st.error(t("app.error", lang, message=str(exc)))


try:
    main()
except StoreUnavailable:  # the database went away mid-run (sidebar, picker…): say so, keep running
    st.error(t("store.unreachable", web.lang()))
