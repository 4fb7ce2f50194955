"""Carrying out the agenda: partner accounts, progress updates, photos,
staleness, the year team and the programme export (geo.execution)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from geo import auth
from geo import model as m
from geo.access import Actor
from geo.errors import NotFound, PermissionDenied, ValidationError
from geo.execution import export, partners, photos, team, updates
from tests.common import small_world

ADMIN = Actor("beheer", "admin")
PLANNER = Actor("anna", "planner")
LEV = Actor("lev", "partner", partner="LEVgroep")
WOON = Actor("woon", "partner", partner="Wooninc.")
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def world(store):
    store.add_all(small_world())
    store.add(m.Partner("LEVgroep", kind="welfare"))
    store.add(m.Partner("Wooninc.", kind="housing_corporation"))
    plan = store.add(m.Plan("BU99990000", "Wijkontwikkelingsplan Noord", stage="in_execution", year=2025))
    other = store.add(m.Plan("BU99990001", "Wijkontwikkelingsplan Zuid", stage="analysis", year=2026))
    store.add(m.Activity(title="Koffieochtenden", domain="social", lead_partner="LEVgroep", partners=["Wooninc."],
                         start="2026-Q1", end="2026-Q4", status="running", cost_estimate_eur=12000.0,
                         cost_actual_eur=3000.0, buurt_code="BU99990000", plan_id=plan.id))
    store.add(m.Activity(title="Flats aanpassen", domain="spatial", lead_partner="Wooninc.", partners=["LEVgroep"],
                         start="2026-Q1", end="2027-Q4", status="running", cost_estimate_eur=900000.0,
                         cost_actual_eur=100000.0, buurt_code="BU99990000", plan_id=plan.id))
    store.add(m.Activity(title="Bankjes", domain="spatial", lead_partner="Gemeente", start="2027-Q1",
                         end="2027-Q2", status="planned", cost_estimate_eur=3000.0, buurt_code="BU99990001",
                         plan_id=other.id))
    store.add(m.AnalysisItem(plan_id=plan.id, kind="bottleneck", domain="social", text="Eenzaamheid"))
    return store


def jpeg_with_gps(size=(3000, 2000)) -> bytes:
    from PIL import Image

    img = Image.new("RGB", size, (10, 120, 30))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 25.0, 30.0), 3: "E", 4: (5.0, 33.0, 10.0)}  # GPS
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


# --- partner accounts ---------------------------------------------------------------------------
def test_a_partner_account_names_its_organisation_and_signs_in_with_it(world):
    auth.add_user(world, ADMIN, "lev", "partner", "een lang wachtwoord", partner="LEVgroep")
    actor = auth.authenticate(world, "lev", "een lang wachtwoord")
    assert actor == Actor("lev", "partner", partner="LEVgroep")
    assert actor.is_signed_in and not actor.is_staff
    assert world.list(m.AuditEntry, action="users.add")[0].detail == "rol partner, partner LEVgroep"


@pytest.mark.parametrize("role, organisation, message", [
    ("partner", None, "hoort bij een partnerorganisatie"),
    ("partner", "Onbekend", "bestaat niet"),
    ("planner", "LEVgroep", "alleen een account met de rol partner"),
])
def test_partner_binding_is_checked(world, role, organisation, message):
    version = world.data_version()
    with pytest.raises((ValidationError, NotFound), match=message):
        auth.add_user(world, ADMIN, "x", role, "een lang wachtwoord", partner=organisation)
    assert world.data_version() == version


def test_a_session_ends_when_its_organisation_changes(world):
    auth.add_user(world, ADMIN, "lev", "partner", "een lang wachtwoord", partner="LEVgroep")
    actor = auth.authenticate(world, "lev", "een lang wachtwoord")
    assert auth.still_valid(world, actor)
    auth.set_role(world, ADMIN, "lev", "partner", partner="Wooninc.")
    assert not auth.still_valid(world, actor)
    assert auth.authenticate(world, "lev", "een lang wachtwoord").partner == "Wooninc."


def test_a_sso_claim_cannot_make_a_partner(world):
    assert auth.oidc_actor({"email": "x@example.nl", "roles": ["partner"]}, world).role == "resident"


def test_renaming_a_partner_carries_over_to_activities_and_sessions(world):
    auth.add_user(world, ADMIN, "lev", "partner", "een lang wachtwoord", partner="LEVgroep")
    actor = auth.authenticate(world, "lev", "een lang wachtwoord")
    lev = world.list(m.Partner, name="LEVgroep")[0]
    partners.save_partner(world, ADMIN, "LEVgroep Geldrop", "welfare", partner_id=lev.id)
    acts = {a.title: a for a in world.list(m.Activity)}
    assert acts["Koffieochtenden"].lead_partner == "LEVgroep Geldrop"
    assert acts["Flats aanpassen"].partners == ["LEVgroep Geldrop"]
    assert not auth.still_valid(world, actor)  # signs in again, now for the new name
    with pytest.raises(ValidationError, match="al een partnerorganisatie"):
        partners.save_partner(world, ADMIN, "Wooninc.", "welfare", partner_id=lev.id)
    with pytest.raises(PermissionDenied):
        partners.save_partner(world, PLANNER, "Nieuw", "other")


# --- what a partner sees ---------------------------------------------------------------------------
def test_a_partner_sees_its_organisations_activities_only(world):
    seen = partners.visible_activities(world, LEV)
    assert [a.title for a in seen] == ["Koffieochtenden", "Flats aanpassen"]  # the one it leads first
    assert partners.shows_money(LEV, seen[0]) and not partners.shows_money(LEV, seen[1])
    assert partners.visible_activities(world, Actor("x", "partner", partner=None)) == []
    assert len(partners.visible_activities(world, PLANNER)) == 3
    flt = partners.ActivityFilter(quarter="2027-Q2")
    assert [a.title for a in partners.visible_activities(world, LEV, flt)] == ["Flats aanpassen"]
    flt = partners.ActivityFilter(buurten=("BU99990001",))
    assert [a.title for a in partners.visible_activities(world, PLANNER, flt)] == ["Bankjes"]
    with pytest.raises(PermissionDenied):
        partners.visible_activities(world, Actor("bewoner", "resident"))


# --- progress updates ------------------------------------------------------------------------------
def _act(store, title):
    return store.list(m.Activity, title=title)[0]


def test_an_update_becomes_the_activitys_state_and_history(world):
    act = _act(world, "Koffieochtenden")
    u = updates.post_update(world, LEV, act.id, status="running", note="  Elke week 20 bezoekers ",
                            spent_eur="4.500,00".replace(".", ""), percent_done=55, next_step="Vervoer regelen",
                            now=NOW)
    assert (u.author, u.organisation, u.note, u.spent_eur, u.percent_done) == (
        "lev", "LEVgroep", "Elke week 20 bezoekers", 4500.0, 55)
    stored = world.get(m.Activity, act.id)
    assert (stored.status, stored.cost_actual_eur) == ("running", 4500.0)
    later = updates.post_update(world, LEV, act.id, status="done", note="Afgerond", spent_eur=11800,
                                now=NOW + dt.timedelta(days=30))
    assert later.percent_done == 100
    assert [h.note for h in updates.history(world, act.id)] == ["Afgerond", "Elke week 20 bezoekers"]
    stored = world.get(m.Activity, act.id)
    assert (stored.status, stored.cost_actual_eur) == ("done", 11800.0)
    audit = world.list(m.AuditEntry, action="activity.update")
    assert [(e.user, e.target) for e in audit] == [("lev", str(act.id))] * 2


def test_a_partner_is_refused_on_another_organisations_activity(world):
    act = _act(world, "Flats aanpassen")  # LEVgroep takes part, Wooninc. leads
    version = world.data_version()
    with pytest.raises(PermissionDenied, match="trekker"):
        updates.post_update(world, LEV, act.id, status="done", note="Klaar", now=NOW)
    assert world.data_version() == version
    assert world.get(m.Activity, act.id).status == "running"
    updates.post_update(world, WOON, act.id, status="running", note="Tweede flat klaar", now=NOW)
    updates.post_update(world, PLANNER, act.id, status="running", note="Gecontroleerd", now=NOW)
    for stranger in (Actor("bewoner", "resident"), Actor("vastgoed", "real-estate")):
        with pytest.raises(PermissionDenied):
            updates.post_update(world, stranger, act.id, status="running", note="x", now=NOW)


@pytest.mark.parametrize("changes, field", [
    ({"note": "   "}, "note"),
    ({"note": "x" * 2001}, "note"),
    ({"status": "finished"}, "status"),
    ({"percent_done": 150}, "percent_done"),
    ({"percent_done": "veel"}, "percent_done"),
    ({"spent_eur": -5}, "spent_eur"),
    ({"spent_eur": float("nan")}, "spent_eur"),
    ({"status": "done", "percent_done": 50}, "percent_done"),
    ({"status": "planned", "spent_eur": 200}, "cost_actual_eur"),  # the agenda's rule: planned work spent nothing
    ({"photo": b"not an image at all"}, "foto"),
])
def test_a_refused_update_writes_nothing_and_names_the_field(world, changes, field):
    act = _act(world, "Koffieochtenden")
    args = {"status": "running", "note": "Goed bezig", "spent_eur": None, "percent_done": None} | changes
    version = world.data_version()
    with pytest.raises(ValidationError) as err:
        updates.post_update(world, LEV, act.id, now=NOW, **args)
    assert err.value.where == field
    assert updates.refusal(err.value).split(":")[0] in updates.FIELD_NAMES.values()
    assert world.data_version() == version
    assert world.count(m.ActivityUpdate) == 0 and world.count(m.UpdatePhoto) == 0


def test_an_unknown_activity_is_a_clear_error(world):
    with pytest.raises(NotFound, match="bestaat niet"):
        updates.post_update(world, PLANNER, 999, status="running", note="x", now=NOW)


# --- photos ------------------------------------------------------------------------------------------
def test_a_photo_is_reencoded_small_and_without_metadata(world):
    from PIL import Image

    act = _act(world, "Koffieochtenden")
    raw = jpeg_with_gps()
    assert b"CameraMaker" in raw
    u = updates.post_update(world, LEV, act.id, status="running", note="Met foto", photo=raw, now=NOW)
    pic = updates.photo(world, u.photo_id)
    assert pic.content_type == "image/jpeg" and max(pic.width, pic.height) == 1600
    assert b"CameraMaker" not in pic.data and b"Exif" not in pic.data
    with Image.open(io.BytesIO(pic.data)) as img:
        assert img.format == "JPEG" and not img.getexif() and img.size == (1600, 1067)


def test_a_png_with_transparency_becomes_a_jpeg():
    from PIL import Image

    raw = io.BytesIO()
    Image.new("RGBA", (40, 30), (255, 0, 0, 0)).save(raw, format="PNG")
    pic = photos.prepare_photo(raw.getvalue())
    with Image.open(io.BytesIO(pic.data)) as img:
        assert img.mode == "RGB" and img.size == (40, 30) and img.getpixel((5, 5))[0] > 240


@pytest.mark.parametrize("make, message", [
    (lambda: b"", "leeg"),
    (lambda: b"GIF89a" + b"\x00" * 100, "geen leesbare"),
    (lambda: jpeg_with_gps((200, 100))[:300], "beschadigd"),
    (lambda: b"x" * (2 * 1024 * 1024 + 1), "te groot"),
])
def test_bad_photos_are_refused(make, message):
    with pytest.raises(ValidationError, match=message):
        photos.prepare_photo(make(), max_upload_mb=2)


def test_a_gif_is_not_accepted_even_when_valid():
    from PIL import Image

    raw = io.BytesIO()
    Image.new("RGB", (10, 10)).save(raw, format="GIF")
    with pytest.raises(ValidationError, match="alleen JPEG- of PNG"):
        photos.prepare_photo(raw.getvalue())


def test_a_decompression_bomb_is_refused_before_decoding():
    from PIL import Image

    raw = io.BytesIO()
    Image.new("1", (12_000, 6_000)).save(raw, format="PNG")  # small file, 72 megapixels
    assert len(raw.getvalue()) < 1024 * 1024
    with pytest.raises(ValidationError, match="te veel pixels"):
        photos.prepare_photo(raw.getvalue())


# --- staleness and the feed --------------------------------------------------------------------------
def _update(activity_id, day, **kw):
    return m.ActivityUpdate(activity_id=activity_id, at=f"{day}T10:00:00+00:00", author="a", status="running", **kw)


def test_open_activities_without_recent_progress_are_flagged():
    running = m.Activity("Loopt", "social", status="running", start="2026-Q1", end="2026-Q4", id=1)
    quiet = m.Activity("Stil", "social", status="running", start="2026-Q1", end="2026-Q4", id=2)
    never = m.Activity("Nooit", "social", status="running", start="2026-Q1", end="2026-Q4", id=3)
    due = m.Activity("Had moeten starten", "social", status="planned", start="2026-Q3", end="2026-Q4", id=4)
    later = m.Activity("Later", "social", status="planned", start="2027-Q3", end="2027-Q4", id=5)
    done = m.Activity("Klaar", "social", status="done", start="2026-Q1", end="2026-Q2", id=6)
    ups = [_update(1, "2026-11-01"), _update(2, "2026-08-01"), _update(2, "2026-09-20"), _update(6, "2026-01-01")]
    today = dt.date(2026, 12, 1)
    stale = updates.stale_activities([running, quiet, never, due, later, done], ups, today, after_weeks=8)
    assert [(s.activity.title, s.days) for s in stale] == [("Had moeten starten", None), ("Nooit", None),
                                                           ("Stil", 72)]
    assert [s.activity.title for s in updates.stale_activities([quiet], ups, today, after_weeks=11)] == []


def test_the_feed_lists_the_latest_updates_and_hides_other_organisations_money(world):
    coffee, flats = _act(world, "Koffieochtenden"), _act(world, "Flats aanpassen")
    updates.post_update(world, LEV, coffee.id, status="running", note="een", spent_eur=100, now=NOW)
    updates.post_update(world, WOON, flats.id, status="running", note="twee", spent_eur=200000,
                        now=NOW + dt.timedelta(hours=1))
    items = updates.feed(world, LEV)
    assert [(i.update.note, i.plan_title, i.show_money) for i in items] == [
        ("twee", "Wijkontwikkelingsplan Noord", False), ("een", "Wijkontwikkelingsplan Noord", True)]
    assert all(i.show_money for i in updates.feed(world, PLANNER))
    rows = updates.history_rows(updates.history(world, flats.id), show_money=False)
    assert "Uitgegeven" not in rows[0]


def test_partner_rows_say_how_each_partner_is_doing(world):
    coffee = _act(world, "Koffieochtenden")
    updates.post_update(world, LEV, coffee.id, status="running", note="een", percent_done=40, now=NOW)
    rows = updates.partner_rows(world.list(m.Activity), world.list(m.ActivityUpdate), dt.date(2026, 12, 1))
    by = {r["Partner"]: r for r in rows}
    assert by["LEVgroep"]["Gem. % klaar (trekker)"] == 40 and by["LEVgroep"]["Zonder recente voortgang"] == 0
    assert by["Wooninc."]["Zonder recente voortgang"] == 1 and by["Wooninc."]["Laatste melding"] == "20-11-2026"


def test_the_config_file_is_read_and_checked(tmp_path):
    assert updates.load_config().stale_after_weeks == 8
    path = tmp_path / "execution.toml"
    path.write_text("stale_after_weeks = 4\n", encoding="utf-8")
    assert updates.load_config(path).stale_after_weeks == 4
    from geo.errors import ConfigError

    path.write_text("stale_after_weeks = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="positief"):
        updates.load_config(path)
    path.write_text("stale_weeks = 4\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="onbekende instelling"):
        updates.load_config(path)


# --- the year team -----------------------------------------------------------------------------------
def test_a_year_team_with_points_and_meetings(world):
    plan = world.list(m.Plan, area_code="BU99990000")[0]
    coffee = _act(world, "Koffieochtenden")
    item = world.list(m.AnalysisItem)[0]
    members = [{"name": " Anna ", "organisation": "Gemeente", "role": "voorzitter"},
               {"name": None, "organisation": None, "role": None},  # the editor's empty row
               {"name": "Bram", "organisation": "LEVgroep", "role": float("nan")}]
    saved = team.save_team(world, PLANNER, plan.id, 2026, members, [coffee.id, coffee.id], [item.id])
    assert saved.members == [{"name": "Anna", "organisation": "Gemeente", "role": "voorzitter"},
                             {"name": "Bram", "organisation": "LEVgroep", "role": ""}]
    assert saved.activity_ids == [coffee.id]
    again = team.save_team(world, PLANNER, plan.id, 2026, saved.members[:1], [], [])
    assert again.id == saved.id and world.count(m.YearTeam) == 1
    team.add_meeting(world, PLANNER, saved.id, dt.date(2026, 2, 10), "Speerpunten vastgesteld")
    (view,) = team.team_views(world, [plan.id])
    assert [mt.decisions for mt in view.meetings] == ["Speerpunten vastgesteld"]
    assert world.count(m.AuditEntry, action="team.save") == 2


def test_a_team_refuses_points_of_another_plan_and_nameless_members(world):
    plan = world.list(m.Plan, area_code="BU99990000")[0]
    elsewhere = _act(world, "Bankjes")
    version = world.data_version()
    with pytest.raises(ValidationError, match="hoort niet bij dit plan"):
        team.save_team(world, PLANNER, plan.id, 2026, [], [elsewhere.id])
    with pytest.raises(ValidationError, match="naam"):
        team.save_team(world, PLANNER, plan.id, 2026, [{"name": "", "organisation": "LEVgroep"}])
    with pytest.raises(PermissionDenied):
        team.save_team(world, LEV, plan.id, 2026, [])
    with pytest.raises(NotFound, match="sla eerst het team op"):
        team.add_meeting(world, PLANNER, 999, "2026-01-01", "x")
    assert world.data_version() == version
    saved = team.save_team(world, PLANNER, plan.id, 2026, [])
    with pytest.raises(ValidationError, match="geen datum"):
        team.add_meeting(world, PLANNER, saved.id, "31-02-2026", "x")
    with pytest.raises(ValidationError, match="verplicht"):
        team.add_meeting(world, PLANNER, saved.id, "2026-02-01", "  ")


# --- the programme export ------------------------------------------------------------------------------
def test_the_programme_workbook_has_a_sheet_per_plan_and_neutralised_text(world):
    from openpyxl import load_workbook

    coffee = _act(world, "Koffieochtenden")
    updates.post_update(world, LEV, coffee.id, status="running", note='=HYPERLINK("https://evil.example","klik")',
                        next_step="@SUM(A1:A2)", percent_done=30, spent_eur=4000, now=NOW)
    data = export.programme_xlsx(world, PLANNER, dt.date(2026, 12, 1))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Programma", "Noord", "Zuid"]
    summary = [[c.value for c in row] for row in wb["Programma"].iter_rows()]
    assert summary[1][:5] == ["Wijkontwikkelingsplan Noord", "Noord", 2025, "In uitvoering", 2]
    assert summary[1][-1] == 104000  # money spent, from the updates
    rows = [[c.value for c in row] for row in wb["Noord"].iter_rows()]
    header = rows[0]
    by_title = {r[0]: r for r in rows[1:]}
    first = by_title["Koffieochtenden"]
    assert first[header.index("Toelichting")] == '\'=HYPERLINK("https://evil.example","klik")'
    assert first[header.index("Volgende stap")] == "'@SUM(A1:A2)"
    assert first[header.index("% klaar")] == 30 and first[header.index("geen recente voortgang")] is None
    assert by_title["Flats aanpassen"][header.index("geen recente voortgang")] == "ja"  # never reported
    with pytest.raises(PermissionDenied):
        export.programme_xlsx(world, LEV, dt.date(2026, 12, 1))


def test_long_or_odd_plan_titles_make_valid_unique_sheet_names():
    used = {"programma"}
    names = [export._sheet_title(t, used) for t in ("Wijkontwikkelingsplan A/B: [test]?",
                                                   "Een heel erg lange plannaam die niet past in een blad",
                                                   "Een heel erg lange plannaam die niet past in een blad")]
    assert not any(ch in names[0] for ch in "[]:*?/\\")
    assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == 3


# --- the team in the plan document --------------------------------------------------------------------
def test_the_plan_document_shows_the_year_team(world, tmp_path):
    from pypdf import PdfReader

    from geo.report import gather
    from geo.report.html import render_html
    from geo.report.pdf import render_pdf

    plan = world.list(m.Plan, area_code="BU99990000")[0]
    saved = team.save_team(world, PLANNER, plan.id, 2026, [{"name": "Anna <b>", "organisation": "Gemeente",
                                                            "role": "voorzitter"}],
                           [_act(world, "Koffieochtenden").id])
    team.add_meeting(world, PLANNER, saved.id, "2026-02-10", "Koffieochtenden krijgen voorrang")
    data = gather(world, "BU99990000", dt.date(2026, 12, 1))
    html = render_html(data)
    assert "Jaarteam 2026" in html and "Anna &lt;b&gt;" in html and "Koffieochtenden krijgen voorrang" in html
    path = tmp_path / "plan.pdf"
    path.write_bytes(render_pdf(data))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)
    assert "Jaarteam 2026" in text and "Koffieochtenden krijgen voorrang" in text


# --- the command line ---------------------------------------------------------------------------------
def test_cli_creates_a_partner_account_and_refuses_a_missing_organisation(tmp_path, monkeypatch, capsys):
    import json
    import sys

    from geo.bootstrap import init_database
    from geo.cli import main
    from geo.store import open_store

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    init_database(url, demo=True)[0].close()
    monkeypatch.setattr(sys, "stdin", io.StringIO("een lang wachtwoord\n"))
    assert main(["--db", url, "users", "add", "lev", "--role", "partner", "--partner", "LEVgroep", "--json",
                 "--password-stdin"]) == 0
    assert json.loads(capsys.readouterr().out)["partner"] == "LEVgroep"
    for extra, needle in (([], "--partner NAAM"), (["--partner", "Onbekend"], "'Onbekend' bestaat niet")):
        monkeypatch.setattr(sys, "stdin", io.StringIO("een lang wachtwoord\n"))
        assert main(["--db", url, "users", "add", "x", "--role", "partner", "--password-stdin", *extra]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.strip().count("\n") == 0 and needle in err
    store = open_store(url)
    try:
        assert [u.name for u in store.list(m.User)] == ["lev"]
    finally:
        store.close()


def test_deleting_an_activity_takes_its_updates_along(world):
    from geo import agenda

    coffee = _act(world, "Koffieochtenden")
    updates.post_update(world, LEV, coffee.id, status="running", note="een", photo=jpeg_with_gps((50, 40)), now=NOW)
    plan = world.list(m.Plan, area_code="BU99990000")[0]
    team.save_team(world, PLANNER, plan.id, 2026, [], [coffee.id])
    agenda.delete_activity(world, PLANNER, coffee.id)
    assert world.count(m.ActivityUpdate) == 0
    (view,) = team.team_views(world, [plan.id])
    assert view.activities == []  # the team no longer lists it
    assert updates.feed(world, PLANNER) == []
