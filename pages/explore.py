"""Map explorer: the municipality's buurten, layers, choropleth and profiles."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import model as m
from geo import web
from geo.explore import buurt_at_click, choropleth_figures, is_demo
from geo.i18n import label, t
from geo.maps import (
    BASEMAPS,
    POINT_LAYERS,
    MapOptions,
    build_map,
    figure_label,
    format_number,
    highlight_group,
    legend_html,
    legend_sections,
)
from geo.io.boundaries import DERIVED_INHABITANTS
from geo.profile import buurt_profile
from geo.public_plan import buurt_from_query



def _table(rows: list[tuple], columns: list[str], wide: tuple[int, ...] = (0,)) -> None:
    """A profile list; columns not in ``wide`` stay narrow so all of them fit beside the map."""
    if rows:
        config = {c: st.column_config.Column(width="medium" if i in wide else "small") for i, c in enumerate(columns)}
        st.dataframe(pd.DataFrame(rows, columns=columns), hide_index=True, width="stretch",
                     column_config=config)
    else:
        st.write(t("profile.none", web.lang()))


# Widgets whose options are shown translated: the browser reports a choice by
# its shown text, so after a language switch Streamlit would no longer match
# it and fall back to empty/default. Their values are kept as codes here and
# put back when the language changes.
_KEPT = ("explore_basemap", "explore_figure", "explore_layers", "explore_domains", "explore_statuses", "explore_pick")


def _restore_after_language_switch(lang: str) -> None:
    kept = st.session_state.get("explore_kept") or {}
    if st.session_state.get("explore_kept_lang") not in (None, lang):
        for key, value in kept.items():
            st.session_state[key] = value
    st.session_state["explore_kept_lang"] = lang


def _keep() -> None:
    st.session_state["explore_kept"] = {k: st.session_state[k] for k in _KEPT if k in st.session_state}


web.guard("verkennen")
lang = web.lang()
public = not web.actor().is_staff  # residents see only reviewed suggestions
data = web.scoped_map_data(public_only=public)  # one gemeente at a time
index = web.area_locator()  # a click is located by the store (ST_Covers on PostGIS)
_restore_after_language_switch(lang)

st.title(t("explore.title", lang))
if not data.buurten:
    st.info(t("app.empty_db", lang))
    st.stop()

# --- sidebar: what the map shows -------------------------------------------------
with st.sidebar:
    basemap = st.radio(
        t("explore.basemap", lang),
        list(BASEMAPS),
        key="explore_basemap",
        format_func=lambda b: t(f"explore.basemap.{b}", lang),
    )
    figures = ["", *choropleth_figures(data.buurten)]  # "": no figure (None would make the box clearable)
    if st.session_state.get("explore_figure") not in figures:
        st.session_state.pop("explore_figure", None)
    figure = st.selectbox(
        t("explore.choropleth", lang),
        figures,
        key="explore_figure",
        format_func=lambda f: figure_label(f, lang) if f else t("explore.choropleth.none", lang),
    )
    # One widget for the four layers (not four checkboxes under a heading): every element of the
    # page costs the browser a render on each update, and the sidebar is most of them.
    st.session_state.setdefault("explore_layers", list(POINT_LAYERS))
    shown = st.pills(t("explore.layers", lang), POINT_LAYERS, selection_mode="multi", key="explore_layers",
                     format_func=lambda name: t(f"layer.{name}", lang))
    layers = tuple(name for name in POINT_LAYERS if name in (shown or ()))
    st.session_state.setdefault("explore_domains", list(m.DOMAINS))
    domains = st.pills(t("explore.filter_domain", lang), m.DOMAINS, selection_mode="multi", key="explore_domains",
                       format_func=lambda d: label(d, lang)) or []
    st.session_state.setdefault("explore_statuses", list(m.ACTIVITY_STATUSES))
    statuses = st.pills(t("explore.filter_status", lang), m.ACTIVITY_STATUSES, selection_mode="multi",
                        key="explore_statuses", format_func=lambda s: label(s, lang)) or []
_keep()
names = {a.code: a.name for a in sorted(data.buurten, key=lambda a: a.name)}
# A shared link …/verkennen?buurt=BU17710005 opens that buurt (once; then clicks and the box rule).
_asked = buurt_from_query(st.query_params.get("buurt"), names)
if _asked and st.session_state.get("explore_from_url") != _asked:
    st.session_state["explore_from_url"] = _asked
    st.session_state["explore_pick"] = _asked
if is_demo(data.buurten):
    st.caption(t("app.demo_notice", lang))

opts = MapOptions(
    basemap=basemap,
    choropleth=figure or None,
    layers=layers,
    domains=tuple(domains),
    statuses=tuple(statuses),
    lang=lang,
)
with st.sidebar.expander(t("explore.legend", lang), expanded=True):
    # Built from our own labels and escaped in legend_html: safe to render. As st.html, not as
    # Markdown with HTML: the browser then needs no Markdown-to-HTML parser for the first view
    # (the demo's map drawn ~0.1-0.15 s sooner, 2026-12-02).
    st.html(legend_html(legend_sections(data, opts)))

# --- map and profile -------------------------------------------------------------
def _read_click(names: dict[str, str], index) -> bool:
    """Take the map's last click as the chosen buurt; True when it fell outside every buurt.

    The click is read before anything is drawn (streamlit-folium keeps it under the map's
    key), so one click is one script run: no st.rerun(), and the selection outline and the
    profile come in the same run. The map itself already shows the buurt's name and headline
    figures before this run answers."""
    late = st.session_state.pop("explore_late_pick", None)
    if late in names:
        st.session_state["explore_pick"] = st.session_state["explore_clicked"] = late
    pos, clicked = buurt_at_click(st.session_state.get("explore_map"), index)
    if pos is None or pos == st.session_state.get("explore_last_click"):
        return False
    st.session_state["explore_last_click"] = pos
    if clicked not in names:
        return True
    st.session_state["explore_pick"] = st.session_state["explore_clicked"] = clicked
    return False


def _profile_panel(names: dict[str, str]) -> None:
    """The chosen buurt's profile (or how to choose one)."""
    options = ["", *names]
    if st.session_state.get("explore_pick") not in options:  # a buurt of another gemeente
        st.session_state.pop("explore_pick", None)
    web.reshow("explore_pick")  # after a language switch the browser shows the choice again
    st.selectbox(
        t("explore.pick_buurt", lang),
        options,
        key="explore_pick",
        format_func=lambda c: f"{names[c]} ({c})" if c else t("explore.pick_none", lang),
    )
    code = st.session_state.get("explore_pick")
    if not code:
        st.info(t("explore.click_hint", lang))
        return
    profile = buurt_profile(web.store(), code, public_only=public)
    area = profile.area
    st.subheader(f"{area.name}")
    wijk_name = profile.wijk.name if profile.wijk else area.parent_code
    wijk_word = t("profile.wijk", lang)
    if not wijk_name.lower().startswith(wijk_word.lower() + " "):  # "Wijk WK023300", not "Wijk Wijk WK023300"
        wijk_name = f"{wijk_word} {wijk_name}"
    st.caption(f"{area.code} · {wijk_name}")

    figs = area.figures
    c1, c2, c3 = st.columns(3)
    derived = DERIVED_INHABITANTS in (area.source or "")
    c1.metric(t("fig.AANT_INW", lang), format_number(figs.get("AANT_INW"), lang),
              help=t("profile.inhabitants_derived", lang) if derived else None)
    if derived:
        st.caption(t("profile.inhabitants_derived", lang))
    c2.metric(t("profile.p65", lang), format_number(figs.get("P_65_EO_JR"), lang), help=t("fig.P_65_EO_JR", lang))
    c3.metric(t("fig.AANTAL_HH", lang), format_number(figs.get("AANTAL_HH"), lang))

    st.markdown(f"**{t('profile.plan', lang)}**")
    if profile.plan:
        stage = label(profile.plan.stage, lang)
        year = profile.plan.year or "—"
        st.write(f"{profile.plan.title} — {t('profile.plan_stage', lang)}: **{stage}**, "
                 f"{t('profile.plan_year', lang)}: {year}")
    else:
        st.write(t("profile.no_plan", lang))
    st.page_link("pages/buurt.py", label=t("pub.explorer_link", lang), icon=":material/home_pin:",
                 query_params={"buurt": code})

    counts = profile.counts
    k1, k2 = st.columns(2)
    k3, k4 = st.columns(2)  # two by two: the labels stay readable beside the map
    for col, name in zip((k1, k2, k3, k4), ("activities", "meeting_places", "real_estate", "suggestions")):
        col.metric(t(f"profile.{name}", lang), counts[name])

    tabs = st.tabs([
        t("profile.key_figures", lang),
        t("profile.activities", lang),
        t("profile.meeting_places", lang),
        t("profile.real_estate", lang),
        t("profile.suggestions", lang),
    ])
    with tabs[0]:
        _table([(figure_label(k, lang), format_number(v, lang)) for k, v in profile.key_figures()],
               [t("col.figure", lang), t("col.value", lang)], wide=(0, 1))
    with tabs[1]:
        rows = [
            (a.title, label(a.domain, lang), label(a.status, lang), f"{a.start} – {a.end}" if a.start else "",
             a.lead_partner, "✓" if a.quick_win else "")
            for a in profile.activities
        ]
        cols = [t("col.title", lang), t("col.domain", lang), t("col.status", lang), t("col.period", lang),
                t("col.lead_partner", lang), t("col.quick_win", lang)]
        _table(rows, cols)
    with tabs[2]:
        rows = [(p.name, label(p.kind, lang), label(p.status, lang)) for p in profile.meeting_places]
        _table(rows, [t("col.name", lang), t("col.kind", lang), t("col.status", lang)])
    with tabs[3]:
        rows = [(b.name, b.occupancy_pct, b.condition, label(b.policy, lang)) for b in profile.real_estate]
        cols = [t("col.name", lang), t("col.occupancy", lang), t("col.condition", lang), t("col.policy", lang)]
        _table(rows, cols)
    with tabs[4]:
        rows = [(label(s.category, lang), s.text, label(s.status, lang), s.supporters) for s in profile.suggestions]
        cols = [t("col.category", lang), t("col.text", lang), t("col.status", lang), t("col.supporters", lang)]
        _table(rows, cols, wide=(1,))


@st.fragment
def _map_and_profile(opts: MapOptions) -> None:
    """The map and the chosen buurt's profile. A click on the map, or a buurt chosen in the
    list, runs only this part again: not the frame, the sidebar and the legend, which the
    browser then need not render again either (the sidebar's choices run the whole page)."""
    # Read again, not taken from the page's run: a write since then gives this run the new
    # data, so nothing older is ever kept under a newer version in the shared caches.
    data = web.scoped_map_data(public_only=public)
    index = web.area_locator()
    names = {a.code: a.name for a in sorted(data.buurten, key=lambda a: a.name)}
    outside = _read_click(names, index)
    map_col, profile_col = st.columns([5, 3], gap="medium")
    # The profile first: after a click it is what the user waits for, and it reaches the browser before the map.
    with profile_col:
        _profile_panel(names)
    selected = st.session_state.get("explore_pick")
    with map_col:
        layers_key = repr(("explore", public, opts, tuple(a.code for a in data.buurten)))
        event = web.folium_map(  # rendered once per data version and options, shared by sessions
            # Each layer is built once and kept until its own table changes (web.cached_layers).
            lambda: build_map(data, opts, layers=web.cached_layers(data, opts, public)),
            layers_key,
            tables=web.MAP_TABLES,  # what `data` holds: a sign-in or an audit line keeps the map
            key="explore_map",
            height=620,
            returned_objects=("last_clicked",),
            # A buurt clicked on the map is outlined by the map itself; the server outlines a buurt
            # chosen otherwise (list, link). Unchanged arguments: the browser keeps its map, and
            # Streamlit sends a reference instead of the whole map again.
            feature_group_to_add=highlight_group(
                None if selected == st.session_state.get("explore_clicked")
                else next((a for a in data.buurten if a.code == selected), None)),
        )
        # A click not yet seen at the top (the map's value came another way): the old path, one rerun.
        late_pos, late_code = buurt_at_click(event, index)
        if late_pos is not None and late_pos != st.session_state.get("explore_last_click"):
            st.session_state["explore_last_click"] = late_pos
            if late_code in names:  # the list above is drawn already: the next run picks it
                st.session_state["explore_late_pick"] = late_code
                st.rerun()  # the whole page: in a full run a fragment-only rerun is refused
            outside = True
        if outside:
            st.warning(t("explore.outside", lang))


_map_and_profile(opts)
