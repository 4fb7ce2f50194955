"""Moderatie: review residents' suggestions — one at a time or in bulk."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import model as m
from geo import moderation as M
from geo import participation as P
from geo import web
from geo.errors import WijkatlasError
from geo.i18n import catalogue, label, t

web.guard("moderatie")
lang = web.lang()
store = web.store()
config = P.load_config()
scope = web.gemeente()  # one gemeente at a time (an admin may choose all)
buurten = web.cached_buurten()  # the scope's buurten, read by the gemeente's box
names = {a.code: a.name for a in buurten}


def _targets() -> list[int]:
    """The bulk selection, or else the suggestion that is open."""
    selected = list(st.session_state.get("mod_selected") or [])
    if selected:
        return selected
    opened = st.session_state.get("mod_open")
    return [opened] if opened is not None else []


def _run(action: str, seen: dict[int, int] | None = None) -> None:
    """One moderation action; ``seen`` holds the versions the screen showed, so
    an action on a suggestion another moderator changed meanwhile is refused."""
    st.session_state.pop("mod_error", None)
    st.session_state.pop("mod_msg", None)
    actor = web.actor()
    ids = _targets()
    reason = st.session_state.get("mod_reason") or ""
    try:
        if action == "publish":
            n = M.publish(store, actor, ids, seen=seen)
        elif action == "hide":
            n = M.hide(store, actor, ids, seen=seen)
        elif action == "reject":
            n = M.reject(store, actor, ids, reason, seen=seen)
        elif action == "answer":
            n = M.answer(store, actor, ids, reason, seen=seen)
        elif action == "not_taken":
            n = M.not_taken(store, actor, ids, reason, seen=seen)
        elif action == "merge":
            target = st.session_state.get("mod_merge_target")
            if target is None:
                raise WijkatlasError(t("mod.nothing_selected", lang))
            M.merge(store, actor, ids, target)
            n = len([i for i in ids if i != target])
        elif action == "to_activity":
            activities = M.to_activities(store, actor, ids, st.session_state.get("mod_activity_title") or "",
                                         st.session_state.get("mod_activity_domain") or "social",
                                         quick_win=bool(st.session_state.get("mod_quick_win")))
            st.session_state["mod_msg"] = t("mod.activity_done", lang,
                                            title="; ".join(a.title for a in activities))
            st.session_state["mod_activity_title"] = ""
            st.session_state["mod_selected"] = []
            return
        else:  # pragma: no cover - buttons only pass known actions
            raise ValueError(action)
    except WijkatlasError as err:
        st.session_state["mod_error"] = str(err)
        return
    st.session_state["mod_msg"] = t("mod.done", lang, action=t(f"mod.{action}", lang), n=n)
    st.session_state["mod_selected"] = []
    st.session_state["mod_reason"] = ""


def _outbox_status() -> None:
    """Whether residents' e-mail updates go out (counts only, never an address)."""
    from geo import mail

    outbox = mail.summary(store)
    try:
        smtp = web.mail_config()
    except WijkatlasError as err:
        st.warning(t("mail.outbox.bad_config", lang, message=str(err)))
        return
    if smtp is None:
        if outbox.pending:
            st.warning(t("mail.outbox.no_smtp", lang, n=outbox.pending))
        return
    st.caption(f"{t('mail.outbox', lang)}: "
               + t("mail.outbox.status", lang, sent=outbox.sent, pending=outbox.pending, failed=outbox.failed))
    if outbox.last_error and (outbox.pending or outbox.failed):
        st.caption(t("mail.outbox.error", lang, error=outbox.last_error))


def _action_label(action: str) -> str:
    key = f"mod.log.{action.removeprefix('suggestion.')}"
    return t(key, lang) if key in catalogue() else action


st.title(t("mod.title", lang))
st.caption(t("mod.policy_hold" if config.hold_for_review else "mod.policy_publish", lang))
_outbox_status()

# Publish-then-review: new suggestions are public at once, so the published
# ones are in the queue too until a moderator has dealt with them.
queue_default = ["received"] if config.hold_for_review else ["received", "published"]
statuses = st.multiselect(t("mod.statuses", lang), m.SUGGESTION_STATUSES, default=queue_default, key="mod_statuses",
                          format_func=lambda s: label(s, lang), placeholder=t("mod.statuses_placeholder", lang))
try:
    items = M.queue(store, web.actor(), statuses, scope)  # only the gemeente's suggestions are read
except WijkatlasError as err:
    st.error(str(err))
    st.stop()

if st.session_state.get("mod_msg"):
    st.success(st.session_state["mod_msg"])
if st.session_state.get("mod_error"):
    st.error(st.session_state["mod_error"])

st.subheader(t("mod.queue", lang, n=len(items)))
if not items:
    st.info(t("mod.empty", lang))
else:
    table = pd.DataFrame(
        [(i.reference, i.created_at[:16].replace("T", " "), label(i.category, lang), names.get(i.buurt_code or "", "—"),
          label(i.status, lang), i.supporters, "✓" if i.has_contact else "", i.text) for i in items],
        columns=[t("res.col.reference", lang), t("res.col.date", lang), t("col.category", lang),
                 t("res.col.buurt", lang), t("col.status", lang), t("col.supporters", lang),
                 t("res.col.contact", lang), t("res.col.text", lang)],
    )
    st.dataframe(table, hide_index=True, width="stretch")

by_id = {i.id: i for i in items}
seen = {i.id: i.version for i in items}  # what this screen shows, for the actions below
refs = {i.id: i.reference or f"#{i.id}" for i in items}
# Drop stale choices (a suggestion that left the queue) before the widgets are drawn.
if st.session_state.get("mod_open") not in by_id:
    st.session_state["mod_open"] = items[0].id if items else None
st.session_state["mod_selected"] = [i for i in st.session_state.get("mod_selected") or [] if i in by_id]

if items:
    st.multiselect(t("mod.select", lang), list(by_id), key="mod_selected", format_func=lambda i: refs[i],
                   placeholder=t("mod.select_placeholder", lang))
    opened = st.selectbox(t("mod.open", lang), list(by_id), key="mod_open", format_func=lambda i: refs[i])
    s = store.get(m.Suggestion, opened)
    detail_col, map_col = st.columns([2, 3], gap="medium")
    with detail_col:
        st.markdown(f"**{t('mod.detail', lang, reference=refs[opened])}**")
        st.caption(t("mod.meta", lang, category=label(s.category, lang), buurt=names.get(s.buurt_code or "", "—"),
                     status=label(s.status, lang), supporters=s.supporters, date=(s.created_at or "")[:10]))
        st.text(s.text)
        if s.answer:
            st.text(s.answer)
        if by_id[opened].has_contact:
            st.caption(t("mod.has_contact", lang))
        if s.geometry is not None:
            nearby = P.near_duplicates(store, s.category, s.geometry, config, exclude=s.id)
            if nearby:
                st.caption(t("mod.nearby", lang, m=f"{config.duplicate_distance_m:.0f}"))
                for other, distance in nearby[:5]:
                    st.text(f"{other.reference} ({distance:.0f} m): {other.text}")
    with map_col:
        view = P.public_view(store, s, staff=True)
        st_folium(P.public_map([view], buurten, lang, "brt", focus=s.geometry,
                                 shapes=web.cached_buurt_shapes()), key=f"mod_map_{s.id}", height=360,
                  use_container_width=True, returned_objects=[])

    st.caption(t("mod.applies_to", lang, refs=", ".join(refs.get(i, str(i)) for i in _targets())))
    b1, b2 = st.columns(2)
    b1.button(t("mod.publish", lang), key="mod_publish", on_click=_run, args=("publish", seen), type="primary")
    b2.button(t("mod.hide", lang), key="mod_hide", on_click=_run, args=("hide", seen))
    st.text_area(t("mod.reason", lang), key="mod_reason", max_chars=M.MAX_REASON)
    r1, r2, r3 = st.columns(3)
    r1.button(t("mod.reject", lang), key="mod_reject", on_click=_run, args=("reject", seen))
    r2.button(t("mod.answer", lang), key="mod_answer", on_click=_run, args=("answer", seen))
    r3.button(t("mod.not_taken", lang), key="mod_not_taken", on_click=_run, args=("not_taken", seen))

    with st.expander(t("mod.merge", lang)):
        target_refs = M.merge_targets(store, scope)
        st.selectbox(t("mod.merge_into", lang), [None, *target_refs], key="mod_merge_target",
                     format_func=lambda i: "—" if i is None else target_refs[i])
        st.button(t("mod.merge", lang), key="mod_merge", on_click=_run, args=("merge",))

    with st.expander(t("mod.to_activity", lang)):
        st.text_input(t("mod.activity_title", lang), key="mod_activity_title", max_chars=200,
                      help=t("mod.activity_title_help", lang))
        st.selectbox(t("mod.activity_domain", lang), m.DOMAINS, key="mod_activity_domain",
                     format_func=lambda d: label(d, lang))
        st.checkbox(t("mod.quick_win", lang), key="mod_quick_win")
        st.button(t("mod.to_activity", lang), key="mod_to_activity", on_click=_run, args=("to_activity",))

with st.expander(t("mod.audit", lang)):
    entries = M.audit_log(store, web.actor(), limit=100)
    st.dataframe(
        pd.DataFrame([(e.at[:19].replace("T", " "), e.user, _action_label(e.action), e.target, e.detail)
                      for e in entries],
                     columns=[t("mod.col.at", lang), t("mod.col.user", lang), t("mod.col.action", lang),
                              t("mod.col.target", lang), t("mod.col.detail", lang)]),
        hide_index=True,
        width="stretch",
    )
