"""`wijkatlas import …` and `wijkatlas export …`: exit codes, one-line errors, JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from geo import model as m
from geo.cli import main
from geo.store import open_store
from test_io_fixtures import INSIDE, points_frame, upper_frame, write


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def counts(url):
    s = open_store(url)
    try:
        return {c.__name__: s.count(c) for c in (m.Area, m.MeetingPlace, m.RealEstate, m.Activity, m.Suggestion,
                                                   m.AuditEntry)}
    finally:
        s.close()


@pytest.fixture
def db(backend, tmp_path, request):
    """A fresh database for the command, on each backend (a PostGIS database with nothing in it)."""
    if backend == "postgis":
        return request.getfixturevalue("postgis_server").new_database("bare")
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_import_boundaries_json_summary(capsys, db, tmp_path):
    path = write(upper_frame(gms=("9991", "9992"), secret="9993"), tmp_path / "nl.geojson", "geojson",
                 crs_member=False)
    code, out, err = run(capsys, "--db", db, "import", "boundaries", str(path), "--municipality", "GM9991", "--json")
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert doc["imported"] == 7 and doc["levels"] == ["buurt"] and doc["municipalities"] == ["GM9991"]
    assert doc["crs_found"] == "EPSG:28992" and "RD New" in doc["crs_note"]
    assert doc["skipped_count"] == 0 and doc["repaired"] == 0
    assert counts(db)["Area"] == 7


def test_dry_run_writes_nothing(capsys, db, tmp_path):
    path = write(upper_frame(), tmp_path / "b.gpkg", "gpkg")
    code, out, _ = run(capsys, "import", "boundaries", str(path), "--dry-run", "--db", db)
    assert code == 0 and "zou importeren" in out
    assert counts(db)["Area"] == 0


def test_import_places_then_export(capsys, db, tmp_path):
    run(capsys, "--db", db, "import", "boundaries", str(write(upper_frame(), tmp_path / "b.gpkg", "gpkg")))
    path = write(points_frame([{"naam": "Huis", "soort": "gebouw", "geometry": INSIDE}]), tmp_path / "p.gpkg", "gpkg")
    code, out, err = run(capsys, "--db", db, "import", "places", str(path), "--as", "meeting-places", "--json")
    assert code == 0, err
    assert json.loads(out)["imported"] == 1
    target = tmp_path / "uit.gpkg"
    code, out, err = run(capsys, "--db", db, "export", str(target), "--json")
    assert code == 0, err
    assert json.loads(out)["layers"]["meeting_places"] == 1
    code, out, err = run(capsys, "--db", db, "export", str(tmp_path / "mp.csv"), "--layer", "meeting_places")
    assert code == 0 and "meeting_places: 1" in out
    # The layer as ``import places --as`` spells it is taken as well.
    code, out, err = run(capsys, "--db", db, "export", str(tmp_path / "mp2.csv"), "--layer", "meeting-places")
    assert code == 0 and "meeting_places: 1" in out


BAD_CASES = [
    ("missing.geojson", None, "bestand niet gevonden"),
    ("junk.gpkg", b"\x00\x01garbage" * 20, "geen GeoPackage"),
    ("half.geojson", b'{"type": "FeatureCollection", "features": [{"type": "Fea', "geen geldige JSON"),
    ("attr.csv", b"GM_CODE,AANT_INW\nGM1771,1\n", "geen geometrie"),
    ("topo.json", b'{"type": "Topology", "objects": {}}', "TopoJSON"),
]


@pytest.mark.parametrize("name,content,message", BAD_CASES)
def test_bad_files_exit_2_with_one_line_and_database_unchanged(capsys, db, tmp_path, name, content, message):
    run(capsys, "--db", db, "import", "boundaries", str(write(upper_frame(), tmp_path / "b.gpkg", "gpkg")))
    before = counts(db)
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    for argv in (["import", "boundaries", str(path)], ["import", "places", str(path), "--as", "meeting-places"]):
        code, out, err = run(capsys, "--db", db, *argv)
        assert code == 2
        assert err.count("\n") == 1 and err.startswith("error: ") and name in err and message in err
        assert "Traceback" not in err
    assert counts(db) == before


def test_bad_row_names_file_row_field(capsys, db, tmp_path):
    run(capsys, "--db", db, "import", "boundaries", str(write(upper_frame(), tmp_path / "b.gpkg", "gpkg")))
    before = counts(db)
    path = tmp_path / "vastgoed.csv"
    path.write_text(f"naam;conditie;x;y\nA;2;{INSIDE.x};{INSIDE.y}\nB;9;{INSIDE.x};{INSIDE.y}\n")
    code, _, err = run(capsys, "--db", db, "import", "places", str(path), "--as", "real-estate")
    assert code == 2
    assert err.strip() == "error: vastgoed.csv: rij 2, veld 'conditie': moet tussen 1 en 6 liggen (kreeg 9)"
    assert counts(db) == before


def test_usage_errors_exit_2(capsys, db, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["--db", db, "import", "places", "x.csv"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "--as" in err and err.count("\n") == 1
    code, _, err = run(capsys, "--db", db, "export", str(tmp_path / "alles.geojson"))
    assert code == 2 and "één laag" in err


def test_real_cbs_csv_refused_by_the_command(real_data, tmp_path):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "--db", url, "import", "boundaries",
         str(real_data / "cbs_gemeente_2021_v1_attributes_NL.csv")],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: cbs_gemeente_2021_v1_attributes_NL.csv: heeft geen geometrie")
    assert proc.stderr.count("\n") == 1


def test_real_ermelo_and_harderwijk_by_command(real_data, tmp_path):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "--db", url, "import", "boundaries",
         str(real_data / "cmp_ermelo_cbs_buurten_GM0233.gpkg"), "--municipality", "GM0233", "--json"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["municipalities"] == ["GM0233"] and doc["levels"] == ["buurt"]
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "--db", url, "import", "places",
         str(real_data / "cmp_harderwijk_bgtplus_functioneelgebied_G0243.gpkg"), "--as", "meeting-places",
         "--include-outside", "--json"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["imported"] == 256 and doc["crs_found"] == "EPSG:3857" and doc["preset"] == "bgt"
