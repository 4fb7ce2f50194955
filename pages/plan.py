"""Neighbourhood plan: stage, analysis, agenda (table and map), quick wins, evaluation, document."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import model as m
from geo import agenda, drawing, evaluation, plans, web
from geo.execution import team
from geo.access import allowed
from geo.errors import Conflict, WijkatlasError
from geo.i18n import label, t
from geo.maps import BASEMAPS, format_number

web.guard("plan")
lang = web.lang()
store = web.store()
actor = web.actor()
can_edit = allowed(actor, "plan.edit")
guard = web.submit_guard()  # forms that do not double


def flash(text: str) -> None:
    """A message that survives the rerun after a successful save."""
    st.session_state["plan_flash"] = text
    st.rerun()


def table(rows: list[dict], empty: str) -> None:
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.caption(empty)


def col(name: str) -> str:
    return t(f"agenda.col.{name}", lang)


def choice(options: dict, key: str, text: str, current=None):
    """A selectbox over ``{value: label}`` with a leading 'none', set to ``current``."""
    values = [None, *options]
    return st.selectbox(text, values, key=key, index=values.index(current) if current in options else 0,
                        format_func=lambda v: t("plan.agenda.none_link", lang) if v is None else options[v])


def _evaluation_rounds() -> None:
    """Open a round, follow its answers, close it, and turn a result into a factor."""
    from geo import evaluation_rounds as E

    st.markdown(f"#### {t('eval.rounds', lang)}")
    may = allowed(actor, "evaluation.edit")
    rounds = {r.id: r for r in store.list(m.EvaluationRound, order_by="-id", plan_id=plan.id)}
    if not rounds:
        st.caption(t("eval.rounds.none", lang))
    else:
        rid = st.selectbox(t("eval.round.pick", lang), list(rounds), key=f"plan_round_{plan.id}",
                           format_func=lambda i: f"{rounds[i].title} ({rounds[i].opens_on} – {rounds[i].closes_on}, "
                                                 f"{t('eval.round.state.' + E.state(rounds[i]), lang)})")
        r = rounds[rid]
        st.caption(t("eval.round.link", lang, path=web.app_url(E.public_link(rid))))
        st.caption(t("eval.round.responses", lang, **E.response_count(store, rid)))
        if E.state(r) != "closed" and st.button(t("eval.round.close", lang), key=f"plan_round_close_{rid}",
                                                disabled=not may):
            try:
                E.close_round(store, actor, rid)
            except WijkatlasError as err:
                st.error(str(err))
            else:
                flash(t("eval.round.closed", lang))
        found = E.results(store, rid)
        st.markdown(f"**{t('eval.results', lang)}**")
        rows = E.result_rows([x for x in found if x.group("all").n or x.group("all").no_opinion], lang)
        if rows:  # a plain table: small, and readable by screen readers and the browser tests
            st.table(pd.DataFrame(rows))
        else:
            st.caption(t("eval.results.none", lang))
        comments = [(x.statement.text, g, c) for x in found for g, c in x.comments]
        if comments:
            with st.expander(f"{t('eval.comments', lang)} ({len(comments)})"):
                for statement, group, comment in comments:
                    st.caption(f"{statement} · {t(f'eval.group.{group}', lang)}")
                    st.text(comment)  # residents' text: shown as text, never as HTML
        answered = {x.statement.id: x for x in found if x.group("all").n}
        if answered:
            f1, f2 = st.columns([3, 1], vertical_alignment="bottom")
            sid = f1.selectbox(t("eval.to_factor.pick", lang), list(answered), key=f"plan_round_factor_{rid}",
                               format_func=lambda i: answered[i].statement.text, help=t("eval.to_factor.help", lang))

            def _prefill() -> None:
                res = answered[st.session_state[f"plan_round_factor_{rid}"]]
                st.session_state["plan_eval_factor"] = res.statement.text[:500]
                st.session_state["plan_eval_domain"] = res.statement.domain
                st.session_state["plan_eval_evidence"] = E.evidence_text(res, lang)

            f2.button(t("eval.to_factor", lang), key=f"plan_round_to_factor_{rid}", on_click=_prefill,
                      disabled=not may)
    with st.expander(t("eval.round.new", lang), expanded=not rounds):
        with st.form(f"plan_round_form_{plan.id}"):
            title = st.text_input(t("eval.round.title", lang), value=t("eval.round.title_default", lang, title=plan.title),
                                  key=f"plan_round_title_{plan.id}", max_chars=200)
            d1, d2 = st.columns(2)
            today = dt.date.today()
            opens = d1.date_input(t("eval.round.opens", lang), value=today, key=f"plan_round_opens_{plan.id}",
                                  format="DD-MM-YYYY")
            closes = d2.date_input(t("eval.round.closes", lang), value=today + dt.timedelta(days=28),
                                   key=f"plan_round_closes_{plan.id}", format="DD-MM-YYYY")
            texts = {}
            for d in m.DOMAINS:
                default = "\n".join(text for dom, text in E.DEFAULT_STATEMENTS if dom == d)
                texts[d] = st.text_area(t("eval.round.statements", lang, domain=label(d, lang)), value=default,
                                        key=f"plan_round_statements_{plan.id}_{d}", height=90)
            if st.form_submit_button(t("eval.round.open", lang), disabled=not may, key=f"plan_round_open_{plan.id}"):
                statements = [(d, line) for d in m.DOMAINS for line in texts[d].splitlines()]
                try:
                    E.open_round(store, actor, plan.id, title, opens, closes, statements)
                except WijkatlasError as err:
                    st.error(str(err))
                else:
                    flash(t("eval.round.opened", lang))
    st.markdown(f"#### {t('plan.tab.evaluation', lang)}")


st.title(t("plan.title", lang))
if message := st.session_state.pop("plan_flash", None):
    st.success(message)
if not can_edit:
    st.info(t("plan.read_only", lang))

# --- which plan -----------------------------------------------------------------------
choices = plans.area_choices(store, web.gemeente())  # one gemeente at a time
names, stages = choices.names, choices.stages
if not names:
    st.info(t("app.empty_db", lang))
    st.stop()
code = web.kept_selectbox(  # kept by code: a stage change shows at once and the choice stays
    t("plan.pick", lang), choices.codes, key="plan_pick",
    format_func=lambda c: f"{names[c]} ({c})" + (f" — {label(stages[c], lang)}" if c in stages else ""),
)
area = store.get(m.Area, code)
plan = plans.plan_for(store, code)
if plan is None:
    st.info(t("plan.no_plan", lang, name=area.name))
    if st.button(t("plan.create", lang), key="plan_create", disabled=not can_edit, type="primary"):
        try:
            plans.create_plan(store, actor, code)
        except WijkatlasError as err:
            st.error(str(err))
        else:
            flash(t("plan.created", lang))
    st.stop()

activities = agenda.plan_activities(store, plan)
analysis = store.list(m.AnalysisItem, plan_id=plan.id)
st.subheader(plan.title)
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("plan.stage", lang), label(plan.stage, lang))
c2.metric(t("plan.field.year", lang), plan.year or "—")
c3.metric(t("profile.activities", lang), len(activities))
c4.metric(t("plan.tab.quick_wins", lang), sum(1 for a in activities if a.quick_win))
p1, p2 = st.columns(2)
p1.page_link("pages/explore.py", label=t("plan.explorer_link", lang), icon=":material/map:",
             query_params={"buurt": code} if code.startswith("BU") else None)
if code.startswith("BU"):
    p2.page_link("pages/buurt.py", label=t("pub.explorer_link", lang), icon=":material/home_pin:",
                 query_params={"buurt": code})

# One section at a time (not st.tabs): a map drawn in a hidden tab gets no size and a wrong view.
SECTIONS = ("plan", "analysis", "agenda", "map", "quick_wins", "team", "evaluation", "document")
web.reshow("plan_section")  # after a language switch the browser shows the choice again
section = st.radio(t("plan.section", lang), SECTIONS, key="plan_section", horizontal=True,
                   format_func=lambda s: t(f"plan.tab.{s}", lang), label_visibility="collapsed")

# --- plan and stage -----------------------------------------------------------------------
if section == "plan":
    plan_seen = web.seen_version(f"plan_{plan.id}", f"plan_title_{plan.id}", plan.version)
    with st.form(f"plan_form_{plan.id}"):
        title = st.text_input(t("plan.field.title", lang), value=plan.title, key=f"plan_title_{plan.id}")
        year = st.number_input(t("plan.field.year", lang), min_value=2000, max_value=2100, value=plan.year,
                               step=1, key=f"plan_year_{plan.id}")
        summary = st.text_area(t("plan.field.summary", lang), value=plan.summary, key=f"plan_summary_{plan.id}")
        effects = st.text_area(t("plan.field.effects", lang), value=plan.intended_effects,
                               key=f"plan_effects_{plan.id}")
        costs_public = st.checkbox(t("plan.field.costs_public", lang), value=plan.costs_public,
                                   key=f"plan_costs_public_{plan.id}", help=t("plan.field.costs_public_help", lang))
        if st.form_submit_button(t("plan.save", lang), disabled=not can_edit, key=f"plan_save_{plan.id}"):
            try:
                saved_plan = plans.update_plan(store, actor, plan.id, title=title, year=year, summary=summary,
                                               intended_effects=effects, costs_public=costs_public,
                                               version=plan_seen)
            except Conflict:
                now = store.get(m.Plan, plan.id)
                web.saw_version(f"plan_{plan.id}", now.version)
                st.warning(t("store.conflict", lang, what=t("store.conflict.plan", lang)))
                st.caption(f"{t('store.conflict.now', lang)}: {now.title} · {now.year or '—'}")
                st.text(f"{now.summary}\n\n{now.intended_effects}".strip())
            except WijkatlasError as err:
                st.error(str(err))
            else:
                web.saw_version(f"plan_{plan.id}", saved_plan.version)
                flash(t("plan.saved", lang))

    st.markdown(t("plan.stage.current", lang, stage=label(plan.stage, lang)))
    reachable = plans.next_stages(store, plan)
    if reason := plans.next_stage_problem(store, plan):
        st.caption(t("plan.stage.next_blocked", lang, reason=reason))
    s1, s2 = st.columns([3, 1], vertical_alignment="bottom")
    target = s1.selectbox(t("plan.stage.move", lang), reachable, index=reachable.index(plan.stage),
                          key=f"plan_stage_target_{plan.id}", format_func=lambda s: label(s, lang))
    if s2.button(t("plan.stage.apply", lang), key=f"plan_stage_apply_{plan.id}",
                 disabled=not can_edit or target == plan.stage):
        try:
            plans.set_stage(store, actor, plan.id, target)
        except WijkatlasError as err:
            st.error(str(err))
        else:
            flash(t("plan.stage.changed", lang, stage=label(target, lang)))

# --- analysis -------------------------------------------------------------------------------
if section == "analysis":
    for kind, key in (("strength", "plan.analysis.strengths"), ("bottleneck", "plan.analysis.bottlenecks")):
        st.markdown(f"**{t(key, lang)}**")
        table(plans.analysis_rows(analysis, kind, lang), t("profile.none", lang))
    with st.form(f"plan_analysis_form_{plan.id}"):
        st.markdown(f"**{t('plan.analysis.add', lang)}**")
        a1, a2, a3 = st.columns(3)
        kind = a1.radio(t("plan.analysis.kind", lang), m.ANALYSIS_KINDS, key="plan_analysis_kind",
                        format_func=lambda k: label(k, lang))
        domain = a2.selectbox(t("agenda.col.domain", lang), m.DOMAINS, key="plan_analysis_domain",
                              format_func=lambda d: label(d, lang))
        source = a3.selectbox(t("plan.analysis.source", lang), m.ANALYSIS_SOURCES, key="plan_analysis_source",
                              format_func=lambda s: label(s, lang))
        text = st.text_area(t("plan.analysis.text", lang), key="plan_analysis_text", max_chars=2000)
        if st.form_submit_button(t("plan.save", lang), disabled=not can_edit, key="plan_analysis_save"):
            submit = (plan.id, kind, domain, text, source)
            if guard.repeated("analysis", submit):  # a second click on a form that already saved
                st.info(t("form.repeated", lang))
            else:
                try:
                    plans.save_analysis_item(store, actor, m.AnalysisItem(plan.id, kind, domain, text, source))
                except WijkatlasError as err:
                    st.error(str(err))
                else:
                    guard.saved("analysis", submit)
                    web.reset_next_run({"plan_analysis_text": ""})
                    flash(t("plan.saved", lang))
    if analysis:
        d1, d2 = st.columns([3, 1], vertical_alignment="bottom")
        doomed = d1.selectbox(t("plan.analysis.delete_pick", lang), [a.id for a in analysis],
                              key="plan_analysis_doomed",
                              format_func=lambda i: next(f"{i}. {a.text[:70]}" for a in analysis if a.id == i))
        if d2.button(t("plan.analysis.delete", lang), key="plan_analysis_delete", disabled=not can_edit):
            try:
                plans.delete_analysis_item(store, actor, doomed)
            except WijkatlasError as err:
                st.error(str(err))
            else:
                flash(t("plan.saved", lang))

# --- agenda: the table ---------------------------------------------------------------------
if section == "agenda":
    st.caption(t("plan.agenda.help", lang))
    version = st.session_state.setdefault("plan_agenda_version", 0)
    editor_key = f"plan_agenda_{plan.id}_{version}"
    # The table the planner edits stays as it was opened while they have edits (a save by someone
    # else must not reset what they typed); its versions go with the save (optimistic locking).
    base = st.session_state.get("plan_agenda_base")
    if not base or base["key"] != (editor_key, lang) or not agenda.editor_has_edits(st.session_state.get(editor_key)):
        base = {"key": (editor_key, lang), "rows": agenda.agenda_rows(activities, lang),
                "seen": agenda.agenda_versions(activities)}
        st.session_state["plan_agenda_base"] = base
    frame = pd.DataFrame(base["rows"], columns=list(agenda.AGENDA_COLUMNS))
    edited = st.data_editor(
        frame,
        key=editor_key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        disabled=not can_edit,
        column_order=[c for c in agenda.AGENDA_COLUMNS if c != "id"],  # the record id stays hidden
        column_config={
            "number": st.column_config.NumberColumn(col("number"), disabled=True, width="small",
                                                    help=t("agenda.number_help", lang)),
            "title": st.column_config.TextColumn(col("title"), width="large"),  # wide enough to read
            "domain": st.column_config.SelectboxColumn(col("domain"), options=[label(d, lang) for d in m.DOMAINS]),
            "lead_partner": st.column_config.TextColumn(col("lead_partner")),
            "partners": st.column_config.TextColumn(col("partners")),
            "start": st.column_config.TextColumn(col("start"), help=t("agenda.quarter_help", lang), width="small"),
            "end": st.column_config.TextColumn(col("end"), help=t("agenda.quarter_help", lang), width="small"),
            "status": st.column_config.SelectboxColumn(col("status"),
                                                       options=[label(s, lang) for s in m.ACTIVITY_STATUSES]),
            "cost_estimate_eur": st.column_config.NumberColumn(col("cost_estimate_eur"), min_value=0, format="%.0f"),
            "cost_actual_eur": st.column_config.NumberColumn(col("cost_actual_eur"), min_value=0, format="%.0f"),
            "quick_win": st.column_config.CheckboxColumn(col("quick_win")),
            "description": st.column_config.TextColumn(col("description"), width="large"),
        },
    )
    if st.button(t("plan.agenda.save", lang), key="plan_agenda_save", type="primary", disabled=not can_edit):
        rows = agenda.rows_from_frame(edited)
        try:
            saved = agenda.save_agenda(store, actor, plan.id, rows, web.area_locator(), seen=base["seen"])
        except agenda.AgendaConflict:
            now = agenda.plan_activities(store, plan)
            base["seen"] = agenda.agenda_versions(now)  # saving again keeps this table's version
            st.warning(t("store.conflict", lang, what=t("store.conflict.agenda", lang)))
            st.caption(t("store.conflict.now", lang))
            st.dataframe(pd.DataFrame(agenda.agenda_rows(now, lang), columns=list(agenda.AGENDA_COLUMNS))
                         .drop(columns=["id"]).rename(columns=col), hide_index=True, width="stretch")
        except agenda.AgendaError as err:
            st.error(t("plan.agenda.refused", lang, n=len(err.errors)))
            for e in err.errors:
                st.error(str(e))
        except WijkatlasError as err:
            st.error(str(err))
        else:
            st.session_state["plan_agenda_version"] = version + 1
            flash(t("plan.agenda.saved", lang, n=len(saved)))

    # --- agenda: one activity, with its links ----------------------------------------------
    st.markdown(f"#### {t('plan.agenda.form', lang)}")
    by_id = {a.id: a for a in activities}
    numbers = agenda.activity_numbers(activities)
    pick = web.kept_selectbox(t("plan.agenda.pick", lang), ["new", *by_id], key="plan_act_pick", default="new",
                              format_func=lambda i: t("plan.agenda.new", lang) if i == "new"
                              else agenda.numbered(by_id[i], numbers))
    cur = by_id.get(pick) or m.Activity(title="", domain="social", plan_id=plan.id)
    fv = st.session_state.setdefault("plan_act_form_version", 0)
    k = f"{pick}_{fv}"
    links = agenda.link_options(store, code, analysis, lang)
    act_seen = web.seen_version(f"plan_act_{k}", f"plan_act_title_{k}", cur.version)
    with st.form(f"plan_act_form_{k}"):
        f1, f2 = st.columns([2, 1])
        a_title = f1.text_input(col("title"), value=cur.title, key=f"plan_act_title_{k}", max_chars=200)
        a_domain = f2.selectbox(col("domain"), m.DOMAINS, index=m.DOMAINS.index(cur.domain),
                                key=f"plan_act_domain_{k}", format_func=lambda d: label(d, lang))
        a_desc = st.text_area(col("description"), value=cur.description, key=f"plan_act_description_{k}")
        f3, f4 = st.columns(2)
        a_lead = f3.text_input(col("lead_partner"), value=cur.lead_partner, key=f"plan_act_lead_{k}")
        a_partners = f4.text_input(col("partners"), value=", ".join(cur.partners), key=f"plan_act_partners_{k}")
        f5, f6, f7 = st.columns(3)
        a_start = f5.text_input(col("start"), value=cur.start, key=f"plan_act_start_{k}",
                                placeholder="2026-Q1", help=t("agenda.quarter_help", lang))
        a_end = f6.text_input(col("end"), value=cur.end, key=f"plan_act_end_{k}", placeholder="2026-Q4",
                              help=t("agenda.quarter_help", lang))
        a_status = f7.selectbox(col("status"), m.ACTIVITY_STATUSES, index=m.ACTIVITY_STATUSES.index(cur.status),
                                key=f"plan_act_status_{k}", format_func=lambda s: label(s, lang))
        f8, f9, f10 = st.columns(3)
        a_est = f8.number_input(col("cost_estimate_eur"), min_value=0.0, value=cur.cost_estimate_eur, step=500.0,
                                key=f"plan_act_estimate_{k}")
        a_act = f9.number_input(col("cost_actual_eur"), min_value=0.0, value=cur.cost_actual_eur, step=500.0,
                                key=f"plan_act_actual_{k}")
        a_qw = f10.checkbox(col("quick_win"), value=cur.quick_win, key=f"plan_act_quick_{k}",
                            help=t("plan.quick.intro", lang, max=format_number(agenda.QUICK_WIN_MAX_EUR, lang)))
        with st.expander(t("plan.agenda.links", lang)):
            l1, l2 = st.columns(2)
            with l1:
                a_mp = choice(links.meeting_places, f"plan_act_meeting_{k}", col("meeting_place"),
                              cur.meeting_place_id)
                a_re = choice(links.buildings, f"plan_act_building_{k}", col("real_estate"), cur.real_estate_id)
            with l2:
                a_sug = choice(links.suggestions, f"plan_act_suggestion_{k}", col("suggestion"), cur.suggestion_id)
                a_item = choice(links.analysis_items, f"plan_act_item_{k}", col("analysis_item"),
                                cur.analysis_item_id)
        submitted = st.form_submit_button(t("plan.agenda.save_one", lang), type="primary", disabled=not can_edit,
                                          key=f"plan_act_save_{k}")
    if submitted:
        act = agenda.activity_from_form(
            cur, title=a_title, domain=a_domain, description=a_desc, lead_partner=a_lead, partners=a_partners,
            start=a_start, end=a_end, status=a_status, cost_estimate_eur=a_est, cost_actual_eur=a_act,
            quick_win=a_qw, meeting_place_id=a_mp, real_estate_id=a_re, suggestion_id=a_sug,
            analysis_item_id=a_item)
        act.version = act_seen
        submit = (plan.id, pick, act.to_dict(), str(act.geometry))
        try:
            if pick == "new" and guard.repeated("activity", submit):  # a second click on a form that already saved
                st.info(t("form.repeated", lang))
                saved = None
            else:
                saved = agenda.save_activity(store, actor, act, web.area_locator())
        except Conflict:
            now = store.get(m.Activity, act.id)
            web.saw_version(f"plan_act_{k}", now.version)
            st.warning(t("store.conflict", lang, what=t("store.conflict.activity", lang)))
            st.caption(f"{t('store.conflict.now', lang)}: {now.title} · {label(now.status, lang)} · "
                       f"{now.start or '—'} – {now.end or '—'} · {now.lead_partner or '—'}")
            if now.description:
                st.text(now.description)
        except WijkatlasError as err:
            st.error(agenda.refusal(err))
        else:
            if saved is not None:
                web.saw_version(f"plan_act_{k}", saved.version)
                guard.saved("activity", submit)
                st.session_state["plan_agenda_version"] = version + 1
                if pick == "new":
                    st.session_state["plan_act_form_version"] = fv + 1
                flash(t("plan.agenda.saved_one", lang, title=saved.title))
    if pick != "new" and st.button(t("plan.agenda.delete", lang), key=f"plan_act_delete_{k}", disabled=not can_edit):
        try:
            agenda.delete_activity(store, actor, pick)
        except WijkatlasError as err:
            st.error(str(err))
        else:
            web.forget_choice("plan_act_pick")
            st.session_state["plan_agenda_version"] = version + 1
            flash(t("plan.agenda.deleted", lang))

# --- on the map -----------------------------------------------------------------------------
if section == "map":
    st.caption(t("plan.map.help", lang))
    targets = agenda.map_targets(activities, analysis, lang)
    if not targets:
        st.info(t("plan.map.no_activities", lang))
    elif area.geometry is None:
        st.info(t("plan.map.no_boundary", lang, name=area.name))
    else:
        m1, m2 = st.columns([3, 2])
        target = web.kept_selectbox(t("plan.agenda.pick", lang), list(targets), key="plan_map_target",
                                    format_func=lambda k: targets[k], container=m1)
        basemap = m2.selectbox(t("explore.basemap", lang), list(BASEMAPS), key="plan_map_basemap",
                               format_func=lambda b: t(f"explore.basemap.{b}", lang))
        neighbours = drawing.neighbours_of(store, area)
        event = st_folium(
            drawing.plan_map(area, neighbours, activities, analysis, lang, basemap=basemap),
            key=f"plan_draw_map_{plan.id}",
            height=520,
            use_container_width=True,
            returned_objects=["last_active_drawing", "all_drawings"],
        )
        drawn = drawing.last_drawing(event)
        geom = None
        if drawn:
            try:
                geom = drawing.drawn_to_rd(drawn)
            except WijkatlasError as err:
                st.error(str(err))
        if geom is not None:
            where = web.area_locator().at(geom)
            st.info(t("plan.map.drawn", lang, kind=drawing.describe_geometry(geom, lang),
                      buurt=where.name if where else "—"))
        else:
            st.caption(t("plan.map.nothing", lang))
        b1, b2 = st.columns(2)
        if b1.button(t("plan.map.save", lang), key="plan_map_save", type="primary",
                     disabled=not can_edit or geom is None):
            try:
                saved = agenda.place_on_map(store, actor, target, geom, web.area_locator())
            except WijkatlasError as err:
                st.error(str(err))
            else:
                flash(t("plan.map.saved", lang, title=saved.title, buurt=names.get(saved.buurt_code, "—"))
                      if isinstance(saved, m.Activity) else t("plan.saved", lang))
        if b2.button(t("plan.map.remove", lang), key="plan_map_remove", disabled=not can_edit):
            try:
                agenda.place_on_map(store, actor, target, None, web.area_locator())
            except WijkatlasError as err:
                st.error(str(err))
            else:
                flash(t("plan.saved", lang))

# --- quick wins -------------------------------------------------------------------------------
if section == "quick_wins":
    st.caption(t("plan.quick.intro", lang, max=format_number(agenda.QUICK_WIN_MAX_EUR, lang)))
    table(agenda.quick_win_rows(agenda.quick_wins(store, plan), lang, numbers_from=activities),
          t("plan.quick.none", lang))

# --- the year team --------------------------------------------------------------------------------
if section == "team":
    st.caption(t("team.help", lang))
    can_team = allowed(actor, "team.edit")
    existing = team.teams_of_plan(store, plan.id)
    this_year = dt.date.today().year
    years = sorted({*(tm.year for tm in existing), plan.year or this_year, this_year, this_year + 1})
    year = st.selectbox(t("team.year", lang), years, index=years.index(this_year), key=f"plan_team_year_{plan.id}")
    current = team.team_for(store, plan.id, year)
    tv = st.session_state.setdefault("plan_team_version", 0)
    tkey = f"{plan.id}_{year}_{tv}"
    st.markdown(f"**{t('team.members', lang)}**")
    members = st.data_editor(
        pd.DataFrame(current.members if current else [], columns=["name", "organisation", "role"]),
        key=f"plan_team_members_{tkey}", num_rows="dynamic", hide_index=True, width="stretch", disabled=not can_team,
        column_config={c: st.column_config.TextColumn(t(f"team.col.{c}", lang), max_chars=200)
                       for c in ("name", "organisation", "role")})
    st.markdown(f"**{t('team.points', lang)}**")
    act_titles = {a.id: a.title for a in activities}
    item_texts = {i.id: f"{label(i.kind, lang)}: {i.text[:80]}" for i in analysis}
    picked_acts = st.multiselect(t("team.activities", lang), list(act_titles), key=f"plan_team_acts_{tkey}",
                                 default=[i for i in (current.activity_ids if current else []) if i in act_titles],
                                 format_func=lambda i: act_titles[i], disabled=not can_team)
    picked_items = st.multiselect(t("team.analysis", lang), list(item_texts), key=f"plan_team_items_{tkey}",
                                  default=[i for i in (current.analysis_item_ids if current else []) if i in item_texts],
                                  format_func=lambda i: item_texts[i], disabled=not can_team)
    if st.button(t("team.save", lang), key=f"plan_team_save_{tkey}", type="primary", disabled=not can_team):
        try:
            team.save_team(store, actor, plan.id, year, members.to_dict("records"), picked_acts, picked_items)
        except WijkatlasError as err:
            st.error(agenda.refusal(err))
        else:
            st.session_state["plan_team_version"] = tv + 1
            flash(t("team.saved", lang))
    st.markdown(f"#### {t('team.meetings', lang)}")
    if current is None:
        st.caption(t("team.meeting.need_team", lang))
    else:
        table([{t("team.meeting.date", lang): mt.date, t("team.meeting.decisions", lang): mt.decisions}
               for mt in team.meetings(store, current.id)], t("team.meeting.none", lang))
        with st.form(f"plan_team_meeting_{current.id}"):
            m_date = st.date_input(t("team.meeting.date", lang), value=dt.date.today(), format="DD-MM-YYYY",
                                   key=f"plan_team_meeting_date_{current.id}")
            decisions = st.text_area(t("team.meeting.decisions", lang), max_chars=5000,
                                     key=f"plan_team_meeting_decisions_{current.id}")
            if st.form_submit_button(t("team.meeting.add", lang), disabled=not can_team):
                try:
                    team.add_meeting(store, actor, current.id, m_date, decisions)
                except WijkatlasError as err:
                    st.error(agenda.refusal(err))
                else:
                    st.session_state.pop(f"plan_team_meeting_decisions_{current.id}", None)
                    flash(t("team.meeting.added", lang))

# --- evaluation --------------------------------------------------------------------------------
if section == "evaluation":
    _evaluation_rounds()
    factors = store.list(m.EvaluationFactor, plan_id=plan.id)
    table(evaluation.factor_rows(factors, lang), t("plan.eval.none", lang))
    with st.form(f"plan_eval_form_{plan.id}"):
        st.markdown(f"**{t('plan.eval.add', lang)}**")
        e1, e2, e3 = st.columns([2, 1, 1])
        factor = e1.text_input(t("plan.eval.factor", lang), key="plan_eval_factor", max_chars=500)
        outcome = e2.selectbox(t("plan.eval.outcome", lang), m.EVALUATION_OUTCOMES, key="plan_eval_outcome",
                               format_func=lambda o: label(o, lang))
        e_domain = e3.selectbox(col("domain"), m.DOMAINS, key="plan_eval_domain", format_func=lambda d: label(d, lang))
        evidence = st.text_area(t("plan.eval.evidence", lang), key="plan_eval_evidence")
        lesson = st.text_area(t("plan.eval.lesson", lang), key="plan_eval_lesson")
        share = st.checkbox(t("plan.eval.share", lang), key="plan_eval_share")
        if st.form_submit_button(t("plan.save", lang), disabled=not allowed(actor, "evaluation.edit"),
                                 key="plan_eval_save"):
            submit = (plan.id, factor, outcome, e_domain, evidence, lesson, share)
            if guard.repeated("evaluation", submit):  # a second click on a form that already saved
                st.info(t("form.repeated", lang))
            else:
                try:
                    evaluation.save_evaluation_factor(store, actor, m.EvaluationFactor(
                        plan.id, factor, outcome, e_domain, evidence=evidence, lesson=lesson, share_lesson=share))
                except WijkatlasError as err:
                    st.error(agenda.refusal(err))
                else:
                    guard.saved("evaluation", submit)
                    web.reset_next_run({"plan_eval_factor": "", "plan_eval_evidence": "", "plan_eval_lesson": "",
                                        "plan_eval_share": False})
                    flash(t("plan.saved", lang))
    if factors:
        g1, g2 = st.columns([3, 1], vertical_alignment="bottom")
        gone = g1.selectbox(t("plan.analysis.delete_pick", lang), [f.id for f in factors], key="plan_eval_doomed",
                            format_func=lambda i: next(f"{i}. {f.factor[:70]}" for f in factors if f.id == i))
        if g2.button(t("plan.eval.delete", lang), key="plan_eval_delete",
                     disabled=not allowed(actor, "evaluation.edit")):
            try:
                evaluation.delete_evaluation_factor(store, actor, gone)
            except WijkatlasError as err:
                st.error(str(err))
            else:
                flash(t("plan.saved", lang))
    st.markdown(f"#### {t('plan.eval.others', lang)}")
    table(evaluation.lesson_rows(evaluation.shared_lessons(store, plan), lang), t("plan.eval.no_others", lang))

# --- the plan document --------------------------------------------------------------------------
if section == "document":
    st.caption(t("plan.doc.intro", lang))

    def _document(fmt: str) -> bytes:
        from geo.report import document

        return document(store, code, fmt, dt.date.today(), lang)

    d1, d2 = st.columns(2)
    d1.download_button(t("plan.doc.pdf", lang), data=lambda: _document("pdf"), file_name=f"wijkplan-{code}.pdf",
                       mime="application/pdf", key="plan_doc_pdf", icon=":material/picture_as_pdf:")
    d2.download_button(t("plan.doc.html", lang), data=lambda: _document("html"), file_name=f"wijkplan-{code}.html",
                       mime="text/html", key="plan_doc_html", icon=":material/html:")
