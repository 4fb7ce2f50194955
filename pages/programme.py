"""Programme: multi-year planning, timeline, dashboard, progress map, environment-plan export."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import model as m
from geo import evaluation, plans, progress, timeline, web
from geo.execution import export, team, updates
from geo.access import allowed
from geo.errors import WijkatlasError
from geo.i18n import label, t
from geo.policy import fmt_eur

web.guard("programma")
lang = web.lang()
store = web.store()
actor = web.actor()


MONEY = ("progress.col.estimate", "progress.col.actual")


def table(rows: list[dict], empty: str, whole: tuple[str, ...] = ()) -> None:
    """Rows as a table; ``whole``: columns of whole numbers that may be empty (shown blank, not "None")."""
    if rows:
        frame = pd.DataFrame(rows)
        for name in whole:
            frame[name] = frame[name].astype("Int64")
        for name in (t(k, lang) for k in MONEY):  # one money format everywhere, in the interface language
            if name in frame:
                frame[name] = [fmt_eur(None if pd.isna(v) else v, lang) for v in frame[name]]
        st.dataframe(frame, hide_index=True, width="stretch")
    else:
        st.caption(empty)


st.title(t("programme.title", lang))
if message := st.session_state.pop("programme_flash", None):
    st.success(message)
today = st.date_input(t("programme.as_of", lang), value=dt.date.today(), key="programme_as_of", format="DD-MM-YYYY")
quarter = progress.current_quarter(today)
st.caption(t("programme.dash.as_of", lang, quarter=quarter))

scope = web.gemeente()  # one gemeente at a time (an admin may choose all)
buurten = web.cached_buurten()  # the scope's buurten (read by its box, shared by sessions)
names = {a.code: a.name for a in buurten}
if not buurten:
    st.info(t("app.empty_db", lang))
    st.stop()
all_plans = store.list(m.Plan)
activities = scope.activities(store.list(m.Activity), all_plans)
plan_by_area = {p.area_code: p for p in all_plans if scope.contains(p.area_code)}
scope_plan_ids = [p.id for p in plan_by_area.values()]
all_updates = store.list(m.ActivityUpdate, activity_id=[a.id for a in activities])
exec_config = updates.load_config()
stale = updates.stale_activities(activities, all_updates, today, exec_config.stale_after_weeks)
st.download_button(
    t("exec.prog.export", lang),
    data=lambda: export.programme_xlsx(store, web.actor(), today, lang, plan_ids=scope_plan_ids),
    file_name=f"programma-wijkontwikkeling-{today.isoformat()}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="programme_xlsx", icon=":material/table_view:", disabled=not allowed(actor, "programme.export"),
)

# One section at a time (not st.tabs): a map drawn in a hidden tab gets no size and a wrong view.
SECTIONS = ("years", "timeline", "dashboard", "partners", "feed", "teams", "map", "environment")
web.reshow("programme_section")  # after a language switch the browser shows the choice again
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
    cols = st.columns(4) + st.columns(4)[:3]
    for c, (key, value) in zip(cols, [
        ("progress.col.planned", total.planned), ("progress.col.running", total.running),
        ("progress.col.done", total.done), ("progress.col.overdue", total.overdue),
        ("progress.col.estimate", fmt_eur(total.estimate_eur, lang)),
        ("progress.col.actual", fmt_eur(total.actual_eur, lang)),
        ("exec.prog.stale_metric", len(stale)),
    ]):
        c.metric(t(key, lang), value)
    st.caption(t("exec.prog.money_note", lang, n=len(updates.latest_by_activity(all_updates))))
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

# --- partners: what each carries and how it goes ------------------------------------------------
if section == "partners":
    st.caption(t("exec.prog.partners_help", lang))
    table(updates.partner_rows(activities, all_updates, today, exec_config.stale_after_weeks, lang),
          t("profile.none", lang), whole=(t("exec.col.avg_percent", lang),))
    weeks = f"{exec_config.stale_after_weeks:g}"
    st.markdown(f"#### {t('exec.prog.stale_title', lang, weeks=weeks)}")
    table([{
        t("exec.col.activity", lang): s.activity.title, t("exec.col.buurt", lang): names.get(s.activity.buurt_code, "—"),
        t("exec.col.lead", lang): s.activity.lead_partner, t("exec.col.status", lang): label(s.activity.status, lang),
        t("exec.col.last", lang): updates.update_date(s.last).strftime("%d-%m-%Y") if s.last else t("exec.never", lang),
        t("exec.col.weeks", lang): None if s.weeks is None else int(s.weeks),
    } for s in stale], t("exec.prog.no_stale", lang), whole=(t("exec.col.weeks", lang),))

# --- feed of the latest updates across plans ---------------------------------------------------------
if section == "feed":
    items = updates.feed(store, actor, limit=25, plan_ids=scope_plan_ids)
    if not items:
        st.info(t("exec.prog.feed_none", lang))
    for item in items:
        u = item.update
        with st.container(border=True):
            text_col, photo_col = st.columns([3, 1])
            text_col.markdown(t("exec.prog.feed_item", lang, activity=item.activity.title, plan=item.plan_title,
                                date=updates.update_date(u).strftime("%d-%m-%Y"),
                                by=u.author + (f" ({u.organisation})" if u.organisation else ""),
                                status=label(u.status, lang)))
            text_col.text(u.note)
            details = t("exec.prog.feed_details", lang, percent=u.percent_done if u.percent_done is not None else "—",
                        next=u.next_step or "—")
            if item.show_money and u.spent_eur is not None:
                details += f" · {t('exec.col.spent', lang)}: {fmt_eur(u.spent_eur, lang)}"
            text_col.caption(details)
            pic = updates.photo(store, u.photo_id)
            if pic is not None:
                photo_col.image(pic.data, caption=item.activity.title)

# --- year teams across plans ------------------------------------------------------------------------
if section == "teams":
    views = team.team_views(store, scope_plan_ids)
    if not views:
        st.info(t("exec.prog.teams_none", lang))
    for year in sorted({v.team.year for v in views}, reverse=True):
        st.markdown(f"#### {t('exec.prog.team_year', lang)} {year}")
        for v in (v for v in views if v.team.year == year):
            with st.expander(f"{v.plan.title} — {len(v.team.members)} {t('team.members', lang).lower()}"):
                table([{t("team.col.name", lang): mb.get("name", ""),
                        t("team.col.organisation", lang): mb.get("organisation", ""),
                        t("team.col.role", lang): mb.get("role", "")} for mb in v.team.members], "")
                st.markdown(f"**{t('team.points', lang)}**")
                table([{t("exec.col.activity", lang): a.title, t("exec.col.status", lang): label(a.status, lang)}
                       for a in v.activities] + [{t("exec.col.activity", lang): i.text,
                                                  t("exec.col.status", lang): label(i.kind, lang)}
                                                 for i in v.analysis_items], t("profile.none", lang))
                st.markdown(f"**{t('team.meetings', lang)}**")
                table([{t("team.meeting.date", lang): mt.date, t("team.meeting.decisions", lang): mt.decisions}
                       for mt in v.meetings], t("team.meeting.none", lang))

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
        table(evaluation.environment_plan_rows(env, lang), "", whole=(t("programme.col.year", lang),))
        st.download_button(
            t("programme.env.download", lang),
            data=lambda: evaluation.environment_plan_gpkg(store, actor, scope),
            file_name="omgevingsplan-wijkplannen.gpkg",
            mime="application/geopackage+sqlite3",
            key="programme_env_download",
            icon=":material/download:",
            disabled=not allowed(actor, "data.export"),
        )
