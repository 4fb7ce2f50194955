"""AppTest of the moderation page ``moderatie`` through the real frame."""

from __future__ import annotations

import pytest

from geo import model as m
from geo.store import open_store


@pytest.fixture
def queue_ids(app_env):
    s = open_store(app_env)
    return [x.id for x in s.list(m.Suggestion, status="received", order_by="id")]


def test_queue_shows_received_suggestions_as_text(apptest, app_env, queue_ids):
    at = apptest("moderatie", role="moderator")
    assert not at.exception
    assert at.title[0].value == "Moderatie van suggesties"
    table = at.dataframe[0].value
    s = open_store(app_env)
    assert list(table["Kenmerk"]) == [s.get(m.Suggestion, i).reference for i in queue_ids]
    first = s.get(m.Suggestion, queue_ids[0])
    assert first.text in [t.value for t in at.text]  # the opened one, shown as text


def test_publish_one_logs_who_and_what(apptest, app_env, queue_ids):
    at = apptest("moderatie", role="moderator")
    at.selectbox(key="mod_open").select(queue_ids[1])
    at.button(key="mod_publish").click().run()
    assert not at.exception
    s = open_store(app_env)
    assert s.get(m.Suggestion, queue_ids[1]).status == "published"
    assert s.get(m.Suggestion, queue_ids[0]).status == "received"
    entry = s.list(m.AuditEntry, order_by="-id")[0]
    assert (entry.user, entry.action, entry.target) == ("test-moderator", "suggestion.publish",
                                                       s.get(m.Suggestion, queue_ids[1]).reference)
    assert any("1 suggestie" in x.value for x in at.success)
    assert len(at.dataframe[0].value) == len(queue_ids) - 1


def test_bulk_reject_needs_a_reason_then_works(apptest, app_env, queue_ids):
    at = apptest("moderatie", role="admin")
    at.multiselect(key="mod_selected").select(queue_ids[0]).select(queue_ids[1])
    at.button(key="mod_reject").click().run()
    assert not at.exception
    assert any("reden" in e.value for e in at.error)
    s = open_store(app_env)
    assert s.get(m.Suggestion, queue_ids[0]).status == "received"
    assert at.multiselect(key="mod_selected").value == [queue_ids[0], queue_ids[1]]
    at.text_area(key="mod_reason").input("Bevat een naam en adres")
    at.button(key="mod_reject").click().run()
    assert not at.exception
    assert {s.get(m.Suggestion, i).status for i in queue_ids[:2]} == {"rejected"}
    log = s.list(m.AuditEntry, action="suggestion.reject")
    assert len(log) == 2 and all(e.user == "test-admin" for e in log)


def test_turn_into_a_quick_win(apptest, app_env, queue_ids):
    at = apptest("moderatie", role="moderator")
    at.text_input(key="mod_activity_title").input("Bankje terugplaatsen")
    at.selectbox(key="mod_activity_domain").select("spatial")
    at.checkbox(key="mod_quick_win").check()
    at.button(key="mod_to_activity").click().run()
    assert not at.exception
    s = open_store(app_env)
    sug = s.get(m.Suggestion, queue_ids[0])
    assert sug.status == "in_plan"
    act = s.get(m.Activity, sug.activity_id)
    assert act.title == "Bankje terugplaatsen" and act.quick_win and act.suggestion_id == sug.id


def test_merge_into_a_published_one(apptest, app_env, queue_ids):
    s = open_store(app_env)
    target = s.list(m.Suggestion, status="published", order_by="id")[0]
    at = apptest("moderatie", role="moderator")
    at.multiselect(key="mod_selected").select(queue_ids[0])
    at.selectbox(key="mod_merge_target").select(target.id)
    at.button(key="mod_merge").click().run()
    assert not at.exception
    got = s.get(m.Suggestion, queue_ids[0])
    assert got.status == "merged" and got.merged_into == target.id


def test_empty_queue_says_so(apptest, app_env, queue_ids):
    at = apptest("moderatie", role="moderator")
    at.multiselect(key="mod_selected").select(queue_ids[0])
    for i in queue_ids[1:]:
        at.multiselect(key="mod_selected").select(i)
    at.button(key="mod_hide").click().run()
    assert not at.exception
    assert any("leeg" in i.value for i in at.info)


def test_other_statuses_can_be_shown(apptest):
    at = apptest("moderatie", role="moderator")
    at.multiselect(key="mod_statuses").select("published").run()
    assert not at.exception
    assert len(at.dataframe[0].value) > 4


def test_log_shows_readable_actions_and_dutch_placeholders(apptest, app_env, queue_ids):
    at = apptest("moderatie", role="moderator")
    at.button(key="mod_publish").click().run()
    assert not at.exception
    log = at.dataframe[-1].value
    assert "gepubliceerd" in list(log["Actie"])
    assert not any(str(a).startswith("suggestion.") for a in log["Actie"])
    assert at.multiselect(key="mod_selected").proto.placeholder == "Kies een of meer suggesties"


def test_publish_then_review_puts_published_ones_in_the_queue(apptest, app_env, tmp_path, monkeypatch):
    from geo import participation as P

    config = tmp_path / "participation.toml"
    config.write_text("[moderation]\nhold_for_review = false\n", encoding="utf-8")
    monkeypatch.setattr(P, "CONFIG_PATH", config)
    at = apptest("moderatie", role="moderator")
    assert not at.exception
    assert at.multiselect(key="mod_statuses").value == ["received", "published"]
    assert any("direct openbaar" in c.value for c in at.caption)
    s = open_store(app_env)
    published = s.list(m.Suggestion, status="published")
    assert published and set(at.dataframe[0].value["Kenmerk"]) >= {x.reference for x in published}


def test_bulk_turn_into_activities(apptest, app_env, queue_ids):
    at = apptest("moderatie", role="moderator")
    at.multiselect(key="mod_selected").select(queue_ids[0]).select(queue_ids[1])
    at.button(key="mod_to_activity").click().run()
    assert not at.exception
    s = open_store(app_env)
    for i in queue_ids[:2]:
        sug = s.get(m.Suggestion, i)
        assert sug.status == "in_plan" and s.get(m.Activity, sug.activity_id).suggestion_id == i
    assert s.get(m.Suggestion, queue_ids[2]).status == "received"
    assert any(x.value.startswith("Aangemaakt:") for x in at.success)


def test_without_smtp_the_page_says_messages_wait(apptest, app_env, queue_ids):
    s = open_store(app_env)
    s.add(m.Contact(suggestion_id=queue_ids[0], email="wacht.op.smtp@example.nl"))
    at = apptest("moderatie", role="moderator")
    assert not any("mailserver" in w.value for w in at.warning)  # nothing waits yet
    at.selectbox(key="mod_open").select(queue_ids[0])
    at.button(key="mod_publish").click().run()
    assert not at.exception
    assert any("geen mailserver ingesteld" in w.value and "1 bericht" in w.value for w in at.warning)
    assert s.count(m.OutboxMessage, status="pending") == 1
    shown = " ".join(str(el.value) for kind in ("text", "caption", "markdown", "warning", "success")
                     for el in getattr(at, kind))
    assert "wacht.op.smtp@example.nl" not in shown
