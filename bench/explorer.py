"""The explorer measured as a user meets it: a real server, headless Chromium.

For one database, Wijkatlas (``app.py``) and the naive baseline
(``bench/baseline_app.py``) are started side by side and measured in the
same run:

- navigation → map drawn (every buurt path in the map frame), warm cache;
- click in a buurt → its profile shown beside the map;
- bytes the browser received for the first view and per click (HTTP bodies
  and WebSocket frames, from Chromium's own network events);
- server time per script run: a page run and a click run (Streamlit's
  AppTest, in this process);
- server memory (RSS) with 1 and with 10 open sessions.

Used by :mod:`bench.bench_scales`; each function returns plain numbers.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("WIJKATLAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
def _ports() -> range:
    """The benchmark's own port range on the shared machine (``WIJKATLAS_BENCH_PORTS=8640-8649`` moves it)."""
    low, _, high = os.environ.get("WIJKATLAS_BENCH_PORTS", "").partition("-")
    return range(int(low), int(high) + 1) if low.isdigit() and high.isdigit() else range(8632, 8640)


BENCH_PORTS = _ports()

# A point inside a buurt where the polygon is on top (or at least under only markers).
FIND_SPOT = """
(n) => {
  let paths = [...document.querySelectorAll('path.wa-area')];  // Wijkatlas: its buurten
  if (!paths.length) paths = [...document.querySelectorAll('path.leaflet-interactive')];  // baseline: GeoJSON first
  const p = paths[n % Math.max(1, paths.length)];
  if (!p) return null;
  const r = p.getBoundingClientRect();
  for (let fy = 0.5; fy < 0.95; fy += 0.05) for (let fx = 0.5; fx < 0.95; fx += 0.05) {
    const x = r.left + r.width * fx, y = r.top + r.height * fy;
    if (document.elementFromPoint(x, y) === p) return {x, y};
  }
  return null;
}
"""


# "Map drawn" by the browser's own clock: the first moment the map's frame is shown (the page
# has given it a height) and holds at least N shapes, in ms since the page's navigation began.
# Playwright's own waiting (wait_for_selector, wait_for_function) runs on the page's main thread
# between whatever the page does next, and answers late: by ~0.5 s on this machine, for Wijkatlas
# and the baseline alike (2026-12-02: the large gemeente's buurten drawn at 2.26 s by this clock,
# seen by Playwright at 2.88 s). Python still waits as before; it then reads this figure.
DRAWN_PROBE = """
(() => {
  if (window.top !== window) return;
  const N = %d, now = () => performance.now();
  let shapes = null, shown = null;
  const done = () => { if (shapes !== null && shown !== null && window.__waDrawn === undefined)
                         window.__waDrawn = Math.max(shapes, shown); };
  const hook = (frame) => {
    if (frame.__waHooked) return;
    let doc = null;
    try { doc = frame.contentDocument; } catch (e) { return; }
    if (!doc || !doc.documentElement || !String(doc.location).includes("streamlit_folium")) return;
    frame.__waHooked = true;
    const count = () => {
      if (shapes === null && doc.querySelectorAll("path.leaflet-interactive").length >= N) { shapes = now(); done(); }
      return shapes !== null;
    };
    if (count()) return;
    const mo = new MutationObserver(() => { if (count()) mo.disconnect(); });
    mo.observe(doc.documentElement, {childList: true, subtree: true});
  };
  const find = () => {
    const frame = document.querySelector("iframe[title*='streamlit_folium']");
    if (!frame) return false;
    if (!frame.__waWatched) {
      frame.__waWatched = true;
      frame.addEventListener("load", () => hook(frame));
      new ResizeObserver(() => {
        if (shown === null && frame.getBoundingClientRect().height > 0) { shown = now(); done(); }
      }).observe(frame);
    }
    hook(frame);
    return frame.__waHooked === true;
  };
  const top = new MutationObserver(() => { if (find()) top.disconnect(); });
  const go = () => top.observe(document.documentElement, {childList: true, subtree: true});
  if (document.documentElement) go(); else document.addEventListener("readystatechange", go, {once: true});
})();
"""


def watch_drawn(context, n_paths: int) -> None:
    """Every page of ``context`` notes when its map is drawn (:data:`DRAWN_PROBE`)."""
    context.add_init_script(DRAWN_PROBE % int(n_paths))


def drawn_seconds(page) -> float:
    """Navigation → map drawn, by the browser's clock; call once Playwright has seen the map."""
    ms = page.wait_for_function("() => window.__waDrawn", timeout=10_000).json_value()
    return float(ms) / 1000


# Wijkatlas draws a large point layer right after the map's first frame and counts the layers
# still to come on the map's container (data-wa-pending); a map without that count is complete.
ALL_LAYERS = """() => { const c = document.querySelector('.leaflet-container');
                        return !!c && !(+(c.dataset.waPending || 0)); }"""


def chromium_available() -> bool:
    if not Path(CHROMIUM).exists():
        return False
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return True


def _free_port() -> int:
    for port in BENCH_PORTS:
        with socket.socket() as s:
            # As Streamlit binds (SO_REUSEADDR): a port whose last server left connections in
            # TIME_WAIT is free for the next one; only a listening server makes it taken.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {BENCH_PORTS}")


def _launcher(script: str) -> list[str]:
    """Wijkatlas starts as its README says (``python -m geo serve``); any other script by ``streamlit run``."""
    if Path(script).resolve() == ROOT / "app.py":
        return [sys.executable, "-m", "geo", "serve"]
    return [sys.executable, "-m", "streamlit", "run", script]


@dataclass
class Server:
    script: str
    db_url: str
    port: int = 0
    proc: subprocess.Popen | None = None
    log: Path | None = None
    env: dict[str, str] = field(default_factory=dict)  # more environment (e.g. WIJKATLAS_WARM_UP=0)

    def __enter__(self) -> "Server":
        self.port = self.port or _free_port()  # a given port: e.g. the origin a browser has cached
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"wijkatlas-bench-{self.port}.log"
        env = {**os.environ, "WIJKATLAS_DATABASE_URL": self.db_url, "PYTHONUNBUFFERED": "1", **self.env}
        self.proc = subprocess.Popen(
            [*_launcher(self.script), "--server.port", str(self.port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.script} did not start; see {self.log}")

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def wait_for_log(self, *texts: str, timeout_s: float = 600) -> str:
        """Wait until the server's output holds one of ``texts``; the one it holds."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            out = self.log.read_text(errors="replace") if self.log and self.log.exists() else ""
            found = next((t for t in texts if t in out), None)
            if found:
                return found
            time.sleep(0.1)
        raise TimeoutError(f"none of {texts} in {self.log}")

    def rss_mb(self) -> float:
        """Resident memory of the server process, MB."""
        text = Path(f"/proc/{self.proc.pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in text.splitlines() if line.startswith("VmRSS:"))
        return kb / 1024


@dataclass
class BrowserFigures:
    drawn_s: list[float] = field(default_factory=list)  # by the browser's clock (DRAWN_PROBE)
    seen_s: list[float] = field(default_factory=list)  # the same moment as Playwright, in Python, notices it
    layers_s: list[float] = field(default_factory=list)  # every layer in: deferred point layers too
    click_s: list[float] = field(default_factory=list)
    first_view_mb: list[float] = field(default_factory=list)
    click_mb: list[float] = field(default_factory=list)
    rss_1_mb: float | None = None
    rss_10_mb: float | None = None

    @staticmethod
    def median(values: list[float]) -> float | None:
        return statistics.median(values) if values else None


class _Bytes:
    """Bytes received by one page: HTTP bodies and WebSocket frames (CDP)."""

    def __init__(self, context, page):
        self.total = 0
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.loadingFinished", lambda e: self._add(e.get("encodedDataLength", 0)))
        cdp.on("Network.webSocketFrameReceived", self._frame)

    def _add(self, n) -> None:
        self.total += int(n or 0)

    def _frame(self, event) -> None:
        r = event.get("response", {})
        data = r.get("payloadData", "")
        self.total += len(data) * 3 // 4 if r.get("opcode") == 2 else len(data.encode())


def _map_frame(page, timeout_ms: int):
    page.wait_for_selector("iframe[title*='streamlit_folium']", timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" in (frame.url or "") and not frame.is_detached():
                return frame
        time.sleep(0.05)
    raise TimeoutError("map frame not found")


def _wait_paths(n_paths: int) -> str:
    return f"document.querySelectorAll('path.leaflet-interactive').length >= {n_paths}"


def _warm_context(browser, server: "Server", url: str, n_paths: int, timeout_s: float, figs: "BrowserFigures"):
    """A browser context whose cache holds the page's files (Leaflet, Streamlit's own), after one
    visit; the server's memory with that one session is noted in ``figs``. No request routing: it
    would switch Chromium's cache off (nothing leaves the machine anyway: tiles fail, 0 bytes)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    watch_drawn(context, n_paths)
    warm = context.new_page()
    warm.goto(url)
    _map_frame(warm, int(timeout_s * 1000)).wait_for_function(_wait_paths(n_paths), timeout=timeout_s * 1000)
    figs.rss_1_mb = server.rss_mb()
    warm.close()
    return context


def measure_app(server: Server, n_buurten: int, runs: int = 3, timeout_s: float = 180,
                sessions_for_memory: int = 10) -> BrowserFigures:
    """Open the app ``runs`` times (warm cache) and click a buurt each time."""
    from playwright.sync_api import sync_playwright

    figs = BrowserFigures()
    wait_paths = _wait_paths(n_buurten)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = _warm_context(browser, server, server.url, n_buurten, timeout_s, figs)
        for run in range(runs):
            page = context.new_page()
            counter = _Bytes(context, page)
            t0 = time.perf_counter()
            page.goto(server.url)
            frame = _map_frame(page, int(timeout_s * 1000))
            frame.wait_for_function(wait_paths, timeout=timeout_s * 1000)
            figs.seen_s.append(time.perf_counter() - t0)
            figs.drawn_s.append(drawn_seconds(page))
            frame.wait_for_function(ALL_LAYERS, timeout=timeout_s * 1000)
            figs.layers_s.append(time.perf_counter() - t0)
            page.wait_for_timeout(800)  # let the first view settle before counting a click
            figs.first_view_mb.append(counter.total / 1e6)
            spot = frame.evaluate(FIND_SPOT, 3 + 3 * run)
            if spot:
                box = page.locator("iframe[title*='streamlit_folium']").first.bounding_box()
                before = counter.total
                t1 = time.perf_counter()
                page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
                page.locator("h3").first.wait_for(timeout=timeout_s * 1000)  # the profile's heading
                figs.click_s.append(time.perf_counter() - t1)
                page.wait_for_timeout(800)
                figs.click_mb.append((counter.total - before) / 1e6)
            page.close()
        pages = []
        for _ in range(sessions_for_memory):
            page = context.new_page()
            page.goto(server.url)
            pages.append(page)
        for page in pages:
            _map_frame(page, int(timeout_s * 1000)).wait_for_function(wait_paths, timeout=timeout_s * 1000)
        figs.rss_10_mb = server.rss_mb()
        browser.close()
    return figs


def server_run_times(script: str, db_url: str, buurt_code: str, runs: int = 3) -> tuple[float, float]:
    """Median seconds of a page run and of a click run (AppTest, this process)."""
    code = f"""
import os, sys, time, json, statistics
os.environ["WIJKATLAS_DATABASE_URL"] = {db_url!r}
sys.path.insert(0, {str(ROOT)!r})
from streamlit.testing.v1 import AppTest
from shapely.geometry import Point
from geo.store import open_store
from geo import model as m
from geo.crs import rd_to_lonlat
s = open_store({db_url!r})
inside = s.get(m.Area, {buurt_code!r}).geometry.representative_point()
lon, lat = rd_to_lonlat(inside.x, inside.y)
at = AppTest.from_file({script!r}, default_timeout=600)
at.run()
page, click = [], []
for i in range({runs}):
    t0 = time.perf_counter(); at.run(); page.append(time.perf_counter() - t0)
    comp = next(c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium"))
    value = {{"last_clicked": {{"lat": lat + i * 1e-7, "lng": lon}}}}
    at.session_state[comp.key] = value
    for user_key in ("explore_map", "map"):  # what streamlit-folium's on_change sets in a browser
        at.session_state[user_key] = value
    t0 = time.perf_counter(); at.run(); click.append(time.perf_counter() - t0)
    assert not at.exception, at.exception
print(json.dumps([statistics.median(page), statistics.median(click)]))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=1800)
    if out.returncode != 0:
        raise RuntimeError(f"AppTest run of {script} failed: {out.stderr.strip()[-800:]}")
    import json

    page, click = json.loads(out.stdout.strip().splitlines()[-1])
    return page, click


# For AppTest code run by the benchmark: sessions share one component registry, found once per
# process, as a server's Runtime finds it once at start. A new AppTest otherwise scans every
# installed package for components (~0.3 s) in its first run, which no session of a real server
# pays: it went into the start page's time (/verkennen) and into no other page's.
APPTEST_SESSIONS = """
def new_session(script, **kwargs):
    at = AppTest.from_file(script, **kwargs)
    registry = globals().get("_shared_registry")
    if registry is None and hasattr(at, "_bidi_component_manager"):
        try:
            from streamlit.components.v2.component_manager import BidiComponentManager
            registry = BidiComponentManager()
            registry.discover_and_register_components(start_file_watching=False)
        except Exception:  # another Streamlit: its AppTest does what it does
            registry = False
        globals()["_shared_registry"] = registry
    if registry:
        at._bidi_component_manager = registry
    return at
"""


def page_run_times(db_url: str, pages: list[str] | None = None) -> list[tuple[str, float, float]]:
    """Server time of each page of the app opened in a new session (Streamlit's
    AppTest, signed in as an admin so every page opens): ``(url path, first,
    again)`` in seconds, where *first* is the page's first run in this server
    process (what it builds once per data version included) and *again* its
    first run in a second new session. Each session first runs the start page,
    as a browser does, and then switches to the page (not timed: its own row)."""
    code = f"""
import json, os, sys, time
os.environ["WIJKATLAS_DATABASE_URL"] = {db_url!r}
sys.path.insert(0, {str(ROOT)!r})
os.chdir({str(ROOT)!r})
from streamlit.testing.v1 import AppTest
from geo.access import Actor
from geo.navigation import PAGES
{APPTEST_SESSIONS}
new_session({str(ROOT / "app.py")!r})  # the registry, found before any page is timed (see above)
wanted = {pages!r}
out = []
for entry in PAGES:
    if wanted and entry.url_path not in wanted:
        continue
    times = []
    for _ in range(2):
        at = new_session({str(ROOT / "app.py")!r}, default_timeout=900)
        at.session_state["actor"] = Actor(name="bench-admin", role="admin")
        t0 = time.perf_counter(); at.run()
        if not entry.default:  # the start page opens at once; any other after it, as a browser goes there
            at.switch_page(entry.file)
            t0 = time.perf_counter(); at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, (entry.url_path, at.exception)
    out.append((entry.url_path, times[0], times[1]))
print(json.dumps(out))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=3600)
    if out.returncode != 0:
        raise RuntimeError(f"AppTest run of the pages failed: {out.stderr.strip()[-800:]}")
    import json

    return [tuple(row) for row in json.loads(out.stdout.strip().splitlines()[-1])]


def measure_map_page(server: Server, path: str, n_paths: int, runs: int = 3,
                     timeout_s: float = 180) -> BrowserFigures:
    """Open ``path`` of the app ``runs`` times (warm cache): navigation → its map
    drawn (at least ``n_paths`` shapes in the map frame) and bytes for that view."""
    from playwright.sync_api import sync_playwright

    figs = BrowserFigures()
    wait_paths = _wait_paths(n_paths)
    url = server.url + path
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = _warm_context(browser, server, url, n_paths, timeout_s, figs)
        for _ in range(runs):
            page = context.new_page()
            counter = _Bytes(context, page)
            t0 = time.perf_counter()
            page.goto(url)
            _map_frame(page, int(timeout_s * 1000)).wait_for_function(wait_paths, timeout=timeout_s * 1000)
            figs.seen_s.append(time.perf_counter() - t0)
            figs.drawn_s.append(drawn_seconds(page))
            page.wait_for_timeout(800)
            figs.first_view_mb.append(counter.total / 1e6)
            page.close()
        browser.close()
    return figs
