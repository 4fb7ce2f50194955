"""My activities: a partner follows its organisation's activities and reports progress
(planners and admins see every activity and may report on any)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import model as m
from geo import web
from geo.errors import ValidationError, WijkatlasError
from geo.execution import partners, updates
from geo.i18n import label, t
from geo.policy import fmt_eur
from geo.maps import MapData, MapOptions, build_map

web.guard("mijn-activiteiten")
lang = web.lang()
store = web.store()
actor = web.actor()
is_partner = actor.role == "partner"

st.title(t("exec.my.title", lang))
if message := st.session_state.pop("my_flash", None):
    st.success(message)
if is_partner and not actor.partner:
    st.warning(t("exec.my.no_partner", lang))
    st.stop()
st.caption(t("exec.my.for_partner", lang, org=actor.partner) if is_partner else t("exec.my.for_staff", lang))

scope = web.gemeente()  # one gemeente at a time (an admin may choose all)
buurten = web.cached_buurten()  # the scope's buurten (read by its box, shared by sessions)
names = {a.code: a.name for a in buurten}
every = t("exec.filter.all", lang)
all_plans = store.list(m.Plan)
base = scope.activities(partners.visible_activities(store, actor), all_plans)
cols = st.columns(4 if not is_partner else 3)
f_buurt = cols[0].multiselect(t("exec.filter.buurt", lang), sorted({a.buurt_code for a in base if a.buurt_code}),
                              key="my_f_buurt", placeholder=every, format_func=lambda c: names.get(c, c))
f_status = cols[1].multiselect(t("exec.filter.status", lang), m.ACTIVITY_STATUSES, key="my_f_status",
                               placeholder=every, format_func=lambda s: label(s, lang))
f_quarter = cols[2].selectbox(t("exec.filter.quarter", lang), ["", *partners.quarters_of(base)], key="my_f_quarter",
                              format_func=lambda q: q or every)
organisation = None
if not is_partner:
    organisation = cols[3].selectbox(t("exec.filter.organisation", lang),
                                     ["", *(p.name for p in partners.list_partners(store))], key="my_f_org",
                                     format_func=lambda o: o or every) or None
flt = partners.ActivityFilter(buurten=tuple(f_buurt), statuses=tuple(f_status), quarter=f_quarter or None,
                              organisation=organisation)
acts = scope.activities(partners.visible_activities(store, actor, flt), all_plans)
if not acts:
    st.info(t("exec.my.none", lang))
    st.stop()

config = updates.load_config()
today = dt.date.today()
all_updates = store.list(m.ActivityUpdate, activity_id=[a.id for a in acts])
latest = updates.latest_by_activity(all_updates)
stale = {s.activity.id for s in updates.stale_activities(acts, all_updates, today, config.stale_after_weeks)}
org = actor.partner if is_partner else organisation
st.caption(t("exec.my.count", lang, n=len(acts), lead=sum(1 for a in acts if partners.leads(a, org))))

# --- map and list ------------------------------------------------------------------------------
plans_by_area = {p.area_code: p for p in all_plans if scope.contains(p.area_code)}
st_folium(
    build_map(MapData(buurten=buurten, plans=plans_by_area, activities=acts),
              MapOptions(layers=("activities",), lang=lang), height=420),
    key="my_map", height=420, use_container_width=True, returned_objects=[],
)
rows = []
for a in acts:
    u = latest.get(a.id)
    money = partners.shows_money(actor, a)
    rows.append({
        t("exec.col.activity", lang): a.title,
        t("exec.col.buurt", lang): names.get(a.buurt_code, "—"),
        t("exec.col.role", lang): t("exec.role.lead" if partners.leads(a, org) else "exec.role.partner", lang)
        if org else a.lead_partner,
        t("exec.col.status", lang): label(a.status, lang),
        t("exec.col.period", lang): f"{a.start} – {a.end}" if a.start else "—",
        t("exec.col.last", lang): updates.update_date(u).strftime("%d-%m-%Y") if u else t("exec.never", lang),
        t("exec.col.percent", lang): u.percent_done if u else None,
        t("exec.stale", lang): "!" if a.id in stale else "",
        t("progress.col.estimate", lang): a.cost_estimate_eur if money else None,
        t("exec.col.spent", lang): a.cost_actual_eur if money else None,
    })
frame = pd.DataFrame(rows)
for name in (t("progress.col.estimate", lang), t("exec.col.spent", lang)):  # one money format everywhere
    if name in frame:
        frame[name] = [fmt_eur(None if pd.isna(v) else v, lang) for v in frame[name]]
frame[t("exec.col.percent", lang)] = frame[t("exec.col.percent", lang)].astype("Int64")  # empty, not "None"
st.dataframe(frame, hide_index=True, width="stretch")
if is_partner and any(not partners.shows_money(actor, a) for a in acts):
    st.caption(t("exec.my.money_hidden", lang))

# --- one activity: history and a new update -----------------------------------------------------
by_id = {a.id: a for a in acts}
pick = st.selectbox(t("exec.my.pick", lang), list(by_id), key="my_pick",
                    format_func=lambda i: f"{by_id[i].title} ({names.get(by_id[i].buurt_code, '—')})")
act = by_id[pick]
show_money = partners.shows_money(actor, act)
st.markdown(f"#### {t('exec.my.history', lang)}")
past = updates.history(store, act.id)
if past:
    st.dataframe(pd.DataFrame(updates.history_rows(past, show_money, lang)), hide_index=True, width="stretch")
    pictures = [(u, updates.photo(store, u.photo_id)) for u in past if u.photo_id][:3]
    if pictures:
        for c, (u, pic) in zip(st.columns(3), pictures):
            if pic is not None:
                c.image(pic.data, caption=t("exec.photo_caption", lang, activity=act.title,
                                            date=updates.update_date(u).strftime("%d-%m-%Y"), by=u.author))
else:
    st.caption(t("exec.my.no_history", lang))

st.markdown(f"#### {t('exec.form.title', lang)}")
if not partners.may_update(actor, act):
    st.warning(t("exec.my.not_lead", lang, lead=act.lead_partner or "—"))
    st.stop()
version = st.session_state.setdefault("my_form_version", 0)
with st.form(f"my_update_{act.id}_{version}"):
    status = st.selectbox(t("exec.form.status", lang), m.ACTIVITY_STATUSES, index=m.ACTIVITY_STATUSES.index(act.status),
                          format_func=lambda s: label(s, lang), key=f"my_status_{act.id}_{version}")
    note = st.text_area(t("exec.form.note", lang), max_chars=updates.MAX_NOTE, key=f"my_note_{act.id}_{version}")
    c1, c2 = st.columns(2)
    spent = c1.number_input(t("exec.form.spent", lang), min_value=0.0, max_value=1e10, step=100.0,
                            value=act.cost_actual_eur, key=f"my_spent_{act.id}_{version}")
    last = latest.get(act.id)
    percent = c2.number_input(t("exec.form.percent", lang), min_value=0, max_value=100, step=5,
                              value=last.percent_done if last and last.percent_done is not None else None,
                              key=f"my_percent_{act.id}_{version}")
    next_step = st.text_input(t("exec.form.next", lang), max_chars=updates.MAX_NEXT_STEP,
                              key=f"my_next_{act.id}_{version}")
    upload = st.file_uploader(t("exec.form.photo", lang), type=["jpg", "jpeg", "png"], help=t("exec.form.photo_help", lang),
                              key=f"my_photo_{act.id}_{version}",
                              max_upload_size=int(config.photo_max_upload_mb))
    submitted = st.form_submit_button(t("exec.form.submit", lang), type="primary")
if submitted:
    try:
        updates.post_update(store, web.actor(), act.id, status=status, note=note, spent_eur=spent,
                            percent_done=percent, next_step=next_step,
                            photo=upload.getvalue() if upload is not None else None, config=config)
    except ValidationError as err:
        st.error(t("exec.form.refused", lang, message=updates.refusal(err)))
    except WijkatlasError as err:
        st.error(t("exec.form.refused", lang, message=str(err)))
    else:
        st.session_state["my_form_version"] = version + 1
        st.session_state["my_flash"] = t("exec.form.saved", lang)
        st.rerun()
