"""Shared test geometries and records, including the awkward ones."""

from __future__ import annotations

from pathlib import Path

from shapely.geometry import LineString, Point, Polygon, box

from geo import model as m

# Two adjacent square buurten in one wijk, in RD New (1 km each).
BUURT_A = box(165_000, 380_000, 166_000, 381_000)
BUURT_B = box(166_000, 380_000, 167_000, 381_000)
WIJK = box(165_000, 380_000, 167_000, 381_000)
INSIDE_A = Point(165_500, 380_500)
INSIDE_B = Point(166_500, 380_500)
OUTSIDE = Point(170_000, 390_000)
LINE_A = LineString([(165_100, 380_100), (165_900, 380_900)])
EMPTY = Polygon()
BOWTIE = Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])  # self-intersecting


def small_world() -> list[m.Record]:
    """A gemeente with one wijk and two buurten, as records."""
    return [
        m.Area("GM9999", "Proefgemeente", geometry=WIJK, figures={"AANT_INW": 3000}),
        m.Area("WK999900", "Proefwijk", geometry=WIJK, figures={"AANT_INW": 3000}),
        m.Area("BU99990000", "Noord", geometry=BUURT_A, figures={"AANT_INW": 1000, "P_65_EO_JR": 30.0}),
        m.Area("BU99990001", "Zuid", geometry=BUURT_B, figures={"AANT_INW": 2000, "P_65_EO_JR": None}),
    ]


def areas_read(monkeypatch) -> list[str]:
    """The code of every area the SQLite store reads from now on (the list fills as the test runs)."""
    from geo.store.sqlite import SQLiteStore

    read: list[str] = []
    original = SQLiteStore._select

    def counted(self, cls, *args, **kwargs):
        out = original(self, cls, *args, **kwargs)
        read.extend(r.code for r in out if cls is m.Area)
        return out

    monkeypatch.setattr(SQLiteStore, "_select", counted)
    return read


def app_on(url: str, monkeypatch):
    """Point AppTest at the database ``url`` with Streamlit's shared caches empty; yields the
    URL and empties the caches again afterwards (for fixtures: ``yield from app_on(...)``)."""
    import streamlit as st

    monkeypatch.setenv("WIJKATLAS_DATABASE_URL", url)
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)  # the project, where app.py is
    st.cache_resource.clear()
    st.cache_data.clear()
    yield url
    st.cache_resource.clear()
