"""``wijkatlas serve``: the README's way to start the app (a browser test,
tests/browser/test_cold_start.py, checks what it changes for visitors)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from geo.cli.serve import app_path

ROOT = Path(__file__).resolve().parents[1]


def _serve(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "serve", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_serve_runs_this_checkouts_app():
    assert app_path() == ROOT / "app.py"


def test_options_after_serve_reach_streamlit_and_a_wrong_one_is_one_line_without_starting():
    done = _serve("--server.nonsense", "1")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: Streamlit weigert de opties")
    assert "--server.nonsense" in done.stderr and "Traceback" not in done.stderr
    assert "Local URL" not in done.stdout  # refused before a server started


def test_serve_help_says_where_the_options_go():
    done = _serve("--help")
    assert done.returncode == 0
    assert "streamlit run" in done.stdout and "--server.port" in done.stdout
