"""Wijkatlas — the frame: page config, language, navigation.

Run with ``streamlit run app.py``. Each page in ``pages/`` does one user
task; this file only decides which pages exist and what surrounds them.
"""

from __future__ import annotations

import streamlit as st

from geo import web
from geo.access import page_allowed
from geo.navigation import PAGES
from geo.errors import WijkatlasError
from geo.i18n import LANGUAGES, t

st.set_page_config(page_title="Wijkatlas", page_icon="🗺️", layout="wide")


def main() -> None:
    if "lang" not in st.session_state:
        st.session_state["lang"] = "nl"
    with st.sidebar:
        st.selectbox(
            t("app.language", web.lang()),
            LANGUAGES,
            key="lang",
            format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code],
        )
    lang = web.lang()
    groups: dict[str, list] = {}
    actor = web.actor()
    for entry in PAGES:
        if not page_allowed(actor, entry.url_path):
            continue
        page = st.Page(entry.file, title=t(entry.title_key, lang), icon=entry.icon, url_path=entry.url_path,
                       default=entry.default)
        groups.setdefault(t(entry.group, lang) if entry.group else "", []).append(page)
    nav = st.navigation(groups)
    try:
        web.store()
    except WijkatlasError as exc:
        st.error(t("app.error", lang, message=str(exc)))
        st.stop()
    nav.run()


main()
