"""Real estate: the municipal social real-estate portfolio, filters and "check a location"."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import model as m
from geo import web
from geo.crs import lonlat_to_rd
from geo.errors import WijkatlasError
from geo.explore import clicked_lonlat
from geo.i18n import label, t
from geo.meeting import from_map_data
from geo.places_map import check_group, portfolio_map
from geo.policy import fmt_eur, load_policy
from geo.portfolio import (
    PortfolioFilter,
    check_location,
    filter_buildings,
    find_address,
    functions_of,
    resolve_spot,
    spot_choices,
)

web.guard("vastgoed")
lang = web.lang()
data = from_map_data(web.scoped_map_data(), web.cached_addresses())  # one gemeente at a time
try:
    policy = load_policy()
except WijkatlasError as err:
    st.error(str(err))
    st.stop()

st.title(t("re.title", lang))
st.caption(t("re.intro", lang))
if not data.buildings:
    st.info(t("re.empty", lang))

names = {a.code: a.name for a in sorted(data.buurten, key=lambda a: a.name)}

# --- filters -------------------------------------------------------------------------
with st.expander(t("re.filters", lang), expanded=True):
    c1, c2, c3 = st.columns(3)
    f_buurt = c1.multiselect(t("re.f.buurt", lang), list(names), key="re_f_buurt", format_func=lambda c: names[c],
                            placeholder=t("re.f.all", lang))
    f_function = c2.multiselect(t("re.f.function", lang), functions_of(data.buildings), key="re_f_function",
                                placeholder=t("re.f.all", lang))
    f_policy = c3.multiselect(t("re.f.policy", lang), m.POLICY_CATEGORIES, key="re_f_policy",
                              format_func=lambda p: label(p, lang), placeholder=t("re.f.all", lang))
    c4, c5, c6 = st.columns(3)
    f_occ = c4.slider(t("re.f.occupancy", lang), 0, 100, (0, 100), key="re_f_occ")
    f_cond = c5.slider(t("re.f.condition", lang), 1, 6, (1, 6), key="re_f_cond")
    f_unknown = c6.checkbox(t("re.f.unknown", lang), value=True, key="re_f_unknown")

flt = PortfolioFilter(tuple(f_buurt), tuple(f_function), tuple(f_policy), f_occ, f_cond, f_unknown)
shown = filter_buildings(data.buildings, flt)
st.caption(t("re.count", lang, n=len(shown), total=len(data.buildings)))

# --- check a location: what is picked ------------------------------------------------
choices = spot_choices(data.places)
search_m = float(st.session_state.get("re_search", int(policy.rules["reuse_first"]["distance_m"])))
walk = policy.coverage
spot = resolve_spot(st.session_state.get("re_pick"), st.session_state.get("re_click"), data.places)

map_col, check_col = st.columns([3, 2], gap="medium")
with map_col:
    event = st_folium(
        portfolio_map(data.buurten, shown, lang, shapes=web.cached_buurt_shapes()),
        key="re_map",
        height=560,
        use_container_width=True,
        returned_objects=["last_clicked"],
        feature_group_to_add=check_group(spot, search_m, walk.distance_m / walk.detour_factor),
    )
    pos = clicked_lonlat(event)
    if pos is not None and pos != st.session_state.get("re_last_click"):
        st.session_state["re_last_click"] = pos
        st.session_state["re_click"] = tuple(lonlat_to_rd(*pos))
        st.session_state["re_pick"] = None
        st.rerun()

def _pick_address() -> None:
    """Check the location of a loaded address point, found by its BAG id."""
    st.session_state.pop("re_bag_error", None)
    try:
        point = find_address(data.addresses, st.session_state.get("re_bag", "")).geometry
    except WijkatlasError as exc:
        st.session_state["re_bag_error"] = str(exc)
        return
    st.session_state["re_click"] = (point.x, point.y)
    st.session_state["re_pick"] = None


with check_col:
    st.subheader(t("re.check", lang))
    st.caption(t("re.check.hint", lang))
    web.reshow("re_pick")  # after a language switch the browser shows the choice again
    st.selectbox(
        t("re.check.pick", lang), [None, *choices], key="re_pick", placeholder=t("re.check.pick_none", lang),
        format_func=lambda k: t("re.check.pick_none", lang) if k is None
        else f"{choices[k].name} ({label(choices[k].status, lang)})",
    )
    if data.addresses:
        st.text_input(t("re.check.bag", lang), key="re_bag", on_change=_pick_address, max_chars=40,
                      help=t("re.check.bag_help", lang, n=len(data.addresses)))
        if error := st.session_state.get("re_bag_error"):
            st.error(error)
    st.number_input(t("re.check.radius", lang), min_value=50, max_value=5000, step=50,
                    value=int(policy.rules["reuse_first"]["distance_m"]), key="re_search")
    if spot is None:
        st.info(t("re.check.hint", lang))
    else:
        if not st.session_state.get("re_pick"):
            st.write(t("re.check.clicked", lang, x=spot.x, y=spot.y))
        population = web.cached_population(walk.grid_spacing_m)  # built once per data version
        check = check_location(spot, data.buildings, population, search_m, walk.distance_m, walk.detour_factor,
                               data.buurten)
        if check.buurt_code:
            st.write(t("re.check.in_buurt", lang, name=names.get(check.buurt_code, check.buurt_code),
                       code=check.buurt_code))
        else:
            st.warning(t("re.check.outside", lang))
        st.info(t("re.check.below", lang, n=len(check.buildings), d=int(search_m), k=len(check.served)))

# --- check a location: what was found (full width, so no column is cut off) --------------
if spot is not None:
    st.markdown(f"**{t('re.check.buildings', lang, d=int(search_m))}**")
    if check.buildings:
        st.dataframe(pd.DataFrame(
            [(h.building.name, round(h.distance_m), h.building.occupancy_pct, h.building.condition,
              label(h.building.policy, lang)) for h in check.buildings],
            columns=[t("col.name", lang), t("places.col.distance", lang), t("col.occupancy", lang),
                     t("col.condition", lang), t("col.policy", lang)],
        ), hide_index=True, width="stretch", key="re_check_buildings")
    else:
        st.write(t("re.check.no_buildings", lang, d=int(search_m)))
    st.markdown(f"**{t('re.check.serves', lang, d=int(walk.distance_m))}**")
    if check.served:
        st.dataframe(pd.DataFrame(
            [(s.name, s.code, s.inhabitants, None if s.share is None else round(s.share * 100, 1))
             for s in check.served],
            columns=[t("places.col.buurt", lang), t("places.col.code", lang), t("places.col.served", lang), "%"],
        ), hide_index=True, width="stretch", key="re_check_served")
    else:
        st.write(t("re.check.serves_none", lang))

# --- the portfolio table ---------------------------------------------------------------
st.subheader(t("layer.real_estate", lang))
st.dataframe(pd.DataFrame(
    [(b.name, b.address, b.bag_id, names.get(b.buurt_code, b.buurt_code), b.function, b.floor_area_m2,
      b.occupancy_pct, b.condition, fmt_eur(b.yearly_cost_eur, lang), fmt_eur(b.book_value_eur, lang),
      label(b.policy, lang)) for b in shown],
    columns=[t("col.name", lang), t("places.col.address", lang), t("places.col.bag", lang),
             t("places.col.buurt", lang), t("places.col.function", lang), t("places.col.floor_area", lang),
             t("col.occupancy", lang), t("col.condition", lang), t("places.col.yearly_cost", lang),
             t("places.col.book_value", lang), t("col.policy", lang)],
), hide_index=True, width="stretch", key="re_table")
