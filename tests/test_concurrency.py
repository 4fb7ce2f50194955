"""Many residents at once: submissions and support through the store.

Threads share one store object (one SQLite connection per thread, as
Streamlit sessions do); processes open the same SQLite file on their own, as
several app servers would. Afterwards every accepted submission is there
exactly once, and every reference code is unique.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter

import pytest

from geo import model as m
from geo import participation as P
from geo.clients import Client
from geo.access import ANONYMOUS
from geo.errors import ValidationError
from geo.store import open_store

CONFIG = P.ParticipationConfig(per_client=10_000, per_address=10_000, per_minute=10_000)
THREADS, PER_THREAD = 8, 12
PROCESSES, PER_PROCESS = 4, 10


def _submit_many(url: str, tag: str, n: int) -> list[tuple[str, str]]:
    """Submit ``n`` suggestions; return (reference, text) of each accepted one."""
    store = open_store(url)
    pin = P.pin_in_buurt(store.get(m.Area, "BU17710005"))
    out = []
    for i in range(n):
        text = f"suggestie {tag}-{i}"
        s = P.submit(store, ANONYMOUS, P.Draft("other", text, pin), CONFIG)
        out.append((s.reference, text))
    store.close()
    return out


def _process_worker(args):
    url, tag, n = args
    return _submit_many(url, tag, n)


def _check(url: str, accepted: list[tuple[str, str]], before: int) -> None:
    store = open_store(url)
    rows = store.list(m.Suggestion)
    assert len(rows) == before + len(accepted)
    refs = Counter(s.reference for s in rows)
    assert [r for r, n in refs.items() if n > 1] == []
    stored = {(s.reference, s.text) for s in rows}
    assert set(accepted) <= stored
    texts = Counter(s.text for s in rows if s.text.startswith("suggestie "))
    assert all(n == 1 for n in texts.values())
    assert len(texts) == len(accepted)


def test_threads_submitting_at_once(demo_db_url):
    before = open_store(demo_db_url).count(m.Suggestion)
    results: list[list[tuple[str, str]]] = [[] for _ in range(THREADS)]
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(k: int) -> None:
        try:
            start.wait()
            results[k] = _submit_many(demo_db_url, f"t{k}", PER_THREAD)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    accepted = [r for chunk in results for r in chunk]
    assert len(accepted) == THREADS * PER_THREAD
    _check(demo_db_url, accepted, before)


def test_processes_submitting_at_once(demo_db_url):
    before = open_store(demo_db_url).count(m.Suggestion)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(PROCESSES) as pool:
        chunks = pool.map(_process_worker, [(demo_db_url, f"p{k}", PER_PROCESS) for k in range(PROCESSES)])
    accepted = [r for chunk in chunks for r in chunk]
    assert len(accepted) == PROCESSES * PER_PROCESS
    _check(demo_db_url, accepted, before)


def test_support_from_many_sessions_counts_each_once(demo_db_url):
    store = open_store(demo_db_url)
    target = store.list(m.Suggestion, status="published", order_by="id")[0]
    sessions = 16
    start = threading.Barrier(sessions)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            s = open_store(demo_db_url)
            mine = Client(address=f"192.0.2.{i}", browser=f"browser-{i}")
            start.wait()
            P.support(s, ANONYMOUS, target.id, mine)
            with pytest.raises(ValidationError, match="steunt deze suggestie al"):
                P.support(s, ANONYMOUS, target.id, mine)  # a double click: refused
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.get(m.Suggestion, target.id).supporters == target.supporters + sessions
