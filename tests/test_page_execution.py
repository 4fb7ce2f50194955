"""AppTest of carrying out the agenda: Mijn activiteiten (partner and planner),
the update form (saved, refused with input kept), the year team on the plan
page, the programme manager's sections and the accounts page."""

from __future__ import annotations

import io
import json
import re

import pytest

from geo import model as m
from geo.store import open_store

COFFEE = 4  # Koffieochtenden (LEVgroep leads)
DE_KIEM = 8  # De Kiem verkenning (Gemeente leads, LEVgroep takes part)
FLATS = 11  # Flats levensloopbestendig (Wooninc. leads; LEVgroep not involved)


def frames(at):
    return [d.value for d in at.dataframe]


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_a_partner_sees_its_activities_without_other_organisations_money(apptest):
    at = apptest("mijn-activiteiten", role="partner")
    assert not at.exception
    assert any("LEVgroep trekker is" in c.value for c in at.caption)
    table = frames(at)[0].set_index("Activiteit")
    assert "Flats levensloopbestendig maken" not in table.index  # Wooninc. without LEVgroep
    coffee = table.loc["Koffieochtenden voor ouderen in Dienstencentrum Kettingstraat"]
    assert coffee["Rol"] == "trekker" and coffee["Raming"] == "€ 12.000" and coffee["Laatste melding"] == "28-10-2026"
    kiem = table.loc["Verkenning hergebruik voormalige basisschool De Kiem als buurthuis"]
    assert kiem["Rol"] == "partner" and kiem["Raming"] == "—" and kiem["Uitgegeven"] == "—"  # not shown
    assert any("niet getoond" in c.value for c in at.caption)
    # the map shows the partner's activities only
    (component,) = [el for el in at.get("component_instance") if el.proto.component_name.endswith("st_folium")]
    drawn = set(re.findall(r"activity-(\d+)", json.dumps(json.loads(component.proto.json_args))))
    assert "13" in drawn and str(FLATS) not in drawn  # jongerenwerk (LEVgroep leads), not the flats


def test_a_partner_posts_an_update_with_a_photo(apptest, app_env):
    at = apptest("mijn-activiteiten", role="partner", my_pick=COFFEE)
    assert not at.exception and not at.warning
    at.text_area[0].set_value("Kerstlunch met 30 ouderen")
    at.number_input[0].set_value(8600.0)
    at.number_input[1].set_value(90)
    at.text_input[0].set_value("Evaluatie in januari")
    at.button[0].click().run()  # without a photo (AppTest cannot upload); the photo path is in the unit tests
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Voortgang opgeslagen."]
    s = open_store(app_env)
    try:
        last = s.list(m.ActivityUpdate, order_by="-at", activity_id=COFFEE)[0]
        assert (last.author, last.organisation, last.note, last.spent_eur, last.percent_done) == (
            "test-partner", "LEVgroep", "Kerstlunch met 30 ouderen", 8600.0, 90)
        assert s.get(m.Activity, COFFEE).cost_actual_eur == 8600.0
        assert s.list(m.AuditEntry, action="activity.update")[-1].user == "test-partner"
    finally:
        s.close()
    assert frames(at)[1].iloc[0]["Toelichting"] == "Kerstlunch met 30 ouderen"  # history, newest first


def test_a_refused_update_keeps_what_was_typed(apptest, app_env):
    at = apptest("mijn-activiteiten", role="partner", my_pick=COFFEE)
    at.number_input[1].set_value(40)
    at.text_input[0].set_value("Vervoer regelen")
    at.button[0].click().run()  # no note
    assert not at.exception
    assert [e.value for e in at.error] == ["Niet opgeslagen — toelichting: schrijf kort wat er is gebeurd"]
    assert at.number_input[1].value == 40 and at.text_input[0].value == "Vervoer regelen"
    s = open_store(app_env)
    try:
        assert s.count(m.ActivityUpdate, activity_id=COFFEE) == 2  # the demo's two, nothing added
    finally:
        s.close()


def test_a_partner_gets_no_form_on_an_activity_it_does_not_lead(apptest):
    at = apptest("mijn-activiteiten", role="partner", my_pick=DE_KIEM)
    assert not at.exception
    assert any("trekker is" in w.value and "Gemeente Geldrop-Mierlo" in w.value for w in at.warning)
    assert not at.text_area and not [b for b in at.button if b.key != "auth_signout"]


def test_a_partner_account_without_organisation_is_told_so(apptest):
    at = apptest("mijn-activiteiten", role="partner", partner=None)
    assert not at.exception
    assert any("niet bij een partnerorganisatie" in w.value for w in at.warning)
    assert not at.dataframe


def test_a_planner_sees_every_activity_and_filters_by_organisation(apptest):
    at = apptest("mijn-activiteiten", role="planner")
    assert not at.exception
    assert len(frames(at)[0]) == 30
    at = apptest("mijn-activiteiten", role="planner", my_f_org="Wooninc.", my_pick=FLATS)
    assert set(frames(at)[0]["Activiteit"]) >= {"Flats levensloopbestendig maken"}
    assert len(frames(at)[0]) == 5
    assert at.text_area  # a planner may report on any activity


def test_programme_partners_feed_and_teams(apptest):
    at = apptest("programma", role="planner", programme_section="partners")
    assert not at.exception
    partners = frames(at)[0].set_index("Partner")
    assert {"Zonder recente voortgang", "Gem. % klaar (trekker)", "Laatste melding"} <= set(partners.columns)
    stale = frames(at)[1]
    assert "Cruijff Court Braakhuizen-Zuid: haalbaarheid en kostenraming" in set(stale["Activiteit"])
    at = apptest("programma", role="planner", programme_section="feed")
    assert not at.exception
    assert "Speelplek voor jonge kinderen" in at.markdown[0].value
    assert any(type(el).__name__ == "Image" or el.type == "imgs" for el in at.main)
    at = apptest("programma", role="planner", programme_section="teams")
    assert not at.exception
    assert any("Wijkregisseur Braakhuizen" in set(f.get("Naam", [])) for f in frames(at))
    at = apptest("programma", role="planner", programme_section="dashboard")
    metrics = {mt.label: mt.value for mt in at.metric}
    assert int(metrics["Geen recente voortgang"]) >= 2
    assert any("laatste voortgangsmelding" in c.value for c in at.caption)
    assert at.get("download_button")


def test_the_year_team_on_the_plan_page(apptest, app_env):
    at = apptest("plan", role="planner", plan_pick="BU17710005", plan_section="team",
                 **{"plan_team_year_6": 2025})
    assert not at.exception
    members = frames(at)[0]
    assert "Directeur kindcentrum" in set(members["name"])
    assert any("Speerpunten 2025" in str(v) for f in frames(at)[1:] for v in f.values.ravel())


def test_admin_creates_a_partner_account_and_a_mistake_keeps_the_form(apptest, app_env):
    at = apptest("beheer", role="admin")
    assert not at.exception
    at.text_input(key="admin_new_name").set_value("wooninc-anna")
    at.selectbox(key="admin_new_role").set_value("partner")
    at.selectbox(key="admin_new_partner").set_value("Wooninc.")
    at.text_input(key="admin_new_password").set_value("een lang wachtwoord")
    at.text_input(key="admin_new_password2").set_value("een ander wachtwoord")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["de twee wachtwoorden verschillen"]
    assert at.text_input(key="admin_new_name").value == "wooninc-anna"
    at.text_input(key="admin_new_password2").set_value("een lang wachtwoord")
    at.button[0].click().run()
    assert not at.exception and [s.value for s in at.success] == ["Account wooninc-anna aangemaakt."]
    s = open_store(app_env)
    try:
        (user,) = s.list(m.User, name="wooninc-anna")
        assert user.role == "partner" and s.get(m.Partner, user.partner_id).name == "Wooninc."
    finally:
        s.close()


@pytest.mark.parametrize("role", ["planner", "partner", "moderator"])
def test_only_admins_reach_the_accounts_page(apptest, role):
    at = apptest(None, role=role)
    with pytest.raises(ValueError):
        at.switch_page("pages/admin.py")


def test_a_partner_sees_the_public_explorer_only(apptest, app_env):
    """No unreviewed resident input (and so no contact details) for partners."""
    s = open_store(app_env)
    inside = s.get(m.Area, "BU17710005").geometry.representative_point()
    s.add(m.Suggestion("other", "NOG-NIET-BEOORDEELD", inside, status="received", buurt_code="BU17710005"))
    s.close()
    at = apptest(role="partner")
    assert not at.exception
    (component,) = [el for el in at.get("component_instance") if el.proto.component_name.endswith("st_folium")]
    assert "NOG-NIET-BEOORDEELD" not in component.proto.json_args
    for page in ("pages/moderation.py", "pages/programme.py", "pages/plan.py", "pages/data.py"):
        with pytest.raises(ValueError):
            apptest(None, role="partner").switch_page(page)


@pytest.mark.parametrize("url_path, role, state", [
    ("mijn-activiteiten", "partner", {"my_pick": COFFEE}),
    ("programma", "planner", {"programme_section": "feed"}),
    ("programma", "planner", {"programme_section": "partners"}),
    ("beheer", "admin", {}),
])
def test_new_views_speak_english(apptest, url_path, role, state):
    at = apptest(url_path, role=role, lang="en", **state)
    assert not at.exception
    shown = " ".join([at.title[0].value] + [c.value for c in at.caption] + [b.label for b in at.button])
    for dutch in ("Mijn activiteiten", "Voortgang", "Laatste melding", "Accounts en partner", "Opslaan"):
        assert dutch not in shown, (dutch, shown)
