"""The command-line contract: exit codes, one-line errors, --json."""

import json
import subprocess
import sys

import pytest

from geo import model as m
from geo.cli import main
from geo.store import open_store


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", *args], capture_output=True, text=True, timeout=120)


def test_init_creates_an_empty_database(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    assert main(["--db", url, "init", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema_version"] >= 1 and doc["loaded"] == {}
    assert open_store(url).is_empty()


def test_init_demo_loads_geldrop_mierlo(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    assert main(["init", "--demo", "--db", url, "--json"]) == 0  # --db may follow the command
    doc = json.loads(capsys.readouterr().out)
    assert doc["loaded"]["areas"] == 14
    s = open_store(url)
    assert s.count(m.Area, level="buurt") == 11
    assert s.get(m.Area, "GM1771").figures["AANT_INW"] == 40733


def test_init_demo_twice_refuses_then_replaces(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    assert main(["init", "--demo", "--db", url]) == 0
    s = open_store(url)
    s.add(m.Partner("Extra partner", kind="other"))
    version = s.data_version()
    assert main(["init", "--demo", "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "--replace" in err
    assert s.data_version() == version  # unchanged
    assert main(["init", "--demo", "--replace", "--db", url]) == 0
    assert s.count(m.Partner, name="Extra partner") == 0


def test_bad_usage_is_one_line_exit_2():
    proc = run_cli("init", "--no-such-flag")
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0


def test_unusable_database_is_one_line_exit_2(tmp_path):
    bad = tmp_path / "not.db"
    bad.write_text("geen database " * 200)
    proc = run_cli("--db", f"sqlite:///{bad}", "init")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr


def test_console_script_is_installed():
    import shutil

    if shutil.which("wijkatlas") is None:
        pytest.skip("package not installed with pip install -e .")
    proc = subprocess.run(["wijkatlas", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "init" in proc.stdout


def test_a_closed_pipe_is_not_an_error(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    assert main(["--db", url, "init", "--demo"]) == 0
    capsys.readouterr()

    class ClosedPipe:
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            pass

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["--db", url, "coverage", "--json"]) == 141
    assert capsys.readouterr().err == ""


def test_a_named_command_loads_only_its_own_module():
    """`wijkatlas coverage` must not pay for pandas/folium/argon2 imports of other commands."""
    import subprocess
    import sys

    code = ("import sys; from geo.cli import build_parser, requested_command; "
            "build_parser(requested_command(['--db', 'x.db', 'coverage'])); "
            "print(sorted(m for m in ('geo.cli.importing', 'geo.cli.users', 'geo.cli.report', 'folium', 'pandas') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    from geo.cli import requested_command

    assert requested_command(["--db", "x.db", "coverage", "--json"]) == "coverage"
    assert requested_command(["--db=x.db", "import", "places"]) == "import"
    assert requested_command(["--help"]) is None and requested_command([]) is None
    assert requested_command(["nonsense"]) is None
