"""One gemeente at a time: geo.scope, and every page with a second gemeente in the database."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from geo import model as m
from geo.maps import MapData
from geo.scope import ALL, Gemeenten, Scope, for_municipality, gemeente_of
from geo.store import open_store
from tests.common import INSIDE_A, areas_read, small_world

OTHER = ("Proefgemeente", "BU99990000", "BU99990001", "Proefhuis", "Proefschool", "Proefplan", "Proefpunt",
         "Proefactiviteit")


def test_gemeente_of_codes():
    assert gemeente_of("BU17710005") == "GM1771"
    assert gemeente_of("WK177100") == "GM1771"
    assert gemeente_of("GM0233") == "GM0233"
    assert gemeente_of(None) is None and gemeente_of("") is None and gemeente_of("X123") is None


def test_scope_contains_and_filters():
    gm = Scope("GM9999", "Proefgemeente", unplaced=False)
    assert gm.contains("BU99990000") and not gm.contains("BU17710005")
    assert not gm.contains(None)  # outside every buurt: only with the main gemeente
    assert Scope("GM9999", "P", unplaced=True).contains(None)
    everything = Scope(None, "alle gemeenten")
    assert everything.is_all and everything.contains("BU17710005") and everything.contains(None)
    places = [m.MeetingPlace("a", "building", INSIDE_A, buurt_code="BU99990000"),
              m.MeetingPlace("b", "building", INSIDE_A, buurt_code="BU17710005")]
    assert [p.name for p in gm.records(places)] == ["a"]
    plan = m.Plan("BU99990001", "P", id=4)
    acts = [m.Activity("by plan", "social", plan_id=4), m.Activity("by buurt", "social", buurt_code="BU17710001")]
    assert [a.title for a in gm.activities(acts, [plan])] == ["by plan"]


def test_for_municipality_filters_every_layer_and_keeps_the_cache():
    world = small_world()
    other = m.Area("BU88880000", "Elders", geometry=box(0, 0, 1, 1))
    data = MapData(buurten=[world[2], world[3], other], wijken=[world[1]], gemeenten=[world[0]])
    part = for_municipality(data, "GM9999")
    assert [a.code for a in part.buurten] == ["BU99990000", "BU99990001"]
    assert len(data.buurten) == 3


def test_address_points_are_scoped_column_wise_like_gemeente_of():
    from geo.columns import Columns
    from geo.scope import codes_in_gemeente

    codes = ["BU99990000", "BU88880000", None, "", "WK999901", "GM9999", "BU9999", "XBU99990000", "bu99990000"]
    expected = [gemeente_of(c) == "GM9999" if c else True for c in codes]
    assert codes_in_gemeente(codes, "GM9999", unplaced=True).tolist() == expected
    assert codes_in_gemeente(codes, "GM9999", unplaced=False).tolist() == [e and bool(c) for e, c in zip(expected, codes)]
    assert not codes_in_gemeente(codes, "nonsense").any()
    points = [m.AddressPoint(INSIDE_A, i, buurt_code=c) for i, c in enumerate(codes)]
    cols = Columns.from_records(m.AddressPoint, points, ["geometry", "inhabitants", "buurt_code"])
    mine = Scope("GM9999", "Proefgemeente", unplaced=False).address_points(cols)
    assert [r.inhabitants for r in mine] == [0, 4, 5, 6]  # no record made for the rest
    assert Scope(None, "alle").address_points(cols) is cols
    only_mine = cols.take(codes_in_gemeente(cols["buurt_code"], "GM9999"))
    assert Scope("GM9999", "P").address_points(only_mine) is only_mine  # all inside: no copy
    assert [p.inhabitants for p in Scope("GM9999", "P", unplaced=False).address_points(points)] == [0, 4, 5, 6]


def test_gemeenten_of_a_store_and_the_session_choice(demo_store):
    with demo_store.transaction():
        for area in small_world():
            demo_store.save(area)
    found = Gemeenten.from_store(demo_store)
    assert found.names == {"GM1771": "Geldrop-Mierlo", "GM9999": "Proefgemeente"}
    assert found.main == "GM1771"  # the gemeente with the plans
    assert found.scope(None, False, "alle").code == "GM1771"
    assert found.scope("GM9999", False, "alle") == Scope("GM9999", "Proefgemeente", unplaced=False)
    assert found.scope("GM0000", False, "alle").code == "GM1771"  # unknown: the main one
    assert found.scope(ALL, False, "alle").code == "GM1771"  # not allowed here: the main one
    assert found.scope(ALL, True, "alle").is_all


def test_the_gemeente_list_reads_codes_and_names_not_every_boundary(demo_store, monkeypatch):
    """Every page's first run after a write builds the list of gemeenten: the
    whole country's buurten with their boundaries took a second to read."""
    with demo_store.transaction():
        for area in small_world():
            demo_store.save(area)
    want = Gemeenten.from_store(demo_store)
    original = demo_store.list

    def no_areas(cls, *args, **kwargs):
        assert cls not in (m.Area, m.MeetingPlace, m.RealEstate, m.Activity), cls
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(demo_store, "list", no_areas)
    assert Gemeenten.from_store(demo_store) == want
    assert want.names == {"GM1771": "Geldrop-Mierlo", "GM9999": "Proefgemeente"} and want.main == "GM1771"


# --- every page with a second gemeente ---------------------------------------------------------
def add_second_gemeente(db_url: str) -> None:
    """A small second gemeente with something on every layer (also used by the browser test)."""
    s = open_store(db_url)
    with s.transaction():
        for area in small_world():
            s.save(area)
        building = s.add(m.RealEstate("Proefschool", INSIDE_A, buurt_code="BU99990000", occupancy_pct=50,
                                      condition=3, policy="keep"))
        s.add(m.MeetingPlace("Proefhuis", "building", INSIDE_A, status="candidate", buurt_code="BU99990000",
                             real_estate_id=building.id))
        plan = s.add(m.Plan("BU99990000", "Proefplan", stage="in_execution", year=2026))
        s.add(m.Activity("Proefactiviteit", "social", geometry=INSIDE_A, buurt_code="BU99990000", plan_id=plan.id,
                         start="2026-Q1", end="2026-Q4", status="running"))
        s.add(m.Suggestion("play", "Proefpunt bij de school", INSIDE_A, status="published", buurt_code="BU99990000",
                           reference="WA-2026-9999", created_at="2026-01-05T10:00:00+00:00"))
    s.close()


@pytest.fixture
def two_gemeenten(app_env):
    """The demo plus a small second gemeente."""
    add_second_gemeente(app_env)
    return app_env


def page_text(at) -> str:
    """Everything a page put on screen, as text (map scripts and table data included)."""
    return "\n".join(str(node.proto) for node in _nodes(at._tree))


def _nodes(node):
    if getattr(node, "proto", None) is not None:
        yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


PAGE_VIEWS = [
    ("verkennen", {}), ("vastgoed", {}), ("ontmoeten", {}), ("plan", {}),
    *[("programma", {"programme_section": s}) for s in ("years", "timeline", "dashboard", "map", "environment")],
    ("meedenken", {}), ("meedenken", {"suggest_view": "list"}),
    ("moderatie", {"mod_statuses": ["received", "published"]}), ("gegevens", {}),
]


@pytest.mark.parametrize("url_path, state", PAGE_VIEWS, ids=[f"{p}-{'-'.join(map(str, s.values()))}"
                                                          for p, s in PAGE_VIEWS])
def test_no_page_shows_the_other_gemeente_unless_chosen(apptest, two_gemeenten, url_path, state):
    at = apptest(url_path, role="admin", **state)
    assert not at.exception, at.exception
    text = page_text(at)
    assert "Braakhuizen" in text or url_path in ("gegevens", "moderatie"), "the demo gemeente is shown"
    leaked = [w for w in OTHER if w in text and w != "Proefgemeente"]
    assert not leaked, f"{url_path} shows the other gemeente: {leaked}"
    if url_path != "plan":  # AppTest shows no sidebar for the plan page (a quirk of its tree; the browser does)
        assert at.selectbox(key="gemeente_pick").value == "GM1771"


@pytest.mark.parametrize("url_path, state, shown", [
    ("verkennen", {}, "Proefhuis"), ("vastgoed", {}, "Proefschool"), ("ontmoeten", {}, "Proefhuis"),
    ("plan", {}, "Proefplan"), ("programma", {"programme_section": "years"}, "BU99990001"),
    ("programma", {"programme_section": "timeline"}, "Proefactiviteit"),
    ("meedenken", {"suggest_view": "list"}, "Proefpunt"), ("moderatie", {"mod_statuses": ["published"]}, "WA-2026-9999"),
])
def test_choosing_the_other_gemeente_shows_only_it(apptest, two_gemeenten, url_path, state, shown):
    at = apptest(url_path, role="admin", **state)
    if url_path == "plan":
        at.session_state["gemeente"] = "GM9999"
        at.run()
    else:
        at.selectbox(key="gemeente_pick").select("GM9999").run()
    assert not at.exception, at.exception
    text = page_text(at)
    assert shown in text
    assert "Braakhuizen" not in text and "BU17710005" not in text
    assert at.session_state["gemeente"] == "GM9999"


def test_the_choice_is_kept_across_pages_and_shown_in_the_sidebar(apptest, two_gemeenten):
    at = apptest("verkennen", role="planner")
    picker = at.selectbox(key="gemeente_pick")
    assert picker.options == ["Geldrop-Mierlo (GM1771)", "Proefgemeente (GM9999)"]  # no "all" for a planner
    picker.select("GM9999").run()
    at.switch_page("pages/real_estate.py").run()
    assert not at.exception
    assert at.selectbox(key="gemeente_pick").value == "GM9999"
    assert "Proefschool" in page_text(at) and "Braakhuizen" not in page_text(at)


def test_all_gemeenten_for_an_admin_only_where_the_page_allows_it(apptest, two_gemeenten):
    at = apptest("programma", role="admin", programme_section="years")
    picker = at.selectbox(key="gemeente_pick")
    assert picker.options[0] == "Alle gemeenten"
    picker.select("*").run()
    assert not at.exception
    text = page_text(at)
    assert "BU99990001" in text and "Braakhuizen" in text
    at.switch_page("pages/meeting_places.py").run()  # coverage is per gemeente: no "all" here
    assert not at.exception
    assert at.selectbox(key="gemeente_pick").value == "GM1771"
    assert "Alle gemeenten" not in at.selectbox(key="gemeente_pick").options
    assert any("één gemeente" in c.value for c in at.caption)
    assert at.session_state["gemeente"] == "*"  # the admin's choice stays for the pages that allow it


def test_one_gemeente_is_named_not_picked(apptest):
    at = apptest("verkennen", role="admin")
    assert not [sb for sb in at.selectbox if sb.key == "gemeente_pick"]
    assert any("Geldrop-Mierlo" in c.value for c in at.sidebar.caption)


def test_export_follows_the_gemeente(two_gemeenten):
    from geo.io.export import layer_frame

    s = open_store(two_gemeenten)
    gm = Scope("GM9999", "Proefgemeente", unplaced=False)
    assert set(layer_frame(s, "areas", scope=gm)["code"]) == {"GM9999", "WK999900", "BU99990000", "BU99990001"}
    assert list(layer_frame(s, "real_estate", scope=gm)["name"]) == ["Proefschool"]
    assert list(layer_frame(s, "activities", scope=gm)["title"]) == ["Proefactiviteit"]
    assert "Proefschool" not in set(layer_frame(s, "real_estate", scope=Scope("GM1771", "G"))["name"])


def test_real_ermelo_beside_the_demo_stays_out_of_the_coverage_table(apptest, app_env, real_data):
    """The reported case: after importing Ermelo (17 buurten) the coverage table
    began with 17 empty Ermelo rows and the maps zoomed out over both places."""
    from geo.access import Actor
    from geo.io import read_source
    from geo.io.boundaries import commit_boundaries, plan_boundaries, schema_score

    s = open_store(app_env)
    source = read_source(str(real_data / "cmp_ermelo_cbs_buurten_GM0233.gpkg"), prefer=schema_score)
    commit_boundaries(s, Actor("admin", "admin"), plan_boundaries(s, source))
    s.close()
    at = apptest("ontmoeten", role="planner")
    assert not at.exception
    table = at.dataframe[0].value  # the coverage table, first on the page
    assert len(table) == 11 and all(code.startswith("BU1771") for code in table.iloc[:, 1])
    main = "\n".join(str(node.proto) for node in _nodes(at.main))  # the picker in the sidebar names Ermelo
    assert "GM0233" not in main and "Ermelo" not in main and "BU0233" not in main
    at.selectbox(key="gemeente_pick").select("GM0233").run()
    assert not at.exception
    table = at.dataframe[0].value  # the coverage table, first on the page
    assert len(table) == 17 and all(code.startswith("BU0233") for code in table.iloc[:, 1])


def test_public_buurt_page_follows_the_gemeente_and_a_shared_link_switches_to_it(apptest, two_gemeenten):
    at = apptest("mijn-buurt")
    assert not at.exception
    options = at.selectbox(key="pub_buurt").options
    assert any("BU17710005" in o for o in options) and not any("BU9999" in o for o in options)
    at.query_params["buurt"] = "BU99990000"  # a link shared from the other gemeente
    at.run()
    assert not at.exception
    assert at.session_state["gemeente"] == "GM9999" and at.session_state["pub_buurt"] == "BU99990000"
    assert not any("BU1771" in o for o in at.selectbox(key="pub_buurt").options)


def _identities(data: MapData) -> dict[str, list]:
    """What a MapData shows, record by record (ids, codes, pins as exact coordinates)."""
    def rows(records):
        return [(type(r).__name__, getattr(r, "id", None), getattr(r, "code", None), getattr(r, "text", None),
                 None if getattr(r, "geometry", None) is None else r.geometry.wkb_hex) for r in records]

    return {"buurten": rows(data.buurten), "wijken": rows(data.wijken), "gemeenten": rows(data.gemeenten),
            "plans": sorted((c, p.id) for c, p in data.plans.items()), "activities": rows(data.activities),
            "meeting_places": rows(data.meeting_places), "real_estate": rows(data.real_estate),
            "suggestions": rows(data.suggestions)}


@pytest.mark.parametrize("public_only", [False, True])
@pytest.mark.parametrize("unplaced", [False, True])
@pytest.mark.parametrize("gm", ["GM1771", "GM9999"])
def test_a_gemeentes_map_data_is_read_by_its_box_and_equals_the_whole_filtered(demo_store, gm, unplaced,
                                                                                 public_only):
    """geo.maps.load_map_data(gemeente=…) asks the store for the outline's box
    (store.in_window: ST_Intersects on PostGIS) instead of reading every buurt
    of the database, and shows exactly what filtering the whole would: the
    second gemeente lies inside the demo's box, and a pin outside every buurt
    is shown only with ``unplaced``."""
    from geo.maps import load_map_data
    from tests.test_locate import CountingReads

    with demo_store.transaction():
        for record in small_world():
            demo_store.save(record)
        demo_store.add(m.Suggestion("play", "Ergens buiten elke buurt", box(0, 0, 1, 1).centroid, status="published",
                                    reference="WA-2026-9998", created_at="2026-01-05T10:00:00+00:00"))
        demo_store.add(m.Suggestion("play", "Proefpunt bij de school", INSIDE_A, status="published",
                                    buurt_code="BU99990000", reference="WA-2026-9999",
                                    created_at="2026-01-05T10:00:00+00:00"))
    whole = for_municipality(load_map_data(demo_store, public_only, 25.0), gm, unplaced)
    reads = CountingReads(demo_store)
    scoped = load_map_data(reads, public_only, 25.0, gemeente=gm, unplaced=unplaced)
    assert _identities(scoped) == _identities(whole)
    assert scoped.buurten and scoped.gemeenten[0].code == gm
    assert all(gemeente_of(a.code) == gm for a in scoped.buurten + scoped.wijken)
    assert ("Area", "buurt") not in reads.listed and ("Area", "wijk") not in reads.listed  # asked by box only
    assert ("Suggestion", None) not in [(c, lv) for c, lv in reads.listed if c == "Suggestion"] or unplaced


@pytest.mark.parametrize("url_path, query", [("mijn-buurt", {"buurt": "BU17710005"}), ("initiatieven", {}),
                                             ("programma", {}), ("mijn-activiteiten", {}), ("plan", {})])
def test_a_page_of_one_gemeente_reads_no_buurt_of_another(app_env, monkeypatch, url_path, query):
    """"Mijn buurt" and the initiative review used to build an index of every buurt in
    the database (14,500 nationally) for names and a code check, the programme,
    "my activities" and the plan page read every buurt with its boundary: they
    read the shown gemeente's buurten (and names only where names do) instead."""
    from shapely.affinity import translate
    from streamlit.testing.v1 import AppTest

    from geo.access import Actor
    from geo.navigation import entry
    from tests.conftest import ROOT

    s = open_store(app_env)
    with s.transaction():
        for area in small_world():  # a neighbour 30 km east, outside Geldrop-Mierlo's box
            area.geometry = translate(area.geometry, xoff=30_000)
            s.save(area)
    s.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["actor"] = Actor("test-planner", "planner")
    for key, value in query.items():
        at.query_params[key] = value
    at.run()  # the start page, as a browser opens it (the frame's gemeente list is built here)
    read = areas_read(monkeypatch)
    at.switch_page(entry(url_path).file)
    at.run()
    assert not at.exception, at.exception
    assert not [c for c in read if c.startswith(("BU9999", "WK9999"))], read
    if url_path == "mijn-buurt":
        assert at.header[0].value == "Braakhuizen-Zuid"
        at.query_params["buurt"] = "BU99990001"  # a link to the neighbour's buurt: looked up by its code
        at.run()
        assert not at.exception
        assert at.session_state["gemeente"] == "GM9999" and at.session_state["pub_buurt"] == "BU99990001"
        for bad in ("WK999900", "BU99990009"):  # a wijk, an unknown buurt: refused calmly
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
            at.query_params["buurt"] = bad
            at.run()
            at.switch_page(entry(url_path).file)
            at.run()
            assert not at.exception and any("kennen we niet" in w.value for w in at.warning)
            assert at.selectbox(key="pub_buurt").value == ""
