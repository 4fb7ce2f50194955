"""Programme: multi-year planning, timeline, dashboard, progress map, environment-plan export."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import model as m
from geo import evaluation, plans, progress, timeline, web
from geo.access import allowed
from geo.errors import WijkatlasError
from geo.i18n import label, t

web.guard("programma")
lang = web.lang()
store = web.store()
actor = web.actor()


MONEY = ("progress.col.estimate", "progress.col.actual")


def table(rows: list[dict], empty: str) -> None:
    if rows:
        money = {t(k, lang): st.column_config.NumberColumn(format="euro") for k in MONEY}
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config=money)
    else:
        st.caption(empty)


st.title(t("programme.title", lang))
if message := st.session_state.pop("programme_flash", None):
    st.success(message)
today = st.date_input(t("programme.as_of", lang), value=dt.date.today(), key="programme_as_of", format="DD-MM-YYYY")
quarter = progress.current_quarter(today)
st.caption(t("programme.dash.as_of", lang, quarter=quarter))

scope = web.gemeente()  # one gemeente at a time (an admin may choose all)
buurten = scope.areas(store.list(m.Area, level="buurt"))
names = {a.code: a.name for a in buurten}
if not buurten:
    st.info(t("app.empty_db", lang))
    st.stop()
all_plans = store.list(m.Plan)
activities = scope.activities(store.list(m.Activity), all_plans)
plan_by_area = {p.area_code: p for p in all_plans if scope.contains(p.area_code)}

# One section at a time (not st.tabs): a map drawn in a hidden tab gets no size and a wrong view.
SECTIONS = ("years", "timeline", "dashboard", "map", "environment")
section = st.radio(t("programme.section", lang), SECTIONS, key="programme_section", horizontal=True,
                   format_func=lambda s: t(f"programme.tab.{s}", lang), label_visibility="collapsed")

# --- multi-year planning -------------------------------------------------------------------
if section == "years":
    st.caption(t("programme.years.help", lang))
    rows = plans.planning_rows(store, scope)
    frame = pd.DataFrame(
        [{**r, "stage": label(r["stage"], lang)} for r in rows], columns=["code", "name", "stage", "year"]
    ).astype({"year": "Int64"})
    version = st.session_state.setdefault("programme_years_version", 0)
    edited = st.data_editor(
        frame,
        key=f"programme_years_{version}",
        hide_index=True,
        width="stretch",
        disabled=["code", "name", "stage"] if allowed(actor, "plan.edit") else True,
        column_config={
            "code": st.column_config.TextColumn(t("programme.col.code", lang)),
            "name": st.column_config.TextColumn(t("programme.col.buurt", lang)),
            "stage": st.column_config.TextColumn(t("programme.col.stage", lang)),
            "year": st.column_config.NumberColumn(t("programme.col.year", lang), min_value=2000, max_value=2100,
                                                  step=1, format="%d"),
        },
    )
    if st.button(t("programme.years.save", lang), key="programme_years_save", type="primary",
                 disabled=not allowed(actor, "plan.edit")):
        years = {r["code"]: (None if pd.isna(r["year"]) else int(r["year"])) for r in edited.to_dict("records")}
        try:
            plans.set_plan_years(store, actor, years)
        except WijkatlasError as err:
            st.error(str(err))
        else:
            st.session_state["programme_years_version"] = version + 1
            st.session_state["programme_flash"] = t("programme.years.saved", lang)
            st.rerun()
    st.markdown(f"**{t('programme.years.per_year', lang)}**")
    table([{t("programme.col.year", lang): year, t("programme.col.buurt", lang): ", ".join(sorted(n))}
           for year, n in plans.years_overview(rows).items()], t("profile.none", lang))

# --- timeline --------------------------------------------------------------------------------
if section == "timeline":
    rows_all = timeline.timeline_rows(activities, names, quarter)
    options = timeline.filter_options(rows_all)
    f1, f2, f3, f4 = st.columns(4)
    every = t("programme.filter.all", lang)
    f_buurt = f1.multiselect(t("programme.filter.buurt", lang), options["buurten"], key="programme_f_buurt",
                             placeholder=every, format_func=lambda c: names.get(c, c))
    f_domain = f2.multiselect(t("programme.filter.domain", lang), options["domains"], key="programme_f_domain",
                              placeholder=every, format_func=lambda d: label(d, lang))
    f_partner = f3.multiselect(t("programme.filter.partner", lang), options["partners"], key="programme_f_partner",
                               placeholder=every)
    f_status = f4.multiselect(t("programme.filter.status", lang), options["statuses"], key="programme_f_status",
                              placeholder=every, format_func=lambda s: label(s, lang))
    shown = timeline.filter_rows(rows_all, buurten=f_buurt, domains=f_domain, partners=f_partner, statuses=f_status)
    if shown:
        st.caption(t("programme.timeline.count", lang, n=len(shown), quarter=quarter))
        st.altair_chart(timeline.altair_chart(shown, lang, today=today), width="stretch")
        table([{
            t("timeline.col.title", lang): r.title, t("timeline.col.buurt", lang): r.buurt,
            t("programme.col.domain", lang): label(r.domain, lang), t("timeline.col.status", lang): label(r.status, lang),
            t("timeline.col.period", lang): f"{r.start} – {r.end}", t("timeline.col.lead", lang): r.lead_partner,
            t("progress.col.overdue", lang): "!" if r.overdue else "",
        } for r in shown], "")
    else:
        st.info(t("programme.timeline.none", lang))

# --- dashboard -------------------------------------------------------------------------------
if section == "dashboard":
    total = progress.rollup(activities, quarter)
    cols = st.columns(4) + st.columns(4)[:2]
    for c, (key, value) in zip(cols, [
        ("progress.col.planned", total.planned), ("progress.col.running", total.running),
        ("progress.col.done", total.done), ("progress.col.overdue", total.overdue),
        ("progress.col.estimate", f"€ {total.estimate_eur:,.0f}".replace(",", ".")),
        ("progress.col.actual", f"€ {total.actual_eur:,.0f}".replace(",", ".")),
    ]):
        c.metric(t(key, lang), value)
    st.markdown(f"#### {t('programme.dash.by_buurt', lang)}")
    table(progress.rollup_table(
        progress.by_buurt(activities, quarter), t("programme.col.buurt", lang), lambda c: names.get(c, c), lang,
        extra=lambda c: {
            t("programme.col.stage", lang): label(plan_by_area[c].stage if c in plan_by_area else "not_started", lang),
            t("programme.col.year", lang): plan_by_area[c].year if c in plan_by_area else None,
        }), t("profile.none", lang))
    st.markdown(f"#### {t('programme.dash.by_domain', lang)}")
    table(progress.rollup_table(progress.by_domain(activities, quarter), t("programme.col.domain", lang),
                                lambda d: label(d, lang), lang), t("profile.none", lang))
    st.markdown(f"#### {t('programme.dash.partners', lang)}")
    table(progress.partner_table(progress.partner_load(activities, quarter), lang), t("profile.none", lang))
    st.markdown(f"#### {t('programme.dash.overdue_list', lang)}")
    table([{t("timeline.col.title", lang): a.title, t("timeline.col.buurt", lang): names.get(a.buurt_code, "—"),
            t("timeline.col.period", lang): f"{a.start} – {a.end}", t("timeline.col.status", lang): label(a.status, lang),
            t("timeline.col.lead", lang): a.lead_partner}
           for a in progress.overdue_activities(activities, quarter)], t("profile.none", lang))

# --- progress map ----------------------------------------------------------------------------
if section == "map":
    st_folium(
        progress.progress_map(buurten, progress.by_buurt(activities, quarter), lang),
        key="programme_map",
        height=540,
        use_container_width=True,
        returned_objects=[],
    )

# --- environment plan ------------------------------------------------------------------------
if section == "environment":
    st.caption(t("programme.env.intro", lang, layer=evaluation.ENVIRONMENT_LAYER))
    env = evaluation.environment_plan_frame(store, scope)
    if env.empty:
        st.info(t("programme.env.none", lang))
    else:
        table(pd.DataFrame(env.drop(columns="geometry")).to_dict("records"), "")
        st.download_button(
            t("programme.env.download", lang),
            data=lambda: evaluation.environment_plan_gpkg(store, actor, scope),
            file_name="omgevingsplan-wijkplannen.gpkg",
            mime="application/geopackage+sqlite3",
            key="programme_env_download",
            icon=":material/download:",
            disabled=not allowed(actor, "data.export"),
        )
