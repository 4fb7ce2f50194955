"""Evaluatie invullen: residents (no account) and partners answer a plan's evaluation round."""

from __future__ import annotations

import streamlit as st

from geo import evaluation_rounds as E
from geo import model as m
from geo import web
from geo.errors import ValidationError, WijkatlasError
from geo.i18n import label, t

web.guard("evaluatie")
lang = web.lang()
store = web.store()
actor = web.actor()
client = web.client()  # one response per browser (signed cookie), across reloads and tabs

st.title(t("eval.title", lang))
st.write(t("eval.intro", lang))
scope = web.gemeente()  # one gemeente at a time; a shared link to another gemeente's round switches to it
everywhere = {r.id: r for r in E.open_rounds(store)}
asked = st.query_params.get("ronde")
if asked and asked.isdigit() and int(asked) in everywhere and not scope.contains(everywhere[int(asked)].area_code):
    if web.choose_gemeente(everywhere[int(asked)].area_code):
        st.rerun()
rounds = {i: r for i, r in everywhere.items() if scope.contains(r.area_code)}
if not rounds:
    st.info(t("eval.none_open", lang))
    st.stop()

if asked and asked.isdigit() and int(asked) in rounds and st.session_state.get("eval_from_url") != asked:
    st.session_state["eval_from_url"] = asked
    st.session_state["eval_round"] = int(asked)
if st.session_state.get("eval_round") not in rounds:
    st.session_state["eval_round"] = next(iter(rounds))
rid = st.selectbox(t("eval.pick", lang), list(rounds), key="eval_round",
                   format_func=lambda i: f"{rounds[i].title} — {rounds[i].plan_title}")
st.query_params["ronde"] = str(rid)
r = rounds[rid]
st.caption(t("eval.period", lang, start=r.opens_on, end=r.closes_on))
st.caption(t("eval.as_group", lang, group=t(f"eval.group.{E.group_of(actor)}", lang)))
items = E.statements(store, rid)


def _submit() -> None:
    st.session_state.pop("eval_error", None)
    answers = {s.id: (st.session_state.get(f"eval_{rid}_{s.id}_score"),
                      st.session_state.get(f"eval_{rid}_{s.id}_comment") or "") for s in items}
    try:
        E.respond(store, web.actor(), rid, client, answers)
    except WijkatlasError as err:
        if not (isinstance(err, ValidationError) and "al ingevuld" in err.message):
            st.session_state["eval_error"] = str(err)
        return
    st.session_state["eval_thanks"] = rid


if E.has_responded(store, rid, actor, client):
    st.success(t("eval.thanks" if st.session_state.get("eval_thanks") == rid else "eval.done_before", lang))
    st.stop()

SCALE = [None, *m.SCORES]
with st.form(f"eval_form_{rid}"):
    for domain in m.DOMAINS:
        mine = [s for s in items if s.domain == domain]
        if not mine:
            continue
        st.subheader(label(domain, lang))
        for s in mine:
            with st.container(border=True):
                # The statement is the question's label, so a screen reader reads it with the scale.
                st.radio(s.text, SCALE, key=f"eval_{rid}_{s.id}_score", horizontal=True,
                         format_func=lambda v: t("eval.score.none" if v is None else f"eval.score.{v}", lang))
                st.text_area(t("eval.comment", lang), key=f"eval_{rid}_{s.id}_comment", max_chars=E.MAX_COMMENT,
                             height=80)
    st.form_submit_button(t("eval.submit", lang), type="primary", on_click=_submit)
if st.session_state.get("eval_error"):
    st.error(st.session_state["eval_error"])
