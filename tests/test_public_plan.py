"""The plan in public: what a resident sees of a buurt's plan (no costs unless public)."""

from __future__ import annotations

import pytest

from geo import model as m
from geo import plans
from geo import public_plan as pub
from geo.access import Actor
from geo.errors import NotFound

BUURT = "BU17710005"


def test_the_pilot_buurt_in_public(demo_store):
    view = pub.public_buurt(demo_store, BUURT, grid_m=25)
    assert view.plan.title == "Wijkontwikkelingsplan Braakhuizen-Zuid"
    titles = {a.title for a in view.activities}
    assert "Buurtmoestuin naast de oude school" in titles
    # Open work first, finished and stopped last.
    statuses = [a.status for a in view.activities]
    assert statuses.index("running") < statuses.index("done")
    done = next(a for a in view.activities if a.status == "done")
    assert done.percent_done == 100.0
    # "jullie zeiden, wij deden": the suggestions in the plan with their activity.
    taken = {x.reference: x for x in view.taken_up}
    assert taken["WA-2025-0008"].activity_title == "Buurtmoestuin naast de oude school"
    by_id = {a.id: a for a in view.activities}
    assert by_id[taken["WA-2025-0008"].activity_id].from_residents


def test_pins_of_residents_are_coarsened(demo_store):
    exact = {s.reference: s.geometry for s in demo_store.list(m.Suggestion, status="in_plan")}
    for x in pub.public_buurt(demo_store, BUURT, grid_m=25).taken_up:
        g = x.geometry
        assert (g.x % 25, g.y % 25) == (12.5, 12.5)
        assert g.distance(exact[x.reference]) <= 25 * 0.75


def test_costs_only_when_the_plan_makes_them_public(demo_store):
    view = pub.public_buurt(demo_store, BUURT)
    assert all(a.cost_estimate_eur is None for a in view.activities)
    rows = pub.activity_rows(view, "nl")
    assert "Raming" not in rows[0] and not any("€" in str(v) for r in rows for v in r.values())
    plan = view.plan
    plans.update_plan(demo_store, Actor("p", "planner"), plan.id, costs_public=True)
    public = pub.public_buurt(demo_store, BUURT)
    assert any(a.cost_estimate_eur for a in public.activities)
    assert any(r["Raming"].startswith("€") for r in pub.activity_rows(public, "nl"))


def test_no_contact_details_anywhere_in_the_view(demo_store):
    s = demo_store.list(m.Suggestion, status="in_plan")[0]
    demo_store.add(m.Contact(suggestion_id=s.id, email="geheim.adres@example.nl"))
    for p in demo_store.list(m.Partner):
        p.contact = "partner.contact@example.nl"
        demo_store.update(p)
    view = pub.public_buurt(demo_store, BUURT)
    assert "@example.nl" not in repr(view)
    assert "@example.nl" not in pub.public_buurt_map(view).get_root().render()


@pytest.mark.parametrize("value, expected", [
    ("BU17710005", "BU17710005"), ("bu17710005", "BU17710005"), (["BU17710005"], "BU17710005"),
    ("BU99999999", None), ("WK177100", None), ("<script>", None), (None, None), ("", None),
])
def test_buurt_from_query(value, expected):
    assert pub.buurt_from_query(value, {"BU17710005": "Braakhuizen-Zuid"}) == expected


def test_unknown_buurt_is_not_found(demo_store):
    with pytest.raises(NotFound):
        pub.public_buurt(demo_store, "BU00000000")
    with pytest.raises(NotFound):
        pub.public_buurt(demo_store, "GM1771")


def test_map_draws_the_buurt_activities_and_escapes_text(demo_store):
    s = demo_store.list(m.Suggestion, status="in_plan", buurt_code=BUURT)[0]
    s.text = "<img src=x onerror=alert(1)> `${alert(2)}`"
    demo_store.update(s)
    html = pub.public_buurt_map(pub.public_buurt(demo_store, BUURT), "nl", "none").get_root().render()
    assert "wa-BU17710005" in html and '"activity-' in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_progress_comes_from_the_latest_update_without_its_internal_details(demo_store):
    import datetime as dt

    from geo.execution.updates import post_update

    act = next(a for a in demo_store.list(m.Activity, buurt_code=BUURT) if a.status == "running")
    post_update(demo_store, Actor("piet", "planner"), act.id, status="running", note="Intern: offerte € 9.999 van Jansen",
                spent_eur=4321, percent_done=72, now=dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.timezone.utc))
    view = pub.public_buurt(demo_store, BUURT)
    mine = next(a for a in view.activities if a.id == act.id)
    assert (mine.percent_done, mine.last_update) == (72.0, "2030-03-04")
    assert "Jansen" not in repr(view) and "4321" not in repr(view)
    row = next(r for r in pub.activity_rows(view, "nl") if r["Titel"] == act.title)
    assert (row["Gereed"], row["Laatste update"]) == ("72 %", "2030-03-04")
