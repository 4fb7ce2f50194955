"""The bundled demo of Geldrop-Mierlo: boundaries, figures, content, files."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import fields

import pytest
import shapely

from geo import model as m
from geo.crs import rd_to_lonlat
from geo.demo import BOUNDARY_FILE, DEMO_DIR, GEO_LAYERS, PLANS_FILE, Demo, build_demo, demo_problems, load_demo, write_demo
from geo.errors import ImportFormatError, StoreError
from geo.store import open_store

BR_ZUID = "BU17710005"
WIJKEN = {"WK177100": "Geldrop", "WK177101": "Mierlo"}
BUURTEN = {
    "BU17710000": "Centrum",
    "BU17710001": "Skandia",
    "BU17710002": "Akert",
    "BU17710003": "Zesgehuchten",
    "BU17710004": "Braakhuizen-Noord",
    "BU17710005": "Braakhuizen-Zuid",
    "BU17710006": "Coevering",
    "BU17710007": "Genoenhuis",
    "BU17710009": "Gijzenrooi",
    "BU17710100": "Mierlo",
    "BU17710109": "Verspreide huizen Mierlo",
}
GENERATED = sorted([f"{name}.geojson" for name in GEO_LAYERS] + [PLANS_FILE])
EXPECTED_COUNTS = {
    "areas": 14,
    "partners": 10,
    "plans": 11,
    "analysis_items": 18,
    "real_estate": 14,
    "meeting_places": 16,
    "activities": 30,
    "suggestions": 38,
    "evaluation_factors": 8,
}


@pytest.fixture(scope="module")
def demo() -> Demo:
    return build_demo()


def by_level(demo: Demo, level: str) -> dict[str, m.Area]:
    return {a.code: a for a in demo.areas if a.level == level}


# --- boundaries --------------------------------------------------------------------


def test_codes_names_and_parents(demo):
    (gm,) = by_level(demo, "gemeente").values()
    assert (gm.code, gm.name) == ("GM1771", "Geldrop-Mierlo")
    assert {c: a.name for c, a in by_level(demo, "wijk").items()} == WIJKEN
    buurten = by_level(demo, "buurt")
    assert {c: a.name for c, a in buurten.items()} == BUURTEN
    assert all(a.parent_code == "GM1771" for a in by_level(demo, "wijk").values())
    assert {c: a.parent_code for c, a in buurten.items()} == {c: "WK" + c[2:8] for c in BUURTEN}
    assert all(a.source == "demo (CBS-buurtgrenzen 2022, gegeneraliseerd)" for a in demo.areas)


def assert_tiles(parts: list, whole) -> None:
    union = shapely.union_all(parts)
    assert abs(union.area - whole.area) <= 1.0
    assert shapely.symmetric_difference(union, whole).area <= 1.0
    for a, b in itertools.combinations(parts, 2):
        assert a.intersection(b).area <= 1.0


@pytest.mark.parametrize("wijk", sorted(WIJKEN))
def test_buurten_tile_their_wijk(demo, wijk):
    buurten = [a.geometry for a in demo.areas if a.level == "buurt" and a.parent_code == wijk]
    assert buurten
    assert_tiles(buurten, demo.area(wijk).geometry)


def test_buurten_form_a_valid_coverage(demo):
    if not hasattr(shapely, "coverage_is_valid"):  # shapely < 2.1
        pytest.skip("shapely.coverage_is_valid needs shapely 2.1")
    assert shapely.coverage_is_valid([a.geometry for a in by_level(demo, "buurt").values()])


def test_wijken_tile_the_gemeente(demo):
    assert_tiles([a.geometry for a in by_level(demo, "wijk").values()], demo.area("GM1771").geometry)


def test_all_geometries_are_valid(demo):
    for name, records in demo.layers().items():
        for r in records:
            geom = getattr(r, "geometry", None)
            if geom is None:
                continue
            assert geom.is_valid and not geom.is_empty, (name, r)
            if isinstance(r, m.Area):
                assert geom.geom_type in ("Polygon", "MultiPolygon")


def test_size_and_position(demo):
    gm = demo.area("GM1771").geometry
    assert 28e6 <= gm.area <= 34e6
    assert 12.5e6 <= demo.area("WK177100").geometry.area <= 14.2e6
    assert 17e6 <= demo.area("WK177101").geometry.area <= 19e6
    lon, lat = rd_to_lonlat(gm.centroid.x, gm.centroid.y)
    assert abs(lat - 51.43) <= 0.05 and abs(lon - 5.59) <= 0.05
    geldrop, mierlo = demo.area("WK177100").geometry.centroid, demo.area("WK177101").geometry.centroid
    assert geldrop.x < mierlo.x
    # The outline looks like a map, not a rectangle (corners only: buurt
    # boundaries add nodes on its straight edges).
    assert 12 <= len(gm.simplify(0.05).exterior.coords) - 1 <= 60


# --- figures -----------------------------------------------------------------------


def test_inhabitants_add_up(demo):
    buurten = by_level(demo, "buurt").values()
    for wijk, total in (("WK177100", 29480), ("WK177101", 11255)):
        assert demo.area(wijk).figures["AANT_INW"] == total
        assert sum(a.figures["AANT_INW"] for a in buurten if a.parent_code == wijk) == total
    assert demo.area("GM1771").figures["AANT_INW"] == 40733
    # CBS rounds wijk figures to fives: their sum is 40735, not the exact 40733.
    assert abs(sum(a.figures["AANT_INW"] for a in by_level(demo, "wijk").values()) - 40733) <= 5


def test_wijk_figures_match_cbs_2024(demo):
    geldrop, mierlo = demo.area("WK177100").figures, demo.area("WK177101").figures
    assert (geldrop["AANT_MAN"], geldrop["AANT_VROUW"], geldrop["WONINGEN"]) == (14675, 14805, 13662)
    assert (mierlo["AANT_MAN"], mierlo["WONINGEN"]) == (5620, 4786)
    assert demo.area("GM1771").figures["WONINGEN"] == 18448


def test_figures_are_consistent(demo):
    ages = ("P_00_14_JR", "P_15_24_JR", "P_25_44_JR", "P_45_64_JR", "P_65_EO_JR")
    for a in demo.areas:
        f = a.figures
        assert set(m.KEY_FIGURES) <= set(f), a.code
        assert sum(f[k] for k in ages) == 100, a.code
        assert f["OPP_TOT"] == round(a.geometry.area / 10_000)
        assert f["BEV_DICHTH"] == pytest.approx(f["AANT_INW"] / (a.geometry.area / 1e6), abs=1)
        assert f["GEM_HH_GR"] == pytest.approx(f["AANT_INW"] / f["AANTAL_HH"], abs=0.06)
        if a.level != "gemeente":
            assert f["AANT_MAN"] + f["AANT_VROUW"] == f["AANT_INW"], a.code
    pilot, gm = demo.area(BR_ZUID).figures, demo.area("GM1771").figures
    assert pilot["P_65_EO_JR"] >= gm["P_65_EO_JR"] + 5
    assert pilot["P_65_EO_JR"] == max(a.figures["P_65_EO_JR"] for a in demo.areas)
    assert 400 <= demo.area("BU17710109").figures["AANT_INW"] <= 800


# --- content -----------------------------------------------------------------------


def test_demo_has_no_problems(demo):
    assert demo_problems(demo) == []


def test_every_record_validates(demo):
    for records in demo.layers().values():
        for r in records:
            r.validate()


def test_placed_records_lie_inside_their_buurt(demo):
    buurten = {c: a.geometry.buffer(0.01) for c, a in by_level(demo, "buurt").items()}
    plan_area = {p.id: p.area_code for p in demo.plans}
    placed = [*demo.activities, *demo.meeting_places, *demo.real_estate, *demo.suggestions]
    for r in placed:
        assert r.buurt_code in buurten, r
        if r.geometry is not None:
            assert buurten[r.buurt_code].covers(r.geometry), r
    for item in demo.analysis_items:
        if item.geometry is not None:
            assert buurten[plan_area[item.plan_id]].covers(item.geometry), item
    # Each building's buurt is the one its point falls in.
    for b in demo.real_estate:
        assert [c for c, g in buurten.items() if g.contains(b.geometry)] == [b.buurt_code]


def test_plans_one_per_buurt_with_spread_stages(demo):
    assert sorted(p.area_code for p in demo.plans) == sorted(BUURTEN)
    assert {p.stage for p in demo.plans} == set(m.PLAN_STAGES)
    assert {p.year for p in demo.plans} == set(range(2024, 2030))
    (pilot,) = [p for p in demo.plans if p.area_code == BR_ZUID]
    assert pilot.stage in ("evaluated", "in_execution") and pilot.year == 2024
    assert pilot.summary and pilot.intended_effects
    assert sum(p.stage == "not_started" for p in demo.plans) >= 3


def test_pilot_analysis_and_evaluation(demo):
    pilot = next(p.id for p in demo.plans if p.area_code == BR_ZUID)
    items = [i for i in demo.analysis_items if i.plan_id == pilot]
    assert 8 <= len(items) <= 12
    assert {i.kind for i in items} == set(m.ANALYSIS_KINDS)
    assert {i.domain for i in items} == set(m.DOMAINS)
    assert any(i.geometry is not None for i in items)
    assert len({i.plan_id for i in demo.analysis_items}) >= 3
    factors = [f for f in demo.evaluation_factors if f.plan_id == pilot]
    assert 6 <= len(factors) <= 8
    assert {f.outcome for f in factors} == set(m.EVALUATION_OUTCOMES)
    assert any(f.share_lesson for f in factors) and all(f.evidence and f.lesson for f in factors)


def test_pilot_agenda(demo):
    acts = [a for a in demo.activities if a.buurt_code == BR_ZUID]
    assert 15 <= len(acts) <= 20
    assert {a.domain for a in acts} == set(m.DOMAINS)
    assert {a.status for a in acts} == set(m.ACTIVITY_STATUSES)
    quick = [a for a in acts if a.quick_win]
    assert 4 <= len(quick) <= 6 and all(a.cost_estimate_eur < 5000 for a in quick)
    overdue = [
        a for a in acts if a.status in ("planned", "running") and m.quarter_index(a.end) < m.quarter_index("2026-Q4")
    ]
    assert overdue
    assert all("2024-Q1" <= a.start <= a.end <= "2028-Q4" for a in acts)
    assert len({a.lead_partner for a in acts}) >= 3
    kinds = {a.geometry.geom_type for a in acts if a.geometry is not None}
    assert {"Point", "LineString", "Polygon"} <= kinds
    assert any(a.geometry is None and (a.meeting_place_id or a.real_estate_id) for a in acts)
    assert any(a.suggestion_id for a in acts) and any(a.analysis_item_id for a in acts)
    others = {a.buurt_code for a in demo.activities} - {BR_ZUID}
    assert 3 <= len(others) <= 4
    plan_of = {p.area_code: p.id for p in demo.plans}
    assert all(a.plan_id == plan_of[a.buurt_code] for a in demo.activities)


def test_partners(demo):
    assert 8 <= len(demo.partners) <= 10
    kinds = {p.kind for p in demo.partners}
    assert {"municipality", "housing_corporation", "welfare", "police", "school", "residents_group"} <= kinds
    names = {p.name for p in demo.partners}
    assert {"Gemeente Geldrop-Mierlo", "LEVgroep", "Politie basisteam Dommeldal"} <= names
    assert "Bewonersplatform Braakhuizen-Zuid" in names


def test_real_estate(demo):
    buildings = demo.real_estate
    assert 12 <= len(buildings) <= 14
    assert all(re.fullmatch(r"1771100000\d{6}", b.bag_id) for b in buildings)
    assert len({b.bag_id for b in buildings}) == len(buildings)
    assert {b.policy for b in buildings} == set(m.POLICY_CATEGORIES)
    assert min(b.occupancy_pct for b in buildings) <= 35 and max(b.occupancy_pct for b in buildings) >= 90
    assert any(b.condition >= 4 for b in buildings)
    near_pilot = demo.area(BR_ZUID).geometry.buffer(500)
    assert sum(b.occupancy_pct < 70 and near_pilot.contains(b.geometry) for b in buildings) >= 2
    for b in buildings:
        place = "Mierlo" if b.buurt_code.startswith("BU177101") else "Geldrop"
        assert re.fullmatch(rf"[^,]+ \d+, (\d{{4}} [A-Z]{{2}} )?{place}", b.address), b.address
    names = {b.name for b in buildings}
    assert {"SCC Hofdael", "Wijkgebouw Den Akert", "d'n Intheek", "Sporthal de Kievit"} <= names


def test_meeting_places(demo):
    places = demo.meeting_places
    buildings = {b.id: b for b in demo.real_estate}
    assert {p.kind for p in places} == set(m.MEETING_KINDS)
    assert {p.status for p in places} == set(m.MEETING_STATUSES)
    assert sum(p.status == "existing" and p.real_estate_id is not None for p in places) >= 3
    assert any(p.kind == "cruijff_court" and p.status == "candidate" and p.buurt_code == BR_ZUID for p in places)
    reuse = [p for p in places if p.kind == "building" and p.status == "candidate" and p.real_estate_id]
    assert any(buildings[p.real_estate_id].occupancy_pct < 70 for p in reuse)


def test_suggestions(demo):
    sugs = demo.suggestions
    assert 30 <= len(sugs) <= 40
    assert {s.buurt_code for s in sugs} == set(BUURTEN)
    pilot = sum(s.buurt_code == BR_ZUID for s in sugs)
    assert pilot == max(sum(s.buurt_code == c for s in sugs) for c in BUURTEN)
    assert {s.category for s in sugs} == set(m.SUGGESTION_CATEGORIES)
    statuses = [s.status for s in sugs]
    assert statuses.count("published") > len(sugs) / 3
    assert {"received", "published", "in_plan", "answered", "not_taken"} <= set(statuses)
    assert all(s.activity_id for s in sugs if s.status == "in_plan")
    assert all(s.answer for s in sugs if s.status in ("answered", "not_taken"))
    assert sum(s.category == "meeting" for s in sugs) >= 3
    refs = [s.reference for s in sugs]
    assert len(set(refs)) == len(refs)
    for s in sugs:
        assert re.fullmatch(r"20(25|26)-\d\d-\d\d", s.created_at)
        assert re.fullmatch(rf"WA-{s.created_at[:4]}-\d{{4}}", s.reference)
        assert s.supporters >= 0


TEXT_FIELDS = {
    "name", "title", "description", "summary", "intended_effects", "text", "answer", "factor", "evidence",
    "lesson", "address", "function", "contact",
}  # fmt: skip


def test_texts_are_plain_dutch(demo):
    for name, records in demo.layers().items():
        for r in records:
            for f in fields(r):
                value = getattr(r, f.name)
                if f.name not in TEXT_FIELDS or not value:
                    continue
                where = f"{name}.{f.name}: {value!r}"
                assert value == value.strip() and "  " not in value, where
                assert not re.search(r"[<>{}\[\]*#_`|\\\n\t]|&\w+;|https?:", value), where
                assert not re.search(r"\b(the|and|with|lorem|todo|xxx)\b", value, re.I), where


# --- files -------------------------------------------------------------------------


def test_build_is_deterministic(demo):
    again = build_demo()
    for name, records in demo.layers().items():
        other = again.layers()[name]
        assert [r.to_dict() for r in records] == [r.to_dict() for r in other], name


def test_committed_files_are_reproducible(tmp_path):
    written = write_demo(tmp_path)
    assert sorted(p.name for p in written) == GENERATED
    committed = sorted(p.name for p in DEMO_DIR.iterdir() if p.name not in ("README.md", BOUNDARY_FILE.name))
    assert committed == GENERATED, "data/demo holds other files than the script writes"
    for name in GENERATED:
        fresh, kept = (tmp_path / name).read_bytes(), (DEMO_DIR / name).read_bytes()
        assert fresh == kept, f"data/demo/{name} is stale: run python -m geo.demo"


def _positions(coords):
    if isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords:
            yield from _positions(c)


def test_files_are_rd_new_geojson():
    for name in GEO_LAYERS:
        data = json.loads((DEMO_DIR / f"{name}.geojson").read_text(encoding="utf-8"))
        assert data["type"] == "FeatureCollection"
        assert data["crs"] == {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
        for feature in data["features"]:
            geom = feature["geometry"]
            if geom is None:
                continue
            for x, y in _positions(geom["coordinates"]):
                assert round(x, 2) == x and round(y, 2) == y
                assert 160_000 < x < 180_000 and 375_000 < y < 390_000  # around Geldrop-Mierlo
    areas = json.loads((DEMO_DIR / "areas.geojson").read_text(encoding="utf-8"))
    props = {f["id"]: f["properties"] for f in areas["features"]}
    assert props[BR_ZUID]["AANT_INW"] == 4060 and "figures" not in props[BR_ZUID]


def test_write_refuses_an_inconsistent_demo(tmp_path):
    broken = build_demo()
    broken.activities[0].buurt_code = "BU17710100"  # a Geldrop activity claimed for Mierlo
    with pytest.raises(ValueError, match="activity 1"):
        write_demo(tmp_path, broken)
    assert not list(tmp_path.iterdir())


def test_load_demo_into_an_empty_store():
    store = open_store("sqlite://:memory:")
    counts = load_demo(store)
    assert counts == EXPECTED_COUNTS
    assert store.count(m.Area, level="buurt") == 11
    assert store.get(m.Area, "GM1771").figures["AANT_INW"] == 40733
    (plan,) = store.list(m.Plan, area_code=BR_ZUID)
    acts = store.list(m.Activity, plan_id=plan.id)
    assert {a.domain for a in acts} == set(m.DOMAINS)
    assert any(a.quick_win for a in acts)
    courts = store.list(m.MeetingPlace, kind="cruijff_court", status="candidate")
    assert any(c.buurt_code == BR_ZUID for c in courts)
    # Ids survive, so references resolve.
    for a in store.list(m.Activity):
        if a.meeting_place_id:
            store.get(m.MeetingPlace, a.meeting_place_id)
        if a.real_estate_id:
            store.get(m.RealEstate, a.real_estate_id)
        if a.suggestion_id:
            assert store.get(m.Suggestion, a.suggestion_id).activity_id == a.id
        if a.analysis_item_id:
            assert store.get(m.AnalysisItem, a.analysis_item_id).plan_id == a.plan_id
    for p in store.list(m.MeetingPlace):
        if p.real_estate_id:
            store.get(m.RealEstate, p.real_estate_id)
    store.close()


def test_loaded_records_equal_the_built_ones(demo):
    store = open_store("sqlite://:memory:")
    load_demo(store)
    classes = {"areas": m.Area, "partners": m.Partner, "plans": m.Plan, "analysis_items": m.AnalysisItem,
               "real_estate": m.RealEstate, "meeting_places": m.MeetingPlace, "activities": m.Activity,
               "suggestions": m.Suggestion, "evaluation_factors": m.EvaluationFactor}  # fmt: skip
    for name, records in demo.layers().items():
        stored = {getattr(r, "id", None) or r.code: r for r in store.list(classes[name])}
        for r in records:
            key = getattr(r, "id", None) or r.code
            got = stored[key]
            for f in fields(r):
                want, have = getattr(r, f.name), getattr(got, f.name)
                if f.name == "geometry" and want is not None:
                    assert shapely.equals_exact(want, have, tolerance=0.005), (name, key)
                else:
                    assert want == have, (name, key, f.name)
    store.close()


def test_load_demo_twice_changes_nothing():
    store = open_store("sqlite://:memory:")
    load_demo(store)
    version = store.data_version()
    with pytest.raises(StoreError):
        load_demo(store)
    assert store.data_version() == version
    assert store.count(m.Activity) == EXPECTED_COUNTS["activities"]
    store.close()


def test_missing_or_damaged_file_is_a_clear_error(tmp_path):
    write_demo(tmp_path)
    (tmp_path / "suggestions.geojson").write_text('{"type": "FeatureCollection"', encoding="utf-8")
    store = open_store("sqlite://:memory:")
    with pytest.raises(ImportFormatError, match="suggestions.geojson"):
        load_demo(store, tmp_path)
    write_demo(tmp_path)
    (tmp_path / "plans.json").unlink()
    with pytest.raises(ImportFormatError, match="plans.json"):
        load_demo(store, tmp_path)
    assert store.is_empty()
    store.close()


def test_the_buurten_are_the_real_cbs_boundaries(demo):
    """The demo's buurten are the generalised CBS buurten of 2022 (data/demo,
    CC BY 4.0), not schematic shapes: each matches its source polygon."""
    import json

    from shapely.geometry import shape

    from geo.crs import to_store

    source = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    assert len(source["features"]) == 11
    for f in source["features"]:
        real = to_store(shape(f["geometry"]), "EPSG:4326")
        ours = demo.area(f["properties"]["statcode"]).geometry
        assert demo.area(f["properties"]["statcode"]).name == f["properties"]["statnaam"]
        assert shapely.symmetric_difference(real, ours).area <= 1e-4 * real.area + 50
    assert 31.0e6 <= demo.area("GM1771").geometry.area <= 31.5e6


def test_the_attribution_travels_with_the_boundary_file():
    readme = (DEMO_DIR / "README.md").read_text(encoding="utf-8")
    assert "Bron: CBS/Kadaster, bewerking cartomap" in readme and "CC BY 4.0" in readme
