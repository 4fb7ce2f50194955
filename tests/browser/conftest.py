"""Browser suite: the real app in a real headless Chromium (Debian's).

``app_server`` starts the app (``python -m geo serve``) on a free port with a private
copy of the demo database and yields its base URL; ``page`` is a Playwright
page in /usr/bin/chromium that may only reach this machine (any request to
another host is aborted and recorded, proving the app works offline).

Without Chromium the suite skips, unless ``WIJKATLAS_REQUIRE_BROWSER=1`` (set
by CI), in which case it fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("WIJKATLAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _require_browser() -> None:
    problem = None
    if not Path(CHROMIUM).exists():
        problem = f"{CHROMIUM} not found (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "playwright is not installed (pip install -e .[test])"
    if problem:
        if os.environ.get("WIJKATLAS_REQUIRE_BROWSER") == "1":
            pytest.fail(problem)
        pytest.skip(problem)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_server(demo_db_template, tmp_path_factory):
    """A running Wijkatlas on 127.0.0.1 with its own demo database."""
    _require_browser()
    folder = tmp_path_factory.mktemp("app")
    db = folder / "wijkatlas.db"
    shutil.copy(demo_db_template, db)
    yield from run_app(db, folder)


SERVE = [sys.executable, "-m", "geo", "serve"]  # the README's way to start the app
STREAMLIT_RUN = [sys.executable, "-m", "streamlit", "run", "app.py"]  # the plain way, also supported


def run_app(db: Path, folder: Path, env: dict | None = None, command: list[str] = SERVE):
    """Start the app (``python -m geo serve``) on ``db``; yield its URLs; stop it after.

    For a module that needs a database of its own (``yield from run_app(…)``
    in its own fixture)."""
    port = _free_port()
    env = {**os.environ, "WIJKATLAS_DATABASE_URL": f"sqlite:///{db}", "PYTHONUNBUFFERED": "1", **(env or {})}
    log = open(folder / "streamlit.log", "w")
    proc = subprocess.Popen(
        [*command, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.close()
            pytest.fail(f"streamlit did not start:\n{(folder / 'streamlit.log').read_text()[-3000:]}")
        time.sleep(0.5)
    yield {"url": base, "db_url": f"sqlite:///{db}", "log": folder / "streamlit.log"}
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_server, tmp_path):
    """A fresh browser context; requests leaving this machine are blocked and listed."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    external: list[str] = []

    def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if host in ("127.0.0.1", "localhost", ""):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.external_requests = external  # type: ignore[attr-defined]
    pg.console_errors = []  # type: ignore[attr-defined]
    pg.on("console", lambda msg: msg.type == "error" and pg.console_errors.append(msg.text))
    yield pg
    shots = os.environ.get("WIJKATLAS_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(Path(shots) / f"{os.environ.get('PYTEST_CURRENT_TEST', 'page').split(':')[-1].split(' ')[0]}.png"))
    context.close()


def map_frame(page):
    """The streamlit-folium iframe that holds the Leaflet map."""
    page.wait_for_selector("iframe[title*='streamlit_folium']", timeout=60_000)
    return page.frame_locator("iframe[title*='streamlit_folium']").first


# --- helpers shared by the browser tests ----------------------------------------------

# A point inside a buurt's polygon where that polygon really is on top on
# screen (markers drawn over it are avoided); called with the path's class.
FIND_POINT_INSIDE = """
(cls) => {
  const el = document.querySelector('path.' + cls);
  if (!el) return null;
  const r = el.getBoundingClientRect();
  for (let fy = 0.5; fy < 1; fy += 0.05) {
    for (const sign of [1, -1]) {
      for (let fx = 0.5; fx > 0 && fx < 1; fx += sign * 0.05) {
        const x = r.left + r.width * fx, y = r.top + r.height * (sign > 0 ? fy : 1 - fy);
        if (document.elementFromPoint(x, y) === el) return {x, y};
      }
    }
  }
  return null;
}
"""


def wait_idle(page, timeout: int = 60_000) -> None:
    """Wait until Streamlit has finished its current run."""
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=timeout)


def select_option(page, label: str, option: str) -> None:
    """Pick ``option`` in a selectbox; tries again when a rerun (the map's
    first report after it mounts, on a busy machine) closes the list."""
    for attempt in range(3):
        wait_idle(page)
        box = page.get_by_label(label, exact=True).first
        box.scroll_into_view_if_needed()
        box.click()
        page.keyboard.type(option)
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
        except Exception:  # noqa: BLE001 - list closed under the click
            page.keyboard.press("Escape")
            if attempt == 2:
                raise
            continue
        wait_idle(page)
        return


def staff_account(db_url: str, name: str, role: str, password: str) -> None:
    """Create a staff account in the app's database (once)."""
    from geo import auth
    from geo import model as m
    from geo.access import Actor
    from geo.store import open_store

    store = open_store(db_url)
    try:
        if not store.list(m.User, name=name):
            auth.add_user(store, Actor("test-admin", "admin"), name, role, password)
    finally:
        store.close()


def sign_out(page) -> None:
    """Sign out through the sidebar button; wait until the run has replaced the
    signed-in elements and the browser has dropped the stay-signed-in cookie
    (so that a reload or link opened next is signed out)."""
    page.get_by_role("button", name="Afmelden").click()
    page.get_by_text("Aanmelden voor medewerkers", exact=True).first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Afmelden").wait_for(state="detached", timeout=30_000)
    for _ in range(60):
        if not any(c["name"] == "wa_staff" and c["value"] for c in page.context.cookies()):
            break
        page.wait_for_timeout(250)
    else:
        raise AssertionError("the stay-signed-in cookie was not removed after signing out")
    wait_idle(page)


def sign_in(page, name: str, password: str) -> None:
    """Sign in through the sidebar form, as staff do."""
    page.get_by_text("Aanmelden voor medewerkers").click()
    page.get_by_role("textbox", name="Naam", exact=True).fill(name)
    page.get_by_role("textbox", name="Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    page.get_by_text(f"Aangemeld als {name}").wait_for(timeout=30_000)
    # The stay-signed-in cookie is written by a script rendered after the
    # sidebar: wait for it, so that a reload or a link opened next resumes
    # the session (as it would for a person, who is never this quick).
    for _ in range(60):
        if any(c["name"] == "wa_staff" and c["value"] for c in page.context.cookies()):
            break
        page.wait_for_timeout(250)
    else:
        raise AssertionError("the stay-signed-in cookie was not written after signing in")

