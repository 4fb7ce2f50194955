"""Meedenken: residents pin a suggestion, support others, follow their own."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo import model as m
from geo import participation as P
from geo import web
from geo.errors import ValidationError, WijkatlasError
from geo.i18n import label, t
from geo.maps import BASEMAPS

web.guard("meedenken")
lang = web.lang()
store = web.store()
config = P.load_config()
index = web.area_locator()  # pins are placed by the store (one query per click)
buurten = sorted(web.cached_buurten(), key=lambda a: a.name)  # one gemeente at a time
names = {a.code: a.name for a in buurten}
areas = {a.code: a for a in buurten}
MAX_LIST = 50

# Keep the draft when its widgets are not drawn (another view is open):
# Streamlit drops the state of widgets that are not rendered in a run.
for _key in ("suggest_category", "suggest_text", "suggest_email", "suggest_buurt"):
    if _key in st.session_state:
        st.session_state[_key] = st.session_state[_key]
st.session_state.setdefault("suggest_refs", [])
client = web.client()


def _buurt_name(code: str | None) -> str:
    return names.get(code or "", code or "—")


def _draft() -> P.Draft:
    return P.Draft(
        category=st.session_state.get("suggest_category") or "",
        text=st.session_state.get("suggest_text") or "",
        pin=st.session_state.get("suggest_pin"),
        email=st.session_state.get("suggest_email") or "",
    )


def _error_text(err: WijkatlasError) -> str:
    if isinstance(err, P.LimitReached):
        return t(f"res.limit.{err.kind}", lang, n=config.per_client, m=config.per_address,
                 s=config.supports_per_address)
    if isinstance(err, ValidationError) and err.where:
        return t("res.field_error", lang, field=err.where, message=err.message)
    return str(err)


def _on_pick_buurt() -> None:
    code = st.session_state.get("suggest_buurt")
    if code in areas:
        st.session_state["suggest_pin"] = P.pin_in_buurt(areas[code])
        st.session_state["suggest_outside"] = False


def _on_preview() -> None:
    st.session_state.pop("suggest_error", None)
    st.session_state.pop("suggest_done", None)
    try:
        P.validate_draft(_draft(), config)
    except WijkatlasError as err:
        st.session_state["suggest_error"] = _error_text(err)
        st.session_state["suggest_preview"] = False
        return
    st.session_state["suggest_preview"] = True


def _on_edit() -> None:
    st.session_state["suggest_preview"] = False


def _on_submit() -> None:
    st.session_state.pop("suggest_error", None)
    try:
        s = P.submit(store, web.actor(), _draft(), config, client=client, index=index)
    except WijkatlasError as err:
        st.session_state["suggest_error"] = _error_text(err)
        return
    st.session_state["suggest_refs"].append(s.reference)
    st.session_state["suggest_done"] = (s.reference, s.status, s.follow_code)
    for key in ("suggest_text", "suggest_email"):
        st.session_state[key] = ""
    st.session_state["suggest_category"] = None
    st.session_state["suggest_preview"] = False
    st.session_state["suggest_pin"] = None
    st.session_state["suggest_buurt"] = None


def _on_support(suggestion_id: int, reference: str, instead: bool = False) -> None:
    st.session_state.pop("suggest_error", None)
    try:
        P.support(store, web.actor(), suggestion_id, client, config)
    except WijkatlasError as err:
        st.session_state["suggest_error"] = _error_text(err)
        return
    st.session_state["suggest_supported_msg"] = (
        t("res.supported_instead", lang, reference=reference) if instead else t("res.support_thanks", lang)
    )
    if instead:
        st.session_state["suggest_preview"] = False


st.title(t("res.title", lang))
# The one-click unsubscribe link of an e-mail update: …/meedenken?afmelden=TOKEN
if token := st.query_params.get("afmelden"):
    if st.session_state.get("suggest_unsubscribed", (None,))[0] != token:
        from geo.notify import unsubscribe

        st.session_state["suggest_unsubscribed"] = (token, unsubscribe(store, token))
    if st.session_state["suggest_unsubscribed"][1]:
        st.success(t("mail.unsubscribed", lang))
    else:
        st.info(t("mail.unsubscribe_unknown", lang))
st.write(t("res.intro", lang))
if not buurten:
    st.info(t("app.empty_db", lang))
    st.stop()

# One view at a time (not st.tabs): a Leaflet map drawn in a hidden tab has no
# size and opens zoomed out to the whole world.
VIEWS = ("new", "list", "track")
view = st.radio(t("res.view", lang), VIEWS, key="suggest_view", horizontal=True,
                format_func=lambda v: t(f"res.tab.{v}", lang))

# --- a new suggestion ----------------------------------------------------------------
if view == "new":
    done = st.session_state.get("suggest_done")
    if done:
        st.success(t("res.thanks", lang, reference=done[0], code=done[2]))
        st.caption(t("res.thanks_review" if done[1] == "received" else "res.thanks_published", lang))
    message = st.session_state.pop("suggest_supported_msg", None)
    if message:
        st.success(message)
    map_col, form_col = st.columns([3, 2], gap="medium")
    with map_col:
        st.subheader(t("res.step.place", lang))
        st.caption(t("res.map_hint", lang))
        basemap = st.radio(t("res.basemap", lang), list(BASEMAPS), key="suggest_basemap", horizontal=True,
                           format_func=lambda b: t(f"explore.basemap.{b}", lang))
        event = st_folium(
            P.pin_map(list(areas.values()), lang, basemap, shapes=web.cached_buurt_shapes()),
            key="suggest_map",
            height=460,
            use_container_width=True,
            returned_objects=["last_clicked"],
            feature_group_to_add=P.pin_group(st.session_state.get("suggest_pin")),
        )
        clicked = P.pin_at_click(event, index)
        if clicked is not None and (clicked.lon, clicked.lat) != st.session_state.get("suggest_last_click"):
            st.session_state["suggest_last_click"] = (clicked.lon, clicked.lat)
            if clicked.inside and clicked.buurt_code in areas:
                st.session_state["suggest_pin"] = clicked
                st.session_state["suggest_buurt"] = clicked.buurt_code
                st.session_state["suggest_outside"] = False
                st.rerun()
            st.session_state["suggest_outside"] = True
        if st.session_state.get("suggest_outside"):
            st.warning(t("res.outside", lang))
        st.selectbox(
            t("res.pick_buurt", lang),
            [None, *names],
            key="suggest_buurt",
            on_change=_on_pick_buurt,
            format_func=lambda c: t("res.pick_none", lang) if c is None else names[c],
        )
        pin = st.session_state.get("suggest_pin")
        st.write(t("res.pin_at", lang, buurt=_buurt_name(pin.buurt_code)) if pin else t("res.no_pin", lang))

    with form_col:
        st.subheader(t("res.step.what", lang))
        st.selectbox(
            t("res.category", lang),
            m.SUGGESTION_CATEGORIES,
            index=None,
            key="suggest_category",
            placeholder=t("res.category_none", lang),
            format_func=lambda c: label(c, lang),
        )
        st.text_area(
            t("res.text", lang),
            key="suggest_text",
            # No max_chars: the browser would silently drop a longer paste. The
            # preview checks the length and says how much too long it is.
            help=t("res.text_help", lang, n=config.max_text_length),
        )
        st.text_input(t("res.email", lang), key="suggest_email", max_chars=config.max_email_length,
                      help=t("res.email_help", lang))
        error = st.session_state.get("suggest_error")
        if error:
            st.error(error)
        if not st.session_state.get("suggest_preview"):
            st.button(t("res.preview_button", lang), key="suggest_preview_button", on_click=_on_preview,
                      type="primary")
        else:
            draft = _draft()
            with st.container(border=True):
                st.markdown(f"**{t('res.preview', lang)}**")
                st.write(f"{label(draft.category, lang)} · {_buurt_name(draft.pin.buurt_code if draft.pin else None)}")
                st.text(draft.text.strip())
                if draft.email.strip():
                    st.caption(t("res.preview_email", lang))
            if draft.pin is not None:
                dups = P.near_duplicates(store, draft.category, draft.pin.point, config)
                if dups:
                    st.info(t("res.duplicates", lang))
                    for s, distance in dups[:5]:
                        with st.container(border=True):
                            st.text(s.text)
                            st.caption(t("res.duplicate_line", lang, distance=f"{distance:.0f}",
                                         supporters=s.supporters))
                            st.button(
                                t("res.support_instead", lang),
                                key=f"suggest_instead_{s.id}",
                                on_click=_on_support,
                                args=(s.id, s.reference, True),
                                disabled=s.id in P.supported_by(store, client),
                            )
            c1, c2 = st.columns(2)
            c1.button(t("res.submit", lang), key="suggest_submit", on_click=_on_submit, type="primary")
            c2.button(t("res.edit", lang), key="suggest_edit", on_click=_on_edit)
    refs = st.session_state["suggest_refs"]
    if refs:
        st.caption(t("res.mine", lang, refs=", ".join(refs)))

# --- published suggestions -------------------------------------------------------------
if view == "list":
    f1, f2 = st.columns(2)
    buurt = f1.selectbox(t("res.filter_buurt", lang), [None, *names], key="suggest_filter_buurt",
                         format_func=lambda c: t("res.filter_all", lang) if c is None else names[c])
    category = f2.selectbox(t("res.filter_category", lang), [None, *m.SUGGESTION_CATEGORIES],
                            key="suggest_filter_category",
                            format_func=lambda c: t("res.filter_all", lang) if c is None else label(c, lang))
    scope = web.gemeente()  # only this gemeente's suggestions are read
    views = [v for v in P.public_suggestions(store, buurt=buurt, category=category, grid_m=config.coarsen_grid_m,
                                             scope=scope) if scope.contains(v.buurt_code)]
    st_folium(
        P.public_map(views, list(areas.values()), lang, st.session_state.get("suggest_basemap", "brt"),
                     shapes=web.cached_buurt_shapes()),
        key="suggest_public_map",
        height=420,
        use_container_width=True,
        returned_objects=[],
    )
    if config.coarsen_grid_m:
        st.caption(t("res.coarse_note", lang, n=f"{config.coarsen_grid_m:.0f}"))
    st.write(t("res.count", lang, n=len(views)))
    if not views:
        st.info(t("res.none", lang))
    if len(views) > MAX_LIST:
        st.caption(t("res.more", lang, n=MAX_LIST))
    supported = P.supported_by(store, client)
    for v in views[:MAX_LIST]:
        with st.container(border=True):
            st.caption(f"{label(v.category, lang)} · {_buurt_name(v.buurt_code)} · {v.created_on}")
            st.text(f"{v.reference}: {v.text}")
            st.text(P.status_text(v, lang))
            if v.activity:
                period = f"{v.activity.start} – {v.activity.end}" if v.activity.start else "—"
                st.text(t("res.activity", lang, title=v.activity.title, status=label(v.activity.status, lang),
                          period=period))
                st.page_link("pages/explore.py", label=t("res.activity_link", lang), icon=":material/map:")
            if v.status in P.SUPPORTABLE:
                mine = v.id in supported
                st.button(
                    t("res.supported" if mine else "res.support", lang, n=v.supporters),
                    key=f"suggest_support_{v.id}",
                    on_click=_on_support,
                    args=(v.id, v.reference),
                    disabled=mine,
                )

# --- follow a suggestion by its reference -------------------------------------------------
if view == "track":
    ref = st.text_input(t("res.track_input", lang), key="suggest_track_ref", max_chars=30)
    if ref.strip():
        try:
            v = P.track(store, ref, grid_m=config.coarsen_grid_m, client=client)
        except WijkatlasError:
            st.error(t("res.track_none", lang))
        else:
            # What is shown follows geo's one rule for public (or author) fields.
            st.text(f"{v.reference} · {label(v.category, lang)} · {_buurt_name(v.buurt_code)} · {v.created_on}")
            st.text(t("res.track_status", lang, status=P.status_text(v, lang)))
            st.text(v.text)
