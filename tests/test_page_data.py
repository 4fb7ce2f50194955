"""AppTest of the data page ``gegevens``: export for staff, preview-then-import for admins.

AppTest cannot fill ``st.file_uploader``; the tests put a file where the
page keeps its saved upload (``data_file`` in the session, as the uploader
branch does after saving) and drive everything after that with widgets.
"""

from __future__ import annotations

import pytest

from geo import model as m
from geo.store import open_store
from test_io_fixtures import points_frame, write
from shapely.geometry import Point

IN_BRAAKHUIZEN = Point(166300, 380150)  # a demo meeting place's spot, in BU17710005


def uploaded(path, name=None):
    return {"data_file": {"path": str(path), "name": name or path.name, "token": "t" + path.stem}}


def counts(url):
    s = open_store(url)
    try:
        return {c.__name__: s.count(c) for c in (m.Area, m.MeetingPlace, m.RealEstate, m.AuditEntry)}
    finally:
        s.close()


def test_planner_exports_but_cannot_import(apptest):
    at = apptest("gegevens", role="planner")
    assert not at.exception
    assert at.title[0].value == "Gegevens importeren en exporteren"
    texts = [x.value for x in at.markdown]
    assert "Gebieden (gemeente, wijken, buurten)" in texts and "38" in texts
    assert not at.dataframe
    assert not at.radio  # no import section
    assert any("alleen voor beheerders" in x.value for x in at.info)
    assert not at.checkbox  # no contacts option either


def test_resident_and_moderator_cannot_open_it(apptest):
    from geo.access import ANONYMOUS, Actor, page_allowed

    assert not page_allowed(ANONYMOUS, "gegevens")
    assert not page_allowed(Actor("m", "moderator"), "gegevens")
    at = apptest(role="moderator")
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/data.py")  # the frame does not even offer it


def test_admin_previews_maps_and_imports_meeting_places(apptest, app_env, tmp_path):
    frame = points_frame([
        {"Plek": "Trapveld Zuid", "Wat": "sportveld", "geometry": IN_BRAAKHUIZEN},
        {"Plek": "Plein <b>Oost</b>", "Wat": "plein", "geometry": Point(166350, 380200)},
        {"Plek": "Ver weg", "Wat": "park", "geometry": Point(100000, 400000)},
    ])
    path = write(frame, tmp_path / "plekken.gpkg", "gpkg")
    before = counts(app_env)
    at = apptest("gegevens", role="admin", **uploaded(path))
    assert not at.exception
    at.radio(key="data_kind").set_value("meeting-places").run()
    assert not at.exception
    preview = at.dataframe[0].value
    assert list(preview["Plek"]) == ["Trapveld Zuid", "Plein <b>Oost</b>", "Ver weg"]
    # columns the app cannot guess: the name and kind fields are still empty, so nothing can be imported yet
    assert at.error and "geen kolom voor name, kind" in at.error[0].value
    assert not [b for b in at.button if b.key == "data_commit"]
    at.selectbox(key="data_map_tplekken_meeting-places_name").set_value("Plek")
    at.selectbox(key="data_map_tplekken_meeting-places_kind").set_value("Wat").run()
    assert not at.exception and not at.error
    metrics = {x.label: x.value for x in at.metric}
    assert metrics["Importeren"] == "2" and metrics["Overgeslagen"] == "1"
    assert counts(app_env) == before  # preview wrote nothing
    at.button(key="data_commit").click().run()
    assert not at.exception
    after = counts(app_env)
    assert after["MeetingPlace"] == before["MeetingPlace"] + 2
    assert after["AuditEntry"] == before["AuditEntry"] + 1
    assert any("2 objecten geïmporteerd" in x.value for x in at.success)
    assert not [b for b in at.button if b.key == "data_commit"]  # no second import of the same file
    s = open_store(app_env)
    plein = s.list(m.MeetingPlace, name="Plein <b>Oost</b>")[0]
    assert plein.kind == "square" and plein.buurt_code == _buurt_at(app_env, Point(166350, 380200)) is not None


def test_admin_sees_row_error_and_nothing_is_written(apptest, app_env, tmp_path):
    path = tmp_path / "vastgoed.csv"
    path.write_text("naam;conditie;x;y\nA;2;166300;380150\nB;9;166300;380150\n")
    before = counts(app_env)
    at = apptest("gegevens", role="admin", **uploaded(path))
    at.radio(key="data_kind").set_value("real-estate").run()
    assert not at.exception
    assert "vastgoed.csv: rij 2, veld 'conditie'" in at.error[0].value
    assert not [b for b in at.button if b.key == "data_commit"]
    assert counts(app_env) == before


def test_unreadable_file_is_one_clear_error(apptest, tmp_path):
    path = tmp_path / "kapot.gpkg"
    path.write_bytes(b"not a geopackage at all")
    at = apptest("gegevens", role="admin", **uploaded(path))
    assert not at.exception
    assert at.error[0].value.startswith("kapot.gpkg: heet .gpkg maar is geen GeoPackage")


def test_admin_imports_real_ermelo_boundaries(apptest, app_env, real_data, tmp_path):
    import shutil

    path = tmp_path / "ermelo.gpkg"
    shutil.copy(real_data / "cmp_ermelo_cbs_buurten_GM0233.gpkg", path)
    before = counts(app_env)
    at = apptest("gegevens", role="admin", **uploaded(path))
    assert not at.exception
    assert at.radio(key="data_kind").value == "boundaries"
    metrics = {x.label: x.value for x in at.metric}
    assert metrics["Importeren"] == "21" and metrics["Nieuw"] == "21"
    assert any("GM0233" in x.value for x in at.text)
    at.button(key="data_commit").click().run()
    assert not at.exception
    assert counts(app_env)["Area"] == before["Area"] + 21


def test_bgt_preset_is_preselected(apptest, real_data, tmp_path):
    import shutil

    path = tmp_path / "bgt.gpkg"
    shutil.copy(real_data / "cmp_harderwijk_bgtplus_functioneelgebied_G0243.gpkg", path)
    at = apptest("gegevens", role="admin", **uploaded(path))
    at.radio(key="data_kind").set_value("meeting-places").run()
    assert at.selectbox(key="data_preset_tbgt_meeting-places").value == "bgt"
    # Harderwijk lies outside the demo municipality: refused until asked for
    assert "buiten de gemeente: 256" in at.error[0].value
    at.checkbox(key="data_outside_tbgt").check().run()
    assert not at.exception and not at.error
    assert {x.label: x.value for x in at.metric}["Importeren"] == "256"


def test_english(apptest):
    at = apptest("gegevens", role="admin", lang="en")
    assert not at.exception
    assert at.title[0].value == "Import and export data"


def test_reimport_warns_about_stored_buurten_missing_from_the_file(apptest, app_env, tmp_path):
    from geo.io.export import layer_frame

    s = open_store(app_env)
    frame = layer_frame(s, "areas")
    s.close()
    frame = frame[(frame["level"] == "buurt") & (frame["code"] != "BU17710009")]
    path = write(frame, tmp_path / "buurten2024.gpkg", "gpkg")
    at = apptest("gegevens", role="admin", **uploaded(path))
    assert not at.exception
    metrics = {x.label: x.value for x in at.metric}
    assert metrics["Vervangen"] == "10"
    warning = [w.value for w in at.warning if "niet in dit bestand" in w.value]
    assert warning and "BU17710009" in warning[0] and warning[0].startswith("1 gebied")
    at.button(key="data_commit").click().run()
    assert not at.exception
    assert open_store(app_env).exists(m.Area, "BU17710009")  # kept, as the warning says


def test_mapping_step_in_english_names_fields_for_people(apptest, tmp_path):
    path = tmp_path / "gebouwen.csv"
    path.write_text("naam;bezetting;x;y\nDe Kievit;80;166300;380150\n", encoding="utf-8")
    at = apptest("gegevens", role="admin", lang="en", **uploaded(path))
    at.radio(key="data_kind").set_value("real-estate").run()
    assert not at.exception
    assert list(at.dataframe[0].value.columns) == ["naam", "bezetting", "geometry"]
    labels = {sb.label for sb in at.selectbox if sb.key and "data_map_" in sb.key}
    assert "Name (name) — required" in labels and "Occupancy (%) (occupancy_pct)" in labels
    assert not [lb for lb in labels if lb in ("name", "occupancy_pct", "policy")]  # no bare field names
    nl = apptest("gegevens", role="admin", **uploaded(path))
    nl.radio(key="data_kind").set_value("real-estate").run()
    assert "geometrie" in nl.dataframe[0].value.columns
    assert "Naam (name) — verplicht" in {sb.label for sb in nl.selectbox}


def _buurt_at(url, point):
    from geo.spatial import AreaIndex

    s = open_store(url)
    try:
        return AreaIndex.from_store(s, "buurt").code_at(point)
    finally:
        s.close()


def _address_points(url):
    """Three BAG address points in the demo (beside each other, in one buurt) for the workbook's addresses."""
    s = open_store(url)
    s.bulk_add(m.AddressPoint, {
        "geometry": [Point(166300, 380150), Point(166320, 380150), Point(166340, 380160)],
        "postcode": ["5664HV", "5662JG", "5662JG"], "house_number": [12, 3, 3], "house_letter": ["", "A", "B"],
        "street": ["Hofdael", "Kasteellaan", "Kasteellaan"], "place": ["Geldrop"] * 3,
        "bag_id": ["1771010000000001", "1771010000000002", "1771010000000003"],
        "buurt_code": [_buurt_at(url, Point(166300, 380150))] * 3,
    })
    s.close()


def test_admin_imports_an_excel_sheet_of_addresses_and_places_the_rest_later(apptest, app_env, tmp_path):
    import datetime as dt

    from tests.workbooks import vastgoed_xlsx

    _address_points(app_env)
    rows = [["De Smelt", "5664 HV", 12, "Geldrop", 0.85, 1234567.5, dt.date(2026, 3, 1), "behouden"],
            ["Het Huis", "5662jg", "3", "Geldrop", 0.5, "1.234,50", dt.date(2025, 1, 2), "flexibel"]]
    path = vastgoed_xlsx(tmp_path / "vastgoed.xlsx", rows)
    before = counts(app_env)
    at = apptest("gegevens", role="admin", **uploaded(path))
    at.radio(key="data_kind").set_value("real-estate").run()
    assert not at.exception and not at.error
    sheet = at.selectbox(key="data_layer_tvastgoed")
    assert sheet.label == "Blad in de werkmap" and sheet.value == "Vastgoed"
    assert sheet.options == ["Toelichting", "Vastgoed", "Grafiek"]
    script = at.get("component_instance")[0].proto.json_args
    assert "#1 De Smelt" in script  # placed on the preview map at its address
    assert any("geen coördinaten" in c.value for c in at.caption)
    texts = [x.value for x in at.text]
    assert "Geplaatst via postcode en huisnummer: 1" in texts
    assert "1 rij(en) konden niet op adres geplaatst worden." in at.warning[0].value
    unplaced = at.dataframe[-1].value
    assert list(unplaced["Reden"]) == ["adres niet eenduidig: 2 adressen met huisnummer 3"]
    assert "Kasteellaan 3A, 5662 JG Geldrop" in unplaced["Dichtstbijzijnde adressen"][0]
    at.checkbox(key="data_keep_tvastgoed").check().run()
    assert "1 worden bewaard om later te plaatsen." in at.warning[0].value
    at.button(key="data_commit").click().run()
    assert not at.exception
    after = counts(app_env)
    assert after["RealEstate"] == before["RealEstate"] + 1
    s = open_store(app_env)
    (pending,) = s.list(m.PendingPlace)
    smelt = s.list(m.RealEstate, name="De Smelt")[0]
    assert smelt.occupancy_pct == 85 and smelt.geometry.equals(Point(166300, 380150))
    # place the kept row on one of its candidate addresses
    at = apptest("gegevens", role="admin")
    assert not at.exception
    assert at.selectbox(key="data_pending_row").value.id == pending.id
    at.radio(key=f"data_pending_pick_{pending.id}").set_value(1).run()
    at.button(key="data_pending_place").click().run()
    assert not at.exception and not at.error
    huis = s.list(m.RealEstate, name="Het Huis")[0]
    assert huis.geometry.equals(Point(166340, 380160))
    assert huis.buurt_code == _buurt_at(app_env, Point(166340, 380160)) is not None
    assert huis.policy == "flexible" and huis.book_value_eur == 1234.5
    assert s.count(m.PendingPlace) == 0


def test_pending_row_found_by_postcode_lookup(apptest, app_env):
    _address_points(app_env)
    s = open_store(app_env)
    s.add(m.PendingPlace(layer="meeting-places", data={"name": "Buurthuis", "kind": "building"},
                         address="Onbekendstraat 1", reason="adres niet gevonden"))
    at = apptest("gegevens", role="admin")
    pid = s.list(m.PendingPlace)[0].id
    at.text_input(key=f"data_pending_pc_{pid}").input("5664 hv").run()
    radio = at.radio(key=f"data_pending_pick_{pid}")
    assert radio.options == ["Hofdael 12, 5664 HV Geldrop"]
    at.button(key="data_pending_place").click().run()
    assert not at.exception
    (place,) = s.list(m.MeetingPlace, name="Buurthuis")
    assert place.geometry.equals(Point(166300, 380150))


def test_excel_downloads_are_offered(apptest):
    at = apptest("gegevens", role="planner")
    keys = {b.key for b in at.get("download_button")}
    assert "data_dl_all_xlsx" in keys and "data_dl_real_estate_xlsx" in keys


def test_pending_row_placed_where_the_map_was_clicked(apptest, app_env):
    from geo.crs import rd_to_lonlat

    s = open_store(app_env)
    s.add(m.PendingPlace(layer="real-estate", data={"name": "Gymzaal", "policy": "keep"},
                         address="Nergensweg 1", reason="adres niet gevonden",
                         candidates=[{"label": "Hofdael 12", "x": 166300.0, "y": 380150.0, "bag_id": ""}]))
    pid = s.list(m.PendingPlace)[0].id
    at = apptest("gegevens", role="admin")
    assert not at.exception
    comp = at.get("component_instance")[-1]
    assert "1. Hofdael 12" in comp.proto.json_args  # the candidate on the placing map
    lon, lat = rd_to_lonlat(166350, 380200)
    at.session_state[comp.key] = {"last_clicked": {"lat": lat, "lng": lon}}
    at.run()
    radio = at.radio(key=f"data_pending_pick_{pid}")
    assert radio.options[0] == "Aangeklikte plek (RD 166350, 380200)" and radio.value == 0
    at.button(key="data_pending_place").click().run()
    assert not at.exception and not at.error
    (gym,) = s.list(m.RealEstate, name="Gymzaal")
    assert gym.geometry.distance(Point(166350, 380200)) < 0.5
    assert gym.buurt_code == _buurt_at(app_env, Point(166350, 380200)) is not None


def test_pending_row_outside_the_gemeente_is_refused(apptest, app_env):
    from geo.access import Actor
    from geo.errors import ValidationError
    from geo.io.pending import place_pending

    s = open_store(app_env)
    s.add(m.PendingPlace(layer="real-estate", data={"name": "Ver weg", "policy": "keep"}))
    pid = s.list(m.PendingPlace)[0].id
    with pytest.raises(ValidationError, match="buiten de buurten"):
        place_pending(s, Actor("a", "admin"), pid, Point(100000, 400000))
    assert s.count(m.PendingPlace) == 1 and not s.list(m.RealEstate, name="Ver weg")
