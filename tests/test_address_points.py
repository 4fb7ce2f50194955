"""Address points: imported, migrated in, and used by coverage instead of the grid."""

import json
import sqlite3

import pytest
from shapely.geometry import Point, box

from geo import model as m
from geo.cli import main
from geo.coverage import CoverageModel, address_population, grid_population
from geo.errors import ValidationError
from geo.store import open_store
from geo.store.migrations import LATEST_VERSION, MIGRATIONS

NOORD = m.Area("BU99990000", "Noord", geometry=box(0, 0, 1000, 1000), figures={"AANT_INW": 1000})
ZUID = m.Area("BU99990001", "Zuid", geometry=box(1000, 0, 2000, 1000), figures={"AANT_INW": 600})


def addresses(*xy, inhabitants=None):
    return [m.AddressPoint(Point(x, y), inhabitants=inhabitants) for x, y in xy]


def test_without_address_points_it_is_the_grid():
    a = address_population([NOORD, ZUID], [], spacing=100)
    g = grid_population([NOORD, ZUID], spacing=100)
    assert a.source == g.source == "grid" and len(a) == len(g) == 200
    assert a.totals == g.totals == {"BU99990000": 1000.0, "BU99990001": 600.0}


def test_buurt_inhabitants_are_spread_over_its_addresses_and_counted_to_the_person():
    pop = address_population([NOORD, ZUID], addresses((100, 500), (200, 500), (800, 500), (900, 500)), spacing=100)
    assert pop.source == "points"
    noord = pop.buurt == 0
    assert noord.sum() == 4 and set(pop.weight[noord]) == {250.0}
    assert (pop.buurt == 1).sum() == 100  # Zuid has no addresses: it keeps its grid
    assert pop.totals == {"BU99990000": 1000, "BU99990001": 600.0}
    # A place at (0, 500) with 250 m walking and no detour covers exactly the two western addresses.
    result = CoverageModel(pop, [Point(0, 500)], 250, 1.0).result()
    by_code = {b.code: b for b in result.buurten}
    assert by_code["BU99990000"].covered == 500 and by_code["BU99990000"].inhabitants == 1000
    assert by_code["BU99990001"].covered == 0


def test_own_inhabitant_counts_win_when_every_address_has_one():
    pop = address_population([NOORD], addresses((100, 100), (900, 900), inhabitants=3))
    assert list(pop.weight) == [3.0, 3.0] and pop.totals["BU99990000"] == 6.0


def test_an_address_point_must_be_a_point_with_a_plausible_count():
    with pytest.raises(ValidationError):
        m.AddressPoint(box(0, 0, 1, 1)).validate()
    with pytest.raises(ValidationError):
        m.AddressPoint(Point(0, 0), inhabitants=-2).validate()


def test_a_database_of_the_previous_version_is_upgraded_without_losing_data(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    previous = [mig for mig in MIGRATIONS if mig.version < LATEST_VERSION]
    for mig in previous:
        conn.executescript(mig.sql)
    conn.execute(f"PRAGMA user_version = {previous[-1].version}")
    conn.execute("INSERT INTO partners (name, kind) VALUES ('LEVgroep', 'welfare')")
    conn.commit()
    conn.close()
    s = open_store(f"sqlite:///{path}")
    assert s.schema_version() == LATEST_VERSION
    assert [p.name for p in s.list(m.Partner)] == ["LEVgroep"]
    s.add(m.AddressPoint(Point(1, 1), bag_id="1771010000000001"))
    assert s.count(m.AddressPoint) == 1


def test_cli_imports_address_points_and_coverage_uses_them(demo_db_url, tmp_path, capsys):
    s = open_store(demo_db_url)
    buurt = s.get(m.Area, "BU17710005").geometry
    p = buurt.representative_point()
    csv_path = tmp_path / "adressen.csv"
    csv_path.write_text("identificatie;x;y\n1771010000000001;%.2f;%.2f\n1771010000000002;%.2f;%.2f\n"
                        % (p.x, p.y, p.x + 1, p.y), encoding="utf-8")
    assert main(["--db", demo_db_url, "import", "places", str(csv_path), "--as", "address-points", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["imported"] == 2
    assert {a.buurt_code for a in s.list(m.AddressPoint)} == {"BU17710005"}
    assert main(["--db", demo_db_url, "coverage", "--json"]) == 0
    cov = json.loads(capsys.readouterr().out)
    assert cov["population"] == "address_points"
