"""Wat gebeurt er in mijn buurt? The plan of one buurt in public, shareable as ?buurt=BU…"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import public_plan as pub
from geo import web
from geo.i18n import label, t
from geo.maps import BASEMAPS
from geo.participation import load_config

web.guard("mijn-buurt")
lang = web.lang()
store = web.store()
# One gemeente at a time (its buurten read by its box, shared by sessions); a shared link to
# another gemeente's buurt is looked up by its code and switches to that gemeente.
names = {a.code: a.name for a in sorted(web.cached_buurten(), key=lambda a: a.name)}

st.title(t("pub.title", lang))
st.write(t("pub.intro", lang))
if not names:
    st.info(t("app.empty_db", lang))
    st.stop()

# The shareable link: ?buurt=BU17710005 opens that buurt (once; then the box rules).
asked = pub.buurt_from_query(st.query_params.get("buurt"), pub.KnownBuurten(store, names))
if asked and asked not in names and st.session_state.get("pub_from_url") != asked:
    if web.choose_gemeente(asked):
        st.rerun()
if asked and st.session_state.get("pub_from_url") != asked:
    st.session_state["pub_from_url"] = asked
    st.session_state["pub_buurt"] = asked
if st.session_state.get("pub_buurt") not in names:
    st.session_state.pop("pub_buurt", None)
code = st.selectbox(t("pub.pick", lang), ["", *names], key="pub_buurt",
                    format_func=lambda c: f"{names[c]} ({c})" if c else t("pub.pick_none", lang))
if not code:
    if st.query_params.get("buurt"):
        st.warning(t("pub.unknown", lang))
    st.stop()
st.query_params["buurt"] = code

view = pub.public_buurt(store, code, grid_m=load_config().coarsen_grid_m)
st.header(view.area.name)
st.caption(t("pub.share", lang, path=web.app_url(f"{pub.PAGE_URL_PATH}?buurt={code}")))

plan = view.plan
if plan is None:
    st.info(t("pub.no_plan", lang))
else:
    c1, c2, c3 = st.columns(3)
    c1.metric(t("plan.stage", lang), label(plan.stage, lang))
    c2.metric(t("plan.field.year", lang), plan.year or "—")
    c3.metric(t("pub.activities", lang), len(view.activities))
    st.subheader(plan.title)
    if plan.summary:
        st.markdown(f"**{t('pub.goals', lang)}**")
        st.text(plan.summary)
    if plan.intended_effects:
        st.markdown(f"**{t('pub.effects', lang)}**")
        st.text(plan.intended_effects)

st.subheader(t("pub.agenda", lang))
basemap = st.radio(t("res.basemap", lang), list(BASEMAPS), key="pub_basemap", horizontal=True,
                   format_func=lambda b: t(f"explore.basemap.{b}", lang))
st_folium(pub.public_buurt_map(view, lang, basemap), key=f"pub_map_{code}", height=480,
          use_container_width=True, returned_objects=[])
rows = pub.activity_rows(view, lang)
if rows:
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if not view.costs_public:
        st.caption(t("pub.costs_hidden", lang))
else:
    st.info(t("pub.no_activities", lang))

st.subheader(t("pub.said_did", lang))
if not view.taken_up:
    st.caption(t("pub.said_did_none", lang))
for x in view.taken_up:
    with st.container(border=True):
        st.caption(f"{t(f'pub.kind.{x.kind}', lang)} {x.reference}")
        st.text(f"{t('pub.said', lang)}: {x.said}")
        kind = f"{t('col.quick_win', lang)}, " if x.quick_win else ""
        st.text(f"{t('pub.did', lang)}: {x.activity_title} ({kind}{label(x.activity_status, lang)})")

l1, l2, l3 = st.columns(3)
l1.page_link("pages/explore.py", label=t("pub.to_explorer", lang), icon=":material/map:", query_params={"buurt": code})
l2.page_link("pages/suggest.py", label=t("pub.to_suggest", lang), icon=":material/add_location_alt:")
