"""AppTest of the residents' page ``meedenken`` through the real frame."""

from __future__ import annotations

import json

from geo import model as m
from geo import participation as P
from geo.clients import Client, record
from geo.crs import rd_to_lonlat
from geo.store import open_store


def _map(at):
    """The view's one map: the pin map (new) or the public map (list)."""
    found = [el for el in at.get("component_instance") if el.proto.component_name.endswith("st_folium")]
    assert len(found) == 1, "expected one map"
    return found[0]


def _view(at, view):
    at.radio(key="suggest_view").set_value(view).run()
    assert not at.exception
    return at


def _lonlat(geom):
    return rd_to_lonlat(geom.x, geom.y)


def _click(at, lon, lat):
    at.session_state[_map(at).key] = {"last_clicked": {"lat": lat, "lng": lon}}
    at.run()


def _texts(at) -> list[str]:
    return [el.value for el in at.text]


def test_page_shows_published_suggestions_only(apptest, app_env):
    s = open_store(app_env)
    at = apptest("meedenken")
    assert not at.exception
    assert at.title[0].value == "Denk mee over uw buurt"
    _view(at, "list")
    shown = "\n".join(_texts(at))
    for sug in s.list(m.Suggestion, status=list(m.PUBLIC_SUGGESTION_STATUSES)):
        assert sug.text in shown
    for sug in s.list(m.Suggestion, status=["received", "hidden", "rejected", "merged"]):
        assert sug.text not in shown
    script = json.loads(_map(at).proto.json_args)["script"]
    assert "suggestion-" in script
    hidden = s.list(m.Suggestion, status="hidden")[0]
    assert f"suggestion-{hidden.id}\"" not in script


def test_click_drops_a_pin_in_its_buurt(apptest, app_env):
    inside = open_store(app_env).get(m.Area, "BU17710005").geometry.representative_point()
    at = apptest("meedenken")
    _click(at, *_lonlat(inside))
    assert not at.exception
    assert any("Braakhuizen-Zuid" in md.value for md in at.markdown)
    assert at.session_state["suggest_buurt"] == "BU17710005"


def test_click_outside_is_refused_with_a_message(apptest):
    at = apptest("meedenken")
    _click(at, 4.89, 52.37)
    assert not at.exception
    assert any("buiten de gemeente" in w.value for w in at.warning)
    assert "Nog geen plek gekozen." in [md.value for md in at.markdown]


def test_preview_offers_a_near_duplicate_then_submit_gives_a_reference(apptest, app_env):
    store = open_store(app_env)
    twin = store.list(m.Suggestion, status="published", order_by="id")[0]
    at = apptest("meedenken")
    lon, lat = _lonlat(twin.geometry)
    _click(at, lon + 0.0003, lat)  # about 20 m east
    at.selectbox(key="suggest_category").select(twin.category)
    at.text_area(key="suggest_text").input("Hier graag iets aan doen, het is echt nodig")
    at.text_input(key="suggest_email").input("bewoner@example.nl")
    at.button(key="suggest_preview_button").click().run()
    assert not at.exception
    assert "Hier graag iets aan doen, het is echt nodig" in _texts(at)
    assert any("vergelijkbare" in i.value for i in at.info)
    at.button(key=f"suggest_instead_{twin.id}").click().run()
    assert not at.exception
    assert store.get(m.Suggestion, twin.id).supporters == twin.supporters + 1
    assert any(twin.reference in s.value for s in at.success)
    # the draft is still there; send it after all
    assert at.text_area(key="suggest_text").value == "Hier graag iets aan doen, het is echt nodig"
    at.button(key="suggest_preview_button").click().run()
    at.button(key="suggest_submit").click().run()
    assert not at.exception
    new = store.list(m.Suggestion, order_by="-id")[0]
    assert new.text == "Hier graag iets aan doen, het is echt nodig" and new.status == "received"
    assert any(new.reference in s.value for s in at.success)
    assert store.list(m.Contact, suggestion_id=new.id)[0].email == "bewoner@example.nl"
    assert at.text_area(key="suggest_text").value == ""
    assert at.text_input(key="suggest_email").value == ""
    # a resident's unreviewed suggestion is not in the public list
    _view(at, "list")
    assert new.text not in [t for t in _texts(at) if t.startswith("WA-")]
    shown = [el.value for el in [*at.text, *at.markdown, *at.caption, *at.success, *at.info]]
    assert "bewoner@example.nl" not in json.dumps(shown)


def test_switching_views_keeps_the_draft(apptest):
    at = apptest("meedenken")
    at.selectbox(key="suggest_buurt").select("BU17710005").run()
    at.selectbox(key="suggest_category").select("play")
    at.text_area(key="suggest_text").input("Een schommel voor de kleintjes")
    _view(at, "list")
    _view(at, "new")
    assert at.text_area(key="suggest_text").value == "Een schommel voor de kleintjes"
    assert at.selectbox(key="suggest_category").value == "play"
    assert at.session_state["suggest_pin"].buurt_code == "BU17710005"


def test_buurt_from_the_list_and_missing_text_names_the_field(apptest):
    at = apptest("meedenken")
    at.selectbox(key="suggest_buurt").select("BU17710100").run()
    at.selectbox(key="suggest_category").select("play")
    at.button(key="suggest_preview_button").click().run()
    assert not at.exception
    assert any("tekst" in e.value for e in at.error)
    assert at.session_state["suggest_pin"].buurt_code == "BU17710100"


def test_client_limit_keeps_what_was_typed_and_holds_for_a_new_session(apptest, app_env):
    store = open_store(app_env)
    me = Client(address="198.51.100.7", browser="flood")
    for _ in range(5):
        record(store, me, P.SUBMIT_ACTION)  # five earlier submissions from this browser
    before = store.count(m.Suggestion)
    at = apptest("meedenken", _wa_client=me)  # a new session (reload, new tab) of the same browser
    at.selectbox(key="suggest_buurt").select("BU17710005").run()
    at.selectbox(key="suggest_category").select("greenery")
    at.text_area(key="suggest_text").input("Nog een boom bij de school graag")
    at.button(key="suggest_preview_button").click().run()
    at.button(key="suggest_submit").click().run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert "al 5 suggesties" in error and error.count("bewaard") == 1
    assert at.text_area(key="suggest_text").value == "Nog een boom bij de school graag"
    assert store.count(m.Suggestion) == before
    # Another resident is not blocked by this one.
    other = apptest("meedenken", _wa_client=Client(address="203.0.113.5", browser="buur"))
    other.selectbox(key="suggest_buurt").select("BU17710005").run()
    other.selectbox(key="suggest_category").select("greenery")
    other.text_area(key="suggest_text").input("Een bankje bij de vijver graag")
    other.button(key="suggest_preview_button").click().run()
    other.button(key="suggest_submit").click().run()
    assert not other.exception and not other.error
    assert store.count(m.Suggestion) == before + 1


def test_support_once_per_client_and_filters(apptest, app_env):
    store = open_store(app_env)
    target = store.list(m.Suggestion, status="published", order_by="id")[0]
    me = Client(address="198.51.100.7", browser="supporter")
    at = _view(apptest("meedenken", _wa_client=me), "list")
    at.button(key=f"suggest_support_{target.id}").click().run()
    assert not at.exception
    assert store.get(m.Suggestion, target.id).supporters == target.supporters + 1
    assert at.button(key=f"suggest_support_{target.id}").disabled
    at.selectbox(key="suggest_filter_category").select(target.category).run()
    at.selectbox(key="suggest_filter_buurt").select(target.buurt_code).run()
    assert not at.exception
    keys = [b.key for b in at.button if (b.key or "").startswith("suggest_support_")]
    expected = store.list(m.Suggestion, status=["published", "in_plan", "answered"], category=target.category,
                          buurt_code=target.buurt_code)
    assert sorted(keys) == sorted(f"suggest_support_{s.id}" for s in expected)
    # A new session of the same browser (reload): still supported, no second count.
    again = _view(apptest("meedenken", _wa_client=me), "list")
    assert again.button(key=f"suggest_support_{target.id}").disabled
    assert store.get(m.Suggestion, target.id).supporters == target.supporters + 1


def test_in_plan_shows_its_activity_and_answers_show(apptest, app_env):
    store = open_store(app_env)
    at = _view(apptest("meedenken"), "list")
    texts = "\n".join(_texts(at))
    linked = [s for s in store.list(m.Suggestion, status="in_plan") if s.activity_id]
    assert linked
    assert store.get(m.Activity, linked[0].activity_id).title in texts
    answered = store.list(m.Suggestion, status="answered")[0]
    assert answered.answer in texts


def test_follow_by_code_and_guessed_reference_shows_nothing(apptest, app_env):
    store = open_store(app_env)
    received = store.list(m.Suggestion, status="received")[0]
    at = _view(apptest("meedenken"), "track")
    at.text_input(key="suggest_track_ref").input(received.reference).run()
    assert not at.exception
    assert not any("beoordeling" in t for t in _texts(at))
    assert received.text not in _texts(at) and received.category not in " ".join(_texts(at))
    (shown,) = [e.value for e in at.error]
    at.text_input(key="suggest_track_ref").input("WA-1999-0001").run()
    assert [e.value for e in at.error] == [shown]  # the same as a reference that does not exist
    received.follow_code = P.new_follow_code()
    store.update(received)
    at.text_input(key="suggest_track_ref").input(received.follow_code).run()
    assert not at.error
    assert any("beoordeling" in t for t in _texts(at)) and received.text in _texts(at)


def test_english(apptest):
    at = apptest("meedenken")
    at.selectbox(key="lang").select("en").run()
    assert not at.exception
    assert at.title[0].value == "Have your say about your neighbourhood"


def test_every_input_has_a_visible_label(apptest):
    """WCAG 2.1 AA (3.3.2): each input on the public page carries a visible label."""
    at = apptest("meedenken")
    for view in ("new", "list", "track"):
        _view(at, view)
        widgets = [*at.radio, *at.selectbox, *at.text_input, *at.text_area, *at.multiselect]
        main = [w for w in widgets if not w.key or not w.key.startswith(("auth_", "lang"))]
        assert main, view
        for w in main:
            assert w.label.strip(), (view, w.key)
            assert w.proto.label_visibility.value == w.proto.label_visibility.VISIBLE, (view, w.key)


def test_pasted_text_over_the_limit_is_kept_and_the_resident_is_told(apptest, app_env):
    """A paste longer than the limit is not silently dropped by the browser
    (no max_chars): the preview says how long it is and what the maximum is,
    the text stays in the field, and nothing is stored."""
    s = open_store(app_env)
    before = s.count(m.Suggestion)
    at = apptest("meedenken")
    at.selectbox(key="suggest_buurt").select("BU17710005").run()
    at.selectbox(key="suggest_category").select("greenery").run()
    at.text_area(key="suggest_text").input("Meer groen " * 200).run()
    at.button(key="suggest_preview_button").click().run()
    assert not at.exception
    assert any(e.value.startswith("Controleer tekst") and "2199 tekens, maximaal 1000" in e.value for e in at.error)
    assert at.text_area(key="suggest_text").value == "Meer groen " * 200
    assert at.text_area(key="suggest_text").max_chars in (None, 0)
    assert not at.session_state["suggest_preview"]
    assert s.count(m.Suggestion) == before



def _with_query(app_env, page: str, **params):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    return at


def test_unsubscribe_link_erases_the_address(app_env):
    s = open_store(app_env)
    sug = s.list(m.Suggestion, status="published")[0]
    s.add(m.Contact(suggestion_id=sug.id, email="afmelden@example.nl", token="T" * 32))
    at = _with_query(app_env, "pages/suggest.py", afmelden="T" * 32)
    assert not at.exception
    assert any("U bent afgemeld" in x.value for x in at.success)
    assert s.count(m.Contact, suggestion_id=sug.id) == 0
    again = _with_query(app_env, "pages/suggest.py", afmelden="T" * 32)
    assert any("onbekend of al gebruikt" in x.value for x in again.info)
