"""Meeting places: candidates, residents' needs, coverage with what-if, policy verdicts and costs."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import model as m
from geo import web
from geo.costs import load_unit_costs, plan_of, sum_by
from geo.coverage import gap_areas
from geo.errors import WijkatlasError
from geo.i18n import label, t
from geo.meeting import from_map_data, needs_per_buurt
from geo.places_map import coverage_group, coverage_map
from geo.policy import evaluate, fmt_eur_range, load_policy

BADGE = {"aligned": ("green", ":material/check_circle:"), "attention": ("orange", ":material/warning:"),
         "conflict": ("red", ":material/block:")}

web.guard("ontmoeten")
lang = web.lang()
data = from_map_data(web.scoped_map_data(), web.cached_addresses())  # one gemeente at a time
try:
    policy = load_policy()
    costs = load_unit_costs()
except WijkatlasError as err:
    st.error(str(err))
    st.stop()

st.title(t("mp.title", lang))
st.caption(t("mp.intro", lang))
if not data.buurten:
    st.info(t("app.empty_db", lang))
    st.stop()

# --- settings --------------------------------------------------------------------------
defaults = policy.coverage
with st.expander(t("places.settings", lang), expanded=False):
    c1, c2 = st.columns(2)
    distance = c1.number_input(t("places.distance", lang), min_value=50, max_value=5000, step=50,
                               value=int(defaults.distance_m), key="mp_distance")
    detour = c2.number_input(t("places.detour", lang), min_value=1.0, max_value=3.0, step=0.05,
                             value=float(defaults.detour_factor), key="mp_detour")
    kinds = st.multiselect(t("places.kinds", lang), m.MEETING_KINDS, default=list(defaults.kinds), key="mp_kinds",
                           format_func=lambda k: label(k, lang))
    st.caption(t("mp.policy_file", lang, file=policy.source, costs=costs.source))
if not kinds:
    st.warning(t("mp.no_kinds", lang))
    st.stop()

settings = replace(defaults, distance_m=float(distance), detour_factor=float(detour), kinds=tuple(kinds))
scenario = web.cached_scenario(data, settings)  # shared by sessions, per data version and settings
verdicts = evaluate(data, replace(policy, coverage=settings), costs, scenario)
by_id = {v.place.id: v for v in verdicts}

tab_cov, tab_cand, tab_needs, tab_costs = st.tabs(
    [t("mp.tab.coverage", lang), t("mp.tab.candidates", lang), t("mp.tab.needs", lang), t("mp.tab.costs", lang)])

# --- coverage and what-if ---------------------------------------------------------------
with tab_cov:
    toggles_col, map_col = st.columns([2, 3], gap="medium")  # wide enough for the candidates' names
    with toggles_col:
        st.markdown(f"**{t('mp.whatif', lang)}**")
        # what-if offers the candidates of the chosen kinds; the policy tab judges them all
        whatif = [v for v in verdicts if v.place.kind in settings.kinds]
        if not whatif:
            st.write(t("mp.whatif.none", lang))
        on = set()
        for v in whatif:  # the name as the label, kind and verdict below it: nothing cut off
            if st.toggle(v.place.name, key=f"mp_on_{v.place.id}"):
                on.add(v.place.id)
            st.caption(f"{label(v.place.kind, lang)} · {label(v.level, lang)}")
    rows, after = scenario.compare(on)
    base = scenario.baseline
    with toggles_col:
        st.markdown(f"**{t('mp.municipality', lang, d=int(settings.distance_m))}**")
        k1, k2 = st.columns(2)
        k1.metric(t("mp.metric.now", lang), f"{(base.share or 0) * 100:.1f} %", help=f"{base.covered} / {base.inhabitants}")
        k2.metric(t("mp.metric.after", lang), f"{(after.share or 0) * 100:.1f} %",
                  delta=f"{after.covered - base.covered:+d}", help=f"{after.covered} / {after.inhabitants}")
        note = "mp.radius_note.points" if data.addresses else "mp.radius_note"
        st.caption(t(note, lang, r=round(after.radius_m), d=int(settings.distance_m), f=settings.detour_factor,
                     s=int(settings.grid_spacing_m), n=len(data.addresses)))
    with map_col:
        active = scenario.existing + [v.place for v in whatif if v.place.id in on]
        gaps = gap_areas(data.buurten, [p.geometry for p in active], after.radius_m)
        shapes = web.cached_buurt_shapes()  # boundaries converted once, not on every run
        st_folium(
            coverage_map(data, scenario.existing, lang, shapes=shapes),
            key="mp_map",
            height=580,
            use_container_width=True,
            returned_objects=[],
            feature_group_to_add=coverage_group(data, after, gaps, whatif, on, lang, shapes=shapes),
        )

    def pct(share):
        return None if share is None else round(share * 100, 1)

    st.dataframe(pd.DataFrame(
        [(r.name, r.code, r.inhabitants, r.before, pct(r.share_before), r.after, pct(r.share_after), r.gain)
         for r in rows],
        columns=[t("places.col.buurt", lang), t("places.col.code", lang), t("places.col.inhabitants", lang),
                 t("places.col.covered_before", lang), t("places.col.share_before", lang),
                 t("places.col.covered_after", lang), t("places.col.share_after", lang), t("places.col.gain", lang)],
    ), hide_index=True, width="stretch", key="mp_coverage_table")

# --- candidates and their verdicts -------------------------------------------------------
with tab_cand:
    if not verdicts:
        st.write(t("mp.whatif.none", lang))
    for v in verdicts:
        p = v.place
        colour, icon = BADGE[v.level]
        with st.container(border=True):
            st.markdown(f"#### {p.name}")
            st.badge(label(v.level, lang), color=colour, icon=icon)
            st.caption(f"{label(p.kind, lang)} · {label(p.status, lang)} · {data.buurt_name(p.buurt_code)}"
                       + (f" · {t('places.col.capacity', lang)} {p.capacity}" if p.capacity else ""))
            building = data.building(p.real_estate_id)
            if building:
                st.caption(t("mp.card.building", lang, name=building.name))
            for f in v.findings:
                colour_, icon_ = BADGE[f.level]
                st.write(f":{colour_}[{icon_}] {t('places.rule.' + f.rule, lang)}: {f.text(lang)}")
            inv, yr = v.estimate.investment, v.estimate.yearly
            st.write(t("mp.card.cost", lang, inv=fmt_eur_range(inv.low, inv.high, lang),
                       yearly=fmt_eur_range(yr.low, yr.high, lang)))
            with st.expander(t("mp.card.assumptions", lang)):
                for line in v.estimate.texts(lang):
                    st.write(f"- {line}")

# --- needs per buurt ------------------------------------------------------------------------
with tab_needs:
    st.dataframe(pd.DataFrame(
        [(n.name, n.code, n.suggestions, n.supporters, n.existing, n.candidates) for n in needs_per_buurt(data)],
        columns=[t("places.col.buurt", lang), t("places.col.code", lang), t("places.col.suggestions", lang),
                 t("places.col.supporters", lang), t("places.col.existing", lang), t("places.col.candidates", lang)],
    ), hide_index=True, width="stretch", key="mp_needs_table")
    st.dataframe(pd.DataFrame(
        [(p.name, label(p.kind, lang), label(p.status, lang), data.buurt_name(p.buurt_code), p.capacity,
          data.building(p.real_estate_id).name if data.building(p.real_estate_id) else "")
         for p in sorted(data.places, key=lambda p: (p.buurt_code or "", p.status, p.name))],
        columns=[t("col.name", lang), t("col.kind", lang), t("col.status", lang), t("places.col.buurt", lang),
                 t("places.col.capacity", lang), t("layer.real_estate", lang)],
    ), hide_index=True, width="stretch", key="mp_places_table")

# --- costs ----------------------------------------------------------------------------------
with tab_costs:
    st.dataframe(pd.DataFrame(
        [(v.place.name, data.buurt_name(v.place.buurt_code), label(v.level, lang),
          fmt_eur_range(v.estimate.investment.low, v.estimate.investment.high, lang),
          fmt_eur_range(v.estimate.yearly.low, v.estimate.yearly.high, lang), "✓" if v.place.id in on else "")
         for v in verdicts],
        columns=[t("col.name", lang), t("places.col.buurt", lang), t("places.col.verdict", lang),
                 t("places.col.investment", lang), t("places.col.yearly", lang), t("mp.col.on", lang)],
    ), hide_index=True, width="stretch", key="mp_cost_table")
    chosen = [v for v in verdicts if v.place.id in on]
    if not chosen:
        st.info(t("mp.costs.none", lang))
    else:
        st.markdown(f"**{t('mp.costs.per_buurt', lang)}**")
        per_buurt = sum_by((v.place.buurt_code, v.estimate) for v in chosen)
        st.dataframe(pd.DataFrame(
            [(data.buurt_name(code), code, fmt_eur_range(i.low, i.high, lang), fmt_eur_range(y.low, y.high, lang))
             for code, (i, y) in sorted(per_buurt.items())],
            columns=[t("places.col.buurt", lang), t("places.col.code", lang),
                     t("places.col.investment", lang), t("places.col.yearly", lang)],
        ), hide_index=True, width="stretch", key="mp_cost_buurt")
        st.markdown(f"**{t('mp.costs.per_plan', lang)}**")
        plans = {str(p.id): p for p in data.plans}
        per_plan = sum_by((str(pl.id) if (pl := plan_of(v.place.buurt_code, data.plans)) else None, v.estimate)
                          for v in chosen)
        st.dataframe(pd.DataFrame(
            [(plans[k].title, fmt_eur_range(i.low, i.high, lang), fmt_eur_range(y.low, y.high, lang))
             for k, (i, y) in sorted(per_plan.items())],
            columns=[t("places.col.plan", lang), t("places.col.investment", lang), t("places.col.yearly", lang)],
        ), hide_index=True, width="stretch", key="mp_cost_plan")
