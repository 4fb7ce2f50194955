"""Optimistic locking on both stores: the second of two edits is told, not lost."""

from __future__ import annotations

import pytest

from geo import model as m
from geo import moderation as M
from geo import participation as P
from geo import plans
from geo.access import ANONYMOUS, Actor
from geo.errors import Conflict
from tests.common import INSIDE_A, small_world

PLANNER = Actor(name="anna", role="planner")
MOD = Actor(name="mo", role="moderator")


def test_a_stale_update_is_a_conflict_and_writes_nothing(store):
    act = store.add(m.Activity(title="Buurtfeest", domain="social", geometry=INSIDE_A))
    assert act.version == 0
    mine, theirs = store.get(m.Activity, act.id), store.get(m.Activity, act.id)
    theirs.title = "Buurtfeest in juni"
    store.update(theirs)
    assert theirs.version == 1
    before = store.data_version()
    mine.title = "Buurtfeest in mei"
    with pytest.raises(Conflict, match="intussen door iemand anders gewijzigd"):
        store.update(mine)
    assert store.get(m.Activity, act.id).title == "Buurtfeest in juni"
    assert store.data_version() == before
    # Having seen the conflict, saving on top of the stored version is deliberate and allowed.
    mine.version = store.get(m.Activity, act.id).version
    store.update(mine)
    assert store.get(m.Activity, act.id).title == "Buurtfeest in mei"
    assert store.get(m.Activity, act.id).version == 2


def test_save_checks_the_version_too(store):
    for r in small_world():
        store.add(r)
    plan = store.add(m.Plan("BU99990000", "Plan Noord"))
    stale = store.get(m.Plan, plan.id)
    fresh = store.get(m.Plan, plan.id)
    fresh.summary = "Eerst"
    store.save(fresh)
    stale.summary = "Tweede"
    with pytest.raises(Conflict):
        store.save(stale)
    assert store.get(m.Plan, plan.id).summary == "Eerst"


def test_a_support_counts_as_a_change(store):
    s = store.add(m.Suggestion(category="play", text="Schommel", geometry=INSIDE_A))
    stale = store.get(m.Suggestion, s.id)
    store.increment(m.Suggestion, s.id, "supporters")
    stale.answer = "Goed idee"
    with pytest.raises(Conflict):
        store.update(stale)  # would otherwise put the support count back
    assert store.get(m.Suggestion, s.id).supporters == 1


def test_update_plan_with_the_version_the_form_showed(store):
    for r in small_world():
        store.add(r)
    plan = store.add(m.Plan("BU99990000", "Plan Noord"))
    shown = plan.version
    plans.update_plan(store, PLANNER, plan.id, summary="Van Anna", version=shown)
    with pytest.raises(Conflict):
        plans.update_plan(store, PLANNER, plan.id, summary="Van Bert", version=shown)
    assert store.get(m.Plan, plan.id).summary == "Van Anna"


def test_two_moderators_acting_on_what_they_saw(demo_store):
    pin = P.pin_in_buurt(demo_store.get(m.Area, "BU17710005"))
    s = P.submit(demo_store, ANONYMOUS, P.Draft("greenery", "Meer bomen", pin),
                 P.ParticipationConfig(per_client=100, per_address=100, per_minute=100))
    seen = {i.id: i.version for i in M.queue(demo_store, MOD)}
    M.publish(demo_store, MOD, [s.id], seen=seen)  # the first moderator
    with pytest.raises(Conflict, match=s.reference):
        M.answer(demo_store, MOD, [s.id], "Wordt opgepakt", seen=seen)  # the second, on the old screen
    after = demo_store.get(m.Suggestion, s.id)
    assert after.status == "published" and after.answer == ""
