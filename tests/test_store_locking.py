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


# --- the agenda table (save_agenda): the versions the table showed ---------------------------
def _agenda_opened(store):
    from geo import agenda

    plan = next(p for p in store.list(m.Plan) if len(store.list(m.Activity, plan_id=p.id)) >= 2)
    shown = agenda.plan_activities(store, plan)
    return plan, agenda.agenda_rows(shown), agenda.agenda_versions(shown)


def test_an_agenda_table_saved_after_someone_else_changed_it_is_a_conflict(demo_store):
    from geo import agenda
    from geo.access import Actor

    planner = Actor("pia", "planner")
    plan, rows, seen = _agenda_opened(demo_store)
    rows[0]["title"] = "Mijn titel in de tabel"
    # meanwhile a colleague (another app server) saves the first activity
    theirs = demo_store.get(m.Activity, rows[0]["id"])
    theirs.title = "Titel van een collega"
    demo_store.update(theirs)
    before = [a.to_dict() for a in demo_store.list(m.Activity, plan_id=plan.id)]
    with pytest.raises(agenda.AgendaConflict) as err:
        agenda.save_agenda(demo_store, planner, plan.id, rows, seen=seen)
    assert [a.title for a in err.value.changed] == ["Titel van een collega"]
    assert err.value.added == [] and err.value.removed == []
    assert "door iemand anders gewijzigd" in str(err.value)
    assert [a.to_dict() for a in demo_store.list(m.Activity, plan_id=plan.id)] == before  # nothing written
    # Having seen what is stored now, saving again keeps the table's version.
    now = agenda.agenda_versions(demo_store.list(m.Activity, plan_id=plan.id))
    agenda.save_agenda(demo_store, planner, plan.id, rows, seen=now)
    assert demo_store.get(m.Activity, rows[0]["id"]).title == "Mijn titel in de tabel"


def test_an_activity_added_or_deleted_by_someone_else_is_not_lost_silently(demo_store):
    from geo import agenda
    from geo.access import Actor

    planner = Actor("pia", "planner")
    plan, rows, seen = _agenda_opened(demo_store)
    added = agenda.save_activity(demo_store, planner, m.Activity(title="Nieuw van een collega", domain="social",
                                                                plan_id=plan.id))
    with pytest.raises(agenda.AgendaConflict) as err:  # saving the old table would delete it
        agenda.save_agenda(demo_store, planner, plan.id, rows, seen=seen)
    assert [a.title for a in err.value.added] == ["Nieuw van een collega"]
    assert demo_store.exists(m.Activity, added.id)

    plan, rows, seen = _agenda_opened(demo_store)
    gone = rows[-1]
    agenda.delete_activity(demo_store, planner, gone["id"])
    with pytest.raises(agenda.AgendaConflict) as err:
        agenda.save_agenda(demo_store, planner, plan.id, rows, seen=seen)
    assert err.value.removed == [gone["id"]]
    # saving again on purpose keeps the table: the deleted row comes back as a new activity
    now = agenda.agenda_versions(demo_store.list(m.Activity, plan_id=plan.id))
    saved = agenda.save_agenda(demo_store, planner, plan.id, rows, seen=now)
    assert gone["title"] in [a.title for a in saved]
    assert gone["title"] in [a.title for a in demo_store.list(m.Activity, plan_id=plan.id)]
    # a row naming an activity of another plan is still refused
    other = next(a for a in demo_store.list(m.Activity) if a.plan_id != plan.id)
    rows = agenda.agenda_rows(demo_store.list(m.Activity, plan_id=plan.id)) + agenda.agenda_rows([other])
    with pytest.raises(agenda.AgendaError, match="hoort niet bij dit plan"):
        agenda.save_agenda(demo_store, planner, plan.id, rows,
                           seen=agenda.agenda_versions(demo_store.list(m.Activity, plan_id=plan.id)))


def test_editor_edits_are_recognised():
    from geo.agenda import editor_has_edits

    assert not editor_has_edits(None) and not editor_has_edits("x")
    assert not editor_has_edits({"edited_rows": {}, "added_rows": [], "deleted_rows": []})
    assert editor_has_edits({"edited_rows": {0: {"title": "x"}}, "added_rows": [], "deleted_rows": []})
    assert editor_has_edits({"edited_rows": {}, "added_rows": [{}], "deleted_rows": []})
    assert editor_has_edits({"deleted_rows": [2]})
