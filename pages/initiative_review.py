"""Initiatieven beoordelen: staff assess residents' initiatives (eligible → quick win, or not, with a reason)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import initiatives as I
from geo import model as m
from geo import web
from geo.errors import WijkatlasError
from geo.i18n import label, t
from geo.maps import format_number

web.guard("initiatieven")
lang = web.lang()
store = web.store()
names = {a.code: a.name for a in web.cached_buurten()}  # the queue shows one gemeente: its buurten


def _run(action: str, initiative_id: int, reference: str) -> None:
    st.session_state.pop("inir_error", None)
    st.session_state.pop("inir_msg", None)
    actor = web.actor()
    reason = st.session_state.get("inir_reason") or ""
    try:
        if action == "approve":
            activity = I.approve(store, actor, initiative_id, reason, domain=st.session_state.get("inir_domain"),
                                 start=(st.session_state.get("inir_start") or "").strip(),
                                 end=(st.session_state.get("inir_end") or "").strip())
            st.session_state["inir_msg"] = t("ini.review.approved", lang, reference=reference, title=activity.title)
        elif action == "not_eligible":
            I.not_eligible(store, actor, initiative_id, reason)
        elif action == "hide":
            I.hide(store, actor, initiative_id, reason)
    except WijkatlasError as err:
        st.session_state["inir_error"] = str(err)
        return
    if action != "approve":
        st.session_state["inir_msg"] = t("ini.review.done", lang, reference=reference,
                                         status=t(f"ini.status.{action if action != 'hide' else 'hidden'}", lang))
    st.session_state["inir_reason"] = ""


st.title(t("ini.review.title", lang))
statuses = st.multiselect(t("ini.review.statuses", lang), m.INITIATIVE_STATUSES, default=["received"],
                          key="inir_statuses", format_func=lambda s: t(f"ini.status.{s}", lang))
try:
    scope = web.gemeente()  # one gemeente at a time
    items = [i for i in I.queue(store, web.actor(), statuses) if scope.contains(i.buurt_code)]
except WijkatlasError as err:
    st.error(str(err))
    st.stop()
if msg := st.session_state.get("inir_msg"):
    st.success(msg)
if error := st.session_state.get("inir_error"):
    st.error(error)
st.subheader(t("ini.review.queue", lang, n=len(items)))
if not items:
    st.info(t("ini.review.empty", lang))
    st.stop()
st.dataframe(pd.DataFrame(
    [(i.reference, i.created_at[:10], names.get(i.buurt_code or "", "—"), label(i.domain, lang),
      format_number(i.cost_eur, lang), t(f"ini.status.{i.status}", lang), i.title) for i in items],
    columns=[t("res.col.reference", lang), t("res.col.date", lang), t("res.col.buurt", lang), t("col.domain", lang),
             t("ini.col.cost", lang), t("col.status", lang), t("col.title", lang)]), hide_index=True, width="stretch")

by_id = {i.id: i for i in items}
if st.session_state.get("inir_open") not in by_id:
    st.session_state["inir_open"] = items[0].id
opened = st.selectbox(t("ini.review.open", lang), list(by_id), key="inir_open",
                      format_func=lambda i: f"{by_id[i].reference}: {by_id[i].title[:60]}")
item = by_id[opened]
with st.container(border=True):
    st.markdown(f"**{item.reference}**")
    st.text(item.title)
    st.caption(t("ini.review.meta", lang, buurt=names.get(item.buurt_code or "", "—"), domain=label(item.domain, lang),
                 cost=format_number(item.cost_eur, lang), date=item.created_at[:10]))
    st.text(item.text)
    st.text(t("ini.review.participants", lang, who=item.participants))
    if item.reason:
        st.text(f"{t('ini.reason', lang)}: {item.reason}")
    if item.has_contact:
        st.caption(t("ini.review.has_contact", lang))

st.text_area(t("ini.review.reason", lang), key="inir_reason", max_chars=I.MAX_REASON)
c1, c2, c3 = st.columns(3)
if st.session_state.get("inir_domain_for") != opened:  # the resident's topic as the default
    st.session_state["inir_domain_for"] = opened
    st.session_state["inir_domain"] = item.domain
c1.selectbox(t("ini.field.domain", lang), m.DOMAINS, key="inir_domain", format_func=lambda d: label(d, lang))
c2.text_input(t("ini.review.start", lang), key="inir_start", max_chars=7, placeholder="2026-Q3")
c3.text_input(t("ini.review.end", lang), key="inir_end", max_chars=7, placeholder="2026-Q4")
b1, b2, b3 = st.columns(3)
b1.button(t("ini.review.approve", lang), key="inir_approve", type="primary", on_click=_run,
          args=("approve", item.id, item.reference), disabled=item.status not in ("received", "not_eligible"))
b2.button(t("ini.review.not_eligible", lang), key="inir_not_eligible", on_click=_run,
          args=("not_eligible", item.id, item.reference), disabled=item.status not in ("received", "hidden"))
b3.button(t("ini.review.hide", lang), key="inir_hide", on_click=_run, args=("hide", item.id, item.reference),
          disabled=item.status not in ("received", "not_eligible"))
