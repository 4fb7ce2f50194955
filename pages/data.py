"""Gegevens importeren en exporteren: GIS data in (admins) and out (staff)."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import model as m
from geo import web
from geo.access import allowed
from geo.errors import WijkatlasError
from geo.i18n import label, t
from geo.i18n.data import field_label
from geo.io import PLACE_LAYERS, PRESETS, auto_mapping, read_source
from geo.io.limits import load_limits
from geo.io.boundaries import commit_boundaries, plan_boundaries, schema_score
from geo.io.export import EXPORT_LAYERS, MIME, export_bytes, layer_count
from geo.io.addresses import METHOD_LABELS, METHODS
from geo.explore import clicked_lonlat
from geo.io.pending import discard_pending, pending_label, pending_map, place_pending, placement_choices
from geo.io.places import commit_places, detect_preset, plan_places
from geo.io.preview import locate, preview_map, preview_rows, save_upload
from geo.io.readers import SHEET_FORMATS

FORMAT_NAMES = {"gpkg": "GeoPackage", "geojson": "GeoJSON", "csv": "CSV", "xlsx": "Excel"}

web.guard("gegevens")
lang = web.lang()
store = web.store()
actor = web.actor()

scope = web.gemeente()  # exports follow the chosen gemeente (an admin may choose all)
st.title(t("data.title", lang))

# --- export (planner, real-estate, admin) -----------------------------------------------
st.header(t("data.export.header", lang))
st.caption(t("data.export.intro", lang))
st.caption(t("scope.export", lang, name=scope.name))
contacts = allowed(actor, "data.export_contacts") and st.checkbox(t("data.export.contacts", lang),
                                                                   key="data_contacts")
st.download_button(
    t("data.export.all", lang), data=lambda: export_bytes(store, actor, "gpkg", include_contacts=contacts, scope=scope),
    file_name="wijkatlas.gpkg", mime=MIME["gpkg"], key="data_dl_all", on_click="ignore", type="primary",
    icon=":material/download:",
)
st.download_button(
    t("data.export.all_xlsx", lang),
    data=lambda: export_bytes(store, actor, "xlsx", include_contacts=contacts, scope=scope, lang=lang),
    file_name="wijkatlas.xlsx", mime=MIME["xlsx"], key="data_dl_all_xlsx", on_click="ignore",
    icon=":material/table_view:",
)
head = st.columns([3, 1, 1, 1, 1, 1])
head[0].markdown(f"**{t('data.export.layer', lang)}**")
head[1].markdown(f"**{t('data.export.count', lang)}**")
for layer in EXPORT_LAYERS:
    cols = st.columns([3, 1, 1, 1, 1, 1], vertical_alignment="center")
    cols[0].write(t(f"data.layer.{layer}", lang))
    cols[1].write(str(layer_count(store, layer, scope)))  # counted, not read
    for col, fmt in zip(cols[2:], ("gpkg", "geojson", "csv", "xlsx")):
        col.download_button(
            FORMAT_NAMES[fmt],
            data=lambda layer=layer, fmt=fmt: export_bytes(store, actor, fmt, [layer], include_contacts=contacts,
                                                           scope=scope, lang=lang),
            file_name=f"wijkatlas_{layer}.{fmt}", mime=MIME[fmt], key=f"data_dl_{layer}_{fmt}", on_click="ignore",
        )

# --- import (admin only; the commit checks again on the server) -----------------------------
st.header(t("data.import.header", lang))
if not allowed(actor, "data.import"):
    st.info(t("data.import.admin_only", lang))
    st.stop()
st.caption(t("data.import.intro", lang))

# --- rows kept from earlier imports, to be placed by hand -----------------------------------
pending = store.list(m.PendingPlace)
if pending:
    with st.expander(t("data.pending.header", lang, n=len(pending)), expanded=True):  # open: a map needs its size
        st.caption(t("data.pending.intro", lang))
        chosen = st.selectbox(t("data.pending.row", lang), pending, key="data_pending_row",
                              format_func=lambda p: f"{t(f'data.kind.{p.layer}', lang)}: {pending_label(p)}")
        st.caption(t("data.pending.map", lang))
        event = st_folium(pending_map(web.scoped_map_data().buurten, chosen),
                          key=f"data_pending_map_{chosen.id}", height=320, use_container_width=True,
                          returned_objects=["last_clicked"])
        p1, p2 = st.columns(2)
        pc = p1.text_input(t("data.pending.postcode", lang), key=f"data_pending_pc_{chosen.id}")
        nr = p2.text_input(t("data.pending.number", lang), key=f"data_pending_nr_{chosen.id}")
        options, nothing = placement_choices(store, chosen, pc, nr, clicked_lonlat(event),
                                             lambda x, y: t("data.pending.clicked", lang, x=x, y=y))
        if nothing:
            st.info(t("data.pending.none_found", lang))
        picked = st.radio(t("data.pending.pick", lang), range(len(options)), key=f"data_pending_pick_{chosen.id}",
                          format_func=lambda i: options[i][0]) if options else None
        b1, b2 = st.columns(2)
        if picked is not None and b1.button(t("data.pending.place", lang), key="data_pending_place", type="primary"):
            try:
                place_pending(store, web.actor(), chosen.id, options[picked][1], index=web.area_locator())
            except WijkatlasError as err:
                st.error(str(err))
            else:
                st.rerun()
        if b2.button(t("data.pending.discard", lang), key="data_pending_discard"):
            discard_pending(store, web.actor(), chosen.id)
            st.rerun()

kinds = ["boundaries", *PLACE_LAYERS]
kind = st.radio(t("data.kind", lang), kinds, key="data_kind", horizontal=True,
                format_func=lambda k: t(f"data.kind.{k}", lang))
upload = st.file_uploader(t("data.upload", lang), key="data_upload",
                          type=["geojson", "json", "topojson", "gpkg", "zip", "csv", "txt", "xlsx", "xlsm", "xls",
                                "ods"])
if upload is not None:
    token = hashlib.sha256(upload.getvalue()).hexdigest()[:16]
    current = st.session_state.get("data_file") or {}
    if current.get("token") != token:
        try:
            path = save_upload(upload.name, upload.getvalue(), previous=current.get("path"))
        except WijkatlasError as err:
            st.error(str(err))
            st.stop()
        st.session_state["data_file"] = {"path": str(path), "name": upload.name, "token": token}

info = st.session_state.get("data_file")
if not info:
    st.stop()
token = info.get("token") or hashlib.sha256(info["path"].encode()).hexdigest()[:16]

c1, c2 = st.columns(2)
crs = c1.text_input(t("data.crs", lang), key=f"data_crs_{token}", placeholder="EPSG:28992").strip() or None
layer_choice = st.session_state.get(f"data_layer_{token}")
allow_large = st.checkbox(t("data.allow_large", lang), key=f"data_allow_large_{token}",
                          help=t("data.allow_large_help", lang))
try:
    source = read_source(info["path"], crs=crs, layer=layer_choice, name=info["name"],
                         prefer=schema_score if kind == "boundaries" else None,
                         limits=load_limits(kind, allow_large))
except WijkatlasError as err:
    st.error(str(err))
    st.stop()
if len(source.layers) > 1:
    c2.selectbox(t("data.sheet" if source.format in SHEET_FORMATS else "data.layer", lang), source.layers,
                 key=f"data_layer_{token}", index=source.layers.index(source.layer))
st.write(t("data.file.sheet" if source.format in SHEET_FORMATS else "data.file", lang, name=info["name"],
           format=source.format, layer=source.layer, rows=len(source)))
st.caption(t("data.crs_found", lang, crs=source.crs_found + (f" — {source.crs_note}" if source.crs_note else "")))

shown_source = locate(store, source) if source.by_address and kind != "boundaries" else source
left, right = st.columns([3, 2])
with left:
    st.subheader(t("data.preview", lang))
    st.dataframe(preview_rows(shown_source, geometry_label=t("data.preview.geometry", lang)), hide_index=True)
with right:
    st.subheader(t("data.preview_map", lang))
    if source.by_address:
        st.caption(t("data.preview.by_address", lang))
    st_folium(preview_map(shown_source, web.scoped_map_data().buurten), key=f"data_map_{token}",
              height=360, use_container_width=True, returned_objects=[])

# --- options, mapping and the plan (nothing written yet) ------------------------------------
if st.session_state.get("data_imported") == f"{token}:{kind}":
    st.success(st.session_state.get("data_done_msg", t("data.already", lang)))
    st.info(t("data.already", lang))
    st.stop()
try:
    if kind == "boundaries":
        o1, o2 = st.columns(2)
        level = o1.selectbox(t("data.level", lang), ["auto", "wijk", "buurt"], key=f"data_level_{token}",
                             format_func=lambda v: t("data.level.auto", lang) if v == "auto" else label(v, lang))
        gms = o2.text_input(t("data.municipality", lang), key=f"data_gm_{token}")
        municipalities = [g for g in gms.replace(";", ",").replace(" ", ",").split(",") if g.strip()]
        plan = plan_boundaries(store, source, level=level, municipalities=municipalities)
    else:
        spec = PLACE_LAYERS[kind]
        include_outside = st.checkbox(t("data.include_outside", lang), key=f"data_outside_{token}")
        keep_unplaced = source.by_address and spec.geometry_required and st.checkbox(
            t("data.keep_unplaced", lang), key=f"data_keep_{token}")
        st.subheader(t("data.mapping", lang))
        found = detect_preset(source.columns, kind)
        presets = ["none"] + [p.name for p in PRESETS.values() if p.layer == kind]
        preset = st.selectbox(
            t("data.preset", lang), presets, key=f"data_preset_{token}_{kind}",
            index=presets.index(found.name) if found else 0,
            format_func=lambda p: t("data.preset.none", lang) if p == "none" else PRESETS[p].title[lang == "en"],
        )
        mapping: dict[str, str] = {}
        if preset == "none":
            st.caption(t("data.mapping.intro", lang))
            auto = auto_mapping(source.columns, kind)
            options = ["", *source.columns]
            grid = st.columns(3)
            for i, fieldname in enumerate(spec.fields):
                shown = field_label(fieldname, lang) + (f" — {t('data.required', lang)}" if fieldname in spec.required else "")
                choice = grid[i % 3].selectbox(
                    shown, options, key=f"data_map_{token}_{kind}_{fieldname}",
                    index=options.index(auto[fieldname]) if fieldname in auto else 0,
                    format_func=lambda c: t("data.mapping.none", lang) if c == "" else c,
                )
                if choice:
                    mapping[fieldname] = choice
        plan = plan_places(store, source, kind, mapping, preset=preset, include_outside=include_outside,
                           index=web.cached_area_index("buurt"), keep_unplaced=bool(keep_unplaced))
except WijkatlasError as err:
    st.error(str(err))
    st.stop()

summary = plan.summary
st.subheader(t("data.summary", lang))
k = st.columns(5)
k[0].metric(t("data.summary.imported", lang), summary.imported)
k[1].metric(t("data.summary.created", lang), summary.created)
k[2].metric(t("data.summary.updated", lang), summary.updated)
k[3].metric(t("data.summary.repaired", lang), summary.repaired)
k[4].metric(t("data.summary.skipped", lang), len(summary.skipped))
notes = []
if summary.levels:
    notes.append(t("data.summary.levels", lang, levels=", ".join(label(lv, lang) for lv in summary.levels)))
if summary.municipalities:
    notes.append(t("data.summary.municipalities", lang, codes=", ".join(summary.municipalities)))
if summary.derived:
    notes.append(t("data.summary.derived", lang, codes=", ".join(summary.derived)))
if summary.duplicates:
    notes.append(t("data.summary.duplicates", lang, ids=", ".join(summary.duplicates[:20])))
if summary.outside_included:
    notes.append(t("data.summary.outside", lang, n=summary.outside_included))
for note in notes:
    st.text(note)
if summary.placed_by:
    st.text(t("data.summary.placed_by", lang, methods=", ".join(
        f"{METHOD_LABELS[k][lang == 'en']}: {summary.placed_by[k]}" for k in METHODS if k in summary.placed_by)))
if summary.unplaced:
    st.warning(t("data.summary.unplaced", lang, n=len(summary.unplaced))
               + (" " + t("data.summary.kept", lang, n=summary.kept_unplaced) if summary.kept_unplaced else ""))
    st.dataframe(
        pd.DataFrame([(u["row"], u["address"], u["reason"], " | ".join(u["candidates"])) for u in summary.unplaced],
                     columns=[t("data.summary.row", lang), t("data.summary.address", lang),
                              t("data.summary.reason", lang), t("data.summary.candidates", lang)]),
        hide_index=True, key="data_unplaced",
    )
if summary.not_in_file:
    shown = ", ".join(summary.not_in_file[:30]) + (", …" if len(summary.not_in_file) > 30 else "")
    st.warning(t("data.summary.not_in_file", lang, n=len(summary.not_in_file), codes=shown))
unplaced_rows = {u["row"] for u in summary.unplaced}  # those have their own table above
other_skips = [s for s in summary.skipped if s.row not in unplaced_rows]
if other_skips:
    st.dataframe(
        pd.DataFrame([(s.row, s.id, s.reason) for s in other_skips],
                     columns=[t("data.summary.row", lang), t("data.summary.id", lang), t("data.summary.reason", lang)]),
        hide_index=True,
    )

if st.button(t("data.commit", lang), key="data_commit", type="primary"):
    try:
        if kind == "boundaries":
            done = commit_boundaries(store, web.actor(), plan)
        else:
            done = commit_places(store, web.actor(), plan)
    except WijkatlasError as err:
        st.error(str(err))
    else:
        st.session_state["data_imported"] = f"{token}:{kind}"
        st.session_state["data_done_msg"] = t("data.done", lang, n=done.imported, file=info["name"])
        st.rerun()
