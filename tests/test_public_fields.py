"""One rule decides what of a suggestion is public: every status × every
public surface, and the upgrade that keeps old references working."""

from __future__ import annotations

import sqlite3

import pytest

from geo import model as m
from geo import participation as P
from geo.access import ANONYMOUS
from geo.errors import NotFound
from geo.maps import MapOptions, build_map, load_map_data
from geo.store import open_store
from geo.store.migrations import MIGRATIONS

SECRET = "INTERN-GEHEIM-antwoord"
TEXT = "Tekst van de bewoner voor de statustest"


def _surfaces(store, s: m.Suggestion) -> dict[str, str]:
    """What each public surface shows about ``s`` (as text, markup included)."""
    out = {}
    views = {v.id: v for v in P.public_suggestions(store)}
    out["meedenken-list"] = repr(views.get(s.id, ""))
    out["meedenken-map"] = P.public_map(list(views.values()), store.list(m.Area, level="buurt")).get_root().render()
    data = load_map_data(store, public_only=True, coarsen_m=25)
    out["explorer-map"] = build_map(data, MapOptions()).get_root().render()
    for code in (s.reference, s.follow_code):
        try:
            out[f"follow:{code[:3]}"] = repr(P.track(store, code))
        except NotFound:
            out[f"follow:{code[:3]}"] = ""
    return out


@pytest.mark.parametrize("status", m.SUGGESTION_STATUSES)
def test_every_status_on_every_public_surface(demo_store, status):
    pin = P.pin_in_buurt(demo_store.get(m.Area, "BU17710005"))
    s = P.submit(demo_store, ANONYMOUS, P.Draft("greenery", TEXT, pin), P.ParticipationConfig())
    s.status, s.answer = status, SECRET
    demo_store.update(s)
    shown = _surfaces(demo_store, s)
    public = status in m.PUBLIC_SUGGESTION_STATUSES
    answer_public = status in ("answered", "not_taken")
    for surface, text in shown.items():
        if surface == "follow:" + s.follow_code[:3]:
            assert TEXT in text  # its author, with the follow code, sees their own text in any status
            assert (SECRET in text) == answer_public, (surface, status)
            continue
        assert (TEXT in text) == public, (surface, status)
        assert (SECRET in text) == answer_public, (surface, status)
        assert s.follow_code not in text


def test_old_references_keep_working_after_the_upgrade(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for mig in MIGRATIONS:
        if mig.version < 6:
            conn.executescript(mig.sql)
    conn.execute("PRAGMA user_version = 5")
    for i, status in enumerate(("published", "received"), 1):
        conn.execute("INSERT INTO suggestions (category, text, status, reference, supporters) VALUES "
                     f"('play', 'oud {status}', '{status}', 'WA-2025-000{i}', 3)")
    conn.commit()
    conn.close()
    s = open_store(f"sqlite:///{path}")
    assert P.track(s, "WA-2025-0001").text == "oud published"  # an old reference of a public one still works
    with pytest.raises(NotFound):
        P.track(s, "WA-2025-0002")  # an unreviewed one shows nothing to whoever types its number
    assert s.get(m.Suggestion, 2).follow_code == ""
