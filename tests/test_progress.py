"""Progress rollups, overdue detection, partner load and the timeline data."""

from __future__ import annotations

import datetime as dt

import pytest

from geo import model as m
from geo import progress as p
from geo import timeline as tl

from test_plans import build_world


def act(status="planned", start="2026-Q1", end="2026-Q4", **kw):
    base = dict(title=kw.pop("title", "A"), domain=kw.pop("domain", "social"), status=status, start=start, end=end)
    base.update(kw)
    return m.Activity(**base)


@pytest.mark.parametrize(
    "a,today,late",
    [
        (act("running", end="2026-Q2"), "2026-Q3", True),
        (act("running", end="2026-Q3"), "2026-Q3", False),  # ends this quarter: not yet late
        (act("done", end="2024-Q1"), "2026-Q3", False),
        (act("stopped", end="2024-Q1"), "2026-Q3", False),
        (act("planned", start="2026-Q1", end="2027-Q4"), "2026-Q2", True),  # should have started
        (act("planned", start="2026-Q2", end="2027-Q4"), "2026-Q2", False),
        (act("running", start="2026-Q1", end=""), "2030-Q1", False),  # no end: cannot be late
    ],
)
def test_overdue(a, today, late):
    assert p.is_overdue(a, today) is late


def test_current_quarter():
    assert p.current_quarter(dt.date(2026, 11, 26)) == "2026-Q4"
    assert p.current_quarter(dt.date(2027, 1, 1)) == "2027-Q1"
    assert p.current_quarter(dt.date(2027, 6, 30)) == "2027-Q2"


@pytest.fixture
def acts(store):
    build_world(store)
    return store.list(m.Activity)


def test_rollup_by_buurt_counts_and_money(acts):
    r = p.by_buurt(acts, "2026-Q1")
    zuid, coev = r["BU17710005"], r["BU17710006"]
    assert (zuid.planned, zuid.running, zuid.done, zuid.stopped) == (1, 2, 1, 0)
    assert zuid.overdue == 1  # the crossing ended 2025-Q4 and still runs
    assert zuid.estimate_eur == 120000 + 80000 + 4000 + 2000
    assert zuid.actual_eur == 60000 + 3500
    assert zuid.quick_wins == 2
    assert zuid.progress == pytest.approx(1 / 4)
    assert (coev.total, coev.overdue, coev.progress) == (1, 0, 0.0)
    assert p.by_buurt(acts, "2028-Q3")["BU17710006"].overdue == 1


def test_rollup_by_domain_lists_every_domain(acts):
    r = p.by_domain(acts, "2026-Q1")
    assert list(r) == ["social", "spatial", "safety"]
    assert r["safety"].total == 2 and r["safety"].estimate_eur == 82000
    assert r["spatial"].done == 1


def test_rollup_by_partner_counts_lead_and_partners_once(acts):
    r = p.by_partner(acts, "2026-Q1")
    assert r["Gemeente"].total == 3  # lead twice, partner once
    assert r["Politie"].total == 2
    assert r["Bewonersgroep Zuid"].total == 2
    assert sum(x.total for x in r.values()) == sum(len(p.involved_partners(a)) for a in acts)


def test_partner_load(acts):
    loads = {x.partner: x for x in p.partner_load(acts, "2026-Q1")}
    gem = loads["Gemeente"]
    assert (gem.lead, gem.involved, gem.open, gem.overdue) == (2, 3, 3, 1)
    assert gem.lead_estimate_eur == 80000 + 90000
    assert gem.buurten == {"BU17710005", "BU17710006"}
    assert p.partner_load(acts, "2026-Q1")[0].partner == "Gemeente"  # busiest first


def test_stopped_activities_do_not_count_against_progress():
    r = p.rollup([act("done"), act("stopped"), act("running")], "2026-Q1")
    assert r.progress == 0.5 and r.total == 3
    assert p.rollup([], "2026-Q1").progress is None
    assert p.progress_colour(None) == p.NO_ACTIVITIES_COLOUR


def test_timeline_rows_and_filters(acts):
    names = {"BU17710005": "Braakhuizen-Zuid", "BU17710006": "Coevering"}
    rows = tl.timeline_rows(acts, names, "2026-Q1")
    assert len(rows) == 5
    smidse = next(r for r in rows if r.title == "Ontmoetingsplek Smidse")
    assert smidse.start_date == dt.date(2025, 1, 1) and smidse.end_date == dt.date(2027, 1, 1)
    assert tl.filter_rows(rows, buurten=["BU17710006"])[0].title == "Speeltuin Coevering"
    assert {r.title for r in tl.filter_rows(rows, partners=["Politie"])} == {"Oversteek Braakhuizenstraat",
                                                                           "Buurtpreventie-app"}
    assert [r.title for r in tl.filter_rows(rows, domains=["safety"], statuses=["planned"])] == ["Buurtpreventie-app"]
    opts = tl.filter_options(rows)
    assert opts["domains"] == ["social", "spatial", "safety"] and "Welzijn Geldrop" in opts["partners"]
    assert [r.title for r in rows if r.overdue] == ["Oversteek Braakhuizenstraat"]


def test_timeline_charts_build(acts):
    rows = tl.timeline_rows(acts, {}, "2026-Q1")
    spec = tl.altair_chart(rows, "nl", today=dt.date(2026, 1, 1)).to_dict()
    assert "Speeltuin Coevering" in str(spec)
    fig = tl.matplotlib_chart(rows, "en", today=dt.date(2026, 1, 1))
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "Speeltuin Coevering" in labels


def test_progress_map_colours_buurten(store, acts):
    areas = store.list(m.Area, level="buurt")
    fmap = p.progress_map(areas, p.by_buurt(acts, "2026-Q1"), "nl")
    html = fmap.get_root().render()
    assert p.OVERDUE_OUTLINE in html  # Braakhuizen-Zuid is late
    assert p.progress_colour(p.by_buurt(acts, "2026-Q1")["BU17710005"]) in html
    from geo.maps import asset_links

    assert all(link.startswith("/app/static/") for link in asset_links(fmap))
