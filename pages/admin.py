"""Accounts and partner organisations: the administrator creates accounts (a
partner account names its organisation), changes roles, switches accounts
off and on, and keeps the list of partner organisations."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import auth, web
from geo import model as m
from geo.errors import WijkatlasError
from geo.execution import partners
from geo.i18n import label, t

web.guard("beheer")
lang = web.lang()
store = web.store()
actor = web.actor()

st.title(t("admin.title", lang))
if message := st.session_state.pop("admin_flash", None):
    st.success(message)


def done(text: str) -> None:
    st.session_state["admin_flash"] = text
    st.rerun()


orgs = partners.list_partners(store)
org_names = {p.id: p.name for p in orgs}
section = st.radio(t("admin.title", lang), ("accounts", "partners", "signins"), key="admin_section", horizontal=True,
                   format_func=lambda s: t(f"admin.tab.{s}", lang), label_visibility="collapsed")

if section == "accounts":
    users = auth.list_users(store, actor)
    st.dataframe(pd.DataFrame([{
        t("admin.col.name", lang): u.name, t("admin.col.role", lang): label(u.role, lang),
        t("admin.col.partner", lang): org_names.get(u.partner_id, ""),
        t("admin.col.active", lang): u.active, t("admin.col.created", lang): (u.created_at or "")[:10],
    } for u in users], columns=[t(f"admin.col.{c}", lang) for c in ("name", "role", "partner", "active", "created")]),
        hide_index=True, width="stretch")

    st.markdown(f"#### {t('admin.add_user', lang)}")
    with st.form("admin_add_user", clear_on_submit=False):
        c1, c2, c3 = st.columns(3)
        name = c1.text_input(t("admin.col.name", lang), max_chars=auth.MAX_NAME, key="admin_new_name")
        role = c2.selectbox(t("admin.col.role", lang), m.ROLES, key="admin_new_role", format_func=lambda r: label(r, lang))
        org = c3.selectbox(t("admin.col.partner", lang), ["", *(p.name for p in orgs)], key="admin_new_partner",
                           format_func=lambda o: o or t("admin.partner_none", lang))
        p1, p2 = st.columns(2)
        password = p1.text_input(t("admin.password", lang), type="password", max_chars=auth.MAX_PASSWORD,
                                 key="admin_new_password", autocomplete="new-password")
        again = p2.text_input(t("admin.password2", lang), type="password", max_chars=auth.MAX_PASSWORD,
                              key="admin_new_password2", autocomplete="new-password")
        add = st.form_submit_button(t("admin.add_user", lang), type="primary")
    if add:
        if password != again:
            st.error(t("admin.password_mismatch", lang))
        else:
            try:
                auth.add_user(store, web.actor(), name, role, password, partner=org or None)
            except WijkatlasError as err:
                st.error(str(err))
            else:
                for key in ("admin_new_name", "admin_new_password", "admin_new_password2"):
                    st.session_state.pop(key, None)
                done(t("admin.user_added", lang, name=name.strip()))

    if users:
        st.markdown(f"#### {t('admin.change_user', lang)}")
        by_name = {u.name: u for u in users}
        who = st.selectbox(t("admin.pick_user", lang), list(by_name), key="admin_pick_user")
        user = by_name[who]
        with st.form(f"admin_role_{user.id}"):
            c1, c2 = st.columns(2)
            new_role = c1.selectbox(t("admin.col.role", lang), m.ROLES, index=m.ROLES.index(user.role),
                                    key=f"admin_role_{user.id}", format_func=lambda r: label(r, lang))
            choices = ["", *(p.name for p in orgs)]
            current = org_names.get(user.partner_id, "")
            new_org = c2.selectbox(t("admin.col.partner", lang), choices,
                                   index=choices.index(current) if current in choices else 0,
                                   key=f"admin_partner_{user.id}", format_func=lambda o: o or t("admin.partner_none", lang))
            save_role = st.form_submit_button(t("admin.set_role", lang))
        if save_role:
            try:
                auth.set_role(store, web.actor(), user.name, new_role, partner=new_org or None)
            except WijkatlasError as err:
                st.error(str(err))
            else:
                done(t("admin.role_set", lang, name=user.name))
        toggle = st.button(t("admin.disable" if user.active else "admin.enable", lang), key=f"admin_toggle_{user.id}")
        if toggle:
            try:
                (auth.disable_user if user.active else auth.enable_user)(store, web.actor(), user.name)
            except WijkatlasError as err:
                st.error(str(err))
            else:
                done(t("admin.toggled", lang, name=user.name))

if section == "partners":
    accounts = {}
    for u in auth.list_users(store, actor):
        if u.partner_id is not None:
            accounts[u.partner_id] = accounts.get(u.partner_id, 0) + 1
    st.dataframe(pd.DataFrame([{
        t("admin.col.name", lang): p.name, t("admin.col.kind", lang): label(p.kind, lang),
        t("admin.col.contact", lang): p.contact, t("admin.col.accounts", lang): accounts.get(p.id, 0),
    } for p in orgs]), hide_index=True, width="stretch")
    options = [None, *(p.id for p in orgs)]
    pick = st.selectbox(t("admin.pick_partner", lang), options, key="admin_pick_partner",
                        format_func=lambda i: t("admin.add_partner", lang) if i is None else org_names[i])
    current = next((p for p in orgs if p.id == pick), None)
    with st.form(f"admin_partner_form_{pick}"):
        st.markdown(f"**{t('admin.edit_partner' if current else 'admin.add_partner', lang)}**")
        pname = st.text_input(t("admin.col.name", lang), value=current.name if current else "", max_chars=200,
                              key=f"admin_partner_name_{pick}")
        kind = st.selectbox(t("admin.col.kind", lang), m.PARTNER_KINDS,
                            index=m.PARTNER_KINDS.index(current.kind) if current else len(m.PARTNER_KINDS) - 1,
                            key=f"admin_partner_kind_{pick}", format_func=lambda k: label(k, lang))
        contact = st.text_input(t("admin.col.contact", lang), value=current.contact if current else "", max_chars=200,
                                key=f"admin_partner_contact_{pick}")
        if current:
            st.caption(t("admin.rename_note", lang))
        save = st.form_submit_button(t("admin.save", lang), type="primary")
    if save:
        try:
            saved = partners.save_partner(store, web.actor(), pname, kind, contact, partner_id=pick)
        except WijkatlasError as err:
            st.error(str(err))
        else:
            done(t("admin.partner_saved", lang, name=saved.name))

if section == "signins":
    st.caption(t("admin.signins.intro", lang))
    entries = auth.signin_log(store, actor)
    if not entries:
        st.info(t("admin.signins.none", lang))
    else:
        st.dataframe(pd.DataFrame([{
            t("admin.signins.at", lang): e.at, t("admin.col.name", lang): e.user,
            t("admin.signins.result", lang): t(f"admin.signins.{e.action}", lang),
            t("admin.signins.client", lang): e.target, t("admin.signins.detail", lang): e.detail,
        } for e in entries]), hide_index=True, width="stretch")
