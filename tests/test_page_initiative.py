"""AppTest: residents propose an initiative (``initiatief``); staff assess it (``initiatieven``)."""

from __future__ import annotations

from geo import initiatives as I
from geo import model as m
from geo import participation as P
from geo.access import ANONYMOUS
from geo.store import open_store

XSS = "<img src=x onerror=alert(1)> Moestuin"


def _fill(at, **values):
    at.selectbox(key="ini_buurt").select("BU17710005").run()
    at.text_input(key="ini_title").input(values.get("title", XSS))
    at.text_area(key="ini_text").input(values.get("text", "Een moestuin met de buren bij de oude school"))
    at.text_area(key="ini_participants").input("Familie Jansen en 5 buren")
    at.number_input(key="ini_cost").set_value(values.get("cost", 1200.0))
    at.text_input(key="ini_email").input("buur@example.nl")
    return at


def test_resident_proposes_an_initiative(apptest, app_env):
    at = apptest("initiatief")
    assert not at.exception
    assert at.title[0].value == "Zelf iets doen in uw buurt"
    _fill(at)
    at.button(key="ini_submit").click().run()
    assert not at.exception
    s = open_store(app_env)
    (i,) = s.list(m.Initiative)
    assert i.title == XSS and i.buurt_code == "BU17710005" and i.cost_eur == 1200.0
    assert any(i.reference in x.value for x in at.success)
    assert at.text_input(key="ini_title").value == ""  # the form is empty again
    assert s.list(m.InitiativeContact)[0].email == "buur@example.nl"


def test_a_refused_draft_keeps_what_was_typed(apptest, app_env):
    at = _fill(apptest("initiatief"), text="kort")
    at.button(key="ini_submit").click().run()
    assert not at.exception
    assert any("wat:" in e.value for e in at.error)
    assert at.text_input(key="ini_title").value == XSS
    assert open_store(app_env).count(m.Initiative) == 0


def test_staff_approve_into_a_quick_win_and_the_public_sees_it(apptest, app_env):
    s = open_store(app_env)
    i = I.submit(s, ANONYMOUS, I.InitiativeDraft(XSS, "Een moestuin met de buren", "Familie Jansen", 900.0,
                                                 P.pin_in_buurt(s.get(m.Area, "BU17710005"))),
                 P.ParticipationConfig(initiative_per_client=9, initiative_per_minute=9))
    at = apptest("initiatieven", role="planner")
    assert not at.exception
    assert XSS in [x.value for x in at.text]  # shown as text
    assert "Wie doen er mee: Familie Jansen" in [x.value for x in at.text]  # staff see who takes part
    at.text_area(key="inir_reason").input("Past goed bij het plan")
    at.button(key="inir_approve").click().run()
    assert not at.exception
    stored = s.get(m.Initiative, i.id)
    assert stored.status == "approved"
    assert s.get(m.Activity, stored.activity_id).quick_win
    assert any("quick win" in x.value for x in at.success)
    public = apptest("initiatief")
    public.radio(key="ini_view").set_value("list").run()
    texts = [x.value for x in public.text]
    assert f"{XSS}: Een moestuin met de buren" in texts
    assert not any("Jansen" in x for x in texts)


def test_not_eligible_without_a_reason_is_refused(apptest, app_env):
    s = open_store(app_env)
    i = I.submit(s, ANONYMOUS, I.InitiativeDraft("Bankje", "Een bankje bij de vijver", "Wij", 300.0, None,
                                                 "BU17710005"),
                 P.ParticipationConfig(initiative_per_client=9, initiative_per_minute=9))
    at = apptest("initiatieven", role="moderator")
    at.button(key="inir_not_eligible").click().run()
    assert any("reden" in e.value for e in at.error)
    assert s.get(m.Initiative, i.id).status == "received"


def test_the_draft_survives_a_look_at_the_list(apptest):
    at = _fill(apptest("initiatief"))
    at.radio(key="ini_view").set_value("list").run()
    at.radio(key="ini_view").set_value("new").run()
    assert not at.exception
    assert at.text_input(key="ini_title").value == XSS and at.number_input(key="ini_cost").value == 1200.0
