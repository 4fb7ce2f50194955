"""Moderation: queue, publish/hide/reject/answer/merge/to-activity, bulk, audit log."""

from __future__ import annotations

import pytest

from geo import model as m
from geo import moderation as M
from geo import participation as P
from geo.access import ANONYMOUS, Actor
from geo.clients import Client
from geo.errors import PermissionDenied, ValidationError

MOD = Actor("mia", "moderator")


@pytest.fixture
def fresh(demo_store):
    """Three new suggestions waiting for review (one with an e-mail address)."""
    pin = P.pin_in_buurt(demo_store.get(m.Area, "BU17710005"))
    config = P.ParticipationConfig(per_client=100, per_address=100, per_minute=100)
    out = []
    for i, email in enumerate(("een@example.nl", "", "")):
        d = P.Draft("greenery", f"Meer bomen langs de straat, nummer {i}", pin, email)
        out.append(P.submit(demo_store, ANONYMOUS, d, config, client=Client(f"192.0.2.{i}", f"author-{i}")))
    return out


def test_queue_holds_received_oldest_first_without_addresses(demo_store, fresh):
    items = M.queue(demo_store, MOD)
    ids = [i.id for i in items]
    assert ids == sorted(ids)
    assert {s.id for s in fresh} <= set(ids)
    assert all(i.status == "received" for i in items)
    by_id = {i.id: i for i in items}
    assert by_id[fresh[0].id].has_contact and not by_id[fresh[1].id].has_contact
    assert "een@example.nl" not in repr(items)


@pytest.mark.parametrize("role", ["resident", "planner", "real-estate"])
def test_only_moderators_and_admins_moderate(demo_store, fresh, role):
    who = Actor("x", role)
    with pytest.raises(PermissionDenied):
        M.queue(demo_store, who)
    with pytest.raises(PermissionDenied):
        M.publish(demo_store, who, [fresh[0].id])
    assert demo_store.get(m.Suggestion, fresh[0].id).status == "received"


def test_bulk_publish_logs_one_entry_each(demo_store, fresh):
    before = demo_store.count(m.AuditEntry)
    assert M.publish(demo_store, MOD, [s.id for s in fresh]) == 3
    assert {demo_store.get(m.Suggestion, s.id).status for s in fresh} == {"published"}
    log = demo_store.list(m.AuditEntry, order_by="id")[before:]
    assert [(e.user, e.action, e.target) for e in log] == [("mia", "suggestion.publish", s.reference) for s in fresh]
    assert all(e.at for e in log)
    assert "een@example.nl" not in repr(log)


def test_bulk_is_all_or_nothing(demo_store, fresh):
    merged = demo_store.list(m.Suggestion, status="merged")[0]
    with pytest.raises(ValidationError):
        M.hide(demo_store, MOD, [fresh[0].id, merged.id])
    assert demo_store.get(m.Suggestion, fresh[0].id).status == "received"


def test_reject_needs_a_reason_and_stays_private(demo_store, fresh):
    with pytest.raises(ValidationError) as err:
        M.reject(demo_store, MOD, [fresh[0].id], "  ")
    assert err.value.where == "reden"
    M.reject(demo_store, MOD, [fresh[0].id], "bevat persoonsgegevens")
    s = demo_store.get(m.Suggestion, fresh[0].id)
    assert s.status == "rejected" and s.answer == "bevat persoonsgegevens"
    assert fresh[0].id not in {v.id for v in P.public_suggestions(demo_store)}
    assert demo_store.list(m.AuditEntry, action="suggestion.reject")[-1].detail == "bevat persoonsgegevens"


def test_answer_and_not_taken_are_public_with_text(demo_store, fresh):
    M.answer(demo_store, MOD, [fresh[0].id], "De bomen komen in het najaar.")
    M.not_taken(demo_store, MOD, [fresh[1].id], "Te smalle stoep.")
    views = {v.id: v for v in P.public_suggestions(demo_store)}
    assert views[fresh[0].id].status == "answered" and "najaar" in P.status_text(views[fresh[0].id])
    assert views[fresh[1].id].status == "not_taken" and "smalle" in P.status_text(views[fresh[1].id])


def test_hide_takes_a_published_one_off_the_public_map(demo_store):
    s = demo_store.list(m.Suggestion, status="published")[0]
    M.hide(demo_store, MOD, [s.id])
    assert s.id not in {v.id for v in P.public_suggestions(demo_store)}


def test_merge_moves_supporters_and_links(demo_store, fresh):
    target = demo_store.list(m.Suggestion, status="published")[0]
    M.merge(demo_store, MOD, [fresh[1].id, fresh[2].id], target.id)
    after = demo_store.get(m.Suggestion, target.id)
    assert after.supporters == target.supporters + 2
    for s in fresh[1:]:
        got = demo_store.get(m.Suggestion, s.id)
        assert got.status == "merged" and got.merged_into == target.id
    actions = [e.action for e in demo_store.list(m.AuditEntry, order_by="id")[-3:]]
    assert actions == ["suggestion.merge", "suggestion.merge", "suggestion.merge_target"]


def test_merge_counts_a_supporter_of_both_once(demo_store):
    config = P.ParticipationConfig(hold_for_review=False, per_client=100, per_address=100)
    pin = P.pin_in_buurt(demo_store.get(m.Area, "BU17710005"))
    a = P.submit(demo_store, ANONYMOUS, P.Draft("play", "Een speeltuin hier graag", pin), config,
                 client=Client("192.0.2.1", "author-a"))
    b = P.submit(demo_store, ANONYMOUS, P.Draft("play", "Speeltoestellen voor kleine kinderen", pin), config,
                 client=Client("192.0.2.2", "author-b"))
    both, only_b = Client("198.51.100.1", "both"), Client("198.51.100.2", "only-b")
    P.support(demo_store, ANONYMOUS, a.id, both, config)
    P.support(demo_store, ANONYMOUS, b.id, both, config)
    P.support(demo_store, ANONYMOUS, b.id, only_b, config)
    P.support(demo_store, ANONYMOUS, b.id, Client("192.0.2.1", "author-a"), config)  # a's author backs b
    assert demo_store.get(m.Suggestion, a.id).supporters == 1
    M.merge(demo_store, MOD, [b.id], a.id)
    # a: "both" (1) + b's author (1) + "only-b" (1); "both" and a's own author not again.
    assert demo_store.get(m.Suggestion, a.id).supporters == 3
    # After the merge, the supporters of b cannot support a again.
    for c in (both, only_b, Client("192.0.2.2", "author-b")):
        with pytest.raises(ValidationError):
            P.support(demo_store, ANONYMOUS, a.id, c, config)


def test_merge_into_a_hidden_one_is_refused(demo_store, fresh):
    hidden = demo_store.list(m.Suggestion, status="hidden")[0]
    with pytest.raises(ValidationError):
        M.merge(demo_store, MOD, [fresh[0].id], hidden.id)
    assert demo_store.get(m.Suggestion, fresh[0].id).status == "received"


@pytest.mark.parametrize("quick_win", [False, True])
def test_to_activity_creates_a_linked_activity_at_the_pin(demo_store, fresh, quick_win):
    s = fresh[0]
    activity = M.to_activity(demo_store, MOD, s.id, "Bomen planten", "spatial", quick_win=quick_win)
    got = demo_store.get(m.Activity, activity.id)
    assert got.suggestion_id == s.id and got.quick_win is quick_win
    assert got.buurt_code == "BU17710005"
    grid = P.load_config().coarsen_grid_m
    assert got.geometry.equals(P.coarsen(s.geometry, grid))  # public: the coarsened pin
    assert got.geometry.distance(s.geometry) <= grid * 0.71
    assert got.plan_id == demo_store.list(m.Plan, area_code="BU17710005")[0].id
    after = demo_store.get(m.Suggestion, s.id)
    assert after.status == "in_plan" and after.activity_id == activity.id
    view = next(v for v in P.public_suggestions(demo_store) if v.id == s.id)
    assert view.activity.title == "Bomen planten"
    assert demo_store.list(m.AuditEntry, action="suggestion.to_activity")[-1].target == s.reference


def test_to_activity_meets_the_agendas_rules_or_writes_nothing(demo_store, fresh):
    s = fresh[0]
    before = demo_store.count(m.Activity)
    with pytest.raises(ValidationError) as err:
        M.to_activity(demo_store, MOD, s.id, "Bomen planten", "spatial", start="2027-Q9")
    assert err.value.where == "start"
    assert demo_store.count(m.Activity) == before
    assert demo_store.get(m.Suggestion, s.id).status == "received"


def test_empty_selection_is_a_clear_error(demo_store):
    with pytest.raises(ValidationError, match="kies eerst"):
        M.publish(demo_store, MOD, [])


def test_audit_log_newest_first(demo_store, fresh):
    M.publish(demo_store, MOD, [fresh[0].id])
    M.hide(demo_store, Actor("adam", "admin"), [fresh[0].id])
    log = M.audit_log(demo_store, MOD, limit=2)
    assert [(e.user, e.action) for e in log] == [("adam", "suggestion.hide"), ("mia", "suggestion.publish")]


def test_bulk_to_activities_one_each_or_none(demo_store, fresh):
    a, b = fresh[0], fresh[1]
    made = M.to_activities(demo_store, MOD, [a.id, b.id], "Genegeerd bij meer dan een", "social", quick_win=True)
    assert [x.suggestion_id for x in made] == [a.id, b.id]
    assert [x.title for x in made] == [a.text[:80], b.text[:80]] and all(x.quick_win for x in made)
    assert {demo_store.get(m.Suggestion, i).status for i in (a.id, b.id)} == {"in_plan"}
    # all or nothing: one that cannot be converted stops the whole batch
    before = demo_store.count(m.Activity)
    with pytest.raises(ValidationError):
        M.to_activities(demo_store, MOD, [fresh[2].id, a.id], "", "social")
    assert demo_store.count(m.Activity) == before
    assert demo_store.get(m.Suggestion, fresh[2].id).status == "received"


def _guard_whole_reads(store, monkeypatch):
    """Fail on any read of the whole suggestions table (every gemeente's rows)."""
    for name in ("list", "read_columns"):
        original = getattr(store, name)

        def guarded(cls, *args, _original=original, _name=name, **kwargs):
            assert cls is not m.Suggestion, f"store.{_name}(Suggestion) read every gemeente's suggestions"
            return _original(cls, *args, **kwargs)

        monkeypatch.setattr(store, name, guarded)


def test_the_queue_and_merge_targets_of_one_gemeente_read_no_other(demo_store, fresh, monkeypatch):
    from shapely.geometry import Point

    from geo.scope import Scope

    with demo_store.transaction():  # suggestions of another gemeente and one outside every buurt
        for i, (status, code) in enumerate([("received", "BU99990000"), ("published", "BU99990001"),
                                            ("received", None), ("in_plan", "BU99990000")]):
            demo_store.add(m.Suggestion("play", f"elders {i}", Point(150_000 + i, 380_000), status=status,
                                        buurt_code=code, reference=f"WA-2026-99{i:02d}"))
    statuses = ["received", "published", "in_plan"]
    everything = M.queue(demo_store, MOD, statuses)
    targets = M.merge_targets(demo_store)
    assert {i.text for i in everything} >= {"elders 0", "elders 1", "elders 2", "elders 3"}
    _guard_whole_reads(demo_store, monkeypatch)
    for scope in (Scope("GM1771", "Geldrop-Mierlo", unplaced=True), Scope("GM9999", "Proef", unplaced=False)):
        got = M.queue(demo_store, MOD, statuses, scope)
        assert got == [i for i in everything if scope.contains(i.buurt_code)]
        assert M.merge_targets(demo_store, scope) == {i: r for i, r in targets.items()
                                                      if scope.contains(demo_store.get(m.Suggestion, i).buurt_code)}
    assert [i.text for i in M.queue(demo_store, MOD, ["received"], Scope("GM9999", "Proef", False))] == ["elders 0"]
    assert any(i.id == fresh[0].id and i.has_contact for i in M.queue(demo_store, MOD, scope=Scope("GM1771", "G")))
