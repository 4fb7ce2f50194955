"""Several app servers against one PostGIS: processes at once, and faults.

- 4 processes × 250 resident submissions with supports in between: nothing
  lost, nothing doubled, every reference unique, every support counted.
- Processes editing one activity at once: exactly one wins; the others get
  the conflict.
- The database stopped in the middle of an import and of a moderation
  action: nothing half written; the same store (and the app) works again
  when the database is back.
"""

from __future__ import annotations

import multiprocessing
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from geo import model as m
from geo import moderation as M
from geo import participation as P
from geo.access import ANONYMOUS, Actor
from geo.clients import Client
from geo.errors import Conflict, StoreUnavailable
from geo.store import open_store

PROCESSES, PER_PROCESS = 4, 250
CONFIG = P.ParticipationConfig(per_client=100_000, per_address=100_000, per_minute=100_000,
                               supports_per_address=100_000)
ADMIN = Actor(name="beheer", role="admin")
PLANNER = Actor(name="planner", role="planner")


def _resident_server(args) -> tuple[list[tuple[str, str]], int]:
    """One app server's residents: submit, and every 10th time support ``target``."""
    url, tag, n, target = args
    k = int(tag[1:])
    store = open_store(url)
    pin = P.pin_in_buurt(store.get(m.Area, "BU17710005"))
    accepted, supports = [], 0
    for i in range(n):
        text = f"suggestie {tag}-{i}"
        s = P.submit(store, ANONYMOUS, P.Draft("other", text, pin), CONFIG)
        accepted.append((s.reference, text))
        if i % 10 == 0:
            # A new resident each time (own browser, own address).
            P.support(store, ANONYMOUS, target, Client(address=f"198.51.{k}.{i % 250}", browser=f"{tag}-{i}"), CONFIG)
            supports += 1
    store.close()
    return accepted, supports


def test_four_servers_submitting_and_supporting_at_once(pg_demo_url):
    store = open_store(pg_demo_url)
    before = store.count(m.Suggestion)
    target = store.list(m.Suggestion, status="published", order_by="id")[0]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(PROCESSES) as pool:
        results = pool.map(_resident_server, [(pg_demo_url, f"p{k}", PER_PROCESS, target.id)
                                              for k in range(PROCESSES)])
    accepted = [r for chunk, _ in results for r in chunk]
    supports = sum(n for _, n in results)
    assert len(accepted) == PROCESSES * PER_PROCESS
    rows = store.list(m.Suggestion)
    assert len(rows) == before + len(accepted)
    refs = Counter(s.reference for s in rows)
    assert [r for r, n in refs.items() if n > 1] == []
    assert set(accepted) <= {(s.reference, s.text) for s in rows}
    texts = Counter(s.text for s in rows if s.text.startswith("suggestie p"))
    assert len(texts) == len(accepted) and set(texts.values()) == {1}
    assert store.get(m.Suggestion, target.id).supporters == target.supporters + supports
    store.close()


def _editor(args) -> str:
    url, activity_id, version, title, barrier = args
    from geo import agenda

    store = open_store(url)
    act = store.get(m.Activity, activity_id)
    act.title, act.version = title, version  # what this editor's form showed
    barrier.wait(timeout=120)
    try:
        agenda.save_activity(store, PLANNER, act)
        return "saved"
    except Conflict as exc:
        return f"conflict: {exc}"
    finally:
        store.close()


def _editor_process(args, out) -> None:
    out.put((args[3], _editor(args)))


def test_processes_editing_one_activity_exactly_one_wins(pg_demo_url):
    store = open_store(pg_demo_url)
    act = store.list(m.Activity, order_by="id")[0]
    ctx = multiprocessing.get_context("spawn")
    barrier, out = ctx.Barrier(PROCESSES), ctx.Queue()
    procs = [ctx.Process(target=_editor_process,
                         args=((pg_demo_url, act.id, act.version, f"Titel van server {k}", barrier), out))
             for k in range(PROCESSES)]
    for p in procs:
        p.start()
    results = dict(out.get(timeout=300) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    winners = [title for title, r in results.items() if r == "saved"]
    assert len(winners) == 1, results
    assert all(r.startswith("conflict: activities") and "intussen door iemand anders gewijzigd" in r
               for title, r in results.items() if title not in winners)
    after = store.get(m.Activity, act.id)
    assert after.title == winners[0] and after.version == act.version + 1
    store.close()


# --- faults -------------------------------------------------------------------------------------
@pytest.fixture
def own_cluster():
    """A private PostGIS cluster that this test may stop and start."""
    from tests import pgcluster
    from tests.postgis import unavailable

    if not pgcluster.postgis_available():
        unavailable()
    datadir = tempfile.mkdtemp(prefix="wijkatlas-pg-fault-")
    cluster = pgcluster.create(datadir)
    from geo.bootstrap import init_database

    s, _ = init_database(cluster.url, demo=True)
    s.close()
    yield cluster
    cluster.stop("immediate")
    import shutil

    shutil.rmtree(datadir, ignore_errors=True)


def _stop_after(store, cluster, method: str, calls: int) -> None:
    """Stop the database server right after the ``calls``-th call of ``store.method``."""
    real = getattr(store, method)
    seen = {"n": 0}

    def wrapped(*args, **kwargs):
        result = real(*args, **kwargs)
        seen["n"] += 1
        if seen["n"] == calls:
            cluster.stop("immediate")
        return result

    setattr(store, method, wrapped)


def _counts(store) -> dict[str, int]:
    from geo.store import TABLES

    return {spec.table: store.count(cls) for cls, spec in TABLES.items()}


def test_database_stopped_during_an_import_and_a_moderation(own_cluster, tmp_path, monkeypatch):
    from geo.crs import rd_to_lonlat
    from geo.io.places import import_places

    monkeypatch.setenv("WIJKATLAS_DB_CONNECT_TIMEOUT", "1")
    store = open_store(own_cluster.url)
    before = _counts(store)
    pin = P.pin_in_buurt(store.get(m.Area, "BU17710005"))
    lon, lat = rd_to_lonlat(pin.point.x, pin.point.y)
    csv = tmp_path / "plekken.csv"
    csv.write_text("name,kind,lat,lon\n" + "".join(f"Plek {i},playground,{lat:.6f},{lon:.6f}\n" for i in range(40)))

    _stop_after(store, own_cluster, "add_all", 1)  # the 40 places are in (one COPY), not yet committed
    with pytest.raises(StoreUnavailable):
        import_places(store, ADMIN, csv, "meeting-places")
    del store.add_all  # the real method again
    with pytest.raises(StoreUnavailable):
        store.count(m.MeetingPlace)  # down: said clearly, no hang
    own_cluster.start()
    assert _counts(store) == before  # the same store reconnects; nothing of the import landed

    fresh = [P.submit(store, ANONYMOUS, P.Draft("greenery", f"Bomen {i}", pin), CONFIG) for i in range(3)]
    mid = _counts(store)
    _stop_after(store, own_cluster, "update", 2)
    with pytest.raises(StoreUnavailable):
        M.publish(store, ADMIN, [s.id for s in fresh])
    del store.update
    own_cluster.start()
    assert _counts(store) == mid
    assert {store.get(m.Suggestion, s.id).status for s in fresh} == {"received"}
    # Once back, the same actions go through whole.
    assert M.publish(store, ADMIN, [s.id for s in fresh]) == 3
    assert import_places(store, ADMIN, csv, "meeting-places").imported == 40
    store.close()


def test_the_app_says_the_database_is_unreachable_and_recovers(own_cluster, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from geo.i18n import t

    root = Path(__file__).resolve().parent.parent
    monkeypatch.setenv("WIJKATLAS_DATABASE_URL", own_cluster.url)
    monkeypatch.setenv("WIJKATLAS_DB_CONNECT_TIMEOUT", "1")
    monkeypatch.chdir(root)
    st.cache_resource.clear()
    unreachable = [t("store.unreachable", "nl")]
    # Down before the app first opened it …
    own_cluster.stop("immediate")
    at = AppTest.from_file(str(root / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == unreachable
    own_cluster.start()
    at.run()
    assert not at.exception and not at.error
    assert at.title and at.title[0].value == t("explore.title", "nl")
    # … and down while it runs (the store and its pool already made).
    own_cluster.stop("immediate")
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == unreachable
    own_cluster.start()
    at.run()
    assert not at.exception and not at.error
    assert at.title and at.title[0].value == t("explore.title", "nl")
    st.cache_resource.clear()
