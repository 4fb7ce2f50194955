"""A data version per table (``store.data_version(*tables)``), on both stores.

A write to one table changes the version of that table only, once per
transaction, at commit; a rolled-back transaction changes nothing; another
store on the same database (another app server) sees the change.
"""

from __future__ import annotations

import shapely
import pytest
from shapely.geometry import Point

from geo import model as m
from geo.errors import NotFound
from geo.store import open_store
from geo.store.base import ALL_TABLES


def _area(code: str = "BU00010001") -> m.Area:
    return m.Area(code=code, name="Buurt", level="buurt", parent_code="WK000101",
                  geometry=shapely.box(0, 0, 100, 100))


def _suggestion() -> m.Suggestion:
    return m.Suggestion(category="meeting", text="Een bankje bij de speeltuin", geometry=Point(50, 50))


def _versions(store) -> dict[str, int]:
    return {t: store.data_version(t) for t in ALL_TABLES}


def _changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {t for t in before if after[t] != before[t]}


def test_a_write_changes_the_version_of_its_own_table_only(store):
    assert store.data_version("suggestions", "areas") == 0  # nothing written yet
    before, total = _versions(store), store.data_version()
    store.add(_suggestion())
    after = _versions(store)
    assert _changed(before, after) == {"suggestions"}
    assert after["suggestions"] == store.data_version() == total + 1  # "anything changed" still grows
    store.add(_area())
    again = _versions(store)
    assert _changed(after, again) == {"areas"}
    # Several tables: the latest of them, so a write to either changes it.
    assert store.data_version("areas", "suggestions") == again["areas"] > again["suggestions"]
    store.add(_suggestion())
    assert store.data_version("areas", "suggestions") == store.data_version("suggestions") > again["areas"]


def test_every_write_method_names_its_table(store):
    """Each of the store's write paths bumps exactly the table it writes (a path that forgot
    would leave caches of that table stale)."""
    sug = store.add(_suggestion())
    store.add(m.StaffSession(sid="s1", user_name="ann", role="admin", created_at=1.0, last_seen=1.0))
    writes = {
        "update": (lambda: store.update(store.get(m.Suggestion, sug.id)), {"suggestions"}),
        "increment": (lambda: store.increment(m.Suggestion, sug.id, "supporters"), {"suggestions"}),
        "compare_and_set": (lambda: store.compare_and_set(m.Suggestion, sug.id, {"status": sug.status},
                                                          {"status": "reviewed"}), {"suggestions"}),
        "save (update)": (lambda: store.save(store.get(m.StaffSession, "s1")), {"staff_sessions"}),
        "add": (lambda: store.add(m.AuditEntry(at="2026-01-01T00:00:00+00:00", user="ann", action="x")),
                {"audit_log"}),
        "delete_before": (lambda: store.delete_before(m.AuditEntry, "at", "2030"), {"audit_log"}),
        "delete": (lambda: store.delete(m.StaffSession, "s1"), {"staff_sessions"}),
        "bulk_add": (lambda: store.bulk_add(m.AddressPoint, {"geometry": [Point(1, 1), Point(2, 2)],
                                                             "bag_id": ["1", "2"]}), {"address_points"}),
        "set_meta": (lambda: store.set_meta("some.setting", "1"), {"meta"}),
        "set_meta_default": (lambda: store.set_meta_default("other.setting", "2"), {"meta"}),
        "add_all": (lambda: store.add_all([_area("BU00010001"), _area("BU00010002")]), {"areas"}),
    }
    for name, (write, tables) in writes.items():
        before = _versions(store)
        write()
        assert _changed(before, _versions(store)) == tables, name
    before = _versions(store)
    store.clear()
    assert _changed(before, _versions(store)) == set(ALL_TABLES) - {"meta"}  # clear() keeps the settings


def test_one_transaction_bumps_once_and_a_rollback_bumps_nothing(store):
    total = store.data_version()
    with store.transaction():
        store.add(_suggestion())
        store.add(_suggestion())
        store.add(_area())
    assert store.data_version() == total + 1  # one commit, one new number
    assert store.data_version("suggestions") == store.data_version("areas") == total + 1
    before, total = _versions(store), store.data_version()
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add(_suggestion())
            raise RuntimeError("stop")
    with pytest.raises(NotFound):  # a failed write in a transaction of its own
        store.update(_area("BU99999999"))
    assert _versions(store) == before and store.data_version() == total
    assert store.count(m.Suggestion) == 2


def test_unknown_table_names_are_refused(store):
    with pytest.raises(TypeError):
        store.data_version("suggestion")  # a typo would key a cache that never changes
    with pytest.raises(TypeError):
        with store.transaction("nope"):
            pass


@pytest.fixture
def shared_url(backend, request, tmp_path) -> str:
    """One database that two stores (two app servers) open."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.db'}"
    return request.getfixturevalue("postgis_server").new_database("empty")


def test_another_server_on_the_same_database_sees_the_table_versions(shared_url):
    one, two = open_store(shared_url), open_store(shared_url)
    try:
        before = two.data_version("suggestions"), two.data_version("areas")
        one.add(_suggestion())
        assert two.data_version("suggestions") > before[0]
        assert two.data_version("areas") == before[1]
    finally:
        one.close()
        two.close()
