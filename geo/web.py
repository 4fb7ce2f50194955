"""The only module in ``geo`` that touches Streamlit: store cache and session.

Pages call :func:`store` for the shared database handle (cached once per
server process, keyed on the database URL) and :func:`lang` for the
interface language. Data read for display is cached by
:func:`cached_map_data` and its siblings, each keyed on the data version of
the tables it reads (``store.data_version(*tables)``): a write to one of them
is seen at once, and a write elsewhere (a sign-in, an audit line, a vote
counter) rebuilds nothing. shapely objects never pass through ``st.cache_data``.
"""

from __future__ import annotations

import os
import re

import streamlit as st

from .bootstrap import ensure_demo
from .i18n import DEFAULT_LANGUAGE, LANGUAGES
from .maps import MapData, load_map_data
from .store import Store, default_url, open_store


# --- the frame owns navigation ---------------------------------------------------------
# Streamlit treats a folder ``pages/`` beside the entry script as an old-style
# (v1) multipage app until the first ``st.navigation`` call in the process. So
# the first visitor after a server start is served by Streamlit's discovery of
# ``pages/``: a deep link (``/meedenken``) got its English "Page not found" box,
# and a link named after a page file (``/moderation``, ``/plan``) ran that file
# without the frame around it. ``wijkatlas serve`` switches discovery off before
# the server starts; :func:`guard` catches a page file that discovery ran (the
# first run of a plain ``streamlit run``, and every AppTest run) and runs the
# frame around it instead.
def navigation_only() -> None:
    """Let ``st.navigation`` in ``app.py`` be the only way a page is chosen."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without this switch has no page discovery to turn off
        return
    PagesManager.uses_pages_directory = False


def _discovery_run() -> bool:
    """True while Streamlit's own ``pages/`` discovery, not the frame, runs this page."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:
        return False
    return bool(PagesManager.uses_pages_directory)


def _run_frame() -> None:
    """Run ``app.py`` (the frame) within this script run: its navigation, sign-in and the page it picks.

    Within the same run, not by ``st.rerun()``: a rerun would drop the click
    or form submit that started this run."""
    import runpy
    from pathlib import Path

    runpy.run_path(str(Path(__file__).resolve().parent.parent / "app.py"), run_name="__main__")


def serve(app: str, options: list[str]) -> int:
    """Run ``streamlit run APP OPTIONS…`` in this process with discovery off."""
    import click
    from streamlit.web import cli as streamlit_cli

    from .errors import ValidationError

    navigation_only()
    mode = os.environ.get("WIJKATLAS_WARM_UP", "1").strip().lower()
    if mode not in ("0", "false", "no", "off"):
        start_warm_up(staff=mode != "start")
    try:
        streamlit_cli.main(["run", app, *options], prog_name="streamlit", standalone_mode=False)
    except click.ClickException as exc:  # an option Streamlit does not know: one line, exit 2
        raise ValidationError(f"Streamlit weigert de opties: {exc.format_message()}") from None
    except SystemExit as exc:  # the server stopped (Ctrl+C, a signal): keep its exit code
        return exc.code if isinstance(exc.code, int) else 0
    return 0


# --- warm-up: the first visitor after a start does not wait ----------------------------------
# The shared caches (map data, layers, the rendered map, the gemeenten) are built by whoever
# comes first after a server start: on a large gemeente that visitor waited ~2.5 s. ``serve``
# starts a thread that, once the server listens, visits the start page itself over
# Streamlit's own WebSocket, as a new anonymous browser does: the page runs in the server
# like any visit, so exactly the caches a first visitor needs are built, with the keys the
# page uses (nothing here repeats them). The server accepts connections meanwhile; a visitor
# arriving during the warm-up waits for the same build instead of doing it again.
WARM_UP_TIMEOUT_S = 600.0


def _log_line(text: str) -> None:
    import sys

    print(f"wijkatlas: {text}", file=sys.stderr, flush=True)


def _stream_url() -> str | None:
    """``ws://…/_stcore/stream`` of this process's Streamlit server, or None (a Unix socket)."""
    from streamlit import config

    address = str(config.get_option("server.address") or "")
    if address.startswith("unix://"):
        return None
    host = "127.0.0.1" if address in ("", "0.0.0.0", "::", "localhost") else address
    if ":" in host:
        host = f"[{host}]"
    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"ws://{host}:{int(config.get_option('server.port'))}/{base + '/' if base else ''}_stcore/stream"


def _server_listening(deadline: float) -> str | None:
    """Wait until this process's Streamlit server accepts connections; its stream URL."""
    import socket
    import time
    from urllib.parse import urlsplit

    from streamlit.runtime import Runtime, RuntimeState

    while time.monotonic() < deadline:
        if Runtime.exists() and Runtime.instance().state in (RuntimeState.NO_SESSIONS_CONNECTED,
                                                             RuntimeState.ONE_OR_MORE_SESSIONS_CONNECTED):
            url = _stream_url()  # the options are loaded now, the port is the one bound
            if url is None:
                return None
            where = urlsplit(url)
            try:
                with socket.create_connection((where.hostname, where.port), timeout=2):
                    return url
            except OSError:
                pass
        elif Runtime.exists() and Runtime.instance().state in (RuntimeState.STOPPING, RuntimeState.STOPPED):
            return None
        time.sleep(0.1)
    raise TimeoutError("de server luisterde niet binnen de tijd")


def warm_up(url: str, timeout_s: float = WARM_UP_TIMEOUT_S) -> float:
    """Open the start page once through the server's WebSocket at ``url`` and wait until its
    run has finished; the seconds it took. Raises on a failed run (one line to say why)."""
    import time

    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    t0 = time.monotonic()
    with connect(url, subprotocols=["streamlit"], open_timeout=30, max_size=None, close_timeout=2) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = ""
        ws.send(msg.SerializeToString())
        problem = None
        while True:
            left = timeout_s - (time.monotonic() - t0)
            if left <= 0:
                raise TimeoutError(f"de startpagina was na {timeout_s:.0f} s nog niet klaar")
            fwd = ForwardMsg()
            fwd.ParseFromString(ws.recv(timeout=left))
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element" \
                    and fwd.delta.new_element.WhichOneof("type") == "exception":
                problem = problem or f"{fwd.delta.new_element.exception.type}: {fwd.delta.new_element.exception.message}"
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the page asked for a rerun (st.rerun): the next run follows
                if problem or fwd.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    raise RuntimeError(problem or "de startpagina liep niet goed af")
                return time.monotonic() - t0


def warm_up_once(timeout_s: float = WARM_UP_TIMEOUT_S, staff: bool = True) -> str:
    """Wait for this process's server, visit the start page, then (``staff``) build what a
    signed-in visitor's first pages share (:func:`prepare_shared`); log one line saying how it
    went (the line is returned). Never raises: a warm-up that fails changes nothing for visitors."""
    import time

    try:
        url = _server_listening(time.monotonic() + timeout_s)
        if url is None:
            line = "warm-up overgeslagen: de server luistert niet op TCP of stopte al"
        else:
            seconds = warm_up(url, timeout_s)
            line = f"startpagina voorbereid in {seconds:.1f} s"
            if staff:  # WIJKATLAS_WARM_UP=start: the start page only
                t0 = time.monotonic()
                try:
                    prepare_shared()
                    line += f", de gedeelde gegevens voor medewerkers in {time.monotonic() - t0:.1f} s"
                except Exception as exc:  # noqa: BLE001 - the start page is warm; say what was not
                    line += f"; gegevens voor medewerkers overgeslagen: {type(exc).__name__}: " \
                            + " ".join(str(exc).split())[:160]
            line += " (warm-up)"
    except BaseException as exc:  # noqa: BLE001 - one line, never a traceback
        detail = " ".join(str(exc).split())[:200]
        line = f"warm-up overgeslagen: {type(exc).__name__}{': ' + detail if detail else ''}"
    _log_line(line)
    return line


def start_warm_up(staff: bool = True) -> None:
    """Warm the shared caches in a background thread once the server listens (see above)."""
    import threading

    threading.Thread(target=warm_up_once, kwargs={"staff": staff}, name="wijkatlas-warm-up", daemon=True).start()


@st.cache_resource(show_spinner=False)
def _open(url: str) -> Store:
    s = open_store(url)
    ensure_demo(s)
    return s


def database_url() -> str:
    """``WIJKATLAS_DATABASE_URL`` from the environment, else from
    ``.streamlit/secrets.toml`` (top-level key of that name), else the SQLite default.

    The URL may hold a password: it is only ever a cache key, never shown.
    """
    if os.environ.get("WIJKATLAS_DATABASE_URL"):
        return default_url()
    try:
        value = st.secrets.get("WIJKATLAS_DATABASE_URL")
    except Exception:  # noqa: BLE001 - no secrets.toml, or an unreadable one
        value = None
    return str(value) if value else default_url()


def store() -> Store:
    """The database named by ``WIJKATLAS_DATABASE_URL`` (demo loaded on first run)."""
    return _open(database_url())


def _coarsen_m(public_only: bool) -> float:
    """How coarsely public pins are snapped (participation.toml); staff see them exactly."""
    if not public_only:
        return 0.0
    from .participation import load_config

    return load_config().coarsen_grid_m


# --- which tables each shared cache reads (its key is their data version) ----------------
AREAS = ("areas",)
MAP_TABLES = ("areas", "plans", "activities", "meeting_places", "real_estate", "suggestions")
"""What :func:`geo.maps.load_map_data` reads: the explorer's data, its layers and its rendered map."""
ADDRESSES = ("address_points",)
EVERYTHING = None  # cached_build(…, tables=EVERYTHING): keyed on every write (store.data_version())


def _version(tables) -> int:
    s = store()
    return s.data_version() if tables is None else s.data_version(*tables)


@st.cache_resource(show_spinner=False, max_entries=8)
def _map_data(url: str, version: int, public_only: bool) -> MapData:
    return load_map_data(_open(url), public_only=public_only, coarsen_m=_coarsen_m(public_only))


def cached_map_data(public_only: bool = False) -> MapData:
    """The explorer's layers, re-read only when the database changed.

    Shared read-only between sessions: callers must not modify it.
    """
    # Keyed on the configured URL (s.url is redacted for display and cannot reopen).
    return _map_data(database_url(), _version(MAP_TABLES), public_only)


@st.cache_resource(show_spinner=False, max_entries=2)
def _addresses(url: str, version: int):
    from .meeting import read_addresses

    return read_addresses(_open(url))


def cached_addresses(scope=None):
    """The address points of the session's gemeente as :class:`geo.columns.Columns`,
    read once per database version and shared read-only by sessions.

    Only the views that analyse coverage read them (hundreds of thousands in a
    large gemeente); the explorer's map data leaves them out."""
    url, scope = database_url(), scope or gemeente()  # scope: given by the warm-up (no session)
    if scope.is_all:
        return _addresses(url, _version(ADDRESSES))
    from .meeting import read_addresses

    # Only this gemeente's rows are read (a national database holds a million).
    return cached_build(repr(("addresses", scope.code, scope.unplaced)),
                        lambda: read_addresses(_open(url), scope.code, scope.unplaced, xy=True), tables=ADDRESSES)


def scoped_map_data(public_only: bool = False, scope=None) -> MapData:
    """The explorer's layers of the session's gemeente, read once per gemeente
    and database version and shared by sessions. Only that gemeente's features
    are read (:func:`geo.maps.load_map_data` asks the store by its outline's
    box), so a national database is never held whole to show one gemeente;
    "all gemeenten" (admins) is the whole."""
    scope = scope or gemeente()
    if scope.is_all:
        return cached_map_data(public_only=public_only)
    url = database_url()
    return cached_build(repr(("map-data", public_only, scope.code, scope.unplaced)),
                        lambda: load_map_data(_open(url), public_only=public_only,
                                              coarsen_m=_coarsen_m(public_only),
                                              gemeente=scope.code, unplaced=scope.unplaced),
                        tables=MAP_TABLES)


def cached_population(spacing_m: float, scope=None):
    """Where the inhabitants of the session's gemeente live
    (:func:`geo.coverage.address_population`: its address points, else a
    grid of ``spacing_m``), built once per database version and shared."""
    scope = scope or gemeente()

    def build():
        from .coverage import address_population

        return address_population(scoped_map_data(scope=scope).buurten, cached_addresses(scope),
                                  spacing=float(spacing_m))

    # The buurten's outlines and figures and the address points: a suggestion or a new place leaves it.
    return cached_build(repr(("population", scope.code, scope.unplaced, float(spacing_m))), build,
                        tables=AREAS + ADDRESSES)


def cached_buurt_shapes(scope=None):
    """The display geometry of the session's gemeente's buurten
    (:func:`geo.places_map.buurt_shapes`), prepared once per data version."""
    from .places_map import buurt_shapes

    code = (scope or gemeente()).code
    return cached_build(repr(("buurt-shapes", code)), lambda: buurt_shapes(cached_buurten(scope)), tables=AREAS)


def cached_scenario(data, settings, scope=None):
    """The meeting-place :class:`geo.meeting.Scenario` of the session's gemeente
    for ``settings`` (a frozen :class:`geo.meeting.CoverageSettings`), built once
    per data version and settings and shared read-only by sessions; ``data`` is
    the page's :class:`geo.meeting.PlacesData` of this gemeente."""
    from .meeting import Scenario

    scope = scope or gemeente()
    # The scenario uses the buurten, the meeting places and the inhabitants (address points): a
    # suggestion does not rebuild it (the page reads the suggestions from ``data``, not from here).
    return cached_build(repr(("scenario", scope.code, scope.unplaced, settings)),
                        lambda: Scenario(data, settings,
                                         population=cached_population(settings.grid_spacing_m, scope)),
                        tables=AREAS + ("meeting_places",) + ADDRESSES)


class _Slot:
    """One shared result of :func:`cached_build` and the data version it was built at."""

    def __init__(self) -> None:
        import threading

        self.lock = threading.Lock()
        self.version: int | None = None
        self.value = None


@st.cache_resource(show_spinner=False, max_entries=64)
def _slot(url: str, tables: tuple[str, ...] | None, key: str) -> _Slot:
    # One slot per key, not one cache entry per key and version: a result of an older version
    # is dropped when the newer one is built (a large gemeente's address points are ~100 MB).
    return _Slot()


def cached_build(key: str, build, tables: tuple[str, ...] | None = EVERYTHING):
    """``build()`` once per ``key`` and data version of ``tables``, shared read-only by sessions.

    For the costly part of a map (:func:`geo.maps.build_layers`: thousands of
    features converted and serialised take seconds on a large gemeente).
    ``key`` must name everything the result depends on besides the stored
    data (options, language, which gemeente, public or staff view);
    ``tables`` every table ``build`` reads, also through other caches (e.g.
    :data:`MAP_TABLES`): a write to any other table keeps the result. Left
    out, every write rebuilds it.
    """
    tables = None if tables is None else tuple(sorted(set(tables)))
    slot = _slot(database_url(), tables, key)
    version = _version(tables)
    with slot.lock:  # a second session asking meanwhile waits for this build instead of doing it again
        # Versions only grow: a session that read its version just before a write gets the newer result.
        if slot.version is None or version > slot.version:
            slot.value, slot.version = build(), version
        return slot.value


LAYER_TABLES = {"activities": ("activities",), "meeting_places": ("meeting_places",),
                "real_estate": ("real_estate",), "suggestions": ("suggestions",)}
"""The table each point layer of the explorer shows (its features come from that list alone)."""


def cached_layers(data: MapData, opts, public: bool, scope=None):
    """:func:`geo.maps.build_layers` ``(data, opts)``, each part built once and shared by
    sessions, keyed on the tables that part shows: the buurten (with the plan stage that
    colours them) and the outlines on ``areas`` and ``plans``, each point layer on its own
    table. A new suggestion rebuilds the suggestions layer only, not the 480 buurten.

    ``data`` must be what :func:`scoped_map_data` gives for ``public`` and the session's
    gemeente (``scope``, given by the warm-up). Only the suggestions differ between the
    public and the staff view (reviewed ones, pins coarsened): the other layers are shared."""
    from dataclasses import replace

    from .maps import POINT_LAYERS, MapLayers, MapOptions, build_layers

    scope = scope or gemeente()
    where = (scope.code, scope.unplaced)
    # Each part is built with the options it uses and the others at their defaults, so choosing
    # a figure rebuilds the buurten only and filtering activities the activities only.
    plain = MapOptions()
    areas_only = replace(opts, layers=(), basemap=plain.basemap, domains=plain.domains, statuses=plain.statuses)
    base = cached_build(repr(("layers", where, "areas", areas_only)), lambda: build_layers(data, areas_only),
                        tables=("areas", "plans"))
    points = {}
    no_areas = replace(data, buurten=[], wijken=[], gemeenten=[])  # a point layer draws its own list only
    for name in (n for n in POINT_LAYERS if n in opts.layers):  # in build_layers' order
        one = replace(opts, layers=(name,), basemap=plain.basemap, choropleth=None)
        if name != "activities":  # the domain and status filters are the activities'
            one = replace(one, domains=plain.domains, statuses=plain.statuses)
        view = public if name == "suggestions" else None
        points[name] = cached_build(repr(("layers", where, name, view, one)),
                                    lambda one=one, name=name: build_layers(no_areas, one).points[name],
                                    tables=LAYER_TABLES.get(name, MAP_TABLES))
    return MapLayers(base.areas, base.outlines, points)


def prepare_shared() -> None:
    """What the first signed-in visitor would build, for the gemeente a new session opens on:
    the staff view's map data and layers, the address points, the inhabitants' population,
    the buurten's display shapes and the meeting-place scenario with the policy's settings
    (the anonymous start page is warmed by :func:`warm_up`). Called by the warm-up thread."""
    from dataclasses import replace

    from .maps import MapOptions
    from .meeting import from_map_data
    from .policy import load_policy

    found = gemeenten()
    if not found.names:
        return
    scope = found.scope(None, False, "")  # a new session's gemeente (geo.web.gemeente without a choice)
    staff = scoped_map_data(public_only=False, scope=scope)
    cached_layers(staff, MapOptions(lang=DEFAULT_LANGUAGE), public=False, scope=scope)
    addresses = cached_addresses(scope)
    cached_buurt_shapes(scope)
    walk = load_policy().coverage
    cached_population(walk.grid_spacing_m, scope)
    # As the meeting-place page asks with its widgets at their defaults.
    settings = replace(walk, distance_m=float(walk.distance_m), detour_factor=float(walk.detour_factor),
                       kinds=tuple(walk.kinds))
    cached_scenario(from_map_data(staff, addresses), settings, scope)


def lang() -> str:
    """The interface language chosen in the frame (Dutch by default)."""
    value = st.session_state.get("lang", DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


@st.cache_resource(show_spinner=False, max_entries=4)
def _area_index(url: str, version: int, level: str):
    from .spatial import AreaIndex

    return AreaIndex.from_store(_open(url), level=level)


def cached_area_index(level: str = "buurt"):
    """A spatial index of the stored areas of ``level``, rebuilt after writes.

    For bulk work only (an import placing many rows): a click, a pin or one
    save asks the store instead (:func:`area_locator`)."""
    return _area_index(database_url(), _version(AREAS), level)


def area_locator(level: str = "buurt"):
    """Point → area answered by the store, one query per click, pin or save
    (:class:`geo.spatial.StoreAreas`): no area is loaded into this process."""
    from .spatial import StoreAreas

    return StoreAreas(store(), level)


@st.cache_resource(show_spinner=False, max_entries=16)
def _buurten(url: str, version: int, gemeente: str | None):
    from .spatial import buurten_of

    return buurten_of(_open(url), gemeente)


def cached_buurten(scope=None):
    """The buurten of the session's gemeente (every buurt under "all
    gemeenten"), read by the gemeente's box and re-read after writes.
    Shared read-only between sessions."""
    return _buurten(database_url(), _version(AREAS), (scope or gemeente()).code)


def actor():
    """Who is using this session: the signed-in staff member, or a resident."""
    from .access import ANONYMOUS, Actor

    value = st.session_state.get("actor")
    if not isinstance(value, Actor):
        return ANONYMOUS
    if value.is_signed_in:
        # Widget callbacks run before the frame's sign-in check: an expired or
        # revoked session must not act, even for that one queued click.
        import time

        from .auth import session_problem
        from .participation import load_config

        state = st.session_state
        if session_problem(value, state.get("actor_source"), state.get("actor_seen"), store,
                           load_config().idle_minutes, time.time()):
            return ANONYMOUS
    return value


def mail_config():
    """The SMTP settings from ``[mail]`` in ``.streamlit/secrets.toml`` (None: not configured)."""
    from .mail import smtp_config

    try:
        section = st.secrets.get("mail")
    except Exception:  # noqa: BLE001 - no secrets.toml at all
        return None
    return smtp_config({"mail": dict(section)} if section else None)


MAIL_INTERVAL_SECONDS = 15


def _stop_mailer(stop) -> None:
    stop.set()


_RELEASE = {"on_release": _stop_mailer} if "on_release" in __import__("inspect").signature(
    st.cache_resource.__call__).parameters else {}


@st.cache_resource(show_spinner=False, **_RELEASE)
def _mailer(url: str):
    """One thread per server process that sends due outbox messages."""
    import threading

    from .mail import run_sender

    stop = threading.Event()

    def loop() -> None:
        run_sender(lambda: _open(url), mail_config, stop, MAIL_INTERVAL_SECONDS)

    thread = threading.Thread(target=loop, name="wijkatlas-mailer", daemon=True)
    thread.start()
    return stop


def start_mailer() -> None:
    """Start the outbox sender for this server process (once)."""
    _mailer(database_url())


def app_url(path: str) -> str:
    """The full address of ``path`` in this app as the browser reached it
    (``https://host/evaluatie?ronde=3``), for links to copy and share;
    ``…/path`` when there is no browser context."""
    from urllib.parse import urlparse

    try:
        url = urlparse(st.context.url or "")
    except Exception:  # noqa: BLE001 - no browser context (bare AppTest)
        url = None
    if not url or not url.scheme or not url.netloc:
        return f"…/{path}"
    base = url.path.rsplit("/", 1)[0] if url.path.count("/") > 1 else ""
    return f"{url.scheme}://{url.netloc}{base}/{path}"


def guard(url_path: str) -> None:
    """Stop the page with a clear message unless this session may open it."""
    from .access import check_page
    from .errors import PermissionDenied

    if _discovery_run():  # Streamlit's discovery of pages/ chose this file: let the frame choose
        navigation_only()
        _run_frame()  # the frame runs the page it chooses (this one again, inside it, with its checks)
        st.stop()
    try:
        check_page(actor(), url_path)
    except PermissionDenied as exc:
        who = actor()
        if who.is_signed_in:  # signed in with another role: say which role the page needs, not "sign in"
            from .i18n import label, t
            from .navigation import entry

            language = lang()
            st.error(t("auth.wrong_role", language, role=label(who.role, language),
                       roles=", ".join(label(r, language) for r in entry(url_path).roles if r != "resident")))
        else:
            st.error(str(exc))
        st.stop()
    apply_resets()  # every page starts here: a saved form is cleared before its widgets are drawn


# --- one gemeente at a time (see geo.scope) -------------------------------------------
GEMEENTE_KEY = "gemeente"  # the session's choice: a GM code or geo.scope.ALL


@st.cache_resource(show_spinner=False, max_entries=4)
def _gemeenten(url: str, version: int):
    from .scope import Gemeenten

    return Gemeenten.from_store(_open(url))


def gemeenten():
    """The gemeenten in the database (:class:`geo.scope.Gemeenten`), re-read after writes."""
    return _gemeenten(database_url(), _version(AREAS))


def _allow_all() -> bool:
    """Whether "all gemeenten" may be offered: admins, on a page that allows it
    (the frame sets ``gemeente_all_ok`` for the page it runs)."""
    return actor().role == "admin" and bool(st.session_state.get("gemeente_all_ok", False))


def gemeente():
    """The gemeente this page shows: a :class:`geo.scope.Scope` (``code`` None
    for "all gemeenten"). Every page filters what it shows through it."""
    from .scope import Scope

    found = gemeenten()
    if not found.names:
        return Scope(None, "")
    from .i18n import t

    return found.scope(st.session_state.get(GEMEENTE_KEY), _allow_all(), t("scope.all", lang()))


def choose_gemeente(code: str) -> bool:
    """Make the gemeente of ``code`` (any GM/WK/BU code) the session's choice,
    e.g. for a shared link to a buurt of another gemeente; True if it changed."""
    from .scope import gemeente_of

    gm = gemeente_of(code)
    if gm not in gemeenten().names or st.session_state.get(GEMEENTE_KEY) == gm:
        return False
    st.session_state[GEMEENTE_KEY] = gm
    return True


def gemeente_picker(allow_all: bool) -> None:
    """The sidebar's gemeente picker (drawn by the frame before the page runs).

    With one gemeente it only names it; with several it offers them (and "all
    gemeenten" to an admin on a page that allows it). The choice is kept in
    the session under :data:`GEMEENTE_KEY`, apart from the widget, so a page
    without "all" does not overwrite an admin's "all"."""
    from .i18n import t
    from .scope import ALL

    st.session_state["gemeente_all_ok"] = allow_all
    found = gemeenten()
    if not found.names:
        return
    language = lang()
    scope = gemeente()
    if len(found.names) == 1:
        st.caption(f"{t('scope.label', language)}: **{scope.name}**")
        return
    options = ([ALL] if _allow_all() else []) + list(found.names)
    st.session_state["gemeente_pick"] = scope.code or ALL

    def chosen() -> None:
        st.session_state[GEMEENTE_KEY] = st.session_state["gemeente_pick"]

    st.selectbox(t("scope.label", language), options, key="gemeente_pick", on_change=chosen,
                 help=t("scope.help", language),
                 format_func=lambda c: t("scope.all", language) if c == ALL else f"{found.names[c]} ({c})")
    if st.session_state.get(GEMEENTE_KEY) == ALL and scope.code is not None and actor().role == "admin":
        st.caption(t("scope.all_not_here", language, name=scope.name))


# --- client identity and cookies ------------------------------------------------------
# Public names: ``client()`` (this session's :class:`geo.clients.Client`),
# ``signing_secret()``, ``set_cookie(name, value, max_age_seconds)``,
# ``delete_cookie(name)`` and ``write_cookies()`` (called once per run by the
# frame, ``app.py``, after everything else has had its chance to set one).
_COOKIE_VALUE = re.compile(r"^[A-Za-z0-9._~-]{0,1024}$")
_COOKIE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@st.cache_resource(show_spinner=False, max_entries=4)
def _secret(url: str, configured: str | None) -> bytes:
    from .signing import server_secret

    return server_secret(_open(url), configured)


def signing_secret() -> bytes:
    """The HMAC key for :mod:`geo.signing`: ``[wijkatlas] secret`` in
    ``.streamlit/secrets.toml`` when set, else the one kept in the database
    (shared by every app server on it)."""
    try:
        configured = (st.secrets.get("wijkatlas") or {}).get("secret")
    except Exception:  # noqa: BLE001 - no secrets.toml at all
        configured = None
    return _secret(database_url(), configured)


def _context_cookies() -> dict:
    try:
        return dict(st.context.cookies)
    except Exception:  # noqa: BLE001 - no browser context (bare AppTest)
        return {}


def _peer_and_forwarded() -> tuple[str | None, list[str]]:
    try:
        peer = st.context.ip_address
        forwarded = list(st.context.headers.get_all("X-Forwarded-For"))
    except Exception:  # noqa: BLE001 - no browser context
        return None, []
    return peer, forwarded


def client():
    """This browser as a :class:`geo.clients.Client`: its address (through the
    trusted-proxy setting) and the browser id of its signed cookie; a new id
    (and its cookie) when it has none or a forged/expired one."""
    from . import clients
    from .participation import load_config
    from .signing import new_id, sign, verify

    cached = st.session_state.get("_wa_client")
    if isinstance(cached, clients.Client):
        return cached
    peer, forwarded = _peer_and_forwarded()
    address = clients.client_address(peer, forwarded, clients.trusted_proxies(load_config().trusted_proxies))
    secret = signing_secret()
    browser = verify(secret, clients.CLIENT_PURPOSE, _context_cookies().get(clients.CLIENT_COOKIE))
    if browser is None:
        browser = new_id()
        max_age = clients.CLIENT_COOKIE_DAYS * 24 * 3600
        set_cookie(clients.CLIENT_COOKIE, sign(secret, clients.CLIENT_PURPOSE, browser, max_age), max_age)
    value = clients.Client(address=address, browser=browser)
    st.session_state["_wa_client"] = value
    return value


def set_cookie(name: str, value: str, max_age_seconds: float) -> None:
    """Ask the browser to keep a cookie (written by :func:`write_cookies` at
    the end of this run, by a small same-origin script: Streamlit has no
    server-side cookie API). ``SameSite=Strict``, ``Secure`` on https; not
    HttpOnly (a script writes it), so put only signed ids in it."""
    if not _COOKIE_NAME.match(name) or not _COOKIE_VALUE.match(value):
        raise ValueError("cookie name/value must be token characters")
    pending = st.session_state.setdefault("_wa_cookies", {})
    pending[name] = (value, int(max_age_seconds))


def delete_cookie(name: str) -> None:
    """Ask the browser to forget a cookie (at the end of this run)."""
    set_cookie(name, "", 0)


def write_cookies() -> None:
    """Render the pending cookies as one tiny script (no visible output).

    Kept for the whole session and rendered on every run: a run that was cut
    short by a rerun before the browser executed it does not lose the cookie.
    """
    pending = st.session_state.get("_wa_cookies") or {}
    if not pending:
        return
    lines = []
    for name, (value, max_age) in sorted(pending.items()):
        lines.append(f'document.cookie = "{name}={value}; Max-Age={max_age}; Path=/; SameSite=Strict" + secure;')
    script = ("<script>(function(){var secure = location.protocol === 'https:' ? '; Secure' : '';"
              + "".join(lines) + "})();</script>")
    with st.sidebar:
        st.html(script, unsafe_allow_javascript=True)


# --- forms that do not double (see geo.forms) -----------------------------------------
def submit_guard():
    """This session's :class:`geo.forms.SubmitGuard`."""
    from .forms import SubmitGuard

    guard_ = st.session_state.get("_submit_guard")
    if not isinstance(guard_, SubmitGuard):
        guard_ = st.session_state["_submit_guard"] = SubmitGuard()
    return guard_


def reset_next_run(values: dict) -> None:
    """Set widget values at the start of the next run (before the widgets
    exist, as Streamlit requires): how a saved form is cleared in the browser."""
    st.session_state.setdefault("_reset_next_run", {}).update(values)


def apply_resets() -> None:
    """Apply :func:`reset_next_run` (:func:`guard`, the first call of every page, does)."""
    for key, value in (st.session_state.pop("_reset_next_run", None) or {}).items():
        st.session_state[key] = value


# --- pickers that show the truth -----------------------------------------------------------
def kept_selectbox(label: str, options: list, key: str, format_func, default=None, container=None, **kwargs):
    """A selectbox whose choice is kept by value, not by its shown text.

    The browser reports a choice by the text it shows; when that text changes
    (a plan's stage in its label, an activity's edited title) Streamlit no
    longer matches it and falls back to the first option, and a widget that
    was not drawn (another page was open) forgets its value. The chosen value
    is kept under ``_kept_<key>`` and set into the widget each run, so the
    label shows the saved state at once and the choice stays."""
    kept = f"_kept_{key}"
    options = list(options)
    current = st.session_state.get(kept, st.session_state.get(key, default))
    if current not in options:
        current = default if default in options else (options[0] if options else None)
    st.session_state[key] = current
    st.session_state[kept] = current

    def remember() -> None:
        st.session_state[kept] = st.session_state[key]

    on_change = kwargs.pop("on_change", None)

    def changed(*args, **kw) -> None:
        remember()
        if on_change:
            on_change(*args, **kw)

    return (container or st).selectbox(label, options, key=key, format_func=format_func, on_change=changed, **kwargs)


def forget_choice(key: str) -> None:
    """Drop a :func:`kept_selectbox` choice (e.g. the record it named was deleted)."""
    st.session_state.pop(f"_kept_{key}", None)
    st.session_state.pop(key, None)


def cookie(name: str) -> str | None:
    """A cookie the browser sent when this session began (None without one)."""
    value = _context_cookies().get(name)
    return value if isinstance(value, str) and value else None


# --- optimistic locking in forms ----------------------------------------------------------
def seen_version(form_key: str, first_widget_key: str, current: int) -> int:
    """The version of a record as this session's form first showed it.

    Call before drawing the form. While the form's widgets live (the user is
    typing, or has just pressed save) the remembered version stands, so a
    save after someone else's is refused as a conflict; when the form is drawn
    anew (first visit, another record) it is the stored version again.
    """
    key = f"_seen_version_{form_key}"
    if first_widget_key not in st.session_state or key not in st.session_state:
        st.session_state[key] = int(current or 0)
    return st.session_state[key]


def saw_version(form_key: str, version: int) -> None:
    """Remember that the form now stands on ``version`` (after a save, or after
    a conflict was shown: saving again then deliberately overwrites)."""
    st.session_state[f"_seen_version_{form_key}"] = int(version or 0)


def reshow(*keys: str) -> None:
    """Set these widgets' values again before they are drawn: the browser
    matches a choice by its shown text, so after a language switch it would
    show none; set from the server, it shows the choice in the new language."""
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


# --- a large map, rendered once -----------------------------------------------------------
# ``st_folium`` renders the whole map to text, rewrites it with regular
# expressions and hashes it on every script run: ~0.2 s for a large
# gemeente's megabyte of map, on every page visit and every click, although
# the map is the same. ``folium_map`` does that part once per data version and
# options (shared by sessions, like :func:`cached_build`), and per run only the
# small selection group. It calls streamlit-folium's own helpers and its
# component, so the browser gets exactly what ``st_folium`` would send; a
# streamlit-folium without them falls back to ``st_folium`` itself.
_MAP_DEFAULTS = dict.fromkeys(("last_clicked", "last_object_clicked", "last_object_clicked_count",
                               "last_object_clicked_tooltip", "last_object_clicked_popup", "all_drawings",
                               "last_active_drawing", "last_circle_radius", "last_circle_polygon",
                               "selected_layers", "selected_tags", "last_geocoder_result"))


def _rendered_map(fmap) -> dict:
    """What ``st_folium`` derives from a map, made once: script, html, header, links, id, hash."""
    import hashlib

    import streamlit_folium as sf
    from folium.elements import JSCSSMixin

    fmap.get_root().render()
    fmap.render()
    html, header = sf._get_html(fmap), sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    js, css = [], []

    def walk(el):
        if isinstance(el, JSCSSMixin):
            js.extend(src for _, src in getattr(el, "default_js", []))
            css.extend(href for _, href in getattr(el, "default_css", []))
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(fmap)
    try:
        (s, w), (n, e) = fmap.get_bounds()
    except AttributeError:
        s = w = n = e = None
    return {
        "script": script, "html": html, "header": header, "id": sf.get_full_id(fmap), "map_id": fmap._id,
        "js_links": list(dict.fromkeys(js)), "css_links": list(dict.fromkeys(css)),
        "bounds": {"_southWest": {"lat": s, "lng": w}, "_northEast": {"lat": n, "lng": e}},
        "zoom": fmap.options.get("zoom") if hasattr(fmap, "options") else {},
        "digest": hashlib.sha256(script.encode()).hexdigest(),
    }


def _selection_script(group, map_id: str) -> str:
    """``feature_group_to_add`` as ``st_folium`` writes it, against a stand-in of the cached map."""
    import folium
    import streamlit_folium as sf

    stand_in = folium.Map(location=(52.0, 5.0), tiles=None)
    stand_in._id = map_id
    return sf._get_feature_group_string(group, map=stand_in)


def folium_map(build, cache_key: str, *, key: str, height: int,
               returned_objects: tuple[str, ...] = ("last_clicked",), feature_group_to_add=None,
               tables: tuple[str, ...] | None = EVERYTHING):
    """``st_folium(build(), …, use_container_width=True)`` with the map rendered once per
    ``cache_key`` (which must name everything the map depends on besides the stored data)
    and data version of ``tables`` (those ``build`` reads, as :func:`cached_build`)."""
    import hashlib

    import streamlit_folium as sf

    if not all(hasattr(sf, name) for name in ("_component_func", "_get_html", "_get_header", "_get_map_string",
                                               "get_full_id", "_get_feature_group_string")):
        from streamlit_folium import st_folium  # another streamlit-folium: its own way, every run

        return st_folium(build(), key=key, height=height, use_container_width=True,
                         returned_objects=list(returned_objects), feature_group_to_add=feature_group_to_add)
    parts = cached_build(repr(("rendered-map", cache_key)), lambda: _rendered_map(build()), tables=tables)
    hash_key = hashlib.sha256(f"{parts['digest']}|{key}".encode()).hexdigest()

    def on_change():
        st.session_state[key] = st.session_state.get(hash_key, {})

    defaults = {k: v for k, v in {**_MAP_DEFAULTS, "bounds": parts["bounds"], "zoom": parts["zoom"]}.items()
                if k in returned_objects}
    return sf._component_func(
        script=parts["script"], header=parts["header"], html=parts["html"], id=parts["id"], key=hash_key,
        height=height, width=None, returned_objects=list(returned_objects), default=defaults, zoom=None,
        center=None, return_on_hover=False, layer_control=None, pixelated=False,
        feature_group=None if feature_group_to_add is None else _selection_script(feature_group_to_add,
                                                                                 parts["map_id"]),
        css_links=parts["css_links"], js_links=parts["js_links"], on_change=on_change, wrap_longitude=False)
