"""Plans: stages, activity validation, the agenda table, drawn shapes, evaluation, export."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString, Point, Polygon, box

from geo import model as m
from geo import agenda, drawing, evaluation, plans
from geo.access import Actor
from geo.crs import rd_to_lonlat
from geo.errors import GeometryError, PermissionDenied, ValidationError
from geo.spatial import AreaIndex

PLANNER = Actor("pia", "planner")
RESIDENT = Actor()
MODERATOR = Actor("mo", "moderator")

# Two buurten side by side in RD New (1 km squares near Geldrop).
WEST = box(166000, 380000, 167000, 381000)
EAST = box(167000, 380000, 168000, 381000)


def build_world(store) -> dict:
    """A tiny municipality: two buurten, a plan for the west one with analysis,
    activities (one overdue, one quick win, one drawn) and evaluation."""
    with store.transaction():
        store.add(m.Area("GM1771", "Geldrop-Mierlo", geometry=box(165000, 379000, 169000, 382000)))
        store.add(m.Area("WK177100", "Geldrop", geometry=box(165000, 379000, 169000, 382000)))
        store.add(m.Area("BU17710005", "Braakhuizen-Zuid", geometry=WEST,
                         figures={"AANT_INW": 4060, "P_65_EO_JR": 34, "AANTAL_HH": 1910}))
        store.add(m.Area("BU17710006", "Coevering", geometry=EAST, figures={"AANT_INW": 4720}))
        plan = store.add(m.Plan("BU17710005", "Wijkontwikkelingsplan Braakhuizen-Zuid", stage="in_execution",
                                year=2025, summary="Samen werken aan een gezonde, veilige buurt.",
                                intended_effects="Meer ontmoeting; veiliger oversteken bij de school."))
        other = store.add(m.Plan("BU17710006", "Wijkplan Coevering", stage="analysis", year=2027))
        strength = store.add(m.AnalysisItem(plan.id, "strength", "social", "Actieve bewonersgroep", "resident_input"))
        store.add(m.AnalysisItem(plan.id, "bottleneck", "safety", "Onveilige oversteek bij de school", "figures",
                                 geometry=Point(166500, 380500)))
        store.add(m.MeetingPlace("De Smidse", "building", Point(166400, 380400), buurt_code="BU17710005"))
        acts = [
            m.Activity("Ontmoetingsplek Smidse", "social", lead_partner="Welzijn Geldrop", partners=["Gemeente"],
                       start="2025-Q1", end="2026-Q4", status="running", cost_estimate_eur=120000,
                       cost_actual_eur=60000, plan_id=plan.id, buurt_code="BU17710005",
                       geometry=Point(166400, 380400), analysis_item_id=strength.id),
            m.Activity("Oversteek Braakhuizenstraat", "safety", lead_partner="Gemeente", partners=["Politie"],
                       start="2025-Q2", end="2025-Q4", status="running", cost_estimate_eur=80000, plan_id=plan.id,
                       buurt_code="BU17710005", geometry=LineString([(166300, 380200), (166700, 380250)])),
            m.Activity("Bankjes bij de vijver", "spatial", lead_partner="Bewonersgroep Zuid", start="2025-Q3",
                       end="2025-Q4", status="done", cost_estimate_eur=4000, cost_actual_eur=3500, quick_win=True,
                       plan_id=plan.id, buurt_code="BU17710005"),
            m.Activity("Buurtpreventie-app", "safety", lead_partner="Politie", partners=["Bewonersgroep Zuid"],
                       start="2027-Q1", end="2027-Q4", status="planned", cost_estimate_eur=2000, quick_win=True,
                       plan_id=plan.id, buurt_code="BU17710005"),
            m.Activity("Speeltuin Coevering", "spatial", lead_partner="Gemeente", start="2027-Q2", end="2028-Q1",
                       status="planned", cost_estimate_eur=90000, plan_id=other.id, buurt_code="BU17710006"),
        ]
        acts = [store.add(a) for a in acts]
        store.add(m.EvaluationFactor(plan.id, "Vaste contactpersoon voor bewoners", "success", "social",
                                     evidence="Opkomst bewonersavonden verdubbeld",
                                     lesson="Wijs per buurt één vast aanspreekpunt aan", share_lesson=True))
        store.add(m.EvaluationFactor(plan.id, "Trage vergunningen", "failure", "spatial",
                                     lesson="Betrek vergunningverlening vanaf de analyse"))
    return {"plan": plan, "other": other, "activities": acts, "strength": strength}


@pytest.fixture
def world(store):
    return build_world(store)


# --- stages -----------------------------------------------------------------------
def state(a=0, acts=0, sched=0, ev=0):
    return plans.PlanState(a, acts, sched, ev)


@pytest.mark.parametrize(
    "current,target,st,ok",
    [
        ("not_started", "analysis", state(), True),
        ("not_started", "agenda_agreed", state(1, 1, 1), False),  # skipping
        ("analysis", "agenda_agreed", state(0, 3, 3), False),  # no analysis
        ("analysis", "agenda_agreed", state(2, 0, 0), False),  # no activities
        ("analysis", "agenda_agreed", state(2, 1, 0), True),
        ("agenda_agreed", "in_execution", state(2, 1, 0), False),  # nothing scheduled
        ("agenda_agreed", "in_execution", state(2, 1, 1), True),
        ("in_execution", "evaluated", state(2, 1, 1, 0), False),
        ("in_execution", "evaluated", state(2, 1, 1, 1), True),
        ("evaluated", "in_execution", state(), True),  # one step back
        ("evaluated", "analysis", state(), False),  # two steps back
        ("analysis", "analysis", state(), True),
        ("analysis", "finished", state(), False),
    ],
)
def test_stage_rules(current, target, st, ok):
    assert (plans.stage_problem(current, target, st) is None) is ok


def test_set_stage_checks_the_plan_and_the_actor(store, world):
    other = world["other"]
    with pytest.raises(ValidationError, match="analyse minstens één"):
        plans.set_stage(store, PLANNER, other.id, "agenda_agreed")
    store.add(m.AnalysisItem(other.id, "bottleneck", "spatial", "Te weinig speelruimte"))
    assert plans.next_stages(store, store.get(m.Plan, other.id)) == ["not_started", "analysis", "agenda_agreed"]
    plans.set_stage(store, PLANNER, other.id, "agenda_agreed")
    assert store.get(m.Plan, other.id).stage == "agenda_agreed"
    with pytest.raises(PermissionDenied):
        plans.set_stage(store, RESIDENT, other.id, "analysis")
    assert store.get(m.Plan, other.id).stage == "agenda_agreed"


def test_create_plan_and_multi_year_planning(store, world):
    with pytest.raises(ValidationError, match="al een plan"):
        plans.create_plan(store, PLANNER, "BU17710005")
    with pytest.raises(PermissionDenied):
        plans.set_plan_years(store, MODERATOR, {"BU17710006": 2030})
    with pytest.raises(ValidationError, match="planjaar 1999"):
        plans.set_plan_years(store, PLANNER, {"BU17710006": 2030, "BU17710005": 1999})
    assert store.get(m.Plan, world["other"].id).year == 2027  # nothing half written
    plans.set_plan_years(store, PLANNER, {"BU17710006": 2030, "BU17710005": 2025})
    assert store.get(m.Plan, world["other"].id).year == 2030
    store.delete(m.Plan, world["other"].id)
    plans.set_plan_years(store, PLANNER, {"BU17710006": 2031})
    created = plans.plan_for(store, "BU17710006")
    assert (created.year, created.stage, created.title) == (2031, "not_started", "Wijkontwikkelingsplan Coevering")


def test_update_plan(store, world):
    p = plans.update_plan(store, PLANNER, world["plan"].id, title=" Nieuw ", year=2026, intended_effects="x")
    assert (p.title, p.year, p.intended_effects) == ("Nieuw", 2026, "x")
    with pytest.raises(ValidationError):
        plans.update_plan(store, PLANNER, world["plan"].id, title="")
    assert store.get(m.Plan, world["plan"].id).title == "Nieuw"


# --- activities --------------------------------------------------------------------
def new_activity(plan_id, **kw):
    base = dict(title="Moestuin", domain="social", lead_partner="Gemeente", start="2026-Q1", end="2026-Q2",
                plan_id=plan_id)
    base.update(kw)
    return m.Activity(**base)


@pytest.mark.parametrize(
    "changes,field,text",
    [
        ({"title": "  "}, "title", "verplicht"),
        ({"domain": "culture"}, "domain", "geen geldige waarde"),
        ({"start": "2026-Q5"}, "start", "geen kwartaal"),
        ({"end": "eind 2026"}, "end", "geen kwartaal"),
        ({"start": "2026-Q3", "end": "2026-Q1"}, "end", "vóór beginkwartaal"),
        ({"start": "", "end": "2026-Q1"}, "start", "beginkwartaal"),
        ({"status": "done", "end": ""}, "end", "afgeronde"),
        ({"status": "running", "start": "", "end": ""}, "start", "beginkwartaal"),
        ({"cost_actual_eur": 500.0}, "cost_actual_eur", "geplande"),
        ({"quick_win": True, "cost_estimate_eur": 60000.0}, "cost_estimate_eur", "quick win"),
        ({"quick_win": True, "start": "2026-Q1", "end": "2027-Q4"}, "end", "kwartalen"),
        ({"cost_estimate_eur": -5.0}, "cost_estimate_eur", "tussen"),
        ({"meeting_place_id": 999}, "meeting_place_id", "bestaat niet"),
        ({"start": "1990-Q1", "end": "1990-Q2"}, "start", "tussen 2000"),
    ],
)
def test_activity_validation_names_the_field(store, world, changes, field, text):
    act = new_activity(world["plan"].id, **changes)
    before = store.count(m.Activity)
    with pytest.raises(ValidationError) as err:
        agenda.save_activity(store, PLANNER, act)
    assert err.value.where == field
    assert text in err.value.message
    assert store.count(m.Activity) == before


def test_save_activity_places_it_in_a_buurt(store, world):
    index = AreaIndex.from_store(store)
    act = agenda.save_activity(store, PLANNER, new_activity(world["plan"].id, geometry=Point(167500, 380500)), index)
    assert act.id and act.buurt_code == "BU17710006"  # where it lies, not the plan's buurt
    act2 = agenda.save_activity(store, PLANNER, new_activity(world["plan"].id, partners=["Gemeente", " School "]))
    assert act2.buurt_code == "BU17710005"  # no shape: the plan's buurt
    assert act2.partners == ["School"]  # the lead is not repeated as partner
    with pytest.raises(ValidationError, match="buiten de buurten"):
        agenda.save_activity(store, PLANNER, new_activity(world["plan"].id, geometry=Point(190000, 390000)))
    with pytest.raises(PermissionDenied):
        agenda.save_activity(store, RESIDENT, new_activity(world["plan"].id))


def test_activity_linked_to_a_meeting_place_takes_its_buurt(store, world):
    mp = store.list(m.MeetingPlace)[0]
    act = agenda.save_activity(store, PLANNER, new_activity(world["other"].id, meeting_place_id=mp.id))
    assert act.buurt_code == "BU17710005"


def test_analysis_item_of_another_plan_is_refused(store, world):
    with pytest.raises(ValidationError, match="ander plan"):
        agenda.save_activity(store, PLANNER, new_activity(world["other"].id, analysis_item_id=world["strength"].id))


# --- drawn shapes ---------------------------------------------------------------------
def lonlat_ring(poly):
    return [list(rd_to_lonlat(x, y)) for x, y in poly.exterior.coords]


def test_drawn_polygon_becomes_rd():
    square = box(166200, 380200, 166400, 380400)
    drawn = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [lonlat_ring(square)]}}
    geom = drawing.drawn_to_rd(drawn)
    assert geom.geom_type == "Polygon"
    assert abs(geom.area - 40_000) < 50
    assert geom.centroid.distance(square.centroid) < 1


def test_drawn_circle_becomes_a_polygon_and_bowtie_is_repaired():
    lon, lat = rd_to_lonlat(166500, 380500)
    circle = drawing.drawn_to_rd({"type": "Feature", "properties": {"radius": 50},
                                "geometry": {"type": "Point", "coordinates": [lon, lat]}})
    assert circle.geom_type == "Polygon" and abs(circle.area - 3.1416 * 2500) < 100
    pts = [(166000, 380000), (166100, 380100), (166100, 380000), (166000, 380100), (166000, 380000)]
    bowtie = {"type": "Polygon", "coordinates": [[list(rd_to_lonlat(x, y)) for x, y in pts]]}
    fixed = drawing.drawn_to_rd({"geometry": bowtie})
    assert fixed.is_valid and fixed.area > 0


@pytest.mark.parametrize(
    "drawn,text",
    [
        (None, "niets getekend"),
        ({"geometry": {"coordinates": []}}, "geen GeoJSON"),
        ({"geometry": {"type": "Point", "coordinates": [166000, 380000]}}, "lengte- en breedtegraden"),
        ({"geometry": {"type": "Point", "coordinates": [-70.0, 40.0]}}, "niet in Nederland"),
    ],
)
def test_bad_drawings_are_refused(drawn, text):
    with pytest.raises(GeometryError, match=text):
        drawing.drawn_to_rd(drawn)


def test_last_drawing_prefers_the_active_one():
    a, b = {"geometry": {"type": "Point", "coordinates": [5.5, 51.4]}}, {"geometry": {"type": "Point", "coordinates": [5.6, 51.4]}}
    assert drawing.last_drawing({"last_active_drawing": a, "all_drawings": [b]}) is a
    assert drawing.last_drawing({"last_active_drawing": None, "all_drawings": [a, b]}) is b
    assert drawing.last_drawing(None) is None


def test_set_activity_geometry_moves_the_buurt(store, world):
    act = world["activities"][2]
    moved = agenda.set_activity_geometry(store, PLANNER, act.id, Polygon([(167100, 380100), (167300, 380100), (167200, 380300)]))
    assert moved.buurt_code == "BU17710006"
    assert store.get(m.Activity, act.id).geometry.geom_type == "Polygon"


# --- the agenda table -----------------------------------------------------------------
def test_agenda_table_round_trip_keeps_places(store, world):
    plan = world["plan"]
    rows = agenda.agenda_rows(agenda.plan_activities(store, plan))
    rows[0]["title"] = "Ontmoetingsplek De Smidse"
    rows[0]["cost_estimate_eur"] = "125.000,00"  # Dutch notation
    rows = [r for r in rows if r["title"] != "Buurtpreventie-app"]  # deleted row
    rows.append({"title": "Jeu-de-boulesbaan", "domain": "social", "start": "2026-Q2", "end": "2026-Q3",
                 "status": "planned", "partners": "Gemeente, Bewonersgroep Zuid", "lead_partner": "Gemeente",
                 "quick_win": True, "cost_estimate_eur": 6000})
    rows.append({c: None for c in agenda.AGENDA_COLUMNS})  # an empty row left blank
    saved = agenda.save_agenda(store, PLANNER, plan.id, rows)
    assert len(saved) == 4
    titles = {a.title: a for a in store.list(m.Activity, plan_id=plan.id)}
    assert "Buurtpreventie-app" not in titles
    smidse = titles["Ontmoetingsplek De Smidse"]
    assert smidse.cost_estimate_eur == 125000.0 and smidse.geometry is not None
    assert smidse.analysis_item_id == world["strength"].id
    new = titles["Jeu-de-boulesbaan"]
    assert new.partners == ["Bewonersgroep Zuid"] and new.quick_win and new.buurt_code == "BU17710005"


def test_agenda_with_bad_rows_saves_nothing_and_names_every_row(store, world):
    plan = world["plan"]
    before = [a.to_dict() for a in store.list(m.Activity, plan_id=plan.id)]
    rows = agenda.agenda_rows(agenda.plan_activities(store, plan))
    rows[0]["title"] = "Gewijzigd"
    rows[1]["end"] = "2024-Q1"  # before its start
    rows.append({"title": "", "domain": "social", "status": "planned"})
    rows.append({"title": "Dure quick win", "domain": "social", "quick_win": True, "cost_estimate_eur": "abc"})
    with pytest.raises(agenda.AgendaError) as err:
        agenda.save_agenda(store, PLANNER, plan.id, rows)
    found = [(e.row, e.field) for e in err.value.errors]
    assert found == [(2, "end"), (len(rows) - 1, "title"), (len(rows), "cost_estimate_eur")]
    assert "rij 2, einde" in str(err.value)
    assert [a.to_dict() for a in store.list(m.Activity, plan_id=plan.id)] == before


def test_agenda_refuses_rows_of_other_plans(store, world):
    foreign = world["activities"][4]
    rows = agenda.agenda_rows([foreign])
    with pytest.raises(agenda.AgendaError, match="hoort niet bij dit plan"):
        agenda.save_agenda(store, PLANNER, world["plan"].id, rows)
    with pytest.raises(PermissionDenied):
        agenda.save_agenda(store, RESIDENT, world["plan"].id, [])


def test_quick_wins_open_first(store, world):
    wins = agenda.quick_wins(store, world["plan"])
    assert [a.title for a in wins] == ["Buurtpreventie-app", "Bankjes bij de vijver"]


# --- evaluation and lessons -------------------------------------------------------------
def test_shared_lessons_show_up_in_other_plans(store, world):
    others = evaluation.shared_lessons(store, world["other"])
    assert [s.factor.lesson for s in others] == ["Wijs per buurt één vast aanspreekpunt aan"]
    assert evaluation.shared_lessons(store, world["plan"]) == []
    with pytest.raises(ValidationError, match="les op"):
        evaluation.save_evaluation_factor(store, PLANNER, m.EvaluationFactor(world["other"].id, "Iets", "success",
                                                                        "social", share_lesson=True))
    with pytest.raises(PermissionDenied):
        evaluation.save_evaluation_factor(store, Actor("r", "real-estate"),
                                     m.EvaluationFactor(world["other"].id, "Iets", "success", "social"))


# --- environment plan -----------------------------------------------------------------
def test_environment_plan_geopackage(store, world, tmp_path):
    import geopandas as gpd

    data = evaluation.environment_plan_gpkg(store, PLANNER)
    path = tmp_path / "omgevingsplan.gpkg"
    path.write_bytes(data)
    frame = gpd.read_file(path, layer=evaluation.ENVIRONMENT_LAYER)
    assert frame.crs.to_epsg() == 28992
    assert list(frame["code"]) == ["BU17710005", "BU17710006"]
    assert frame.iloc[0]["intended_effects"].startswith("Meer ontmoeting")
    assert frame.iloc[0]["activities"] == 4
    with pytest.raises(PermissionDenied):
        evaluation.environment_plan_gpkg(store, RESIDENT)


def test_explorer_colours_buurten_by_plan_stage_without_a_figure(store, world):
    from geo.maps import MapOptions, build_map, load_map_data
    from geo.maps.style import STAGE_COLOURS

    plans.set_stage(store, PLANNER, world["plan"].id, "evaluated")
    script = build_map(load_map_data(store), MapOptions(basemap="none", choropleth=None)).get_root().render()
    assert f'"fillColor":"{STAGE_COLOURS["evaluated"]}"' in script  # Braakhuizen-Zuid
    assert f'"fillColor":"{STAGE_COLOURS["analysis"]}"' in script  # Coevering


def test_agenda_as_edited_in_the_browser_table(store, world):
    """The page's path: Dutch labels in a DataFrame, a new row with NaNs, back to rows."""
    import pandas as pd

    plan = world["plan"]
    frame = pd.DataFrame(agenda.agenda_rows(agenda.plan_activities(store, plan), "nl"), columns=list(agenda.AGENDA_COLUMNS))
    assert set(frame["domain"]) <= {"Sociaal", "Ruimtelijk", "Veiligheid"}
    new = {c: float("nan") for c in agenda.AGENDA_COLUMNS}
    new.update(title="Zwerfvuilactie", domain="Ruimtelijk", status="Gepland", start="2026-q2")
    frame = pd.concat([frame, pd.DataFrame([new])], ignore_index=True)
    frame.loc[0, "status"] = "Afgerond"
    saved = agenda.save_agenda(store, PLANNER, plan.id, agenda.rows_from_frame(frame))
    assert len(saved) == 5
    added = next(a for a in saved if a.title == "Zwerfvuilactie")
    assert (added.domain, added.status, added.start, added.quick_win, added.cost_estimate_eur) == (
        "spatial", "planned", "2026-Q2", False, None)
    assert store.get(m.Activity, saved[0].id).status in m.ACTIVITY_STATUSES
    first = agenda.plan_activities(store, plan)[0]
    assert first.status == "done"
    frame.loc[1, "domain"] = "Cultuur"
    with pytest.raises(agenda.AgendaError, match="rij 2, domein: 'Cultuur' is geen geldige waarde"):
        agenda.save_agenda(store, PLANNER, plan.id, agenda.rows_from_frame(frame))


# --- the resident's side of a linked suggestion -------------------------------------
def test_linking_a_suggestion_takes_it_into_the_plan_and_deleting_releases_it(demo_store):
    from geo import agenda
    from geo.access import Actor

    planner = Actor("anna", "planner")
    store = demo_store
    sug = next(s for s in store.list(m.Suggestion, status="published") if s.buurt_code == "BU17710005")
    plan = store.list(m.Plan, area_code="BU17710005")[0]
    act = agenda.save_activity(store, planner, m.Activity(
        title="Bankje bij de speeltuin", domain="spatial", plan_id=plan.id, buurt_code="BU17710005",
        suggestion_id=sug.id, start="2027-Q1", end="2027-Q2"))
    back = store.get(m.Suggestion, sug.id)
    assert (back.status, back.activity_id) == ("in_plan", act.id)
    assert any(e.action == "suggestion.in_plan" and e.user == "anna" for e in store.list(m.AuditEntry))
    agenda.delete_activity(store, planner, act.id)
    back = store.get(m.Suggestion, sug.id)
    assert (back.status, back.activity_id) == ("published", None)


# --- what the plan page asks of geo -------------------------------------------------
def test_area_choices_put_planned_areas_first(store, world):
    store.add(m.Area("BU17710099", "Aardbei", geometry=box(165000, 379000, 165500, 379500)))
    choices = plans.area_choices(store)
    assert choices.codes == ["BU17710005", "BU17710006", "BU17710099", "WK177100"]
    assert choices.stages == {"BU17710005": "in_execution", "BU17710006": "analysis"}
    assert choices.names["WK177100"] == "Geldrop"


def test_plan_choices_and_the_planning_read_names_not_boundaries(store, world, monkeypatch):
    """The plan page and the programme list a gemeente's buurten by name: a
    national database's 18,000 boundaries are not read for that."""
    from geo.scope import Scope

    store.add(m.Area("BU99990001", "Elders", geometry=box(0, 0, 10, 10)))
    want = (plans.area_choices(store, Scope("GM1771", "G")), plans.planning_rows(store, Scope("GM1771", "G")),
            plans.planning_rows(store))
    original = store.list

    def no_areas(cls, *args, **kwargs):
        assert cls is not m.Area, "every area read with its boundary"
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(store, "list", no_areas)
    got = (plans.area_choices(store, Scope("GM1771", "G")), plans.planning_rows(store, Scope("GM1771", "G")),
           plans.planning_rows(store))
    assert got == want
    assert "BU99990001" not in got[0].names and [r["code"] for r in got[2]].count("BU99990001") == 1
    assert [r["name"] for r in got[1]] == sorted(r["name"] for r in got[1])


def test_next_stage_problem(store, world):
    assert plans.next_stage_problem(store, world["plan"]) is None  # in execution, has factors
    fresh = plans.create_plan(store, PLANNER, "WK177100")
    assert plans.next_stage_problem(store, fresh) is None  # not started -> analysis is always allowed
    plans.set_stage(store, PLANNER, fresh.id, "analysis")
    assert "analyse" in plans.next_stage_problem(store, store.get(m.Plan, fresh.id))
    plans.set_stage(store, PLANNER, world["plan"].id, "evaluated")
    assert plans.next_stage_problem(store, store.get(m.Plan, world["plan"].id)) is None  # last stage


def test_activity_from_form_copies_place_and_reads_partners(world):
    base = world["activities"][0]
    act = agenda.activity_from_form(
        base, title="Nieuw", domain="safety", description="", lead_partner="Politie", partners="School, , Gemeente",
        start=" 2026-q1 ", end="2026-q2", status="running", cost_estimate_eur=10.0, cost_actual_eur=None,
        quick_win=False, meeting_place_id=None, real_estate_id=None, suggestion_id=None, analysis_item_id=None)
    assert (act.id, act.geometry) == (base.id, base.geometry)
    assert (act.start, act.end, act.partners) == ("2026-Q1", "2026-Q2", ["School", " ", " Gemeente"])
    assert base.title == "Ontmoetingsplek Smidse"  # the base is not touched


def test_link_options_offer_the_areas_open_suggestions(store, world):
    mine = store.add(m.Suggestion("meeting", "Een buurthuis graag", Point(166500, 380500),
                                  status="published", buurt_code="BU17710005"))
    store.add(m.Suggestion("other", "Verborgen", Point(166500, 380500), status="hidden", buurt_code="BU17710005"))
    store.add(m.Suggestion("other", "Elders", Point(167500, 380500), status="published", buurt_code="BU17710006"))
    analysis = store.list(m.AnalysisItem, plan_id=world["plan"].id)
    links = agenda.link_options(store, "BU17710005", analysis, "en")
    assert list(links.suggestions) == [mine.id]
    assert list(links.meeting_places.values()) == ["De Smidse"]
    assert world["strength"].id in links.analysis_items
    assert links.analysis_items[world["strength"].id].startswith("Strong point")


def test_place_on_map_saves_the_shape_with_activity_or_analysis_item(store, world):
    act = world["activities"][2]
    saved = agenda.place_on_map(store, PLANNER, ("activity", act.id), Point(166900, 380900))
    assert saved.geometry.equals(Point(166900, 380900)) and saved.buurt_code == "BU17710005"
    item = agenda.place_on_map(store, PLANNER, ("analysis", world["strength"].id), Point(166100, 380100))
    assert store.get(m.AnalysisItem, item.id).geometry.equals(Point(166100, 380100))
    assert agenda.place_on_map(store, PLANNER, ("activity", act.id), None).geometry is None
    with pytest.raises(PermissionDenied):
        agenda.place_on_map(store, RESIDENT, ("activity", act.id), Point(166900, 380900))
    with pytest.raises(ValidationError, match="kan niet op de kaart"):
        agenda.place_on_map(store, PLANNER, ("suggestion", 1), None)


def test_neighbours_are_the_areas_near_the_plan_area(store, world):
    west, east = store.get(m.Area, "BU17710005"), store.get(m.Area, "BU17710006")
    far = m.Area("BU17710099", "Ver weg", geometry=box(175000, 390000, 176000, 391000))
    assert [a.code for a in drawing.neighbours(west, [west, east, far])] == ["BU17710006"]
    assert drawing.neighbours(m.Area("BU17710098", "Zonder grens"), [east]) == []


def test_rows_for_the_page_are_labelled_in_the_language(store, world):
    analysis = store.list(m.AnalysisItem, plan_id=world["plan"].id)
    (row,) = plans.analysis_rows(analysis, "bottleneck", "en")
    assert row["Domain"] == "Safety" and row["Place"] == "✓"
    factors = evaluation.factor_rows(store.list(m.EvaluationFactor, plan_id=world["plan"].id), "nl")
    assert [f["Les delen met andere plannen"] for f in factors] == ["✓", ""]
    assert factors[0]["Uitkomst"] == "Succesfactor"
    wins = agenda.quick_win_rows(agenda.quick_wins(store, world["plan"]), "nl")
    assert [w["Titel"] for w in wins] == ["Buurtpreventie-app", "Bankjes bij de vijver"]
    lessons = evaluation.lesson_rows(evaluation.shared_lessons(store, world["other"]), "en")
    assert lessons[0]["Lesson"] == "Wijs per buurt één vast aanspreekpunt aan"


def test_plan_map_fits_the_plan_area_not_its_neighbours(store, world):
    import json
    import re

    from geo.crs import to_web

    west, east = store.get(m.Area, "BU17710005"), store.get(m.Area, "BU17710006")
    acts = agenda.plan_activities(store, world["plan"])
    html = drawing.plan_map(west, [east], acts, [], "nl").get_root().render()
    (south_west, north_east) = json.loads(re.search(r"fitBounds\(\s*(\[\[.*?\]\])", html, re.S).group(1))
    minx, miny, maxx, maxy = to_web(WEST).bounds
    assert south_west == pytest.approx([miny, minx], abs=1e-6) and north_east == pytest.approx([maxy, maxx], abs=1e-6)
    assert '"zoomSnap": 0.25' in html
