"""``wijkatlas serve`` warms the shared caches: once the server listens, it opens the start
page itself (over Streamlit's own WebSocket, as a new browser does), so the first visitor
does not wait for the map to be built; a warm-up that fails is one line, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(proc: subprocess.Popen, log: Path, text: str, timeout_s: float = 180) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        out = log.read_text(errors="replace")
        if text in out or proc.poll() is not None:
            return out
        time.sleep(0.2)
    return log.read_text(errors="replace")


@pytest.mark.parametrize("mode", [None, "start"])
def test_serve_opens_the_start_page_itself_once_it_listens(demo_db_url, tmp_path, mode):
    from geo.web import warm_up

    port, log = _free_port(), tmp_path / "serve.log"
    env = {**os.environ, "WIJKATLAS_DATABASE_URL": demo_db_url, "PYTHONUNBUFFERED": "1"}
    env.pop("WIJKATLAS_WARM_UP", None)
    if mode:
        env["WIJKATLAS_WARM_UP"] = mode
    with log.open("w") as sink:  # under a base path, as behind a reverse proxy
        proc = subprocess.Popen([sys.executable, "-m", "geo", "serve", "--server.port", str(port),
                                 "--server.headless", "true", "--server.baseUrlPath", "wijkatlas",
                                 "--browser.gatherUsageStats", "false"],
                                cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        out = _wait_for(proc, log, "(warm-up)")
        assert "wijkatlas: startpagina voorbereid in" in out, out[-2000:]
        assert "Traceback" not in out and "overgeslagen" not in out
        assert ("gedeelde gegevens voor medewerkers in" in out) == (mode is None)  # start: the start page only
        # The server answers meanwhile and afterwards; a visitor's run finishes as the warm-up's did.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/wijkatlas/_stcore/health", timeout=10) as r:
            assert r.status == 200
        assert warm_up(f"ws://127.0.0.1:{port}/wijkatlas/_stcore/stream", timeout_s=120) > 0
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_warm_up_that_cannot_reach_the_server_is_one_line(capsys):
    from geo.web import warm_up_once

    line = warm_up_once(timeout_s=0.3)  # no Streamlit server in this process
    err = capsys.readouterr().err
    assert line.startswith("warm-up overgeslagen: TimeoutError")
    assert err == f"wijkatlas: {line}\n" and "Traceback" not in err


def test_a_closed_port_is_refused_with_an_error_not_a_hang():
    from geo.web import warm_up

    with pytest.raises(OSError):
        warm_up(f"ws://127.0.0.1:{_free_port()}/_stcore/stream", timeout_s=10)


def _prepare():
    from geo import web

    web.prepare_shared()


def test_prepare_shared_builds_what_a_signed_in_visitors_first_pages_build(app_env, monkeypatch):
    """After the warm-up's second step, a staff member's first explorer and meeting-place page
    build no layer and no scenario: the keys the warm-up used are the pages' own."""
    from streamlit.testing.v1 import AppTest

    import geo.maps
    import geo.meeting
    from geo.access import Actor

    at = AppTest.from_function(_prepare, default_timeout=120).run()
    assert not at.exception, at.exception
    built = []
    real_layers, real_scenario = geo.maps.build_layers, geo.meeting.Scenario.__init__
    monkeypatch.setattr(geo.maps, "build_layers", lambda *a, **k: built.append("layers") or real_layers(*a, **k))
    monkeypatch.setattr(geo.meeting.Scenario, "__init__",
                        lambda self, *a, **k: built.append("scenario") or real_scenario(self, *a, **k))
    page = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    page.session_state["actor"] = Actor(name="test-planner", role="planner")
    page.run()  # the explorer, staff view
    assert not page.exception, page.exception
    from geo.navigation import entry

    page.switch_page(entry("ontmoeten").file)
    page.run()
    assert not page.exception, page.exception
    assert built == []
