"""Zelf iets doen: residents propose an initiative with a requested contribution."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo import initiatives as I
from geo import model as m
from geo import participation as P
from geo import web
from geo.errors import ValidationError, WijkatlasError
from geo.i18n import label, t
from geo.maps import format_number

web.guard("initiatief")
lang = web.lang()
store = web.store()
config = P.load_config()
index = web.area_locator()  # pins are placed by the store (one query per click)
areas = {a.code: a for a in sorted(web.cached_buurten(), key=lambda a: a.name)}  # one gemeente at a time
names = {c: a.name for c, a in areas.items()}
limit = I.max_contribution(config)
FIELDS = ("ini_title", "ini_text", "ini_participants", "ini_domain", "ini_cost", "ini_email", "ini_buurt")
if st.session_state.get("ini_view") == "list":
    # Keep the draft while its widgets are not drawn (Streamlit drops their
    # state otherwise); only then, so a value being typed is never overwritten.
    for _key in FIELDS:
        if _key in st.session_state:
            st.session_state[_key] = st.session_state[_key]
client = web.client()  # limits per browser (signed cookie) and per address, as for suggestions


def _draft() -> I.InitiativeDraft:
    pin = st.session_state.get("ini_pin")
    return I.InitiativeDraft(
        title=st.session_state.get("ini_title") or "", text=st.session_state.get("ini_text") or "",
        participants=st.session_state.get("ini_participants") or "",
        cost_eur=st.session_state.get("ini_cost"), pin=pin,
        buurt_code=pin.buurt_code if pin else st.session_state.get("ini_buurt") or None,
        domain=st.session_state.get("ini_domain") or "social", email=st.session_state.get("ini_email") or "")


def _on_pick_buurt() -> None:
    code = st.session_state.get("ini_buurt")
    st.session_state["ini_pin"] = P.pin_in_buurt(areas[code]) if code in areas else None


def _on_submit() -> None:
    st.session_state.pop("ini_error", None)
    try:
        i = I.submit(store, web.actor(), _draft(), config, client=client, index=index)
    except WijkatlasError as err:
        if isinstance(err, ValidationError) and err.where:
            st.session_state["ini_error"] = t("res.field_error", lang, field=err.where, message=err.message)
        else:
            st.session_state["ini_error"] = str(err)
        return
    st.session_state["ini_done"] = i.reference
    for key in ("ini_title", "ini_text", "ini_participants", "ini_email"):
        st.session_state[key] = ""
    st.session_state["ini_cost"] = None
    st.session_state["ini_pin"] = None
    st.session_state["ini_buurt"] = None


st.title(t("ini.title", lang))
st.write(t("ini.intro", lang, max=format_number(limit, lang)))
if not areas:
    st.info(t("app.empty_db", lang))
    st.stop()
view = st.radio(t("res.view", lang), ("new", "list"), key="ini_view", horizontal=True,
                format_func=lambda v: t(f"ini.view.{v}", lang))

if view == "new":
    if done := st.session_state.get("ini_done"):
        st.success(t("ini.thanks", lang, reference=done))
    map_col, form_col = st.columns([3, 2], gap="medium")
    with map_col:
        st.subheader(t("res.step.place", lang))
        st.caption(t("res.map_hint", lang))
        event = st_folium(P.pin_map(list(areas.values()), lang, "brt", shapes=web.cached_buurt_shapes()), key="ini_map", height=420,
                          use_container_width=True, returned_objects=["last_clicked"],
                          feature_group_to_add=P.pin_group(st.session_state.get("ini_pin")))
        clicked = P.pin_at_click(event, index)
        if clicked is not None and (clicked.lon, clicked.lat) != st.session_state.get("ini_last_click"):
            st.session_state["ini_last_click"] = (clicked.lon, clicked.lat)
            if clicked.inside and clicked.buurt_code in areas:  # not a buurt of another gemeente
                st.session_state["ini_pin"] = clicked
                st.session_state["ini_buurt"] = clicked.buurt_code
                st.rerun()
            st.warning(t("res.outside", lang))
        st.selectbox(t("res.pick_buurt", lang), [None, *names], key="ini_buurt", on_change=_on_pick_buurt,
                     format_func=lambda c: t("res.pick_none", lang) if c is None else names[c])
        pin = st.session_state.get("ini_pin")
        st.write(t("res.pin_at", lang, buurt=names.get(pin.buurt_code, "—")) if pin else t("res.no_pin", lang))
    with form_col:
        st.subheader(t("res.step.what", lang))
        st.text_input(t("ini.field.title", lang), key="ini_title", max_chars=200)
        st.text_area(t("ini.field.text", lang), key="ini_text", max_chars=I.MAX_TEXT)
        st.text_area(t("ini.field.participants", lang), key="ini_participants", max_chars=I.MAX_PARTICIPANTS,
                     help=t("ini.field.participants_help", lang), height=80)
        st.selectbox(t("ini.field.domain", lang), m.DOMAINS, key="ini_domain", format_func=lambda d: label(d, lang))
        st.number_input(t("ini.field.cost", lang), min_value=0.0, max_value=float(limit), value=None, step=50.0,
                        key="ini_cost", help=t("ini.field.cost_help", lang, max=format_number(limit, lang)))
        st.text_input(t("res.email", lang), key="ini_email", max_chars=config.max_email_length,
                      help=t("res.email_help", lang))
        if error := st.session_state.get("ini_error"):
            st.error(error)
        st.button(t("ini.submit", lang), key="ini_submit", type="primary", on_click=_on_submit)

if view == "list":
    found = [x for x in I.public_initiatives(store, grid_m=config.coarsen_grid_m) if x.buurt_code in areas]
    if not found:
        st.info(t("ini.none", lang))
    for x in found:
        with st.container(border=True):
            st.caption(f"{x.reference} · {names.get(x.buurt_code or '', '—')} · {t(f'ini.status.{x.status}', lang)} · "
                       f"{t('ini.col.cost', lang)} € {format_number(x.cost_eur, lang)}")
            st.text(f"{x.title}: {x.text}")
            if x.reason:
                st.text(f"{t('ini.reason', lang)}: {x.reason}")
            if x.activity_title:
                st.text(t("ini.became", lang, title=x.activity_title, status=label(x.activity_status, lang)))
