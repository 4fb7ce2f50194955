"""Overview of all gemeenten: outlines and a key figure, then one gemeente's wijken and buurten."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo import model as m
from geo import web
from geo.explore import clicked_lonlat
from geo.i18n import t
from geo.maps import figure_label
from geo.maps.overview import build_overview, detail_layers, gemeente_areas, gemeenten_layer, overview_figures

web.guard("overzicht")
lang = web.lang()
store = web.store()


def _gemeenten() -> list[m.Area]:
    """The stored gemeente outlines; without any, each gemeente made from its buurten."""
    stored = store.list(m.Area, level="gemeente")
    by_gemeente: dict[str, list[m.Area]] = {}
    if not stored:
        for b in store.list(m.Area, level="buurt"):
            by_gemeente.setdefault("GM" + b.code[2:6], []).append(b)
    return gemeente_areas(stored, by_gemeente)


def _index(found: list[m.Area]):
    from geo.spatial import AreaIndex

    return AreaIndex(found)


areas = web.cached_build("overview-areas", _gemeenten, tables=web.AREAS)
st.title(t("overview.title", lang))
if not areas:
    st.info(t("overview.empty", lang))
    st.stop()
st.caption(t("overview.caption", lang, n=len(areas), b=store.count(m.Area, level="buurt")))

figures = ["", *overview_figures(areas)]
if st.session_state.get("overview_figure") not in figures:
    st.session_state["overview_figure"] = "AANT_INW" if "AANT_INW" in figures else ""
figure = st.selectbox(t("overview.figure", lang), figures, key="overview_figure",
                      format_func=lambda f: figure_label(f, lang) if f else t("overview.figure.none", lang))

# A click chooses the gemeente under it (read before the map is drawn: one run per click).
index = web.cached_build("overview-index", lambda: _index(areas), tables=web.AREAS)
pos = clicked_lonlat(st.session_state.get("overview_map"))
if pos is not None and pos != st.session_state.get("overview_last_click"):
    st.session_state["overview_last_click"] = pos
    hit = index.at_lonlat(*pos)
    if hit is not None:
        st.session_state["overview_gm"] = hit.code
chosen = st.session_state.get("overview_gm")
names = {a.code: a.name for a in areas}
if chosen not in names:
    chosen = None

layers = web.cached_build(repr(("overview", figure, lang)), lambda: gemeenten_layer(areas, figure or None, lang),
                          tables=web.AREAS)
if chosen:
    def _detail():  # the chosen gemeente's wijken and buurten, read by its box (not the country's)
        from geo.spatial import areas_of

        return detail_layers(areas_of(store, chosen, "wijk"), areas_of(store, chosen, "buurt"), figure or None, lang)

    from dataclasses import replace

    layers = replace(layers, detail=web.cached_build(repr(("overview-detail", chosen, figure, lang)), _detail,
                                                      tables=web.AREAS))

st_folium(build_overview(layers, lang=lang), key="overview_map", height=640, use_container_width=True,
          returned_objects=["last_clicked"])
if chosen:
    st.write(t("overview.chosen", lang, name=names[chosen], code=chosen))
    c1, c2 = st.columns(2)
    if c1.button(t("overview.open", lang), type="primary"):
        web.choose_gemeente(chosen)
        st.switch_page("pages/explore.py")
    if c2.button(t("overview.back", lang)):
        st.session_state.pop("overview_gm", None)
        st.rerun()
