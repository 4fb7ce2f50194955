"""Free text enters in NFC without control or bidi-override characters."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo import model as m
from geo import participation as P
from geo.access import ANONYMOUS
from geo.io import export_bytes
from geo.access import Actor
from geo.text import BIDI_CONTROLS, clean_text

HOSTILE = "A\x00B\x1b[31mrood\x1b[0m C\u202eexe.txt\u202c D\u2066x\u2069 E\ufeff F\r\nG\x07"


def test_clean_text_strips_controls_ansi_and_bidi_and_keeps_lines():
    assert clean_text(HOSTILE) == "ABrood Cexe.txt Dx E F\nG"
    assert clean_text("regel 1\nregel 2\tmet tab") == "regel 1\nregel 2\tmet tab"
    assert clean_text("👩\u200d💻") == "👩\u200d💻"  # zero-width joiner stays


def test_clean_text_is_nfc():
    decomposed = "Cafe\u0301"
    assert clean_text(decomposed) == "Café" and unicodedata.is_normalized("NFC", clean_text(decomposed))


@given(st.text())
def test_clean_text_output_is_always_clean(value):
    out = clean_text(value)
    assert unicodedata.is_normalized("NFC", out)
    assert not any(c in BIDI_CONTROLS for c in out)
    assert not any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in out)
    assert clean_text(out) == clean_text(out)


def test_a_resident_text_is_stored_moderated_and_exported_clean(demo_store):
    pin = P.pin_in_buurt(demo_store.get(m.Area, "BU17710005"))
    s = P.submit(demo_store, ANONYMOUS, P.Draft("other", HOSTILE + " genoeg tekst", pin),
                 P.ParticipationConfig(hold_for_review=False))
    stored = demo_store.get(m.Suggestion, s.id)
    assert stored.text == "ABrood Cexe.txt Dx E F\nG genoeg tekst"
    data = export_bytes(demo_store, Actor("a", "admin"), "csv", ["suggestions"]).decode("utf-8")
    assert "\x00" not in data and "\x1b" not in data and "\u202e" not in data


@pytest.mark.parametrize("record", [
    lambda: m.Partner(name="Partner\u202eX", kind="welfare"),
    lambda: m.AuditEntry(at="2026-01-01", user="x\x1b[2J", action="a"),
])
def test_every_text_column_is_cleaned_on_the_way_in(store, record):
    r = store.add(record())
    back = store.list(type(r))[-1]
    for value in back.to_dict().values():
        if isinstance(value, str):
            assert clean_text(value) == value
